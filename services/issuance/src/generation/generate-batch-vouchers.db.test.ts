import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '@pass/db';
import { createPgliteTestDatabase, createTestDatabase, type TestDatabase } from '@pass/db/testing';
import { voucherLookupHash } from '@pass/voucher-code';
import { voucherMigrations } from '@pass/vouchers';
import { expect } from 'chai';
import { issuanceMigrations } from '../migrations';
import { type GenerationDeps, generateBatchVouchers } from './generate-batch-vouchers';
import { getGeneration } from './generation-store';
import { insertSubmittedBatch } from './testing/submitted-batch';
import { deriveVoucherCode } from './voucher-code-derivation';

const here = path.dirname(fileURLToPath(import.meta.url));
const migrations = [...voucherMigrations, ...issuanceMigrations];
const hashKey = randomBytes(32);
const encryptionKey = randomBytes(32);

/** Exactly serials 1..total, each once, and every lookup hash equal to the derived code's. */
async function expectExactBatch(db: Db, batchId: string, seed: Buffer, total: number): Promise<void> {
  const stats = await db('vouchers.vouchers')
    .where({ batch_id: batchId })
    .first(
      db.raw('count(*)::int as count'),
      db.raw('count(distinct serial)::int as serials'),
      db.raw('min(serial) as min'),
      db.raw('max(serial) as max'),
    );
  expect({
    count: Number(stats.count),
    serials: Number(stats.serials),
    min: Number(stats.min),
    max: Number(stats.max),
  }).to.deep.equal({
    count: total,
    serials: total,
    min: 1,
    max: total,
  });
  const sample = [1, Math.ceil(total / 2), total];
  const rows = await db('vouchers.vouchers')
    .where({ batch_id: batchId })
    .whereIn('serial', sample)
    .select('serial', 'lookup_hash');
  for (const row of rows) {
    expect(
      Buffer.from(row.lookup_hash).equals(
        voucherLookupHash(deriveVoucherCode(seed, Number(row.serial)), hashKey),
      ),
    ).to.equal(true);
  }
}

function depsOf(db: TestDatabase): GenerationDeps {
  return { knex: db.knex, hashKey, encryptionKey, clock: () => new Date() };
}

describe('voucher generation on PostgreSQL (COPY)', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase(migrations, { poolMax: 4 });
  });
  after(async () => {
    await db?.destroy();
  });

  it('writes exactly N passes whose lookup hashes are those of the derived codes, and reports progress', async () => {
    const { batchId, seed, total } = await insertSubmittedBatch(db.knex, {
      encryptionKey,
      bookletCount: 1234,
    });
    const seen: number[] = [];
    const outcome = await generateBatchVouchers(depsOf(db), batchId, {
      chunkSize: 5000,
      onProgress: ({ generated }) => {
        seen.push(generated);
      },
    });
    expect(outcome).to.deep.equal({ state: 'completed', generated: total, alreadyDone: false });
    expect(seen).to.deep.equal([5000, 10000, 12340]);
    await expectExactBatch(db.knex, batchId, seed, total);
    expect(await getGeneration(db.knex, batchId)).to.deep.include({
      state: 'completed',
      generated: total,
      attempts: 1,
    });
    const events = await db.knex('vouchers.events').where({ batch_id: batchId, kind: 'batch.generated' });
    expect(events).to.have.length(1);
    // Running it again does nothing.
    expect(await generateBatchVouchers(depsOf(db), batchId)).to.deep.include({ alreadyDone: true });
  });

  it('ends with exactly N passes after a worker failed in the middle of a chunk and the job was retried', async () => {
    const { batchId, seed, total } = await insertSubmittedBatch(db.knex, {
      encryptionKey,
      bookletCount: 1500,
    });
    let failed = false;
    const crashOnce = {
      beforeRows: (serial: number) => {
        if (!failed && serial > 7000) {
          failed = true;
          throw new Error('worker died');
        }
      },
    };
    let caught: unknown;
    try {
      await generateBatchVouchers(depsOf(db), batchId, { chunkSize: 5000, faults: crashOnce });
    } catch (error) {
      caught = error;
    }
    expect((caught as Error).message).to.equal('worker died');
    // The chunk in flight (5001..10000) rolled back whole: only the first committed chunk is there.
    expect(await getGeneration(db.knex, batchId)).to.deep.include({
      state: 'failed',
      generated: 5000,
      lastError: 'worker died',
    });
    const [row] = await db
      .knex('vouchers.vouchers')
      .where({ batch_id: batchId })
      .count<{ count: string }[]>('* as count');
    expect(Number(row?.count)).to.equal(5000);
    const before = await db
      .knex('vouchers.vouchers')
      .where({ batch_id: batchId, serial: 1 })
      .first('id', 'lookup_hash');

    await generateBatchVouchers(depsOf(db), batchId, { chunkSize: 5000, faults: crashOnce });
    await expectExactBatch(db.knex, batchId, seed, total);
    // The retry resumed: passes written before the failure are untouched.
    const after = await db
      .knex('vouchers.vouchers')
      .where({ batch_id: batchId, serial: 1 })
      .first('id', 'lookup_hash');
    expect(after).to.deep.equal(before);
    expect(await getGeneration(db.knex, batchId)).to.deep.include({ state: 'completed', attempts: 2 });
  });

  it('encodes rows in a worker thread for large batches, with the same result', async () => {
    const { batchId, seed, total } = await insertSubmittedBatch(db.knex, {
      encryptionKey,
      bookletCount: 2500,
    });
    await generateBatchVouchers(depsOf(db), batchId, { chunkSize: 10_000, worker: true });
    await expectExactBatch(db.knex, batchId, seed, total);
  });

  it('ends with exactly N passes when two workers run the same batch at once', async () => {
    const { batchId, seed, total } = await insertSubmittedBatch(db.knex, {
      encryptionKey,
      bookletCount: 2000,
    });
    await Promise.all([
      generateBatchVouchers(depsOf(db), batchId, { chunkSize: 3000 }),
      generateBatchVouchers(depsOf(db), batchId, { chunkSize: 3000 }),
    ]);
    await expectExactBatch(db.knex, batchId, seed, total);
    expect(
      await db.knex('vouchers.events').where({ batch_id: batchId, kind: 'batch.generated' }),
    ).to.have.length(1);
  });

  it('ends with exactly N passes after the worker process is killed (SIGKILL) mid-batch and the job is retried', async () => {
    const { batchId, seed, total } = await insertSubmittedBatch(db.knex, {
      encryptionKey,
      bookletCount: 4000,
    });
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(here, 'testing/generate-in-child.ts'), db.url!, batchId, '5000'],
      {
        env: {
          ...process.env,
          HASH_KEY: hashKey.toString('base64'),
          ENCRYPTION_KEY: encryptionKey.toString('base64'),
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    // Kill it once at least one chunk is committed, while it is inside a later chunk.
    const deadline = Date.now() + 40_000;
    for (;;) {
      const progress = await getGeneration(db.knex, batchId);
      if (progress && progress.generated >= 10_000) break;
      if (Date.now() > deadline) throw new Error(`child made no progress: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGKILL');
    expect(await exited).to.equal('SIGKILL');
    const killedAt = (await getGeneration(db.knex, batchId))!.generated;
    expect(killedAt).to.be.below(total);

    await generateBatchVouchers(depsOf(db), batchId, { chunkSize: 5000 });
    await expectExactBatch(db.knex, batchId, seed, total);
  });
});

describe('voucher generation on PGlite (chunked inserts)', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  before(async () => {
    db = await createPgliteTestDatabase(migrations);
  });
  after(async () => {
    await db?.destroy();
  });

  it('writes exactly N passes in small transactions, and resumes after a failure', async () => {
    const { batchId, seed, total } = await insertSubmittedBatch(db.knex, {
      encryptionKey,
      bookletSize: 5,
      bookletCount: 900,
    });
    let failed = false;
    const crashOnce = {
      beforeRows: (serial: number) => {
        if (!failed && serial > 2000) {
          failed = true;
          throw new Error('worker died');
        }
      },
    };
    await generateBatchVouchers(depsOf(db), batchId, { chunkSize: 1000, faults: crashOnce }).catch(() => {});
    expect(await getGeneration(db.knex, batchId)).to.deep.include({ generated: 2000, state: 'failed' });
    await generateBatchVouchers(depsOf(db), batchId, { chunkSize: 1000 });
    await expectExactBatch(db.knex, batchId, seed, total);
  });
});
