import type { Db } from '@pass/db';
import { type AccountPurpose, ACCOUNT_TYPES, naturalBalance, parseAccountCode } from './account-code';
import { rowsOf, toBigint } from './db-values';

/** Debit and credit totals of one account. */
export interface AccountTotals {
  code: string;
  debit: bigint;
  credit: bigint;
  /** In the account's natural sign (see `naturalBalance`). */
  balance: bigint;
}

// Checkpoint (sums through an entry id, stored by the sealer) plus the account's lines after it: an
// index-only range scan on lines (account_id, entry_id) that only covers entries not sealed yet. One
// statement, so the checkpoint and the lines come from the same snapshot.
const TOTALS_SQL = `
  select a.code,
         (coalesce(c.debit_cents, 0) + coalesce(t.debit, 0))::text as debit,
         (coalesce(c.credit_cents, 0) + coalesce(t.credit, 0))::text as credit
    from ledger.accounts a
    left join ledger.account_checkpoints c on c.account_id = a.id
    cross join lateral (
      select sum(l.amount_cents) filter (where l.side = 'debit') as debit,
             sum(l.amount_cents) filter (where l.side = 'credit') as credit
        from ledger.lines l
       where l.account_id = a.id and l.entry_id > coalesce(c.through_entry_id, 0)
    ) t
   where a.code = any(?::text[])`;

/** Debit and credit totals and natural balances of accounts; an account never used totals zero. */
export async function accountTotals(db: Db, codes: readonly string[]): Promise<Map<string, AccountTotals>> {
  const refs = [...new Set(codes)].map(parseAccountCode);
  const totals = new Map<string, AccountTotals>();
  for (const ref of refs) totals.set(ref.code, { code: ref.code, debit: 0n, credit: 0n, balance: 0n });
  if (refs.length === 0) return totals;
  const rows = rowsOf<{ code: string; debit: string; credit: string }>(
    await db.raw(TOTALS_SQL, [refs.map((ref) => ref.code)]),
  );
  for (const row of rows) {
    const kind = parseAccountCode(row.code).kind;
    const debit = toBigint(row.debit);
    const credit = toBigint(row.credit);
    totals.set(row.code, { code: row.code, debit, credit, balance: naturalBalance(kind, debit, credit) });
  }
  return totals;
}

/** Balances in cents of several accounts, in each account's natural sign (0n for an unused account). */
export async function balances(db: Db, codes: readonly string[]): Promise<Map<string, bigint>> {
  const totals = await accountTotals(db, codes);
  return new Map([...totals].map(([code, total]) => [code, total.balance]));
}

/**
 * Balance in cents of one account in its natural sign: credits minus debits for liabilities and revenue
 * (a funder's outstanding vouchers read positive), debits minus credits for the bank.
 */
export async function balance(db: Db, code: string): Promise<bigint> {
  return (await balances(db, [code])).get(parseAccountCode(code).code) ?? 0n;
}

/**
 * Balances of every account with a given purpose, keyed by owner id (null for operator accounts), in one
 * query: what an invariant check needs, e.g. all funders' `vouchers_outstanding` to compare with the face
 * value of their usable vouchers. Owners without an account are absent (their balance is zero).
 */
export async function balancesByPurpose(
  db: Db,
  purpose: AccountPurpose,
): Promise<Map<string | null, bigint>> {
  const type = ACCOUNT_TYPES.find((candidate) => candidate.purpose === purpose);
  if (!type) throw new TypeError(`Unknown account purpose ${purpose}`);
  const rows = rowsOf<{ owner_id: string | null; debit: string; credit: string }>(
    await db.raw(
      `select a.owner_id::text as owner_id,
              (coalesce(c.debit_cents, 0) + coalesce(t.debit, 0))::text as debit,
              (coalesce(c.credit_cents, 0) + coalesce(t.credit, 0))::text as credit
         from ledger.accounts a
         left join ledger.account_checkpoints c on c.account_id = a.id
        cross join lateral (
          select sum(l.amount_cents) filter (where l.side = 'debit') as debit,
                 sum(l.amount_cents) filter (where l.side = 'credit') as credit
            from ledger.lines l
           where l.account_id = a.id and l.entry_id > coalesce(c.through_entry_id, 0)
        ) t
        where a.purpose = ?`,
      [purpose],
    ),
  );
  return new Map(
    rows.map((row) => [row.owner_id, naturalBalance(type.kind, toBigint(row.debit), toBigint(row.credit))]),
  );
}
