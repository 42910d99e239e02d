import type { Db } from '@pass/db';
import { Money } from '@pass/money';
import type { Knex } from 'knex';
import { tryParseAccountCode } from './account-code';
import { rowsOf, toBigint } from './db-values';
import { verifyChain } from './verify-chain';

/** One problem found by a check; `rows` carries the offending data for the JSON report. */
export interface CheckProblem {
  message: string;
  rows?: unknown[];
}

/** What a check returns. */
export interface CheckResult {
  ok: boolean;
  summary: string;
  problems: CheckProblem[];
}

/**
 * An invariant check. Services register their own (per funder: outstanding equals the face value of usable
 * vouchers; per association: payable equals redeemed-and-unpaid) and `ledger:check` runs them all.
 * `run` gets a read-only REPEATABLE READ transaction, so the ledger and the service's tables are compared
 * as of one instant.
 */
export interface LedgerCheck {
  name: string;
  run(db: Db): Promise<CheckResult>;
}

/** A check's result with its name and duration; a check that throws is reported as failed. */
export interface CheckOutcome extends CheckResult {
  name: string;
  durationMs: number;
}

/** The result of `runLedgerChecks`. */
export interface CheckReport {
  ok: boolean;
  startedAt: Date;
  durationMs: number;
  checks: CheckOutcome[];
}

const PROBLEM_LIMIT = 20;

const cents = (value: unknown, currency = 'EUR') => Money.fromCents(toBigint(value), currency).toString();

/** Every entry has two or more lines on known accounts of its currency, and its debits equal its credits. */
export const entriesBalancedCheck: LedgerCheck = {
  name: 'entries_balanced',
  async run(db) {
    const rows = rowsOf<{
      id: string;
      currency: string;
      lines: string;
      debit: string;
      credit: string;
      unknown_accounts: string;
      other_currency: string;
    }>(
      await db.raw(
        `select e.id::text as id, e.currency, count(l.entry_id)::text as lines,
                coalesce(sum(l.amount_cents) filter (where l.side = 'debit'), 0)::text as debit,
                coalesce(sum(l.amount_cents) filter (where l.side = 'credit'), 0)::text as credit,
                (count(l.entry_id) - count(a.id))::text as unknown_accounts,
                count(a.id) filter (where a.currency <> e.currency)::text as other_currency
           from ledger.entries e
           left join ledger.lines l on l.entry_id = e.id
           left join ledger.accounts a on a.id = l.account_id
          group by e.id
         having count(l.entry_id) < 2
             or coalesce(sum(case when l.side = 'debit' then l.amount_cents else -l.amount_cents end), 0) <> 0
             or count(a.id) <> count(l.entry_id)
             or count(a.id) filter (where a.currency <> e.currency) > 0
          order by e.id
          limit ?`,
        [PROBLEM_LIMIT + 1],
      ),
    );
    const total = await countEntries(db);
    if (rows.length === 0) {
      return {
        ok: true,
        summary: `${total} entries, each with 2+ lines and debits equal to credits`,
        problems: [],
      };
    }
    return {
      ok: false,
      summary: `${rows.length > PROBLEM_LIMIT ? `more than ${PROBLEM_LIMIT}` : rows.length} of ${total} entries are invalid`,
      problems: rows.slice(0, PROBLEM_LIMIT).map((row) => ({
        message:
          `entry ${row.id}: ${row.lines} line(s), debits ${cents(row.debit, row.currency)}, ` +
          `credits ${cents(row.credit, row.currency)}` +
          (row.unknown_accounts !== '0' ? `, ${row.unknown_accounts} line(s) on unknown accounts` : '') +
          (row.other_currency !== '0'
            ? `, ${row.other_currency} line(s) on accounts of another currency`
            : ''),
        rows: [row],
      })),
    };
  },
};

/** Per currency, all debits equal all credits: the books sum to zero. */
export const booksBalancedCheck: LedgerCheck = {
  name: 'books_sum_to_zero',
  async run(db) {
    const rows = rowsOf<{ currency: string; debit: string; credit: string }>(
      await db.raw(
        `select a.currency,
                coalesce(sum(l.amount_cents) filter (where l.side = 'debit'), 0)::text as debit,
                coalesce(sum(l.amount_cents) filter (where l.side = 'credit'), 0)::text as credit
           from ledger.lines l join ledger.accounts a on a.id = l.account_id
          group by a.currency
          order by a.currency`,
      ),
    );
    const wrong = rows.filter((row) => row.debit !== row.credit);
    const totals =
      rows.map((row) => `${cents(row.debit, row.currency)} ${row.currency}`).join(', ') || 'no lines';
    if (wrong.length === 0) return { ok: true, summary: `debits equal credits (${totals})`, problems: [] };
    return {
      ok: false,
      summary: `the books do not sum to zero in ${wrong.map((row) => row.currency).join(', ')}`,
      problems: wrong.map((row) => ({
        message:
          `${row.currency}: debits ${cents(row.debit, row.currency)}, credits ${cents(row.credit, row.currency)}, ` +
          `difference ${cents(toBigint(row.debit) - toBigint(row.credit), row.currency)}`,
        rows: [row],
      })),
    };
  },
};

/** Each reversal has exactly the lines of the entry it reverses with the sides swapped. */
export const reversalsExactCheck: LedgerCheck = {
  name: 'reversals_exact',
  async run(db) {
    const rows = rowsOf<{ id: string; reverses: string }>(
      await db.raw(
        `select r.id::text as id, r.reverses_entry_id::text as reverses
           from ledger.entries r
           join ledger.entries o on o.id = r.reverses_entry_id
          where r.currency <> o.currency
             or (select array_agg(row(l.account_id, l.side, l.amount_cents)::text order by l.account_id, l.side, l.amount_cents)
                   from ledger.lines l where l.entry_id = r.id)
                is distinct from
                (select array_agg(row(l.account_id, case l.side when 'debit' then 'credit' else 'debit' end, l.amount_cents)::text
                                  order by l.account_id, case l.side when 'debit' then 'credit' else 'debit' end, l.amount_cents)
                   from ledger.lines l where l.entry_id = o.id)
          order by r.id
          limit ?`,
        [PROBLEM_LIMIT],
      ),
    );
    const total = rowsOf<{ n: string }>(
      await db.raw('select count(*)::text as n from ledger.entries where reverses_entry_id is not null'),
    )[0]?.n;
    if (rows.length === 0)
      return { ok: true, summary: `${total ?? 0} reversals mirror their originals`, problems: [] };
    return {
      ok: false,
      summary: `${rows.length} reversal(s) do not mirror the entry they reverse`,
      problems: rows.map((row) => ({
        message: `entry ${row.id} does not mirror entry ${row.reverses}`,
        rows: [row],
      })),
    };
  },
};

/** The checkpoint balances stored by the sealer equal the sums of the lines they claim to cover. */
export const checkpointsCheck: LedgerCheck = {
  name: 'checkpoints_match_lines',
  async run(db) {
    const rows = rowsOf<{
      code: string;
      stored_debit: string;
      stored_credit: string;
      debit: string;
      credit: string;
    }>(
      await db.raw(
        `select a.code, c.debit_cents::text as stored_debit, c.credit_cents::text as stored_credit,
                s.debit::text as debit, s.credit::text as credit
           from ledger.account_checkpoints c
           join ledger.accounts a on a.id = c.account_id
          cross join lateral (
            select coalesce(sum(l.amount_cents) filter (where l.side = 'debit'), 0) as debit,
                   coalesce(sum(l.amount_cents) filter (where l.side = 'credit'), 0) as credit
              from ledger.lines l
             where l.account_id = c.account_id and l.entry_id <= c.through_entry_id) s
          where s.debit <> c.debit_cents or s.credit <> c.credit_cents
          order by a.code
          limit ?`,
        [PROBLEM_LIMIT],
      ),
    );
    if (rows.length === 0)
      return { ok: true, summary: 'checkpoint balances equal their lines', problems: [] };
    return {
      ok: false,
      summary: `${rows.length} checkpoint balance(s) disagree with the lines (balances read wrong)`,
      problems: rows.map((row) => ({
        message:
          `${row.code}: checkpoint debits ${cents(row.stored_debit)} / credits ${cents(row.stored_credit)}, ` +
          `lines ${cents(row.debit)} / ${cents(row.credit)}`,
        rows: [row],
      })),
    };
  },
};

/** Every stored account has a code the ledger knows, with the kind that code implies. */
export const accountsWellFormedCheck: LedgerCheck = {
  name: 'accounts_well_formed',
  async run(db) {
    const rows = rowsOf<{
      code: string;
      kind: string;
      owner_type: string;
      owner_id: string | null;
      purpose: string;
    }>(
      await db.raw('select code, kind, owner_type, owner_id::text as owner_id, purpose from ledger.accounts'),
    );
    const wrong = rows.filter((row) => {
      const ref = tryParseAccountCode(row.code);
      return (
        !ref ||
        ref.kind !== row.kind ||
        ref.ownerType !== row.owner_type ||
        ref.ownerId !== row.owner_id ||
        ref.purpose !== row.purpose
      );
    });
    if (wrong.length === 0) return { ok: true, summary: `${rows.length} accounts`, problems: [] };
    return {
      ok: false,
      summary: `${wrong.length} account(s) do not match their code`,
      problems: wrong.slice(0, PROBLEM_LIMIT).map((row) => ({ message: `account ${row.code}`, rows: [row] })),
    };
  },
};

/** The sealed hash chain recomputes to the stored hashes. */
export const chainIntactCheck: LedgerCheck = {
  name: 'chain_intact',
  async run(db) {
    const result = await verifyChain(db);
    if (result.ok) {
      return {
        ok: true,
        summary:
          `${result.entriesChecked} sealed entries in ${result.blocksChecked} blocks verified` +
          (result.unsealedEntries > 0 ? `, ${result.unsealedEntries} not sealed yet` : ''),
        problems: [],
      };
    }
    const link = result.firstBrokenLink!;
    return {
      ok: false,
      summary: `the hash chain is broken at block ${link.blockNo}`,
      problems: [{ message: describeBrokenLink(link), rows: [link] }],
    };
  },
};

/** The checks of the ledger itself, in the order they run. */
export const builtInLedgerChecks: readonly LedgerCheck[] = Object.freeze([
  accountsWellFormedCheck,
  entriesBalancedCheck,
  booksBalancedCheck,
  reversalsExactCheck,
  checkpointsCheck,
  chainIntactCheck,
]);

async function countEntries(db: Db): Promise<string> {
  return rowsOf<{ n: string }>(await db.raw('select count(*)::text as n from ledger.entries'))[0]?.n ?? '0';
}

/** A readable sentence for a broken link of the chain. */
export function describeBrokenLink(link: {
  blockNo: string;
  entryId: string | null;
  expected: string;
  actual: string;
  reason: string;
}): string {
  const where =
    link.entryId === null ? `block ${link.blockNo}` : `entry ${link.entryId} (block ${link.blockNo})`;
  const what: Record<string, string> = {
    entry_changed: 'was changed after sealing',
    entry_missing: 'was deleted after sealing',
    entry_not_in_block: 'appeared in a range that was already sealed',
    block_hash_mismatch: 'has a stored hash that does not match its content',
    prev_hash_mismatch: 'does not point to the previous block',
    block_out_of_sequence: 'is out of sequence',
  };
  return `${where} ${what[link.reason] ?? link.reason}: expected ${link.expected}, found ${link.actual}`;
}

async function runOne(db: Db, check: LedgerCheck): Promise<CheckOutcome> {
  const start = performance.now();
  try {
    const result = (db as Knex.Transaction).isTransaction
      ? await check.run(db)
      : await (db as Knex).transaction((trx) => check.run(trx), {
          isolationLevel: 'repeatable read',
          readOnly: true,
        });
    return { name: check.name, ...result, durationMs: performance.now() - start };
  } catch (error) {
    return {
      name: check.name,
      ok: false,
      summary: 'the check could not run',
      problems: [{ message: error instanceof Error ? error.message : String(error) }],
      durationMs: performance.now() - start,
    };
  }
}

/** Runs the built-in checks then `extraChecks`, each in its own read-only snapshot, and reports them all. */
export async function runLedgerChecks(
  db: Db,
  extraChecks: readonly LedgerCheck[] = [],
): Promise<CheckReport> {
  const startedAt = new Date();
  const start = performance.now();
  const checks: CheckOutcome[] = [];
  for (const check of [...builtInLedgerChecks, ...extraChecks]) checks.push(await runOne(db, check));
  return { ok: checks.every((check) => check.ok), startedAt, durationMs: performance.now() - start, checks };
}

/** The report as text for a terminal: one line per check, the problems of failed ones indented below. */
export function formatCheckReport(report: CheckReport): string {
  const failed = report.checks.filter((check) => !check.ok).length;
  const lines = [
    `Ledger checks: ${report.checks.length - failed} passed, ${failed} failed ` +
      `(${(report.durationMs / 1000).toFixed(2)} s, ${report.startedAt.toISOString()})`,
  ];
  for (const check of report.checks) {
    lines.push(`${check.ok ? '[ok]  ' : '[FAIL]'} ${check.name}: ${check.summary}`);
    for (const problem of check.problems) lines.push(`         - ${problem.message}`);
  }
  lines.push(report.ok ? 'All invariants hold.' : 'INVARIANTS BROKEN: see the failed checks above.');
  return lines.join('\n');
}
