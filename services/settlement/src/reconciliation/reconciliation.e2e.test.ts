import { accounts, credit, debit, post } from '@pass/ledger';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, demoEmail, type TestApp } from '../../../../test/support/app';
import { confirmPayoutByHand } from '../bank-returns/bank-returns';
import { runExpiry } from '../expiry/expiry-job';
import { settlementCommands } from '../settlement-commands';
import { settlementModule } from '../settlement-module';
import { runScheduledClearing } from '../testing/settlement-test-app';
import {
  cancelPasses,
  insertAssociation,
  insertFunder,
  insertVenue,
  issueActiveBatch,
  paris,
  passesOf,
  redeem,
  undoRedemption,
} from '../testing/settlement-test-builders';
import { reconcile } from './reconcile';

describe('reconciliation (e2e, PostgreSQL)', function () {
  this.timeout(120_000);
  let t: TestApp;
  let associationId: string;
  let funderId: string;
  let operator: string;

  before(async () => {
    t = await createTestApp();
    operator = await t.login(demoEmail('operator_admin'));
    funderId = await insertFunder(t.db.knex, 'Métropole de Lyon');
    associationId = await insertAssociation(t.db.knex, { name: 'Asso rapprochée', feeRate: '0.02' });
    const venue = await insertVenue(t.db.knex, associationId);
    const { batch, voucherIds } = await issueActiveBatch(t.db.knex, {
      funderId,
      bookletCount: 3,
      validUntil: '2026-11-30',
      toleranceDays: 0,
    });
    const passes = passesOf(batch, voucherIds);
    // 30 passes: 7 redeemed (one redemption of 2 undone), 3 cancelled, the rest expires.
    const ids = [];
    for (let i = 0; i < 5; i++) {
      ids.push(
        await redeem(t.db.knex, {
          associationId,
          ...venue,
          passes: passes.slice(i, i + 1),
          redeemedAt: paris(`2026-11-0${i + 2}T10:00:00`),
        }),
      );
    }
    const undone = await redeem(t.db.knex, {
      associationId,
      ...venue,
      passes: passes.slice(5, 7),
      redeemedAt: paris('2026-11-10T10:00:00'),
    });
    await undoRedemption(t.db.knex, undone, paris('2026-11-10T10:10:00'));
    await redeem(t.db.knex, {
      associationId,
      ...venue,
      passes: passes.slice(7, 9),
      redeemedAt: paris('2026-11-12T10:00:00'),
    });
    await cancelPasses(t.db.knex, batch, voucherIds.slice(20, 23));
    await runScheduledClearing(t, paris('2026-12-02T03:00:00'));
    const payout = await t.db.knex('settlement.payouts').where({ association_id: associationId }).first();
    await confirmPayoutByHand(
      t.runtime.ctx,
      payout.id,
      { outcome: 'rejected', reasonCode: 'AC04' },
      {
        kind: 'user',
        subjectId: 'finance-user',
        userId: 'finance-user',
        deviceId: undefined,
        role: 'operator_finance',
        organisationId: t.demo.ids.operatorId!,
        organisationKind: 'operator',
        venueId: undefined,
        orgAdmin: false,
      },
    );
    await runExpiry(t.runtime.ctx, paris('2026-12-03T03:00:00'));
  });
  after(async () => {
    await t?.close();
  });

  it('finds every association and funder balanced when the ledger and the operational tables agree', async () => {
    const report = await reconcile(t.db.knex, { from: null, to: null });
    expect(report.alerts).to.deep.equal([]);
    expect(report.ok).to.equal(true);
    const association = report.associations.find((a) => a.associationId === associationId)!;
    // 9 passes redeemed (90.00 €), 2 undone, fee 2 % of 70.00 = 1.40, 68.60 sent then returned (AC04).
    expect(association).to.deep.include({
      redeemedCents: 9000n,
      undoneCents: 2000n,
      feesCents: 140n,
      paidCents: 6860n,
      returnedCents: 6860n,
      closingPayableCents: 6860n,
      gapCents: 0n,
    });
    const funder = report.funders.find((f) => f.funderId === funderId)!;
    // funded 300 = redeemed 70 + expired 200 + cancelled 30 + outstanding 0
    expect(funder).to.deep.include({
      fundedCents: 30000n,
      redeemedCents: 7000n,
      expiredCents: 20000n,
      cancelledCents: 3000n,
      outstandingCents: 0n,
      gapCents: 0n,
    });
    // The demo funder's batch went through the real issuance service: it balances too.
    const demo = report.funders.find((f) => f.funderId === t.demo.ids.funderId)!;
    expect(demo.fundedCents).to.equal(20000n);
    expect(demo.gapCents).to.equal(0n);
  });

  it('answers the operators through the API and refuses other roles', async () => {
    const res = await request(t.app)
      .get('/api/v1/settlement/reconciliation?from=2026-11-01&to=2026-12-31')
      .set('Authorization', `Bearer ${operator}`);
    expect(res.status).to.equal(200);
    expect(res.body.ok).to.equal(true);
    const association = res.body.associations.find(
      (a: { associationId: string }) => a.associationId === associationId,
    );
    expect(association).to.deep.include({
      redeemed: '90.00',
      fees: '1.40',
      closingPayable: '68.60',
      gap: '0.00',
    });
    const treasurer = await t.login(demoEmail('association_treasurer'));
    const refused = await request(t.app)
      .get('/api/v1/settlement/reconciliation')
      .set('Authorization', `Bearer ${treasurer}`);
    expect(refused.status).to.equal(403);
  });

  it('reports a ledger entry on a payable that no redemption, statement or payout explains, with its row', async () => {
    const entry = await post(t.db.knex, {
      kind: 'manual_adjustment',
      reference: 'test:stray',
      actor: 'test',
      lines: [debit(accounts.operatorBank(), 500n), credit(accounts.associationPayable(associationId), 500n)],
    });
    const report = await reconcile(t.db.knex, { from: null, to: null });
    expect(report.ok).to.equal(false);
    const alert = report.alerts.find((a) => a.id === associationId)!;
    expect(alert.gapCents).to.equal(-500n);
    expect(alert.rows).to.deep.equal([
      {
        entryId: entry.id,
        kind: 'manual_adjustment',
        reference: 'test:stray',
        postedAt: (alert.rows[0] as { postedAt: string }).postedAt,
        source: null,
        sourceId: null,
        expectedCents: 0n,
        ledgerCents: 500n,
      },
    ]);

    const command = settlementCommands.find((c) => c.name === 'reconcile')!;
    const cli = await command.run(t.runtime.ctx, []);
    expect(cli.exitCode).to.equal(1);
    expect(cli.output).to.include('ÉCART association Asso rapprochée');
    expect(cli.output).to.include('manual_adjustment');

    const [payable] = settlementModule.invariants!(t.runtime.ctx);
    const check = await payable!.run(t.db.knex);
    expect(check.ok).to.equal(false);
    expect(check.problems[0]!.message).to.include('Asso rapprochée');
  });

  it('reports passes cancelled without their ledger entry as a funder gap, with the batch behind it', async () => {
    const other = await issueActiveBatch(t.db.knex, { funderId, bookletCount: 1 });
    await cancelPasses(t.db.knex, other.batch, other.voucherIds.slice(0, 2), { postEntry: false });
    const report = await reconcile(t.db.knex, { from: null, to: null });
    const alert = report.alerts.find((a) => a.id === funderId)!;
    expect(alert.scope).to.equal('funder');
    expect(alert.gapCents).to.equal(-2000n);
    // Behind it: cancelled passes worth 20.00 € that the ledger never moved out of outstanding.
    expect(alert.rows).to.deep.equal([
      { flow: 'cancelled', kinds: ['voucher_cancelled'], operationalCents: 5000n, ledgerCents: 3000n },
    ]);
  });

  it('keeps every redemption and pass on at most one statement (ledger:check)', async () => {
    const [, oneStatement] = settlementModule.invariants!(t.runtime.ctx);
    const check = await oneStatement!.run(t.db.knex);
    expect(check.problems).to.deep.equal([]);
    expect(check.ok).to.equal(true);
  });
});
