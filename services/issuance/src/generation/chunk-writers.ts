import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Knex } from 'knex';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { LookupHasher } from './lookup-hasher';
import type { TupleProducer } from './tuple-producer';
import { copyHeader, copyTrailer, deriveLookupHashes, VOUCHER_COPY_COLUMNS } from './voucher-rows';

/** What a chunk writer needs to know about the batch being generated. */
export interface GenerationTarget {
  batchId: string;
  seed: Buffer;
  hasher: LookupHasher;
  /** Encodes COPY rows (PostgreSQL), possibly in a worker thread. */
  producer: TupleProducer;
}

/** Test hooks that simulate a worker dying at a given point. */
export interface GenerationFaults {
  /** Called before each group of rows is written inside a chunk; throwing aborts the chunk's transaction. */
  beforeRows?(firstSerial: number): void;
}

/**
 * Writes the next chunk of passes of a batch and moves issuance.generations.generated in the SAME
 * transaction, under a row lock on that progress row. So the counter is exact, a chunk is all or nothing,
 * two workers on one batch take turns, and a retry resumes at `generated + 1`: exactly N passes, serials
 * 1..N, no duplicate (unique (batch_id, serial) as the last line of defence), no gap.
 */
export interface ChunkWriter {
  /** Writes up to `chunkSize` passes; returns the generated count after the chunk (= total when done). */
  writeNextChunk(
    target: GenerationTarget,
    chunkSize: number,
    now: Date,
  ): Promise<{ generated: number; total: number }>;
}

/** True when knex runs on embedded PGlite (one connection, no COPY FROM STDIN). */
export function isPglite(knex: Knex): boolean {
  return Boolean((knex.client as { pglite?: unknown }).pglite);
}

// Rows encoded per write to the COPY stream: small enough to keep the server fed while we compute the
// next group, large enough that per-write overhead stays negligible.
const COPY_GROUP = 2000;

interface PoolClient {
  acquireConnection(): Promise<pg.Client>;
  releaseConnection(connection: pg.Client): Promise<void>;
}

/**
 * PostgreSQL: binary COPY (pg-copy-streams) on a connection of the pool, in an explicit transaction. Rows
 * are derived and hashed on this thread in groups while the server ingests the previous group, so code
 * generation overlaps the COPY instead of adding to it.
 */
export class PostgresChunkWriter implements ChunkWriter {
  constructor(
    private readonly knex: Knex,
    private readonly faults: GenerationFaults = {},
  ) {}

  async writeNextChunk(target: GenerationTarget, chunkSize: number, now: Date) {
    const client = this.knex.client as unknown as PoolClient;
    const connection = await client.acquireConnection();
    let usable = true;
    try {
      await connection.query('begin');
      const locked = await connection.query<{ generated: number; total: number }>(
        'select generated, total from issuance.generations where batch_id = $1 for update',
        [target.batchId],
      );
      const progress = locked.rows[0];
      if (!progress) throw new Error(`no generation row for batch ${target.batchId}`);
      const start = Number(progress.generated);
      const total = Number(progress.total);
      const end = Math.min(start + chunkSize, total);
      if (end > start) {
        await this.copyRows(connection, target, start + 1, end - start);
        await connection.query(
          'update issuance.generations set generated = $2, updated_at = $3 where batch_id = $1',
          [target.batchId, end, now],
        );
      }
      await connection.query('commit');
      return { generated: end, total };
    } catch (error) {
      try {
        await connection.query('rollback');
      } catch {
        usable = false;
      }
      throw error;
    } finally {
      // A connection that cannot even roll back is handed back marked for disposal (knex's own flag).
      if (!usable) (connection as unknown as { __knex__disposed?: unknown }).__knex__disposed = true;
      await client.releaseConnection(connection);
    }
  }

  private async copyRows(
    connection: pg.Client,
    target: GenerationTarget,
    firstSerial: number,
    count: number,
  ) {
    const stream = connection.query(
      copyFrom(`copy vouchers.vouchers ${VOUCHER_COPY_COLUMNS} from stdin with (format binary)`),
    );
    const finished = new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
    });
    finished.catch(() => {});
    const groupAt = (offset: number) =>
      target.producer.produce(firstSerial + offset, Math.min(COPY_GROUP, count - offset));
    let next: Promise<Buffer> | undefined = groupAt(0);
    try {
      stream.write(copyHeader());
      for (let offset = 0; offset < count; offset += COPY_GROUP) {
        const rows: Buffer = await next!;
        // Ask for the following group before writing this one: it is encoded while this one streams.
        next = offset + COPY_GROUP < count ? groupAt(offset + COPY_GROUP) : undefined;
        next?.catch(() => {});
        this.faults.beforeRows?.(firstSerial + offset);
        if (!stream.write(rows)) {
          await new Promise<void>((resolve, reject) => {
            stream.once('drain', resolve);
            stream.once('error', reject);
          });
        } else {
          // Let requests and other jobs of this process run between groups.
          await yieldToEventLoop();
        }
      }
      stream.end(copyTrailer());
    } catch (error) {
      // Sends CopyFail: the server aborts the COPY and the transaction, which the caller rolls back.
      stream.destroy(error instanceof Error ? error : new Error(String(error)));
      await finished.catch(() => {});
      await next?.catch(() => {});
      throw error;
    }
    await finished;
    // The server's own count: with unique (batch_id, serial) it proves this chunk added exactly serials
    // firstSerial..firstSerial+count-1, so the committed counter always equals the passes stored.
    if (stream.rowCount !== count) throw new Error(`COPY stored ${stream.rowCount} rows, ${count} expected`);
  }
}

/**
 * Embedded PGlite: multi-row INSERTs in small transactions, one chunk each, yielding between chunks so the
 * single shared connection keeps serving requests while a large batch is generated.
 */
export class PgliteChunkWriter implements ChunkWriter {
  constructor(
    private readonly knex: Knex,
    private readonly faults: GenerationFaults = {},
  ) {}

  async writeNextChunk(target: GenerationTarget, chunkSize: number, now: Date) {
    const result = await this.knex.transaction(async (trx) => {
      const progress = await trx('issuance.generations')
        .where({ batch_id: target.batchId })
        .forUpdate()
        .first<{ generated: number; total: number } | undefined>('generated', 'total');
      if (!progress) throw new Error(`no generation row for batch ${target.batchId}`);
      const start = Number(progress.generated);
      const total = Number(progress.total);
      const end = Math.min(start + chunkSize, total);
      if (end > start) {
        this.faults.beforeRows?.(start + 1);
        const count = end - start;
        const hashes = deriveLookupHashes(target.seed, target.hasher, start + 1, count);
        const serials = Array.from({ length: count }, (_, i) => start + 1 + i);
        const hexes = serials.map((_, i) => hashes.toString('hex', 32 * i, 32 * i + 32));
        await trx.raw(
          `insert into vouchers.vouchers ${VOUCHER_COPY_COLUMNS}
           select ?::uuid, t.serial, decode(t.hash, 'hex') from unnest(?::int[], ?::text[]) as t (serial, hash)`,
          [target.batchId, serials, hexes],
        );
        const stored = await trx('vouchers.vouchers')
          .where({ batch_id: target.batchId })
          .whereBetween('serial', [start + 1, end])
          .count<{ count: string | number }[]>('* as count');
        if (Number(stored[0]?.count) !== count)
          throw new Error(`chunk stored ${stored[0]?.count} rows, ${count} expected`);
        await trx('issuance.generations')
          .where({ batch_id: target.batchId })
          .update({ generated: end, updated_at: now });
      }
      return { generated: end, total };
    });
    await yieldToEventLoop();
    return result;
  }
}
