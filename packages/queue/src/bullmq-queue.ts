import type { Logger } from '@pass/logger';
import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { EnqueueOptions, JobDefinition, JobInfo, JobQueue, JobState, ScheduleSpec } from './job-queue';

const QUEUE_NAME = 'pass-jobs';

/**
 * Production runner on Redis. One queue, jobs dispatched by name to the registered handlers. Workers need
 * `maxRetriesPerRequest: null`; Redis must run with `maxmemory-policy noeviction`.
 */
export class BullMqQueue implements JobQueue {
  readonly kind = 'bullmq' as const;
  private readonly definitions = new Map<string, JobDefinition<unknown>>();
  private readonly connection: Redis;
  private readonly queue: Queue;
  private worker: Worker | undefined;
  private readonly logger: Logger | undefined;
  private readonly timezone: string;
  private readonly prefix: string | undefined;

  constructor(options: { redisUrl: string; logger?: Logger; timezone?: string; prefix?: string }) {
    this.connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    this.prefix = options.prefix;
    this.queue = new Queue(QUEUE_NAME, {
      connection: this.connection,
      ...(this.prefix ? { prefix: this.prefix } : {}),
    });
    this.logger = options.logger;
    this.timezone = options.timezone ?? 'Europe/Paris';
  }

  register<T>(definition: JobDefinition<T>): void {
    this.definitions.set(definition.name, definition as JobDefinition<unknown>);
  }

  async enqueue<T>(name: string, data: T, options: EnqueueOptions = {}): Promise<string> {
    const definition = this.definitions.get(name);
    if (!definition) throw new Error(`unknown job ${name}`);
    if (options.jobId?.includes(':')) throw new Error('job ids must not contain ":"');
    const job = await this.queue.add(name, data, {
      jobId: options.jobId,
      delay: options.delayMs,
      attempts: definition.attempts ?? 5,
      backoff: { type: 'exponential', delay: definition.backoffMs ?? 1000 },
      removeOnComplete: { count: 1000, age: 7 * 24 * 3600 },
      removeOnFail: { count: 5000 },
    });
    return job.id!;
  }

  async getJob(id: string): Promise<JobInfo | undefined> {
    const job = await this.queue.getJob(id);
    if (!job) return undefined;
    const state = (await job.getState()) as string;
    const known: JobState[] = ['waiting', 'delayed', 'active', 'completed', 'failed'];
    return {
      id: job.id!,
      name: job.name,
      state: known.includes(state as JobState)
        ? (state as JobState)
        : state === 'prioritized'
          ? 'waiting'
          : 'unknown',
      attemptsMade: job.attemptsMade,
      progress: job.progress as JobInfo['progress'],
      result: job.returnvalue,
      failedReason: job.failedReason || undefined,
    };
  }

  async schedule(spec: ScheduleSpec): Promise<void> {
    await this.queue.upsertJobScheduler(
      spec.id,
      { pattern: spec.pattern, tz: this.timezone },
      { name: spec.jobName, data: spec.data ?? {} },
    );
  }

  async start(): Promise<void> {
    if (this.worker) return;
    const concurrency = Math.max(1, ...[...this.definitions.values()].map((d) => d.concurrency ?? 1));
    this.worker = new Worker(
      QUEUE_NAME,
      async (job: Job) => {
        const definition = this.definitions.get(job.name);
        if (!definition) throw new Error(`no handler for job ${job.name}`);
        return definition.handler(job.data, {
          jobId: job.id!,
          attempt: job.attemptsMade + 1,
          updateProgress: (progress) => job.updateProgress(progress),
        });
      },
      {
        connection: this.connection.duplicate({ maxRetriesPerRequest: null }),
        concurrency,
        ...(this.prefix ? { prefix: this.prefix } : {}),
      },
    );
    this.worker.on('failed', (job, err) =>
      this.logger?.error({ err, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade }, 'job.failed'),
    );
  }

  async close(): Promise<void> {
    // Worker.close() waits for the jobs in progress to finish before resolving.
    if (this.worker) await this.worker.close();
    await this.queue.close();
    this.connection.disconnect();
  }

  async ping(): Promise<void> {
    await this.connection.ping();
  }

  /** Removes every job of this queue (tests only). */
  async obliterate(): Promise<void> {
    await this.queue.obliterate({ force: true });
  }
}
