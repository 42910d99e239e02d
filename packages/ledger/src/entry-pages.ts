import type { Db } from '@pass/db';
import { rowsOf, toBigint } from './db-values';
import { ENTRY_CANONICAL_SQL } from './entry-hash';

/** An entry as the chain sees it: its id and its canonical form (see entry-hash.ts). */
export interface CanonicalEntry {
  id: string;
  canonical: string;
}

// Both tables are bounded by the id range, so the join is two range scans on primary keys.
const RANGE_SQL = `
  select e.id::text, ${ENTRY_CANONICAL_SQL}
    from ledger.entries e
    left join ledger.lines l on l.entry_id = e.id and l.entry_id > ? and l.entry_id <= ?
    left join ledger.accounts a on a.id = l.account_id
   where e.id > ? and e.id <= ?
   group by e.id
   order by e.id`;

/** Canonical forms of the entries with afterId < id <= throughId, in id order. */
export async function readCanonicalEntries(
  db: Db,
  afterId: bigint,
  throughId: bigint,
): Promise<CanonicalEntry[]> {
  const after = afterId.toString();
  const through = throughId.toString();
  const result = await db.raw(RANGE_SQL, [after, through, after, through]).options({ rowMode: 'array' });
  return rowsOf<[string, string]>(result).map((row) => ({ id: String(row[0]), canonical: row[1] }));
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
