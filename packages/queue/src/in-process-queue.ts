import { randomUUID } from 'node:crypto';
import type { Logger } from '@pass/logger';
import { CronExpressionParser } from 'cron-parser';
import {
  backoffDelay,
  type EnqueueOptions,
  type JobDefinition,
  type JobInfo,
  type JobQueue,
  type ScheduleSpec,
} from './job-queue';

interface InProcessJob {
  info: JobInfo;
  data: unknown;
  timer: NodeJS.Timeout | undefined;
}

const KEEP_FINISHED = 1000;

/**
 * Embedded runner: jobs run in this process with the same retry and backoff semantics as BullMQ. Nothing is
 * persisted: work that must survive a restart is written to the database first (outbox, job tables).
 */
export class InProcessQueue implements JobQueue {
  readonly kind = 'in-process' as const;
  private readonly definitions = new Map<string, JobDefinition<unknown>>();
  private readonly jobs = new Map<string, InProcessJob>();
  private readonly running = new Map<string, number>();
  private readonly waiting: string[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly schedules = new Map<string, NodeJS.Timeout>();
  private started = false;
  private closed = false;
  private readonly logger: Logger | undefined;
  private readonly timezone: string;

  constructor(options: { logger?: Logger; timezone?: string } = {}) {
    this.logger = options.logger;
    this.timezone = options.timezone ?? 'Europe/Paris';
  }

  register<T>(definition: JobDefinition<T>): void {
    this.definitions.set(definition.name, definition as JobDefinition<unknown>);
  }

  async enqueue<T>(name: string, data: T, options: EnqueueOptions = {}): Promise<string> {
    if (this.closed) throw new Error('queue is closed');
    if (!this.definitions.has(name)) throw new Error(`unknown job ${name}`);
    const id = options.jobId ?? randomUUID();
    const existing = this.jobs.get(id);
    if (existing && existing.info.state !== 'completed' && existing.info.state !== 'failed') return id;
    if (existing) return id;
    const job: InProcessJob = {
      info: {
        id,
        name,
        state: options.delayMs ? 'delayed' : 'waiting',
        attemptsMade: 0,
        progress: 0,
        result: undefined,
        failedReason: undefined,
      },
      data,
      timer: undefined,
    };
    this.jobs.set(id, job);
    this.trim();
    if (options.delayMs) {
      job.timer = setTimeout(() => this.makeReady(id), options.delayMs);
    } else {
      this.makeReady(id);
    }
    return id;
  }

  async getJob(id: string): Promise<JobInfo | undefined> {
    const job = this.jobs.get(id);
    return job ? { ...job.info } : undefined;
  }

  async schedule(spec: ScheduleSpec): Promise<void> {
    const arm = () => {
      const next = CronExpressionParser.parse(spec.pattern, { tz: this.timezone }).next().getTime();
      const timer = setTimeout(
        () => {
          if (this.closed) return;
          void this.enqueue(spec.jobName, spec.data ?? {}).catch((err) =>
            this.logger?.error({ err, schedule: spec.id }, 'queue.schedule_failed'),
          );
          arm();
        },
        Math.max(1000, next - Date.now()),
      );
      timer.unref();
      this.schedules.set(spec.id, timer);
    };
    const previous = this.schedules.get(spec.id);
    if (previous) clearTimeout(previous);
    arm();
  }

  async start(): Promise<void> {
    this.started = true;
    this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.schedules.values()) clearTimeout(timer);
    for (const job of this.jobs.values()) if (job.timer) clearTimeout(job.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  async ping(): Promise<void> {}

  private makeReady(id: string): void {
    const job = this.jobs.get(id);
    if (!job || this.closed) return;
    job.timer = undefined;
    job.info.state = 'waiting';
    this.waiting.push(id);
    this.pump();
  }

  private pump(): void {
    if (!this.started || this.closed) return;
    for (let i = 0; i < this.waiting.length; ) {
      const id = this.waiting[i]!;
      const job = this.jobs.get(id);
      const definition = job ? this.definitions.get(job.info.name) : undefined;
      if (!job || !definition) {
        this.waiting.splice(i, 1);
        continue;
      }
      const active = this.running.get(definition.name) ?? 0;
      if (active >= (definition.concurrency ?? 1)) {
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      this.running.set(definition.name, active + 1);
      const run = this.run(job, definition).finally(() => {
        this.running.set(definition.name, (this.running.get(definition.name) ?? 1) - 1);
        this.inFlight.delete(run);
        setImmediate(() => this.pump());
      });
      this.inFlight.add(run);
    }
  }

  private async run(job: InProcessJob, definition: JobDefinition<unknown>): Promise<void> {
    job.info.state = 'active';
    job.info.attemptsMade += 1;
    const attempt = job.info.attemptsMade;
    try {
      job.info.result = await definition.handler(job.data, {
        jobId: job.info.id,
        attempt,
        updateProgress: async (progress) => {
          job.info.progress = progress;
        },
      });
      job.info.state = 'completed';
    } catch (err) {
      job.info.failedReason = err instanceof Error ? err.message : String(err);
      const attempts = definition.attempts ?? 5;
      if (attempt < attempts && !this.closed) {
        job.info.state = 'delayed';
        const delay = backoffDelay(definition.backoffMs ?? 1000, attempt);
        this.logger?.warn({ err, job: job.info.name, jobId: job.info.id, attempt, delay }, 'job.retry');
        job.timer = setTimeout(() => this.makeReady(job.info.id), delay);
      } else {
        job.info.state = 'failed';
        this.logger?.error({ err, job: job.info.name, jobId: job.info.id, attempt }, 'job.failed');
      }
    }
  }

  private trim(): void {
    if (this.jobs.size <= KEEP_FINISHED * 2) return;
    for (const [id, job] of this.jobs) {
      if (this.jobs.size <= KEEP_FINISHED) break;
      if (job.info.state === 'completed' || job.info.state === 'failed') this.jobs.delete(id);
    }
  }
}
