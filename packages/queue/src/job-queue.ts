/** What a job handler gets besides its data. */
export interface JobContext {
  jobId: string;
  attempt: number;
  /** Reports progress (0–100 or an object such as `{ done, total }`), readable through getJob. */
  updateProgress(progress: number | Record<string, unknown>): Promise<void>;
}

export interface JobDefinition<T = unknown> {
  name: string;
  handler(data: T, ctx: JobContext): Promise<unknown>;
  /** Total attempts including the first (default 5). */
  attempts?: number;
  /** Base of the exponential backoff in ms (default 1000): delay = base × 2^(attempt-1). */
  backoffMs?: number;
  /** Jobs of this name run at most this many at once in one process (default 1). */
  concurrency?: number;
}

export interface EnqueueOptions {
  /** Deduplicates while the first job with this id still exists; no `:` allowed (BullMQ). */
  jobId?: string;
  delayMs?: number;
}

export type JobState = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed' | 'unknown';

export interface JobInfo {
  id: string;
  name: string;
  state: JobState;
  attemptsMade: number;
  progress: number | Record<string, unknown>;
  result: unknown;
  failedReason: string | undefined;
}

/** A cron schedule in the business time zone (e.g. `0 6 * * *` every day at 06:00 Europe/Paris). */
export interface ScheduleSpec {
  id: string;
  pattern: string;
  jobName: string;
  data?: unknown;
}

/**
 * One job interface, two runners: BullMQ on Redis in production, in-process in embedded mode. Handlers must be
 * idempotent: delivery is at least once and the database stays the guard, never the queue.
 */
export interface JobQueue {
  readonly kind: 'in-process' | 'bullmq';
  register<T>(definition: JobDefinition<T>): void;
  enqueue<T>(name: string, data: T, options?: EnqueueOptions): Promise<string>;
  getJob(id: string): Promise<JobInfo | undefined>;
  schedule(spec: ScheduleSpec): Promise<void>;
  /** Starts consuming jobs (workers). An API-only process enqueues without starting. */
  start(): Promise<void>;
  /** Stops taking new jobs, waits for running ones, closes connections. */
  close(): Promise<void>;
  /** Health of the backend (Redis ping for BullMQ). */
  ping(): Promise<void>;
}

/** Job ids must not contain `:` for BullMQ; this keeps ids readable and safe. */
export function safeJobId(...parts: string[]): string {
  return parts.join('-').replace(/[^A-Za-z0-9_.-]/g, '_');
}

export function backoffDelay(baseMs: number, attempt: number): number {
  return baseMs * 2 ** Math.max(0, attempt - 1);
}
