// Runs the generation of one batch in a separate process so a test can kill it with SIGKILL mid-batch,
// as a crashing worker would die. Slowed down between row groups so the kill lands inside a chunk.
// Usage: tsx generate-in-child.ts <database-url> <batch-id> <chunk-size> (keys in HASH_KEY, ENCRYPTION_KEY, base64)
import { createDatabase } from '@pass/db';
import { generateBatchVouchers } from '../generate-batch-vouchers';

const [databaseUrl, batchId, chunk] = process.argv.slice(2);
const database = await createDatabase({ databaseUrl: databaseUrl!, poolMax: 2 });
const pause = new Int32Array(new SharedArrayBuffer(4));
await generateBatchVouchers(
  {
    knex: database.knex,
    hashKey: Buffer.from(process.env.HASH_KEY!, 'base64'),
    encryptionKey: Buffer.from(process.env.ENCRYPTION_KEY!, 'base64'),
    clock: () => new Date(),
  },
  batchId!,
  { chunkSize: Number(chunk), faults: { beforeRows: () => void Atomics.wait(pause, 0, 0, 40) } },
);
await database.close();
