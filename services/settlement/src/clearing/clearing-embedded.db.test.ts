// The same clearing on embedded PGlite (one connection, `npm start` without configuration): the SQL, the
// chunked transactions and the locks must work there too.
import { accounts } from '@pass/ledger';
import { expect } from 'chai';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import { createPgliteTestDb } from '../../../../test/support/database';
import { importCamt054 } from '../bank-returns/bank-returns';
import { runExpiry } from '../expiry/expiry-job';
import { reconcile } from '../reconciliation/reconcile';
import { buildCamt054, endToEndIdFromPayoutId, validateWithXmllint } from '../sepa';
import { ledgerBalances, runScheduledClearing } from '../testing/settlement-test-app';
import {
  insertAssociation,
  insertVenue,
  issueActiveBatch,
  paris,
  passesOf,
  redeem,
} from '../testing/settlement-test-builders';

describe('clearing on embedded PGlite', function () {
  this.timeout(180_000);
  let t: TestApp;

  before(async () => {
    t = await createTestApp({ db: await createPgliteTestDb() });
  });
  after(async () => {
    await t?.close();
  });

  it('settles in chunks, pays, reads the bank return and expires, on one connection', async () => {
    const association = await insertAssociation(t.db.knex, { feeRate: '0.01' });
    const venue = await insertVenue(t.db.knex, association);
    const { batch, voucherIds } = await issueActiveBatch(t.db.knex, {
      funderId: t.demo.ids.funderId!,
      validUntil: '2026-11-15',
      toleranceDays: 0,
    });
    const passes = passesOf(batch, voucherIds);
    for (let i = 0; i < 7; i++) {
      await redeem(t.db.knex, {
        associationId: association,
        ...venue,
        passes: passes.slice(i, i + 1),
        redeemedAt: paris(`2026-11-0${i + 1}T10:00:00`),
      });
    }
    const summary = await runScheduledClearing(t, paris('2026-12-02T03:00:00'), { chunkSize: 3 });
    expect(summary.failures).to.deep.equal([]);
    const statement = await t.db.knex('settlement.statements').where({ association_id: association }).first();
    expect(statement).to.deep.include({
      status: 'issued',
      redemption_count: 7,
      gross_cents: '7000',
      fee_cents: '70',
    });
    const payout = await t.db.knex('settlement.payouts').where({ statement_id: statement.id }).first();
    expect(payout.status).to.equal('exported');
    const file = await t.db.knex('settlement.payout_files').where({ id: payout.file_id }).first();
    expect(validateWithXmllint(file.xml, 'pain.001.001.09').valid).to.equal(true);

    const report = await importCamt054(
      t.runtime.ctx,
      buildCamt054({
        messageId: 'PGLITE-0001',
        createdAt: new Date('2026-12-04T06:00:00Z'),
        account: { iban: t.config.operator.iban },
        entries: [
          {
            kind: 'paid',
            endToEndId: endToEndIdFromPayoutId(payout.id),
            amountCents: payout.amount_cents,
            bookingDate: '2026-12-03',
          },
        ],
      }),
      'test',
    );
    expect(report.counts.paid).to.equal(1);

    const expiry = await runExpiry(t.runtime.ctx, paris('2026-12-03T03:00:00'), { chunkSize: 4 });
    expect(expiry.expired).to.deep.equal([
      { batchId: batch.id, voucherCount: 13, amountCents: '13000', creditNoteNumber: 'AV-2026-000001' },
    ]);
    const balances = await ledgerBalances(t, [accounts.associationPayable(association)]);
    expect(balances[accounts.associationPayable(association)]).to.equal(0n);
    expect((await reconcile(t.db.knex, { from: null, to: null })).alerts).to.deep.equal([]);
  });
});
