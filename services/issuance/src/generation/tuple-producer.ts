import { Worker } from 'node:worker_threads';
import { createLookupHasher } from './lookup-hasher';
import { encodeVoucherTuples, uuidBytes } from './voucher-rows';

/** What a producer needs to encode the rows of a batch. */
export interface TupleSource {
  batchId: string;
  seed: Buffer;
  hashKey: Buffer;
}

/** Encodes binary COPY tuples for serial ranges of one batch; `close` releases its thread. */
export interface TupleProducer {
  produce(fromSerial: number, count: number): Promise<Buffer>;
  close(): Promise<void>;
}

/** Encodes in the calling thread (small batches, tests). */
export function inlineTupleProducer(source: TupleSource): TupleProducer {
  const batchId = uuidBytes(source.batchId);
  const hasher = createLookupHasher(source.hashKey);
  return {
    produce: async (fromSerial, count) =>
      encodeVoucherTuples(batchId, source.seed, hasher, fromSerial, count),
    close: async () => {},
  };
}

type Reply = { id: number; rows: ArrayBuffer } | { id: number; error: string };

/**
 * Encodes in a worker thread: while this thread streams group k to the COPY, the worker derives and hashes
 * group k+1, so code generation runs on the second core instead of adding to the COPY time. Rows come
 * back as transferred buffers (no copy). The worker holds the batch seed and the lookup key for the
 * duration of the run, like this thread does.
 */
export function workerTupleProducer(source: TupleSource): TupleProducer {
  const worker = new Worker(new URL('./tuple-worker-entry.cjs', import.meta.url), {
    workerData: { batchId: source.batchId, seed: source.seed, hashKey: source.hashKey },
    execArgv: [],
  });
  worker.unref();
  let nextId = 0;
  let failure: Error | undefined;
  const pending = new Map<number, { resolve: (rows: Buffer) => void; reject: (error: Error) => void }>();
  const failAll = (error: Error) => {
    failure ??= error;
    for (const job of pending.values()) job.reject(failure);
    pending.clear();
  };
  worker.on('message', (reply: Reply) => {
    const job = pending.get(reply.id);
    if (!job) return;
    pending.delete(reply.id);
    if ('error' in reply) job.reject(new Error(reply.error));
    else job.resolve(Buffer.from(reply.rows));
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`voucher tuple worker exited (${code})`)));
  return {
    produce(fromSerial, count) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise<Buffer>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, fromSerial, count });
      });
    },
    async close() {
      failure ??= new Error('voucher tuple worker closed');
      await worker.terminate();
    },
  };
}
