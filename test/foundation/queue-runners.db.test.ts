import { randomUUID } from 'node:crypto';
import { BullMqQueue, enqueueInTransaction, InProcessQueue, type JobQueue, OutboxRelay } from '@pass/queue';
import { expect } from 'chai';
import { createTestDb, TEST_REDIS_URL } from '../support/database';

async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const runners: { name: string; create: () => JobQueue }[] = [
  { name: 'in-process', create: () => new InProcessQueue() },
  {
    name: 'BullMQ on Redis',
    create: () =>
      new BullMqQueue({ redisUrl: TEST_REDIS_URL, prefix: `passtest-${randomUUID().slice(0, 8)}` }),
  },
];

for (const runner of runners) {
  describe(`queue runner: ${runner.name}`, function () {
    this.timeout(60_000);
    let queue: JobQueue;
    afterEach(async () => {
      if (queue instanceof BullMqQueue) await queue.obliterate().catch(() => undefined);
      await queue.close();
    });

    it('executes a job, exposes its progress, and retries a failure with backoff', async () => {
      queue = runner.create();
      const seen: number[] = [];
      queue.register<{ value: string }>({
        name: 'echo',
        attempts: 3,
        backoffMs: 50,
        handler: async (data, ctx) => {
          seen.push(ctx.attempt);
          await ctx.updateProgress({ step: ctx.attempt });
          if (ctx.attempt === 1) throw new Error('transient');
          return `got ${data.value}`;
        },
      });
      await queue.start();
      const id = await queue.enqueue('echo', { value: 'x' }, { jobId: `echo-${randomUUID()}` });
      const info = await waitFor(async () => {
        const job = await queue.getJob(id);
        return job?.state === 'completed' ? job : undefined;
      });
      expect(info.result).to.equal('got x');
      expect(info.attemptsMade).to.be.at.least(2);
      expect(info.progress).to.deep.equal({ step: 2 });
      expect(seen).to.deep.equal([1, 2]);
    });

    it('relays outbox rows written in a committed transaction, and not those of a rolled-back one', async () => {
      queue = runner.create();
      const db = await createTestDb();
      const received: string[] = [];
      queue.register<{ label: string }>({
        name: 'notify',
        handler: async (data) => {
          received.push(data.label);
        },
      });
      await queue.start();
      const relay = new OutboxRelay(db.knex, queue, { intervalMs: 50 });
      try {
        await db.knex.transaction(async (trx) => {
          await enqueueInTransaction(trx, 'notify', { label: 'committed' });
        });
        await db.knex
          .transaction(async (trx) => {
            await enqueueInTransaction(trx, 'notify', { label: 'rolled back' });
            throw new Error('abort');
          })
          .catch(() => undefined);
        relay.start();
        await waitFor(async () => (received.length > 0 ? true : undefined));
        await new Promise((r) => setTimeout(r, 200));
        expect(received).to.deep.equal(['committed']);
        const pending = await db.knex('platform.outbox').whereNull('relayed_at');
        expect(pending).to.have.length(0);
      } finally {
        await relay.stop();
        await db.destroy();
      }
    });
  });
}
