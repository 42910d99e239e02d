import { accounts } from '@pass/ledger';
import { batchVoucherCounts, cancelVouchers, getBatch, markDistributed } from '@pass/vouchers';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, demoEmail, type TestApp } from '../../../../test/support/app';
import { binaryParser, ledgerBalances, pdfText } from '../testing/settlement-test-app';
import { insertVenue, issueActiveBatch, paris, passesOf, redeem } from '../testing/settlement-test-builders';
import { runExpiry } from './expiry-job';

describe('expiry and credit notes (e2e, PostgreSQL)', function () {
  this.timeout(120_000);
  let t: TestApp;
  let funderId: string;
  let ending: { id: string };
  let later: { id: string };
  let funderToken: string;
  let finance: string;

  before(async () => {
    t = await createTestApp();
    funderId = t.demo.ids.funderId!;
    funderToken = await t.login(demoEmail('funder_manager'));
    finance = await t.login(demoEmail('operator_finance'));
    const association = t.demo.ids.associationId!;
    const venue = await insertVenue(t.db.knex, association);
    // Valid until 15 October with 30 days of tolerance: last accepted 14 November, expires on the 15th.
    const a = await issueActiveBatch(t.db.knex, { funderId, validUntil: '2026-10-15', toleranceDays: 30 });
    ending = a.batch;
    const passes = passesOf(a.batch, a.voucherIds);
    await redeem(t.db.knex, {
      associationId: association,
      ...venue,
      passes: passes.slice(0, 3),
      redeemedAt: paris('2026-10-01T10:00:00'),
    });
    await cancelVouchers(t.db.knex, { ids: a.voucherIds.slice(3, 5) }, 'lost', {
      actor: 'test',
      at: paris('2026-09-01T10:00:00'),
    });
    await markDistributed(
      t.db.knex,
      { batchId: a.batch.id, fromSerial: 1, toSerial: 10 },
      { actor: 'test', at: paris('2026-02-01T10:00:00') },
    );
    // Valid until 20 December: J-30 on 20 November, J-15 on 5 December.
    const b = await issueActiveBatch(t.db.knex, { funderId, validUntil: '2026-12-20', toleranceDays: 30 });
    later = b.batch;
    await markDistributed(
      t.db.knex,
      { batchId: b.batch.id, fromSerial: 1, toSerial: 4 },
      { actor: 'test', at: paris('2026-02-01T10:00:00') },
    );
    await redeem(t.db.knex, {
      associationId: association,
      ...venue,
      passes: passesOf(b.batch, b.voucherIds).slice(0, 2),
      redeemedAt: paris('2026-10-01T10:00:00'),
    });
  });
  after(async () => {
    await t?.close();
  });

  it('waits for the undo window of the last accepted day before expiring', async () => {
    const summary = await runExpiry(t.runtime.ctx, paris('2026-11-15T10:00:00'));
    expect(summary.expired).to.deep.equal([]);
    expect((await getBatch(t.db.knex, ending.id))!.status).to.equal('active');
  });

  it('expires the remaining passes into a numbered credit note, in chunks, and closes the batch', async () => {
    const before = await ledgerBalances(t, [
      accounts.funderVouchersOutstanding(funderId),
      accounts.funderCreditNotes(funderId),
    ]);
    const summary = await runExpiry(t.runtime.ctx, paris('2026-11-16T03:00:00'), { chunkSize: 7 });
    // 20 passes: 3 redeemed, 2 cancelled, 15 left at 10.00 €.
    expect(summary.expired).to.deep.equal([
      { batchId: ending.id, voucherCount: 15, amountCents: '15000', creditNoteNumber: 'AV-2026-000001' },
    ]);
    const counts = await batchVoucherCounts(t.db.knex, ending.id);
    expect(counts).to.deep.include({ expired: 15, redeemed: 3, cancelled: 2, available: 0 });
    expect((await getBatch(t.db.knex, ending.id))!.status).to.equal('closed');
    expect(
      await t.db
        .knex('settlement.expiry_postings')
        .where({ batch_id: ending.id })
        .count<{ count: string }[]>('* as count'),
    ).to.deep.equal([{ count: '3' }]);
    const after = await ledgerBalances(t, [
      accounts.funderVouchersOutstanding(funderId),
      accounts.funderCreditNotes(funderId),
    ]);
    expect(
      before[accounts.funderVouchersOutstanding(funderId)]! -
        after[accounts.funderVouchersOutstanding(funderId)]!,
    ).to.equal(15000n);
    expect(
      after[accounts.funderCreditNotes(funderId)]! - before[accounts.funderCreditNotes(funderId)]!,
    ).to.equal(15000n);

    const again = await runExpiry(t.runtime.ctx, paris('2026-11-17T03:00:00'));
    expect(again.expired).to.deep.equal([]);
    expect(await t.db.knex('settlement.credit_notes').count<{ count: string }[]>('* as count')).to.deep.equal(
      [{ count: '1' }],
    );
  });

  it('sends the J-30 alert once, with the counts, and records the end of distribution at J-15', async () => {
    expect((await runExpiry(t.runtime.ctx, paris('2026-11-19T03:00:00'))).alerts).to.deep.equal([]);
    const first = await runExpiry(t.runtime.ctx, paris('2026-11-20T03:00:00'));
    expect(first.alerts).to.deep.equal([
      {
        batchId: later.id,
        counts: {
          issued: 20,
          distributed: 4,
          notDistributed: 16,
          used: 2,
          distributedNotUsed: 2,
          bookletsStarted: 1,
          bookletsFinished: 0,
          bookletsUntouched: 1,
        },
      },
    ]);
    expect(first.distributionStopped).to.deep.equal([]);
    expect((await runExpiry(t.runtime.ctx, paris('2026-11-21T03:00:00'))).alerts).to.deep.equal([]);
    const stop = await runExpiry(t.runtime.ctx, paris('2026-12-05T03:00:00'));
    expect(stop.distributionStopped).to.deep.equal([later.id]);
    const outbox = await t.db
      .knex('platform.outbox')
      .where({ job_name: 'settlement.notify-funder' })
      .pluck('payload');
    expect(outbox.map((p: { kind: string }) => p.kind).sort()).to.deep.equal([
      'credit_note_issued',
      'distribution_stopped',
      'expiry_alert',
    ]);

    const notices = await request(t.app)
      .get('/api/v1/settlement/expiry-notices')
      .set('Authorization', `Bearer ${funderToken}`);
    expect(notices.status).to.equal(200);
    expect(notices.body.items[0]).to.deep.include({ batchId: later.id });
    expect(notices.body.items[0].counts.notDistributed).to.equal(16);
  });

  it('gives the funder its credit note as a PDF in French formats', async () => {
    const list = await request(t.app)
      .get('/api/v1/settlement/credit-notes')
      .set('Authorization', `Bearer ${funderToken}`);
    expect(list.body.items).to.have.length(1);
    expect(list.body.items[0]).to.deep.include({
      number: 'AV-2026-000001',
      status: 'issued',
      voucherCount: 15,
    });
    expect(list.body.items[0].amount).to.deep.equal({ amount: '150.00', currency: 'EUR' });
    const pdf = await request(t.app)
      .get(`/api/v1/settlement/credit-notes/${list.body.items[0].id}/pdf`)
      .set('Authorization', `Bearer ${funderToken}`)
      .buffer(true)
      .parse(binaryParser);
    expect(pdf.status).to.equal(200);
    const text = pdfText(pdf.body as Buffer);
    expect(text).to.include('Avoir n° AV-2026-000001');
    expect(text).to.match(/150,00\s€/);
    expect(text).to.match(/10,00\s€/);
    expect(text).to.include('15/10/2026');
    expect(text).to.include("Département de l'Ardèche");
  });

  it('records the refund by transfer once, with its ledger entry', async () => {
    const [note] = await t.db.knex('settlement.credit_notes').pluck('id');
    const bankBefore = await ledgerBalances(t, [accounts.operatorBank()]);
    const byFunder = await request(t.app)
      .post(`/api/v1/settlement/credit-notes/${note}/refund`)
      .set('Authorization', `Bearer ${funderToken}`)
      .set('Idempotency-Key', 'refund-0001-funder')
      .send({ bankReference: 'VIR-AVOIR-0001' });
    expect(byFunder.status).to.equal(403);
    const send = () =>
      request(t.app)
        .post(`/api/v1/settlement/credit-notes/${note}/refund`)
        .set('Authorization', `Bearer ${finance}`)
        .set('Idempotency-Key', 'refund-0001')
        .send({ bankReference: 'VIR-AVOIR-0001' });
    const first = await send();
    expect(first.status).to.equal(200);
    expect(first.body).to.deep.include({ status: 'refunded', refundReference: 'VIR-AVOIR-0001' });
    const replay = await send();
    expect(replay.body).to.deep.equal(first.body);
    const bankAfter = await ledgerBalances(t, [
      accounts.operatorBank(),
      accounts.funderCreditNotes(funderId),
    ]);
    expect(bankBefore[accounts.operatorBank()]! - bankAfter[accounts.operatorBank()]!).to.equal(15000n);
    expect(bankAfter[accounts.funderCreditNotes(funderId)]).to.equal(0n);

    const useInstead = await request(t.app)
      .post(`/api/v1/settlement/credit-notes/${note}/use`)
      .set('Authorization', `Bearer ${finance}`)
      .set('Idempotency-Key', 'use-0001')
      .send({ orderReference: 'LOT-000099' });
    expect(useInstead.status).to.equal(409);
    expect(useInstead.body.code).to.equal('credit_note_already_settled');
  });

  it('lets the funder use a credit note against a new order: it becomes prepaid funding', async () => {
    const c = await issueActiveBatch(t.db.knex, {
      funderId,
      validUntil: '2026-09-30',
      toleranceDays: 10,
      bookletCount: 1,
    });
    await runExpiry(t.runtime.ctx, paris('2026-11-18T03:00:00'));
    const note = await t.db.knex('settlement.credit_notes').where({ batch_id: c.batch.id }).first();
    expect(note.number).to.equal('AV-2026-000002');
    const prepaidBefore = await ledgerBalances(t, [accounts.funderPrepaid(funderId)]);
    const res = await request(t.app)
      .post(`/api/v1/settlement/credit-notes/${note.id}/use`)
      .set('Authorization', `Bearer ${funderToken}`)
      .set('Idempotency-Key', 'use-0002')
      .send({ orderReference: 'LOT-000123' });
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.include({ status: 'used', usedForReference: 'LOT-000123' });
    const prepaidAfter = await ledgerBalances(t, [accounts.funderPrepaid(funderId)]);
    expect(
      prepaidAfter[accounts.funderPrepaid(funderId)]! - prepaidBefore[accounts.funderPrepaid(funderId)]!,
    ).to.equal(10000n);
    const stored = await t.db.knex('settlement.credit_notes').where({ id: note.id }).first();
    expect((await t.db.knex('ledger.entries').where({ id: stored.settle_entry_id }).first()).kind).to.equal(
      'credit_note_used',
    );
  });
});
