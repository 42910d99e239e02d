import { parentPort, workerData } from 'node:worker_threads';
import { createLookupHasher } from './lookup-hasher';
import { encodeVoucherTuples, uuidBytes } from './voucher-rows';

// Body of the worker started by workerTupleProducer: encodes COPY tuples for the serial ranges asked.
const port = parentPort;
if (!port) throw new Error('tuple-worker must run in a worker thread');
const data = workerData as { batchId: string; seed: Uint8Array; hashKey: Uint8Array };
const batchId = uuidBytes(data.batchId);
const seed = Buffer.from(data.seed);
const hasher = createLookupHasher(Buffer.from(data.hashKey));

port.on('message', (request: { id: number; fromSerial: number; count: number }) => {
  try {
    const rows = encodeVoucherTuples(batchId, seed, hasher, request.fromSerial, request.count);
    // Groups are far larger than Buffer's pool, so `rows` owns its ArrayBuffer and moves without a copy.
    const owns = rows.byteOffset === 0 && rows.buffer.byteLength === rows.length;
    const buffer = owns ? rows.buffer : rows.buffer.slice(rows.byteOffset, rows.byteOffset + rows.length);
    port.postMessage({ id: request.id, rows: buffer }, [buffer as ArrayBuffer]);
  } catch (error) {
    port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) });
  }
});
