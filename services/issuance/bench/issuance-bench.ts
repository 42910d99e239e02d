// npm run bench:issuance — issue #5 benchmark, on PostgreSQL (TEST_DATABASE_URL, default
// postgres://postgres@127.0.0.1:5432/postgres, a user that may create databases):
//   1. renders 2,000 passes of booklets (200 booklets of 10) from a generated batch through the real pipeline
//      (codes derived from the batch seed, payloads signed, PDF rendered on both cores), sampling peak RSS;
//   2. COPYs 1,000,000 precomputed rows into a table identical to vouchers.vouchers (same columns, defaults,
//      constraints, indexes and foreign key), in the same 50,000-row transactions, the same binary format:
//      the raw cost of storing that many passes;
//   3. generates and persists a batch of 1,000,000 passes with the production code path.
// Last line: RESULT issuance vouchers_per_s=<n> raw_copy_per_s=<n> ratio=<r> booklet_passes_per_s=<n> booklet_rss_mb=<n>
// Options (env): BENCH_VOUCHERS (default 1000000), BENCH_BOOKLET_PASSES (default 2000),
// BENCH_ORDER=generation-first (measure generation before the raw COPY).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, dropTestDatabases, type TestDatabase } from '@pass/db/testing';
import { getBatch, voucherMigrations } from '@pass/vouchers';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { renderBookletsPdf } from '../src/booklets';
import { generateBatchVouchers, DEFAULT_CHUNK } from '../src/generation/generate-batch-vouchers';
import { insertSubmittedBatch } from '../src/generation/testing/submitted-batch';
import {
  copyHeader,
  copyTrailer,
  uuidBytes,
  VOUCHER_COPY_COLUMNS,
  VOUCHER_TUPLE_BYTES,
  writeVoucherTuple,
} from '../src/generation/voucher-rows';
import { issuanceMigrations } from '../src/migrations';
import { bookletsToRender } from '../src/printing/pass-source';

const VOUCHERS = Number(process.env.BENCH_VOUCHERS ?? 1_000_000);
const BOOKLET_PASSES = Number(process.env.BENCH_BOOKLET_PASSES ?? 2000);
const CHUNK = DEFAULT_CHUNK.postgres;
const hashKey = randomBytes(32);
const encryptionKey = randomBytes(32);

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function withConnection<T>(db: TestDatabase, work: (connection: pg.Client) => Promise<T>): Promise<T> {
  const client = db.knex.client as unknown as {
    acquireConnection(): Promise<pg.Client>;
    releaseConnection(connection: pg.Client): Promise<void>;
  };
  const connection = await client.acquireConnection();
  try {
    return await work(connection);
  } finally {
    await client.releaseConnection(connection);
  }
}

async function booklets(
  db: TestDatabase,
): Promise<{ passesPerSecond: number; rssMb: number; seconds: number; pdfMb: number; cpuSeconds: number }> {
  const { batchId, seed } = await insertSubmittedBatch(db.knex, {
    encryptionKey,
    bookletCount: Math.ceil(BOOKLET_PASSES / 10),
  });
  await generateBatchVouchers({ knex: db.knex, hashKey, encryptionKey, clock: () => new Date() }, batchId);
  const batch = (await getBatch(db.knex, batchId))!;
  const { privateKey } = generateKeyPairSync('ed25519');
  const signer = { kid: 'K1', privateKey };
  const directory = await mkdtemp(path.join(tmpdir(), 'issuance-bench-'));
  const file = path.join(directory, 'booklets.pdf');
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  try {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await renderBookletsPdf(
      {
        batch: {
          funderName: 'Département de l’Ardèche',
          wording: 'Le Département vous offre ce carnet de Pass numérique.',
          faceValue: '10.00',
          validFrom: batch.validFrom,
          validUntil: batch.validUntil,
          territoryLabel: 'Ardèche (07)',
          venuesUrl: 'https://pass-numerique.example/lieux',
          batchReference: `LOT-${batch.number}`,
        },
        booklets: bookletsToRender(batch, seed, signer),
      },
      createWriteStream(file),
      { workers: availableParallelism() },
    );
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    peak = Math.max(peak, process.memoryUsage.rss());
    return {
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      passesPerSecond: Math.round(batch.voucherCount / seconds),
      rssMb: Math.round(peak / 2 ** 20),
      seconds,
      pdfMb: (await stat(file)).size / 2 ** 20,
    };
  } finally {
    clearInterval(sampler);
    await rm(directory, { recursive: true, force: true });
  }
}

/** COPY of precomputed rows into a copy of vouchers.vouchers, chunk by chunk as generation does. */
async function rawCopy(db: TestDatabase, count: number): Promise<() => Promise<void>> {
  const { batchId } = await insertSubmittedBatch(db.knex, { encryptionKey, bookletCount: count / 10 });
  await db.knex.raw(`
    create schema if not exists bench;
    drop table if exists bench.raw_vouchers;
    create table bench.raw_vouchers (like vouchers.vouchers including all);
    alter table bench.raw_vouchers add foreign key (batch_id) references vouchers.batches (id);`);
  // Rows prepared before the clock starts: random bytes stand for the lookup hashes.
  const batchBytes = uuidBytes(batchId);
  const hashes = randomBytes(32 * count);
  const chunks: Buffer[] = [];
  for (let start = 0; start < count; start += CHUNK) {
    const n = Math.min(CHUNK, count - start);
    const rows = Buffer.allocUnsafe(VOUCHER_TUPLE_BYTES * n);
    for (let i = 0; i < n; i++)
      writeVoucherTuple(rows, VOUCHER_TUPLE_BYTES * i, batchBytes, start + i + 1, hashes, 32 * (start + i));
    chunks.push(rows);
  }
  return async () => {
    await withConnection(db, async (connection) => {
      for (const rows of chunks) {
        await connection.query('begin');
        const stream = connection.query(
          copyFrom(`copy bench.raw_vouchers ${VOUCHER_COPY_COLUMNS} from stdin with (format binary)`),
        );
        const done = new Promise<void>((resolve, reject) => {
          stream.on('finish', resolve);
          stream.on('error', reject);
        });
        stream.write(copyHeader());
        // Same write granularity as generation (2,000 rows), so only the row production differs.
        for (let offset = 0; offset < rows.length; offset += 2000 * VOUCHER_TUPLE_BYTES) {
          if (!stream.write(rows.subarray(offset, offset + 2000 * VOUCHER_TUPLE_BYTES))) {
            await new Promise<void>((resolve) => stream.once('drain', resolve));
          }
        }
        stream.end(copyTrailer());
        await done;
        await connection.query('commit');
      }
    });
  };
}

async function generation(db: TestDatabase, count: number): Promise<() => Promise<void>> {
  const { batchId } = await insertSubmittedBatch(db.knex, { encryptionKey, bookletCount: count / 10 });
  return async () => {
    await generateBatchVouchers({ knex: db.knex, hashKey, encryptionKey, clock: () => new Date() }, batchId);
  };
}

/** CPU seconds used so far by this database's server processes (PostgreSQL runs on this machine). */
async function serverCpuSeconds(db: TestDatabase): Promise<number | undefined> {
  try {
    const { readFile } = await import('node:fs/promises');
    const rows = await db
      .knex('pg_stat_activity')
      .where('datname', db.knex.raw('current_database()'))
      .select<{ pid: number }[]>('pid');
    let ticks = 0;
    for (const { pid } of rows) {
      const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    }
    return ticks / 100;
  } catch {
    return undefined;
  }
}

/** Wall time, and CPU of this process and of the database server, of one phase. */
async function measured(db: TestDatabase, phase: () => Promise<unknown>) {
  await db.knex.raw('checkpoint');
  const serverBefore = await serverCpuSeconds(db);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await phase();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const serverAfter = await serverCpuSeconds(db);
  return {
    seconds,
    nodeCpu: (cpu.user + cpu.system) / 1e6,
    serverCpu:
      serverBefore === undefined || serverAfter === undefined ? undefined : serverAfter - serverBefore,
  };
}

function describe(name: string, count: number, m: Awaited<ReturnType<typeof measured>>): string {
  const server = m.serverCpu === undefined ? 'n/a' : `${m.serverCpu.toFixed(1)} s`;
  return `${name}: ${count} rows in ${m.seconds.toFixed(2)} s = ${Math.round(count / m.seconds)}/s (CPU: node ${m.nodeCpu.toFixed(1)} s, PostgreSQL ${server})`;
}

async function main(): Promise<void> {
  const db = await createTestDatabase([...voucherMigrations, ...issuanceMigrations], { poolMax: 4 });
  try {
    log(
      `load average before: ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    );
    log(
      `issuance benchmark: ${VOUCHERS.toLocaleString('en')} vouchers, ${BOOKLET_PASSES.toLocaleString('en')} booklet passes, ${availableParallelism()} cores`,
    );
    const render = await booklets(db);
    log(
      `booklets: ${BOOKLET_PASSES} passes in ${render.seconds.toFixed(2)} s = ${render.passesPerSecond} passes/s, peak RSS ${render.rssMb} MB, PDF ${render.pdfMb.toFixed(1)} MB, CPU ${render.cpuSeconds.toFixed(1)} s (all threads)`,
    );

    // Warm-up of both paths (JIT, caches), not measured.
    await (await rawCopy(db, 20_000))();
    await (await generation(db, 20_000))();

    // The second phase writes into a server whose buffers and WAL the first one filled: BENCH_ORDER lets one
    // check that the order does not decide the ratio.
    const generationFirst = process.env.BENCH_ORDER === 'generation-first';
    const runRaw = async () => measured(db, await rawCopy(db, VOUCHERS));
    const runGeneration = async () => measured(db, await generation(db, VOUCHERS));
    const generatedFirst = generationFirst ? await runGeneration() : undefined;
    const raw = await runRaw();
    const generated = generatedFirst ?? (await runGeneration());
    const rawPerSecond = Math.round(VOUCHERS / raw.seconds);
    const perSecond = Math.round(VOUCHERS / generated.seconds);
    log(describe('raw COPY', VOUCHERS, raw));
    log(describe('generation', VOUCHERS, generated));
    log(`order: ${generationFirst ? 'generation, then raw COPY' : 'raw COPY, then generation'}`);
    const ratio = perSecond / rawPerSecond;
    log(
      `load average after: ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    );
    log(
      `RESULT issuance vouchers_per_s=${perSecond} raw_copy_per_s=${rawPerSecond} ratio=${ratio.toFixed(2)} ` +
        `booklet_passes_per_s=${render.passesPerSecond} booklet_rss_mb=${render.rssMb}`,
    );
  } finally {
    await db.destroy();
    await dropTestDatabases();
  }
}

await main();
