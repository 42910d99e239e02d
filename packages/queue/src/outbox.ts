import type { Logger } from '@pass/logger';
import type { Knex } from 'knex';
import type { JobQueue } from './job-queue';

/**
 * Side effects (webhooks, e-mails, PDF rendering, long jobs) are written to `platform.outbox` inside the business
 * transaction, so they happen if and only if the business change commits. The relay moves them to the queue
 * after commit; the outbox id is the job id, so a relay that crashes between enqueue and mark only re-enqueues a
 * job id the queue already knows.
 */
export async function enqueueInTransaction(
  trx: Knex.Transaction | Knex,
  jobName: string,
  data: unknown,
  options: { jobId?: string; availableAt?: Date } = {},
): Promise<string> {
  const [row] = await trx('platform.outbox')
    .insert({
      job_name: jobName,
      payload: JSON.stringify(data ?? {}),
      job_id: options.jobId ?? null,
      available_at: options.availableAt ?? trx.fn.now(),
    })
    .returning<{ id: string }[]>('id');
  return row!.id;
}

export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(
    private readonly knex: Knex,
    private readonly queue: JobQueue,
    private readonly options: { logger?: Logger; intervalMs?: number; batchSize?: number } = {},
  ) {}

  /** Relays one batch now; returns how many messages went to the queue. */
  async relayOnce(): Promise<number> {
    if (this.running) return this.running;
    this.running = this.relayBatch().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async relayBatch(): Promise<number> {
    const batchSize = this.options.batchSize ?? 100;
    let relayed = 0;
    // SKIP LOCKED lets several relays (one per process) share the outbox without waiting on each other.
    await this.knex.transaction(async (trx) => {
      const rows = await trx('platform.outbox')
        .whereNull('relayed_at')
        .andWhere('available_at', '<=', trx.fn.now())
        .orderBy('id')
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .select<{ id: string; job_name: string; payload: unknown; job_id: string | null }[]>();
      for (const row of rows) {
        const payload = typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload;
        await this.queue.enqueue(row.job_name, payload, { jobId: row.job_id ?? `outbox-${row.id}` });
      }
      if (rows.length > 0) {
        await trx('platform.outbox')
          .whereIn(
            'id',
            rows.map((r) => r.id),
          )
          .update({ relayed_at: trx.fn.now() });
      }
      relayed = rows.length;
    });
    return relayed;
  }

  /** Polls the outbox until stop(); `kick()` relays right away after a commit. */
  start(): void {
    const interval = this.options.intervalMs ?? 1000;
    const tick = async () => {
      if (this.stopped) return;
      try {
        while ((await this.relayOnce()) > 0 && !this.stopped) {
          // drain
        }
      } catch (err) {
        this.options.logger?.error({ err }, 'outbox.relay_failed');
      }
      if (!this.stopped) {
        this.timer = setTimeout(tick, interval);
        this.timer.unref();
      }
    };
    void tick();
  }

  kick(): void {
    if (this.stopped) return;
    void this.relayOnce().catch((err) => this.options.logger?.error({ err }, 'outbox.relay_failed'));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.running) await this.running.catch(() => undefined);
  }
}
