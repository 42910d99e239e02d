import { accounts } from '@pass/ledger';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, demoEmail, type TestApp } from '../../../../test/support/app';
import { buildCamt054, endToEndIdFromPayoutId } from '../sepa';
import { ledgerBalances, runScheduledClearing } from '../testing/settlement-test-app';
import {
  insertAssociation,
  insertFunder,
  insertVenue,
  issueActiveBatch,
  paris,
  passesOf,
  redeem,
} from '../testing/settlement-test-builders';

describe('bank returns (e2e, PostgreSQL)', function () {
  this.timeout(120_000);
  let t: TestApp;
  let finance: string;
  let treasurer: string;
  const associations: string[] = [];
  const payouts: { id: string; amount: string; associationId: string }[] = [];

  before(async () => {
    t = await createTestApp();
    finance = await t.login(demoEmail('operator_finance'));
    treasurer = await t.login(demoEmail('association_treasurer'));
    const funder = await insertFunder(t.db.knex);
    const { batch, voucherIds } = await issueActiveBatch(t.db.knex, { funderId: funder });
    const passes = passesOf(batch, voucherIds);
    associations.push(t.demo.ids.associationId!);
    associations.push(await insertAssociation(t.db.knex, { name: 'Asso rejet' }));
    associations.push(await insertAssociation(t.db.knex, { name: 'Asso confirmation manuelle' }));
    for (const [index, associationId] of associations.entries()) {
      const venue =
        index === 0
          ? { venueId: t.demo.ids.venueId!, serviceId: t.demo.ids.serviceOnePassId! }
          : await insertVenue(t.db.knex, associationId);
      await redeem(t.db.knex, {
        associationId,
        ...venue,
        passes: passes.slice(index * 2, index * 2 + index + 1),
        redeemedAt: paris('2026-11-10T10:00:00'),
      });
    }
    await runScheduledClearing(t, paris('2026-12-02T03:00:00'));
    for (const associationId of associations) {
      const payout = await t.db.knex('settlement.payouts').where({ association_id: associationId }).first();
      expect(payout.status).to.equal('exported');
      payouts.push({ id: payout.id, amount: payout.amount_cents, associationId });
    }
  });
  after(async () => {
    await t?.close();
  });

  function camt(messageId: string) {
    return buildCamt054({
      messageId,
      createdAt: new Date('2026-12-04T06:00:00Z'),
      account: { iban: t.config.operator.iban },
      entries: [
        {
          kind: 'paid',
          endToEndId: endToEndIdFromPayoutId(payouts[0]!.id),
          amountCents: payouts[0]!.amount,
          bookingDate: '2026-12-03',
        },
        {
          kind: 'returned',
          endToEndId: endToEndIdFromPayoutId(payouts[1]!.id),
          amountCents: payouts[1]!.amount,
          bookingDate: '2026-12-04',
          reasonCode: 'AC01',
          additionalInfo: 'Numero de compte incorrect',
        },
        {
          kind: 'paid',
          endToEndId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
          amountCents: 1234n,
          bookingDate: '2026-12-03',
        },
        {
          kind: 'paid',
          endToEndId: endToEndIdFromPayoutId(payouts[2]!.id),
          amountCents: 1n,
          bookingDate: '2026-12-03',
        },
      ],
    });
  }

  it('marks matched payouts paid, reverses and flags a rejected one (AC01), and reports unmatched lines', async () => {
    const payableBefore = await ledgerBalances(t, [accounts.associationPayable(associations[1]!)]);
    expect(payableBefore[accounts.associationPayable(associations[1]!)]).to.equal(0n);
    t.clock.set(paris('2026-12-04T09:00:00'));
    const res = await request(t.app)
      .post('/api/v1/settlement/bank-returns')
      .set('Authorization', `Bearer ${finance}`)
      .set('Content-Type', 'application/xml')
      .send(camt('BANK-20261204-0001'));
    expect(res.status).to.equal(200);
    expect(res.body.counts).to.deep.equal({ paid: 1, rejected: 1, unmatched: 2, duplicate: 0, ignored: 0 });
    expect(
      res.body.lines.map((l: { outcome: string; detail: string | null }) => [l.outcome, l.detail]),
    ).to.deep.equal([
      ['paid', null],
      ['rejected', 'AC01'],
      ['unmatched', 'unknown_payout'],
      ['unmatched', 'amount_mismatch'],
    ]);

    const paid = await t.db.knex('settlement.payouts').where({ id: payouts[0]!.id }).first();
    expect(paid).to.deep.include({ status: 'paid', paid_on: '2026-12-03' });
    const rejected = await t.db.knex('settlement.payouts').where({ id: payouts[1]!.id }).first();
    expect(rejected).to.deep.include({ status: 'rejected', rejection_reason: 'AC01' });
    expect((await t.db.knex('settlement.payouts').where({ id: payouts[2]!.id }).first()).status).to.equal(
      'exported',
    );

    // The money is payable to the association again, and the association is flagged in the registry.
    const payableAfter = await ledgerBalances(t, [accounts.associationPayable(associations[1]!)]);
    expect(payableAfter[accounts.associationPayable(associations[1]!)]).to.equal(BigInt(payouts[1]!.amount));
    const entry = await t.db.knex('ledger.entries').where({ id: rejected.rejected_entry_id }).first();
    expect(entry).to.deep.include({ kind: 'payout_rejected', reverses_entry_id: rejected.sent_entry_id });
    const association = await t.db
      .knex('registry.associations')
      .where({ organisation_id: associations[1] })
      .first();
    expect(association.flagged_at).to.not.equal(null);
    expect(association.flag_reason).to.include('AC01');
    expect(association.flag_reason).to.include('RLV-2026-');

    const unmatched = await request(t.app)
      .get('/api/v1/settlement/bank-returns/unmatched')
      .set('Authorization', `Bearer ${finance}`);
    expect(unmatched.body.items.map((l: { detail: string }) => l.detail).sort()).to.deep.equal([
      'amount_mismatch',
      'unknown_payout',
    ]);
  });

  it('returns the first report when the same file is imported again, changing nothing', async () => {
    const entriesBefore = await t.db.knex('ledger.entries').count<{ count: string }[]>('* as count');
    const res = await request(t.app)
      .post('/api/v1/settlement/bank-returns')
      .set('Authorization', `Bearer ${finance}`)
      .set('Content-Type', 'application/xml')
      .send(camt('BANK-20261204-0001'));
    expect(res.status).to.equal(200);
    expect(res.body.alreadyImported).to.equal(true);
    expect(res.body.counts.rejected).to.equal(1);
    const entriesAfter = await t.db.knex('ledger.entries').count<{ count: string }[]>('* as count');
    expect(entriesAfter[0]!.count).to.equal(entriesBefore[0]!.count);
  });

  it('reports a known return again in another file as a duplicate', async () => {
    const res = await request(t.app)
      .post('/api/v1/settlement/bank-returns')
      .set('Authorization', `Bearer ${finance}`)
      .set('Content-Type', 'application/xml')
      .send(camt('BANK-20261205-0001'));
    expect(res.body.counts).to.deep.equal({ paid: 0, rejected: 0, unmatched: 2, duplicate: 2, ignored: 0 });
  });

  it('refuses a file that is not a bank notification', async () => {
    const res = await request(t.app)
      .post('/api/v1/settlement/bank-returns')
      .set('Authorization', `Bearer ${finance}`)
      .set('Content-Type', 'application/xml')
      .send('<Document><Nothing/></Document>');
    expect(res.status).to.equal(422);
    expect(res.body.code).to.equal('invalid_bank_file');
  });

  it('pays the rejected statement again with a new payout, held until the flag is cleared', async () => {
    const held = await runScheduledClearing(t, paris('2026-12-05T03:00:00'));
    expect(held.replacementPayouts).to.equal(1);
    const replacement = await t.db
      .knex('settlement.payouts')
      .where({ replaces_payout_id: payouts[1]!.id })
      .first();
    expect(replacement).to.deep.include({
      status: 'held',
      hold_reason: 'flagged',
      amount_cents: payouts[1]!.amount,
    });

    await t.db
      .knex('registry.associations')
      .where({ organisation_id: associations[1] })
      .update({ flagged_at: null, flag_reason: null });
    const released = await runScheduledClearing(t, paris('2026-12-06T03:00:00'));
    expect(released.files).to.have.length(1);
    const sent = await t.db.knex('settlement.payouts').where({ id: replacement.id }).first();
    expect(sent.status).to.equal('exported');
    const live = await t.db
      .knex('settlement.payouts')
      .where({ statement_id: replacement.statement_id })
      .whereNot({ status: 'rejected' });
    expect(live).to.have.length(1);
    const payable = await ledgerBalances(t, [accounts.associationPayable(associations[1]!)]);
    expect(payable[accounts.associationPayable(associations[1]!)]).to.equal(0n);
  });

  it('lets operator finance confirm a payout by hand, and shows the bank status to the treasurer', async () => {
    const confirmed = await request(t.app)
      .post(`/api/v1/settlement/payouts/${payouts[2]!.id}/confirm`)
      .set('Authorization', `Bearer ${finance}`)
      .set('Idempotency-Key', 'confirm-payout-0001')
      .send({ outcome: 'paid', paidOn: '2026-12-04' });
    expect(confirmed.status).to.equal(200);
    expect(confirmed.body).to.deep.include({ status: 'paid', paidOn: '2026-12-04', statusLabel: 'Payé' });

    const returned = await request(t.app)
      .post(`/api/v1/settlement/payouts/${payouts[1]!.id}/confirm`)
      .set('Authorization', `Bearer ${finance}`)
      .set('Idempotency-Key', 'confirm-payout-0002')
      .send({ outcome: 'paid', paidOn: '2026-12-04' });
    expect(returned.status).to.equal(409);
    expect(returned.body.code).to.equal('payout_already_rejected');

    const mine = await request(t.app)
      .get('/api/v1/settlement/payouts')
      .set('Authorization', `Bearer ${treasurer}`);
    expect(mine.status).to.equal(200);
    expect(mine.body.items).to.have.length(1);
    expect(mine.body.items[0]).to.deep.include({
      status: 'paid',
      statusLabel: 'Payé',
      endToEndId: endToEndIdFromPayoutId(payouts[0]!.id),
    });
  });
});
