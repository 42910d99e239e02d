import { type Db, preparedStatement } from '@pass/db';
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from '@pass/errors';
import { parseAccountCode } from './account-code';
import { type DbEntryColumns, rowsOf, toBigint, toDate, toIdOrNull, toIdString } from './db-values';
import {
  type EntryInput,
  oppositeSide,
  type PostedEntry,
  type PostedLine,
  sameEntryContent,
  type Side,
  type ValidEntry,
  validateEntry,
} from './entry';

// One round trip: ledger.post_entry resolves or creates the accounts and inserts the entry and its lines
// (see the migration). Its plans are cached per session, which plain statements would re-plan each time;
// the call itself is a named prepared statement (preparedStatement of @pass/db), parsed and planned once
// per connection: about 100 µs less server CPU per posting here.
const POST_ENTRY_SQL = `
  select status, entry_id::text as entry_id, to_char(effective_date, 'YYYY-MM-DD') as effective_date, posted_at,
         detail
    from ledger.post_entry(?, ?, ?, ?, ?, ?, ?::bigint, ?::date, ?::text[], ?::text[], ?::bigint[], ?::text[],
                           ?::text[], ?::uuid[], ?::text[])`;

interface PostEntryRow {
  status: 'posted' | 'conflict' | 'currency_mismatch';
  entry_id: string | null;
  effective_date: string | null;
  posted_at: Date | string | null;
  detail: string[] | null;
}

const postEntryStatement = preparedStatement<PostEntryRow>('ledger_post_entry', POST_ENTRY_SQL);

const SELECT_ENTRY_SQL = `
  select e.id::text as id, e.kind, e.reference, e.actor, e.description, e.currency, e.idempotency_key,
         e.reverses_entry_id::text as reverses_entry_id, e.effective_date::text as effective_date, e.posted_at,
         l.line_no, a.code as account, l.side, l.amount_cents::text as amount_cents
    from ledger.entries e
    join ledger.lines l on l.entry_id = e.id
    join ledger.accounts a on a.id = l.account_id`;

interface EntryLineRow extends DbEntryColumns {
  posted_at: Date | string;
  line_no: number | string;
  account: string;
  side: Side;
  amount_cents: string;
}

function entryFromRows(rows: EntryLineRow[]): PostedEntry | undefined {
  const first = rows[0];
  if (!first) return undefined;
  return {
    id: toIdString(first.id),
    kind: first.kind,
    reference: first.reference,
    actor: first.actor,
    description: first.description,
    currency: first.currency,
    idempotencyKey: first.idempotency_key,
    reversesEntryId: toIdOrNull(first.reverses_entry_id),
    effectiveDate: first.effective_date,
    postedAt: toDate(first.posted_at),
    lines: rows.map((row) => ({
      lineNo: Number(row.line_no),
      account: row.account,
      side: row.side,
      amount: toBigint(row.amount_cents),
    })),
    replayed: false,
  };
}

/** Reads one entry with its lines, or undefined. */
export async function getEntry(db: Db, entryId: string | bigint): Promise<PostedEntry | undefined> {
  const result = await db.raw(`${SELECT_ENTRY_SQL} where e.id = ? order by l.line_no`, [String(entryId)]);
  return entryFromRows(rowsOf<EntryLineRow>(result));
}

/** Reads the entry posted with an idempotency key, or undefined. */
export async function findEntryByIdempotencyKey(db: Db, key: string): Promise<PostedEntry | undefined> {
  const result = await db.raw(`${SELECT_ENTRY_SQL} where e.idempotency_key = ? order by l.line_no`, [key]);
  return entryFromRows(rowsOf<EntryLineRow>(result));
}

/** Reads the entry that reverses `entryId`, or undefined. */
export async function findReversalOf(db: Db, entryId: string | bigint): Promise<PostedEntry | undefined> {
  const result = await db.raw(`${SELECT_ENTRY_SQL} where e.reverses_entry_id = ? order by l.line_no`, [
    String(entryId),
  ]);
  return entryFromRows(rowsOf<EntryLineRow>(result));
}

async function insertEntry(db: Db, entry: ValidEntry, reversesEntryId: string | null): Promise<PostedEntry> {
  const refs = entry.lines.map((line) => parseAccountCode(line.account));
  // knex's binding types do not know that pg serialises null array elements as SQL NULL.
  const bindings: unknown[] = [
    entry.kind,
    entry.reference,
    entry.actor,
    entry.description,
    entry.currency,
    entry.idempotencyKey,
    reversesEntryId,
    entry.effectiveDate,
    refs.map((ref) => ref.code),
    entry.lines.map((line) => line.side),
    entry.lines.map((line) => line.amount.toString()),
    refs.map((ref) => ref.kind),
    refs.map((ref) => ref.ownerType),
    refs.map((ref) => ref.ownerId),
    refs.map((ref) => ref.purpose),
  ];
  const [row] = await postEntryStatement(db, bindings);
  if (row?.status === 'posted') {
    return {
      id: toIdString(row.entry_id),
      kind: entry.kind,
      reference: entry.reference,
      actor: entry.actor,
      description: entry.description,
      currency: entry.currency,
      idempotencyKey: entry.idempotencyKey,
      reversesEntryId,
      effectiveDate: row.effective_date!,
      postedAt: toDate(row.posted_at),
      lines: entry.lines.map((line): PostedLine => ({ ...line })),
      replayed: false,
    };
  }
  if (row?.status === 'currency_mismatch') {
    throw new ValidationError(
      (row.detail ?? []).map((code) => ({
        path: 'lines',
        code: 'currency_mismatch',
        message: `account ${code} is not kept in ${entry.currency}`,
      })),
      'The ledger entry mixes currencies.',
    );
  }
  return resolveConflict(db, entry, reversesEntryId);
}

async function resolveConflict(
  db: Db,
  entry: ValidEntry,
  reversesEntryId: string | null,
): Promise<PostedEntry> {
  if (entry.idempotencyKey !== null) {
    const existing = await findEntryByIdempotencyKey(db, entry.idempotencyKey);
    if (existing) {
      if (sameEntryContent(entry, existing) && existing.reversesEntryId === reversesEntryId) {
        return { ...existing, replayed: true };
      }
      throw new UnprocessableError(
        'idempotency_key_reused',
        'This idempotency key was already used for a different ledger entry.',
        { details: { entryId: existing.id } },
      );
    }
  }
  if (reversesEntryId !== null) {
    const reversal = await findReversalOf(db, reversesEntryId);
    if (reversal) {
      throw new ConflictError(
        'ledger_entry_already_reversed',
        'This ledger entry has already been reversed.',
        {
          details: { entryId: reversesEntryId, reversalId: reversal.id },
        },
      );
    }
  }
  // Only reachable when the conflicting row is invisible to a REPEATABLE READ snapshot.
  throw new ConflictError('retry', 'A concurrent ledger posting conflicted; please retry.');
}

/**
 * Posts a balanced entry inside the caller's transaction (pass the trx so the business change and its
 * entry commit or fail together). Accounts are created on first use. With an idempotency key already
 * used, returns the first entry (`replayed: true`) when the content matches, or throws a 422
 * `idempotency_key_reused` when it differs. Throws a ValidationError for an invalid entry.
 */
export async function post(trx: Db, input: EntryInput): Promise<PostedEntry> {
  return insertEntry(trx, validateEntry(input), null);
}

/** Options of `reverse`. */
export interface ReverseOptions {
  actor: string;
  /** Why the entry is cancelled (stored as the description). */
  reason: string;
  /** Kind of the reversing entry, `reversal` by default (e.g. `redemption_undone`, `payout_rejected`). */
  kind?: string;
  idempotencyKey?: string;
  effectiveDate?: string;
}

/**
 * Posts the entry that cancels `entryId`: same accounts and amounts with sides swapped, linked by
 * `reverses_entry_id`. An entry can be reversed once: a second attempt throws a 409
 * `ledger_entry_already_reversed` (a unique index backs this against concurrent attempts).
 */
export async function reverse(
  trx: Db,
  entryId: string | bigint,
  options: ReverseOptions,
): Promise<PostedEntry> {
  const original = await getEntry(trx, entryId);
  if (!original) throw new NotFoundError('ledger_entry_not_found', 'No such ledger entry.');
  const entry = validateEntry({
    kind: options.kind ?? 'reversal',
    reference: original.reference,
    actor: options.actor,
    description: options.reason,
    currency: original.currency,
    ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }),
    ...(options.effectiveDate === undefined ? {} : { effectiveDate: options.effectiveDate }),
    lines: original.lines.map((line) => ({
      account: line.account,
      side: oppositeSide(line.side),
      amount: line.amount,
    })),
  });
  return insertEntry(trx, entry, original.id);
}
