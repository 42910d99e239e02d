import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { buildPassLayer, type PassPage } from './pass-layer';

/** Message from the rendering thread to a pass-layer worker. */
export type PassLayerRequest = { id: number; pages: readonly PassPage[] };
/** Answer of a worker: the deflated layers in request order, or why it failed; `ready` once it has loaded. */
export type PassLayerReply =
  | { id: number; layers: Uint8Array[] }
  | { id: number; error: string }
  | { ready: true };

/** Builds pass layers (QR codes and per-pass text), in worker threads or in the calling thread. */
export interface PassLayerBuilder {
  /** Worker threads in use (0: everything runs in the calling thread). */
  readonly workers: number;
  /** Resolves once every worker has started (at once without workers); building never needs to wait. */
  ready(): Promise<void>;
  build(pages: readonly PassPage[]): Promise<Uint8Array[]>;
  close(): Promise<void>;
}

/**
 * Starts a pass-layer builder. QR encoding and mask choice, path building and deflating are four fifths
 * of the CPU a booklet PDF costs and assembling pages the last fifth, so by default there is one worker
 * per core but one, and the calling thread builds layers too whenever every worker has enough queued, and
 * until the first worker has started (~0.1 s). On 2 cores this beat two workers (2,230 against 2,000
 * passes/s over 20,000 passes): one cold worker less to start and warm up, and no thread left idle.
 * `workers: 0` builds everything in the calling thread: a proof, tests.
 */
export function createPassLayerBuilder(options: { workers?: number } = {}): PassLayerBuilder {
  const workers = options.workers ?? defaultWorkerCount();
  if (!Number.isInteger(workers) || workers < 0) throw new RangeError(`Invalid worker count: ${workers}`);
  return workers === 0 ? new InlinePassLayerBuilder() : new WorkerPassLayerPool(workers);
}

/** Worker threads a builder starts when not told: one per core but one, at least one. */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism() - 1);
}

class InlinePassLayerBuilder implements PassLayerBuilder {
  readonly workers = 0;

  async ready(): Promise<void> {}

  build(pages: readonly PassPage[]): Promise<Uint8Array[]> {
    return buildHere(pages);
  }

  async close(): Promise<void> {}
}

// Jobs queued on a worker beyond which the calling thread builds: two keep a worker busy between replies.
const SATURATED = 2;

type PendingJob = { resolve: (layers: Uint8Array[]) => void; reject: (error: Error) => void };
type WorkerSlot = {
  worker: Worker;
  ready: boolean;
  started: Promise<void>;
  pending: Map<number, PendingJob>;
};

async function buildHere(pages: readonly PassPage[]): Promise<Uint8Array[]> {
  return pages.map(buildPassLayer);
}

class WorkerPassLayerPool implements PassLayerBuilder {
  readonly workers: number;
  private readonly slots: WorkerSlot[] = [];
  private nextId = 1;
  private failure: Error | null = null;
  private rejectFailed: (error: Error) => void = () => {};
  // Rejects with the first failure: lets ready() stop waiting for a worker that will never start.
  private readonly failed = new Promise<never>((_, reject) => {
    this.rejectFailed = reject;
  });
  private closing = false;

  constructor(count: number) {
    this.workers = count;
    this.failed.catch(() => {});
    for (let i = 0; i < count; i++) {
      // No inherited execArgv: the parent's `--import tsx` would load tsx once more in every worker
      // without making TypeScript loadable there; the entry file registers tsx itself.
      const worker = new Worker(new URL('./pass-layer-worker-entry.cjs', import.meta.url), { execArgv: [] });
      let started = (): void => {};
      const slot: WorkerSlot = {
        worker,
        ready: false,
        started: new Promise<void>((resolve) => {
          started = resolve;
        }),
        pending: new Map(),
      };
      worker.on('message', (reply: PassLayerReply) => {
        if ('ready' in reply) {
          slot.ready = true;
          started();
          return;
        }
        const job = slot.pending.get(reply.id);
        slot.pending.delete(reply.id);
        if (!job) return;
        if ('error' in reply) job.reject(new Error(`Pass layer worker failed: ${reply.error}`));
        else job.resolve(reply.layers);
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`Pass layer worker stopped unexpectedly (exit code ${code})`));
      });
      this.slots.push(slot);
    }
  }

  build(pages: readonly PassPage[]): Promise<Uint8Array[]> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closing) return Promise.reject(new Error('The pass layer builder is closed'));
    // The least busy ready worker: jobs are booklets of similar size, so the pending count is a fair measure.
    let slot: WorkerSlot | undefined;
    for (const candidate of this.slots) {
      if (candidate.ready && (!slot || candidate.pending.size < slot.pending.size)) slot = candidate;
    }
    // Until a worker has started, and whenever every worker already has work queued, the calling thread
    // builds the layers itself rather than wait idle for them.
    if (!slot || slot.pending.size >= SATURATED) return buildHere(pages);
    const chosen = slot;
    const id = this.nextId++;
    const request: PassLayerRequest = { id, pages };
    return new Promise<Uint8Array[]>((resolve, reject) => {
      chosen.pending.set(id, { resolve, reject });
      chosen.worker.postMessage(request);
    });
  }

  async ready(): Promise<void> {
    await Promise.race([Promise.all(this.slots.map((slot) => slot.started)), this.failed]);
  }

  async close(): Promise<void> {
    this.closing = true;
    this.rejectAll(new Error('The pass layer builder is closed'));
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.rejectAll(this.failure);
    this.rejectFailed(this.failure);
  }

  private rejectAll(error: Error): void {
    for (const slot of this.slots) {
      for (const job of slot.pending.values()) job.reject(error);
      slot.pending.clear();
    }
  }
}
