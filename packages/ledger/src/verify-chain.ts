import type { Db } from '@pass/db';
import type { Knex } from 'knex';
import { rowsOf, toBigint, toBuffer, toDate, toIdString } from './db-values';
import { GENESIS_HASH, hashBlock } from './entry-hash';
import { type AccountFields, compareIds, type EntryHashes, readEntryHashes } from './entry-pages';
import { readSealState } from './seal';

/** The first place where the recomputed chain disagrees with what is stored. */
export interface BrokenLink {
  blockNo: string;
  /** The entry whose content, presence or position is wrong; null when the block row itself is wrong. */
  entryId: string | null;
  /** What the chain says (a stored hash in hex, or a description). */
  expected: string;
  /** What the database holds now (a recomputed hash in hex, or a description). */
  actual: string;
  reason:
    | 'entry_changed'
    | 'entry_missing'
    | 'entry_not_in_block'
    | 'block_hash_mismatch'
    | 'prev_hash_mismatch'
    | 'block_out_of_sequence';
}

/** Result of `verifyChain`. */
export interface VerifyResult {
  ok: boolean;
  entriesChecked: number;
  blocksChecked: number;
  /** Entries newer than the sealed prefix, not covered by the chain yet. */
  unsealedEntries: number;
  /** Hash of the last block checked (hex), the value to compare with a published root. */
  lastHash: string | null;
  firstBrokenLink?: BrokenLink;
}

interface BlockRow {
  block_no: string;
  after_entry_id: string;
  last_entry_id: string;
  entry_count: number | string;
  /** Space-separated ids: splitting a string is much cheaper than parsing a bigint[] literal. */
  entry_ids: string;
  entry_hashes: unknown;
  prev_hash: unknown;
  hash: unknown;
}

async function readBlocks(db: Db, fromBlockNo: bigint, limit: number): Promise<BlockRow[]> {
  return rowsOf<BlockRow>(
    await db.raw(
      `select b.block_no::text as block_no, b.after_entry_id::text as after_entry_id,
              b.last_entry_id::text as last_entry_id, b.entry_count, array_to_string(b.entry_ids, ' ') as entry_ids,
              b.entry_hashes, b.prev_hash, b.hash
         from ledger.blocks b
        where b.block_no >= ?
        order by b.block_no
        limit ?`,
      [fromBlockNo.toString(), limit],
    ),
  );
}

/** Blocks in order, a page at a time. */
async function* streamBlocks(db: Db, pageSize: number): AsyncGenerator<BlockRow> {
  let from = 1n;
  for (;;) {
    const page = await readBlocks(db, from, pageSize);
    yield* page;
    const last = page.at(-1);
    if (page.length < pageSize || !last) return;
    from = toBigint(last.block_no) + 1n;
  }
}

interface Chunk {
  blocks: BlockRow[];
  entries: () => Promise<EntryHashes>;
}

/**
 * Consecutive blocks grouped to about `chunkEntries` entries. With `lookahead` > 0 the entries of that
 * many following chunks are already being read and hashed (on other pooled connections) while the caller
 * checks the current one, so the database and Node work at the same time.
 */
async function* streamChunks(
  db: Db,
  chunkEntries: number,
  pageBlocks: number,
  lookahead: number,
): AsyncGenerator<Chunk> {
  const accountFields: AccountFields = new Map(); // account codes read once per run
  const queue: Chunk[] = [];
  const started: Promise<unknown>[] = [];
  const start = (group: BlockRow[]): Chunk => {
    const read = () =>
      readEntryHashes(db, toBigint(group[0]!.after_entry_id), toBigint(group.at(-1)!.last_entry_id), {
        accountFields,
      });
    if (lookahead === 0) return { blocks: group, entries: read };
    const entries = read();
    entries.catch(() => undefined); // awaited by the consumer; avoids an unhandled rejection meanwhile
    started.push(entries);
    return { blocks: group, entries: () => entries };
  };
  try {
    let group: BlockRow[] = [];
    let count = 0;
    for await (const block of streamBlocks(db, pageBlocks)) {
      group.push(block);
      count += Number(block.entry_count);
      if (count >= chunkEntries) {
        queue.push(start(group));
        group = [];
        count = 0;
        if (queue.length > lookahead) yield queue.shift()!;
      }
    }
    if (group.length > 0) queue.push(start(group));
    yield* queue;
  } finally {
    // Stopped early at a broken link: let the reads already sent finish before the caller closes the pool.
    await Promise.allSettled(started);
  }
}

const hex = (buffer: Buffer): string => buffer.toString('hex');
const latin1ToHex = (hash: string): string => Buffer.from(hash, 'latin1').toString('hex');

/** Options of `verifyChain`. */
export interface VerifyOptions {
  /** Entries read per chunk (whole blocks), default 5,000. */
  chunkEntries?: number;
  /** Block rows fetched per query, default 100. */
  pageBlocks?: number;
  /**
   * Chunks read ahead while the current one is checked, default 2 (0 inside a transaction). A chunk
   * takes two pooled connections while it is read (entries and lines).
   */
  lookahead?: number;
}

/**
 * Recomputes the chain from the database: every sealed entry's hash from its rows (entry, lines, account
 * codes), every block hash from its predecessor, and checks that no entry was removed from or slipped
 * into a sealed range. Stops at the first broken link and names it. Entries come in chunks of whole
 * blocks, as binary COPY on PostgreSQL (see entry-pages.ts); while one chunk is hashed the database
 * already sends the next ones.
 */
export async function verifyChain(db: Db, options: VerifyOptions = {}): Promise<VerifyResult> {
  // A transaction has a single connection, which must not run two queries at once.
  const lookahead = (db as Knex.Transaction).isTransaction ? 0 : (options.lookahead ?? 2);
  const sealedThrough = (await readSealState(db)).sealedThrough;
  let entriesChecked = 0;
  let blocksChecked = 0;
  let prevHash = GENESIS_HASH;
  let prevLast = 0n;
  let nextBlockNo = 1n;
  const finish = async (firstBrokenLink?: BrokenLink): Promise<VerifyResult> => {
    const covered = sealedThrough > prevLast ? sealedThrough : prevLast;
    const unsealed = rowsOf<{ count: string }>(
      await db.raw('select count(*)::text as count from ledger.entries e where e.id > ?', [
        covered.toString(),
      ]),
    )[0];
    return {
      ok: firstBrokenLink === undefined,
      entriesChecked,
      blocksChecked,
      unsealedEntries: Number(unsealed?.count ?? 0),
      lastHash: blocksChecked > 0 ? hex(prevHash) : null,
      ...(firstBrokenLink ? { firstBrokenLink } : {}),
    };
  };

  const chunks = streamChunks(db, options.chunkEntries ?? 5_000, options.pageBlocks ?? 100, lookahead);
  // Leaving the loop early (a broken link) closes the generator, which waits for its pending reads.
  for await (const chunk of chunks) {
    const entries = await chunk.entries();
    let cursor = 0;
    for (const block of chunk.blocks) {
      const blockNo = toBigint(block.block_no);
      const after = toBigint(block.after_entry_id);
      const last = block.last_entry_id;
      const storedHashes = toBuffer(block.entry_hashes);
      const storedIds = block.entry_ids === '' ? [] : block.entry_ids.split(' ');
      const storedHash = (position: number) => storedHashes.subarray(position * 32, position * 32 + 32);
      const broken = (link: Omit<BrokenLink, 'blockNo'>) => finish({ blockNo: blockNo.toString(), ...link });
      if (blockNo !== nextBlockNo || after !== prevLast) {
        return await broken({
          entryId: null,
          expected: `block ${nextBlockNo} after entry ${prevLast}`,
          actual: `block ${blockNo} after entry ${after}`,
          reason: 'block_out_of_sequence',
        });
      }
      if (!toBuffer(block.prev_hash).equals(prevHash)) {
        return await broken({
          entryId: null,
          expected: hex(prevHash),
          actual: hex(toBuffer(block.prev_hash)),
          reason: 'prev_hash_mismatch',
        });
      }
      // One character per byte: each recomputed hash is compared in place, without allocating a Buffer.
      const storedLatin1 = storedHashes.toString('latin1');
      let position = 0;
      for (; ; position++) {
        const entryId = entries.ids[cursor];
        const storedId = storedIds[position];
        if (entryId === undefined || compareIds(entryId, last) > 0) {
          if (storedId === undefined) break;
          return await broken({
            entryId: storedId,
            expected: hex(storedHash(position)),
            actual: 'missing',
            reason: 'entry_missing',
          });
        }
        const hash = entries.hashes[cursor]!;
        if (storedId !== entryId) {
          // Ids ascend on both sides: the smaller one is the odd one out.
          if (storedId === undefined || compareIds(entryId, storedId) < 0) {
            return await broken({
              entryId,
              expected: 'no entry',
              actual: latin1ToHex(hash),
              reason: 'entry_not_in_block',
            });
          }
          return await broken({
            entryId: storedId,
            expected: hex(storedHash(position)),
            actual: 'missing',
            reason: 'entry_missing',
          });
        }
        if (!storedLatin1.startsWith(hash, position * 32)) {
          return await broken({
            entryId,
            expected: hex(storedHash(position)),
            actual: latin1ToHex(hash),
            reason: 'entry_changed',
          });
        }
        cursor++;
        entriesChecked++;
      }
      // Every entry of the block was found in order and its recomputed hash equals the stored one, so
      // the first `position` stored hashes are byte for byte the recomputed ones.
      const recomputed = storedHashes.subarray(0, position * 32);
      const hash = hashBlock(blockNo, prevHash, recomputed);
      if (!hash.equals(toBuffer(block.hash))) {
        return await broken({
          entryId: null,
          expected: hex(toBuffer(block.hash)),
          actual: hex(hash),
          reason: 'block_hash_mismatch',
        });
      }
      prevHash = hash;
      prevLast = toBigint(last);
      nextBlockNo = blockNo + 1n;
      blocksChecked++;
    }
  }
  // Past the last block and up to the sealer's cursor there were only gaps (aborted ids): nothing may be there.
  if (sealedThrough > prevLast) {
    const intruders = await readEntryHashes(db, prevLast, sealedThrough);
    const intruder = intruders.ids[0];
    if (intruder !== undefined) {
      return finish({
        blockNo: nextBlockNo.toString(),
        entryId: intruder,
        expected: 'no entry',
        actual: latin1ToHex(intruders.hashes[0]!),
        reason: 'entry_not_in_block',
      });
    }
  }
  return finish();
}

/** A block hash to publish (the daily root given to funders). */
export interface ChainRoot {
  blockNo: string;
  hash: string;
  lastEntryId: string;
  sealedAt: Date;
}

/** The latest block hash (hex), or the latest sealed at or before `at`: the daily root to publish. */
export async function latestRoot(db: Db, options: { at?: Date } = {}): Promise<ChainRoot | undefined> {
  const at = options.at ? options.at.toISOString() : null;
  const row = rowsOf<{ block_no: string; hash: unknown; last_entry_id: string; sealed_at: Date | string }>(
    await db.raw(
      `select b.block_no::text as block_no, b.hash, b.last_entry_id::text as last_entry_id, b.sealed_at
         from ledger.blocks b
        where ?::timestamptz is null or b.sealed_at <= ?::timestamptz
        order by b.block_no desc limit 1`,
      [at, at],
    ),
  )[0];
  if (!row) return undefined;
  return {
    blockNo: toIdString(row.block_no),
    hash: hex(toBuffer(row.hash)),
    lastEntryId: toIdString(row.last_entry_id),
    sealedAt: toDate(row.sealed_at),
  };
}
