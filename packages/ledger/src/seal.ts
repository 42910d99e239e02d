import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '@pass/db';
import type { Knex } from 'knex';
import { rowsOf, toBigint, toBuffer } from './db-values';
import { GENESIS_HASH, hashBlock } from './entry-hash';
import { type AccountFields, type EntryHashes, nthEntryId, readEntryHashes } from './entry-pages';
import { POSTING_LOCK } from './ledger-migrations';

interface SealState {
  sealedThrough: bigint;
  pendingThrough: bigint | null;
  pendingHolders: string[] | null;
}

/** Reads the sealer's cursor (one row). */
export async function readSealState(db: Db, forUpdate = false): Promise<SealState> {
  const row = rowsOf<{ sealed: string; pending: string | null; holders: string[] | null }>(
    await db.raw(
      `select sealed_through_entry_id::text as sealed, pending_through_entry_id::text as pending,
              pending_holders as holders
         from ledger.seal_state ${forUpdate ? 'for update' : ''}`,
    ),
  )[0];
  if (!row) throw new Error('ledger.seal_state has no row: run the ledger migrations');
  return {
    sealedThrough: toBigint(row.sealed),
    pendingThrough: row.pending === null ? null : toBigint(row.pending),
    pendingHolders: row.holders,
  };
}

/** What one call of `sealPending` did. */
export interface SealResult {
  sealedEntries: number;
  blocks: number;
  sealedThroughEntryId: string;
  /** True when newer entries exist that cannot be sealed yet (a writing transaction is still open). */
  waiting: boolean;
}

/** Options of `sealPending`. */
export interface SealOptions {
  /** Stop after sealing about this many entries so the call stays short; run it again. Default 10,000. */
  maxEntries?: number;
  /** Entries per block, default 1,000. */
  blockSize?: number;
  /** How long to wait for open writing transactions to finish before giving up this round. Default 0. */
  waitMs?: number;
}

type Horizon = { state: SealState; ripe: boolean };

// Holders of the posting lock in this database (see ledger.next_entry_id in the migration).
const HOLDERS_SQL = `
  select l.virtualtransaction
    from pg_locks l
   where l.locktype = 'advisory' and l.granted
     and l.database = (select oid from pg_database where datname = current_database())
     and l.classid = ${POSTING_LOCK[0]} and l.objid = ${POSTING_LOCK[1]} and l.objsubid = 2`;

/**
 * The pending horizon is the last entry id handed out, read just before listing the transactions that
 * hold the posting lock. A transaction holding an id at or below it took the lock before taking the id,
 * so it is in that list if it still runs; once none of them runs any more, no entry at or below the
 * horizon can still appear, and the prefix can be sealed in id order without ever needing an insertion
 * in the middle of the chain. Unrelated transactions of the cluster do not delay it.
 */
async function horizon(knex: Knex): Promise<Horizon | undefined> {
  let state = await readSealState(knex);
  if (state.pendingThrough === null || state.pendingThrough <= state.sealedThrough) {
    const seq = rowsOf<{ last: string }>(
      await knex.raw(
        'select (case when is_called then last_value else 0 end)::text as last from ledger.entry_id_seq',
      ),
    )[0];
    const last = toBigint(seq?.last ?? '0');
    if (last <= state.sealedThrough) return undefined;
    // A separate statement, so the list is read after the sequence.
    const holders = rowsOf<{ virtualtransaction: string }>(await knex.raw(HOLDERS_SQL)).map(
      (row) => row.virtualtransaction,
    );
    await knex.raw(
      `update ledger.seal_state
          set pending_through_entry_id = ?, pending_holders = ?::text[], updated_at = now()
        where sealed_through_entry_id = ? and pending_through_entry_id is not distinct from ?::bigint`,
      [last.toString(), holders, state.sealedThrough.toString(), state.pendingThrough?.toString() ?? null],
    );
    state = await readSealState(knex);
    if (state.pendingThrough === null) return undefined;
  }
  const holders = state.pendingHolders ?? [];
  if (holders.length === 0) return { state, ripe: true };
  const running = rowsOf<{ virtualtransaction: string }>(
    await knex.raw(`${HOLDERS_SQL} and l.virtualtransaction = any(?::text[]) limit 1`, [holders]),
  );
  return { state, ripe: running.length === 0 };
}

async function ripeHorizon(knex: Knex, waitMs: number): Promise<Horizon | undefined> {
  const deadline = performance.now() + waitMs;
  for (;;) {
    const current = await horizon(knex);
    if (!current || current.ripe || performance.now() >= deadline) return current;
    await sleep(10);
  }
}

/**
 * Seals entries into SHA-256 blocks, oldest first, in short transactions, and moves the checkpoint
 * balances forward. Call it from a scheduled job, never from the redemption path. Takes the root knex,
 * not a transaction: it runs its own short transactions, and a caller's transaction that posted would
 * hold the very lock the sealer waits on.
 */
export async function sealPending(knex: Knex, options: SealOptions = {}): Promise<SealResult> {
  if ((knex as Knex.Transaction).isTransaction) {
    throw new Error('sealPending needs the root knex, not a transaction');
  }
  const maxEntries = options.maxEntries ?? 10_000;
  const blockSize = Math.max(1, Math.min(options.blockSize ?? 1000, maxEntries));
  let sealedEntries = 0;
  let blocks = 0;
  let waiting = false;
  const accountFields: AccountFields = new Map();
  while (sealedEntries < maxEntries) {
    const current = await ripeHorizon(knex, options.waitMs ?? 0);
    if (!current) break;
    if (!current.ripe) {
      waiting = true;
      break;
    }
    const sealed = await knex.transaction(async (trx) => {
      const state = await readSealState(trx, true);
      // Another sealer moved on meanwhile: start over from what it left.
      if (state.pendingThrough === null || state.pendingThrough !== current.state.pendingThrough) return -1;
      const upper = await nthEntryId(trx, state.sealedThrough, state.pendingThrough, blockSize);
      if (upper === null) {
        await trx.raw('update ledger.seal_state set sealed_through_entry_id = ?, updated_at = now()', [
          state.pendingThrough.toString(),
        ]);
        return 0;
      }
      const entries = await readEntryHashes(trx, state.sealedThrough, upper, { accountFields });
      await writeBlock(trx, state.sealedThrough, upper, entries);
      return entries.ids.length;
    });
    if (sealed > 0) {
      sealedEntries += sealed;
      blocks++;
    }
  }
  const state = await readSealState(knex);
  return { sealedEntries, blocks, sealedThroughEntryId: state.sealedThrough.toString(), waiting };
}

async function writeBlock(trx: Db, afterId: bigint, lastId: bigint, entries: EntryHashes): Promise<void> {
  const previous = rowsOf<{ block_no: string; hash: unknown; last_entry_id: string }>(
    await trx.raw(
      `select b.block_no::text as block_no, b.hash, b.last_entry_id::text as last_entry_id
         from ledger.blocks b order by b.block_no desc limit 1`,
    ),
  )[0];
  const blockNo = previous ? toBigint(previous.block_no) + 1n : 1n;
  const prevHash = previous ? toBuffer(previous.hash) : GENESIS_HASH;
  // Blocks tile the id space: this one starts where the previous one ended, the ids in between having been
  // found empty (aborted transactions) when the cursor moved over them.
  const blockAfter = previous ? toBigint(previous.last_entry_id) : 0n;
  const entryHashes = Buffer.from(entries.hashes.join(''), 'latin1');
  await trx.raw(
    `insert into ledger.blocks
       (block_no, after_entry_id, last_entry_id, entry_count, entry_ids, entry_hashes, prev_hash, hash)
     values (?, ?, ?, ?, ?::bigint[], ?, ?, ?)`,
    [
      blockNo.toString(),
      blockAfter.toString(),
      lastId.toString(),
      entries.ids.length,
      entries.ids,
      entryHashes,
      prevHash,
      hashBlock(blockNo, prevHash, entryHashes),
    ],
  );
  // Checkpoints: per account, this block's debits and credits added to what earlier blocks sealed.
  // Rows are upserted in account order so two sealers could never deadlock (one runs at a time anyway).
  await trx.raw(
    `insert into ledger.account_checkpoints as c (account_id, through_entry_id, debit_cents, credit_cents)
     select l.account_id, ?::bigint,
            coalesce(sum(l.amount_cents) filter (where l.side = 'debit'), 0),
            coalesce(sum(l.amount_cents) filter (where l.side = 'credit'), 0)
       from ledger.lines l
      where l.entry_id > ? and l.entry_id <= ?
      group by l.account_id
      order by l.account_id
     on conflict (account_id) do update
        set through_entry_id = excluded.through_entry_id,
            debit_cents = c.debit_cents + excluded.debit_cents,
            credit_cents = c.credit_cents + excluded.credit_cents,
            updated_at = now()`,
    [lastId.toString(), afterId.toString(), lastId.toString()],
  );
  await trx.raw('update ledger.seal_state set sealed_through_entry_id = ?, updated_at = now()', [
    lastId.toString(),
  ]);
}
