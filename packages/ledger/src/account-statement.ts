import type { Db } from '@pass/db';
import type { Knex } from 'knex';
import { type AccountKind, naturalBalance, parseAccountCode } from './account-code';
import { rowsOf, toBigint, toDate, toIdString } from './db-values';
import { isIsoDate, type Side } from './entry';
import { ValidationError } from '@pass/errors';

/** One movement of an account statement; amounts in cents, `balance` in the account's natural sign. */
export interface StatementLine {
  entryId: string;
  /** Accounting date YYYY-MM-DD. */
  date: string;
  postedAt: Date;
  kind: string;
  reference: string;
  description: string | null;
  side: Side;
  amount: bigint;
  debit: bigint;
  credit: bigint;
  /** Running balance after this line. */
  balance: bigint;
}

/**
 * A statement of one account between two accounting dates (inclusive). All amounts are bigint cents in
 * `currency`; balances are in the account's natural sign (a payable reads positive when owed). Wrap them
 * with `Money.fromCents(amount, currency)` for display.
 */
export interface AccountStatement {
  account: string;
  kind: AccountKind;
  currency: string;
  from: string | null;
  to: string | null;
  opening: bigint;
  totalDebit: bigint;
  totalCredit: bigint;
  closing: bigint;
  lines: StatementLine[];
}

interface LineRow {
  entry_id: string;
  date: string;
  posted_at: Date | string;
  kind: string;
  reference: string;
  description: string | null;
  side: Side;
  amount: string;
}

async function readStatement(
  db: Db,
  code: string,
  from: string | null,
  to: string | null,
): Promise<AccountStatement> {
  const kind = parseAccountCode(code).kind;
  const account = rowsOf<{ id: string; currency: string }>(
    await db.raw('select id::text as id, currency from ledger.accounts where code = ?', [code]),
  )[0];
  const empty = { account: code, kind, from, to, totalDebit: 0n, totalCredit: 0n, lines: [] };
  if (!account) return { ...empty, currency: 'EUR', opening: 0n, closing: 0n };

  let opening = 0n;
  if (from !== null) {
    const before = rowsOf<{ debit: string; credit: string }>(
      await db.raw(
        `select coalesce(sum(l.amount_cents) filter (where l.side = 'debit'), 0)::text as debit,
                coalesce(sum(l.amount_cents) filter (where l.side = 'credit'), 0)::text as credit
           from ledger.lines l join ledger.entries e on e.id = l.entry_id
          where l.account_id = ? and e.effective_date < ?::date`,
        [account.id, from],
      ),
    )[0]!;
    opening = naturalBalance(kind, toBigint(before.debit), toBigint(before.credit));
  }
  const rows = rowsOf<LineRow>(
    await db.raw(
      `select e.id::text as entry_id, to_char(e.effective_date, 'YYYY-MM-DD') as date, e.posted_at, e.kind,
              e.reference, e.description, l.side, l.amount_cents::text as amount
         from ledger.lines l join ledger.entries e on e.id = l.entry_id
        where l.account_id = ?
          and (?::date is null or e.effective_date >= ?::date)
          and (?::date is null or e.effective_date <= ?::date)
        order by e.effective_date, e.id, l.line_no`,
      [account.id, from, from, to, to],
    ),
  );
  let balance = opening;
  let totalDebit = 0n;
  let totalCredit = 0n;
  const lines = rows.map((row): StatementLine => {
    const amount = toBigint(row.amount);
    const debit = row.side === 'debit' ? amount : 0n;
    const credit = row.side === 'credit' ? amount : 0n;
    totalDebit += debit;
    totalCredit += credit;
    balance += naturalBalance(kind, debit, credit);
    return {
      entryId: toIdString(row.entry_id),
      date: row.date,
      postedAt: toDate(row.posted_at),
      kind: row.kind,
      reference: row.reference,
      description: row.description,
      side: row.side,
      amount,
      debit,
      credit,
      balance,
    };
  });
  return { ...empty, currency: account.currency, opening, totalDebit, totalCredit, closing: balance, lines };
}

/**
 * The statement of an account between accounting dates `from` and `to` (YYYY-MM-DD, both inclusive,
 * both optional): opening balance, each line with its running balance, closing balance. Read in one
 * snapshot so the opening balance and the lines agree.
 */
export async function accountStatement(
  db: Db,
  code: string,
  range: { from?: string; to?: string } = {},
): Promise<AccountStatement> {
  for (const [path, value] of Object.entries(range)) {
    if (value !== undefined && !isIsoDate(value)) {
      throw new ValidationError([{ path, code: 'invalid_date', message: `${path} must be YYYY-MM-DD` }]);
    }
  }
  const from = range.from ?? null;
  const to = range.to ?? null;
  if ((db as Knex.Transaction).isTransaction) return readStatement(db, code, from, to);
  return (db as Knex).transaction((trx) => readStatement(trx, code, from, to), {
    isolationLevel: 'repeatable read',
    readOnly: true,
  });
}
