import type { Db } from '@pass/db';
import type { Knex } from 'knex';
import { type DbEntryColumns, rowsOf, toBigint, toIdOrNull, toIdString } from './db-values';
import type { Side } from './entry';
import { type AccountFields, copyEntryHashes, type EntryHashes, usesNodePostgres } from './entry-copy';
import { canonicalEntry, hashCanonicalLatin1 } from './entry-hash';

export type { AccountFields, EntryHashes } from './entry-copy';

/** Compares two decimal ids without leading zeros (cheaper than BigInt on the hot path). */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Options of `readEntryHashes`. */
export interface ReadHashesOptions {
  /**
   * Account codes already read during this run (see `AccountFields`); pass one map to every call of a
   * verification or sealing run so that accounts are read once.
   */
  accountFields?: AccountFields;
  /** 'copy' (binary COPY, node-postgres only) or 'query' (any driver). Default: copy when available. */
  via?: 'copy' | 'query';
}

/**
 * Ids and hashes of the entries with afterId < id <= throughId, in id order, each hash being SHA-256 of
 * `canonicalEntry` of the stored rows (entry, lines, account codes). Used by both the sealer and
 * `verifyChain`, so both always hash the same bytes. On PostgreSQL through node-postgres the rows come as
 * binary COPY and the canonical form is written from the bytes (entry-copy.ts); elsewhere (PGlite) rows
 * are read with ordinary queries and given to `canonicalEntry`. Tests hold the two to the same hashes.
 */
export async function readEntryHashes(
  db: Db,
  afterId: bigint,
  throughId: bigint,
  options: ReadHashesOptions = {},
): Promise<EntryHashes> {
  if ((options.via ?? 'copy') === 'copy' && usesNodePostgres(db)) {
    return copyEntryHashes(db, afterId, throughId, options.accountFields ?? new Map());
  }
  return queryEntryHashes(db, afterId, throughId);
}

interface EntryRow extends DbEntryColumns {
  posted_at_micros: string;
}

interface LineRow {
  entry_id: string;
  line_no: number | string;
  account: string;
  side: Side;
  amount_cents: string;
}

async function queryEntryHashes(db: Db, afterId: bigint, throughId: bigint): Promise<EntryHashes> {
  const range = [afterId.toString(), throughId.toString()];
  const readEntries = async () =>
    rowsOf<EntryRow>(
      await db.raw(
        `select e.id::text as id, e.kind, e.reference, e.actor, e.description, e.currency, e.idempotency_key,
                e.reverses_entry_id::text as reverses_entry_id,
                to_char(e.effective_date, 'YYYY-MM-DD') as effective_date,
                (extract(epoch from e.posted_at) * 1000000)::bigint::text as posted_at_micros
           from ledger.entries e
          where e.id > ? and e.id <= ?
          order by e.id`,
        range,
      ),
    );
  // A line whose account is gone hashes as `#unknown`, so it fails.
  const readLines = async () =>
    rowsOf<LineRow>(
      await db.raw(
        `select l.entry_id::text as entry_id, l.line_no, coalesce(a.code, '#unknown') as account, l.side,
                l.amount_cents::text as amount_cents
           from ledger.lines l
           left join ledger.accounts a on a.id = l.account_id
          where l.entry_id > ? and l.entry_id <= ?
          order by l.entry_id, l.line_no`,
        range,
      ),
    );
  // A transaction has one connection, which must not run two queries at once.
  const [entries, lines] = (db as Knex.Transaction).isTransaction
    ? [await readEntries(), await readLines()]
    : await Promise.all([readEntries(), readLines()]);
  const ids: string[] = [];
  const hashes: string[] = [];
  let next = 0;
  for (const entry of entries) {
    const id = toIdString(entry.id);
    // Lines of an entry that is gone are skipped: the chain then finds that entry missing.
    while (next < lines.length && compareIds(toIdString(lines[next]!.entry_id), id) < 0) next++;
    const own: LineRow[] = [];
    while (next < lines.length && toIdString(lines[next]!.entry_id) === id) own.push(lines[next++]!);
    ids.push(id);
    hashes.push(
      hashCanonicalLatin1(
        canonicalEntry({
          id,
          kind: entry.kind,
          reference: entry.reference,
          actor: entry.actor,
          description: entry.description,
          currency: entry.currency,
          idempotencyKey: entry.idempotency_key,
          reversesEntryId: toIdOrNull(entry.reverses_entry_id),
          effectiveDate: entry.effective_date,
          postedAtMicros: entry.posted_at_micros,
          lines: own.map((line) => ({
            lineNo: Number(line.line_no),
            account: line.account,
            side: line.side,
            amount: line.amount_cents,
          })),
        }),
      ),
    );
  }
  return { ids, hashes };
}

/** The id of the `count`-th entry after `afterId` (or the last one up to `throughId`), to cut a block. */
export async function nthEntryId(
  db: Db,
  afterId: bigint,
  throughId: bigint,
  count: number,
): Promise<bigint | null> {
  const rows = rowsOf<{ id: string }>(
    await db.raw(
      `select max(id)::text as id from (
         select e.id from ledger.entries e where e.id > ? and e.id <= ? order by e.id limit ?) page`,
      [afterId.toString(), throughId.toString(), count],
    ),
  );
  const id = rows[0]?.id;
  return id === null || id === undefined ? null : toBigint(id);
}
