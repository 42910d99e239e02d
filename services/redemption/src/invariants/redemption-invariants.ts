import type { InvariantCheck } from '@pass/http';
import type { Knex } from 'knex';
import { rowsOf } from '../shared/db-rows';

type Outcome = Awaited<ReturnType<InvariantCheck['run']>>;

async function problemsOf(knex: Knex, sql: string, describe: (row: Record<string, unknown>) => string) {
  const rows = rowsOf<Record<string, unknown>>(await knex.raw(sql));
  return rows
    .slice(0, 50)
    .map((row) => ({ message: describe(row), rows: [row] }))
    .concat(rows.length > 50 ? [{ message: `…and ${rows.length - 50} more`, rows: [] }] : []);
}

function outcome(name: string, problems: Outcome['problems']): Outcome {
  return {
    ok: problems.length === 0,
    summary: problems.length === 0 ? `${name}: ok` : `${name}: ${problems.length} problem(s)`,
    problems,
  };
}

// Per redemption, the ledger lines it should have posted (from its passes) against the lines of its entry.
const LEDGER_MISMATCH_SQL = `
  with expected as (
    select r.id, r.ledger_entry_id, 'association:' || r.association_id || ':payable' as account, 'credit' as side,
           r.amount_cents as amount
      from redemption.redemptions r
    union all
    select r.id, r.ledger_entry_id, 'funder:' || rv.funder_id || ':vouchers_outstanding', 'debit',
           sum(rv.face_value_cents)
      from redemption.redemptions r join redemption.redemption_vouchers rv on rv.redemption_id = r.id
     group by r.id, r.ledger_entry_id, rv.funder_id
  ), actual as (
    select r.id, e.id as entry_id, a.code as account, l.side, sum(l.amount_cents) as amount
      from redemption.redemptions r
      join ledger.entries e on e.id = r.ledger_entry_id and e.kind = 'redemption' and e.reference = 'redemption:' || r.id
      join ledger.lines l on l.entry_id = e.id
      join ledger.accounts a on a.id = l.account_id
     group by r.id, e.id, a.code, l.side
  )
  select coalesce(x.id, y.id)::text as redemption_id, x.account as expected_account, x.side as expected_side,
         x.amount::text as expected_cents, y.account as actual_account, y.side as actual_side, y.amount::text as actual_cents
    from expected x full join actual y on y.id = x.id and y.account = x.account and y.side = x.side
   where x.amount is distinct from y.amount`;

// A live redemption's entry must not be reversed; an undone one's must be, by its undo entry.
const REVERSAL_SQL = `
  select r.id::text as redemption_id, r.status, r.undo_entry_id::text as undo_entry_id,
         rev.id::text as reversal_id
    from redemption.redemptions r
    left join ledger.entries rev on rev.reverses_entry_id = r.ledger_entry_id
   where (r.status = 'live' and rev.id is not null)
      or (r.status = 'undone' and (rev.id is null or rev.id <> r.undo_entry_id or rev.kind <> 'redemption_undone'))`;

const TWO_LIVE_SQL = `
  select voucher_id::text as voucher_id, count(*)::int as live_redemptions
    from redemption.redemption_vouchers where live group by voucher_id having count(*) > 1`;

// Voucher states agree with redemptions: a pass of a live redemption is redeemed or settled, a redeemed or
// settled pass is in exactly one live redemption, and `live` follows the redemption's status.
const VOUCHER_STATE_SQL = `
  select rv.voucher_id::text as voucher_id, r.id::text as redemption_id, r.status as redemption_status, rv.live,
         v.status as voucher_status
    from redemption.redemption_vouchers rv
    join redemption.redemptions r on r.id = rv.redemption_id
    join vouchers.vouchers v on v.id = rv.voucher_id
   where (rv.live <> (r.status = 'live'))
      or (rv.live and v.status not in ('redeemed', 'settled'))
  union all
  select v.id::text, null, null, null, v.status
    from vouchers.vouchers v
   where v.status in ('redeemed', 'settled')
     and not exists (select 1 from redemption.redemption_vouchers rv where rv.voucher_id = v.id and rv.live)`;

const AMOUNT_SQL = `
  select r.id::text as redemption_id, r.amount_cents::text as amount_cents, r.voucher_count,
         coalesce(sum(rv.face_value_cents), 0)::text as passes_cents, count(rv.voucher_id)::int as passes
    from redemption.redemptions r left join redemption.redemption_vouchers rv on rv.redemption_id = r.id
   group by r.id
  having r.amount_cents <> coalesce(sum(rv.face_value_cents), 0) or r.voucher_count <> count(rv.voucher_id)`;

/**
 * The redemption side of `ledger:check`. The per-association payable balance is settlement's check, since
 * payouts move it too; here: no pass in two live redemptions, every redemption's amount is its passes' face
 * values, its ledger entry says exactly that, undo and reversal go together, and pass states agree.
 */
export function redemptionInvariants(): InvariantCheck[] {
  return [
    {
      name: 'redemption.no_voucher_twice_live',
      run: async (knex) =>
        outcome(
          'no voucher has two live redemptions',
          await problemsOf(
            knex,
            TWO_LIVE_SQL,
            (r) => `voucher ${r.voucher_id} is in ${r.live_redemptions} live redemptions`,
          ),
        ),
    },
    {
      name: 'redemption.amount_matches_passes',
      run: async (knex) =>
        outcome(
          'redemption amounts are their passes’ face values',
          await problemsOf(
            knex,
            AMOUNT_SQL,
            (r) =>
              `redemption ${r.redemption_id}: ${r.amount_cents} cents for ${r.voucher_count} passes, passes say ${r.passes_cents} for ${r.passes}`,
          ),
        ),
    },
    {
      name: 'redemption.ledger_entry_matches',
      run: async (knex) =>
        outcome(
          'every redemption’s ledger entry matches it',
          await problemsOf(
            knex,
            LEDGER_MISMATCH_SQL,
            (r) =>
              `redemption ${r.redemption_id}: expected ${r.expected_side ?? '-'} ${r.expected_cents ?? 0} on ${r.expected_account ?? '-'}, ` +
              `ledger has ${r.actual_side ?? '-'} ${r.actual_cents ?? 0} on ${r.actual_account ?? '-'}`,
          ),
        ),
    },
    {
      name: 'redemption.undo_has_reversal',
      run: async (knex) =>
        outcome(
          'live entries are not reversed, undone ones are by their undo entry',
          await problemsOf(
            knex,
            REVERSAL_SQL,
            (r) =>
              `redemption ${r.redemption_id} (${r.status}): reversal ${r.reversal_id ?? 'missing'}, undo entry ${r.undo_entry_id ?? 'none'}`,
          ),
        ),
    },
    {
      name: 'redemption.voucher_states_agree',
      run: async (knex) =>
        outcome(
          'voucher states agree with redemptions',
          await problemsOf(knex, VOUCHER_STATE_SQL, (r) =>
            r.redemption_id
              ? `voucher ${r.voucher_id} is ${r.voucher_status} in redemption ${r.redemption_id} (${r.redemption_status}, live=${r.live})`
              : `voucher ${r.voucher_id} is ${r.voucher_status} without a live redemption`,
          ),
        ),
    },
  ];
}
