import type { InvariantCheck } from '@pass/http';
import { rowsOf } from '../shared/db-values';
import { decimalString } from '../shared/money-format';
import { reconcile } from './reconcile';

/** The checks `ledger:check` runs for settlement (DESIGN §4 invariants). */
export function settlementInvariants(): InvariantCheck[] {
  return [
    {
      name: 'settlement.association_payable',
      async run(knex) {
        const report = await reconcile(knex, { from: null, to: null });
        const problems = report.associations
          .filter((a) => a.gapCents !== 0n || a.rows.length > 0)
          .map((a) => ({
            message: `association ${a.name} (${a.associationId}): ledger payable ${decimalString(a.closingPayableCents)} EUR, operational ${decimalString(
              a.redeemedCents - a.undoneCents - a.feesCents - a.paidCents + a.returnedCents,
            )} EUR`,
            rows: a.rows.map((row) => ({
              ...row,
              expectedCents: row.expectedCents.toString(),
              ledgerCents: row.ledgerCents.toString(),
            })),
          }));
        return {
          ok: problems.length === 0,
          summary: `payable = redeemed (live) - fees - paid for ${report.associations.length} association(s)`,
          problems,
        };
      },
    },
    {
      name: 'settlement.redemption_on_one_statement',
      async run(knex) {
        // The primary key of statement_redemptions makes a second statement impossible; these are the
        // ways the guarantee could still be broken from outside: a pass on two lines, an undone redemption
        // on a statement, a statement whose totals differ from its lines.
        const passes = rowsOf<{ voucher_id: string; n: string }>(
          await knex.raw(
            `select voucher_id::text, count(*)::text as n from settlement.statement_lines
              group by voucher_id having count(*) > 1 limit 100`,
          ),
        );
        const undone = rowsOf<{ redemption_id: string; statement_id: string }>(
          await knex.raw(
            `select sr.redemption_id, sr.statement_id from settlement.statement_redemptions sr
               join redemption.redemptions r on r.id = sr.redemption_id
              where r.status <> 'live' limit 100`,
          ),
        );
        const totals = rowsOf<{ id: string; number: string | null }>(
          await knex.raw(
            `select s.id, s.number from settlement.statements s
              where s.status = 'issued' and s.gross_cents <> coalesce((
                select sum(l.face_value_cents) from settlement.statement_redemptions sr
                  join settlement.statement_lines l on l.redemption_id = sr.redemption_id
                 where sr.statement_id = s.id), 0)
              limit 100`,
          ),
        );
        const orphans = rowsOf<{ redemption_id: string }>(
          await knex.raw(
            `select l.redemption_id from settlement.statement_lines l
              where not exists (select 1 from settlement.statement_redemptions sr where sr.redemption_id = l.redemption_id)
              limit 100`,
          ),
        );
        const livePayouts = rowsOf<{ statement_id: string; n: string }>(
          await knex.raw(
            `select statement_id, count(*)::text as n from settlement.payouts where status <> 'rejected'
              group by statement_id having count(*) > 1 limit 100`,
          ),
        );
        const problems = [
          ...(passes.length ? [{ message: 'a pass is on two statement lines', rows: passes }] : []),
          ...(undone.length ? [{ message: 'an undone redemption is on a statement', rows: undone }] : []),
          ...(totals.length ? [{ message: 'a statement total differs from its lines', rows: totals }] : []),
          ...(orphans.length
            ? [{ message: 'a statement line has no redemption on a statement', rows: orphans }]
            : []),
          ...(livePayouts.length ? [{ message: 'a statement has two live payouts', rows: livePayouts }] : []),
        ];
        return {
          ok: problems.length === 0,
          summary: 'no redemption or pass on two statements, one live payout per statement',
          problems,
        };
      },
    },
  ];
}
