import { accounts } from '@pass/ledger';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, demoEmail, insertUser, type TestApp } from '../../../../test/support/app';
import { endToEndIdFromPayoutId, validateWithXmllint } from '../sepa';
import {
  insertAssociation,
  insertFunder,
  insertVenue,
  issueActiveBatch,
  type PassRef,
  paris,
  passesOf,
  redeem,
  undoRedemption,
} from '../testing/settlement-test-builders';
import { binaryParser, ledgerBalances, pdfText, runScheduledClearing } from '../testing/settlement-test-app';
import { findRun } from './clearing-store';

describe('clearing (e2e, PostgreSQL)', function () {
  this.timeout(120_000);
  let t: TestApp;
  let associationId: string;
  let venueId: string;
  let serviceId: string;
  let funderId: string;
  let passes: PassRef[];
  let treasurer: string;
  const redemptions: Record<string, string> = {};

  before(async () => {
    t = await createTestApp();
    associationId = t.demo.ids.associationId!;
    venueId = t.demo.ids.venueId!;
    serviceId = t.demo.ids.serviceOnePassId!;
    funderId = t.demo.ids.funderId!;
    await t.db
      .knex('registry.associations')
      .where({ organisation_id: associationId })
      .update({ downstream_fee_rate: '0.015' });
    const { batch, voucherIds } = await issueActiveBatch(t.db.knex, { funderId, bookletCount: 3 });
    passes = passesOf(batch, voucherIds);
    const at = (local: string) => paris(local);
    redemptions.first = await redeem(t.db.knex, {
      associationId,
      venueId,
      serviceId,
      passes: passes.slice(0, 1),
      redeemedAt: at('2026-11-03T10:00:00'),
    });
    redemptions.second = await redeem(t.db.knex, {
      associationId,
      venueId,
      serviceId,
      passes: passes.slice(1, 3),
      redeemedAt: at('2026-11-15T14:30:00'),
    });
    redemptions.lastNight = await redeem(t.db.knex, {
      associationId,
      venueId,
      serviceId,
      passes: passes.slice(3, 4),
      redeemedAt: at('2026-11-30T23:30:00'),
    });
    redemptions.december = await redeem(t.db.knex, {
      associationId,
      venueId,
      serviceId,
      passes: passes.slice(4, 5),
      redeemedAt: at('2026-12-01T10:00:00'),
    });
    redemptions.undone = await redeem(t.db.knex, {
      associationId,
      venueId,
      serviceId,
      passes: passes.slice(5, 6),
      redeemedAt: at('2026-11-20T09:00:00'),
    });
    await undoRedemption(t.db.knex, redemptions.undone, at('2026-11-20T09:05:00'));
    treasurer = await t.login(demoEmail('association_treasurer'));
  });
  after(async () => {
    await t?.close();
  });

  it('puts the live redemptions of November on a numbered statement with the fee, pays the net, and no more', async () => {
    const feesBefore = (await ledgerBalances(t, [accounts.operatorFees()]))[accounts.operatorFees()]!;
    const summary = await runScheduledClearing(t, paris('2026-12-02T03:00:00'));
    expect(summary.failures).to.deep.equal([]);
    const mine = summary.statementsIssued.filter((s) => s.associationId === associationId);
    expect(mine).to.have.length(1);
    expect(mine[0]!.number).to.equal('RLV-2026-000001');

    const statement = await t.db.knex('settlement.statements').where({ id: mine[0]!.statementId }).first();
    // 4 passes of 10.00 € = 40.00 €; fee 1.5 % = 0.60 €, half-up once on the total; net 39.40 €.
    expect(statement).to.deep.include({
      status: 'issued',
      redemption_count: 3,
      voucher_count: 4,
      gross_cents: '4000',
      fee_cents: '60',
      net_cents: '3940',
    });
    expect(new Date(statement.cutoff).toISOString()).to.equal('2026-11-30T23:00:00.000Z');
    const onStatement = await t.db
      .knex('settlement.statement_redemptions')
      .where({ statement_id: statement.id })
      .pluck('redemption_id');
    expect(onStatement.sort()).to.deep.equal(
      [redemptions.first, redemptions.second, redemptions.lastNight].sort(),
    );

    const statuses = await t.db
      .knex('vouchers.vouchers')
      .whereIn(
        'id',
        passes.slice(0, 6).map((p) => p.voucherId),
      )
      .orderBy('serial')
      .pluck('status');
    expect(statuses).to.deep.equal(['settled', 'settled', 'settled', 'settled', 'redeemed', 'available']);

    // Payable: 50.00 € credited (5 live passes) - 0.60 € fee - 39.40 € sent = 10.00 € (December's pass).
    const balances = await ledgerBalances(t, [
      accounts.associationPayable(associationId),
      accounts.operatorFees(),
    ]);
    expect(balances[accounts.associationPayable(associationId)]).to.equal(1000n);
    expect(balances[accounts.operatorFees()]! - feesBefore).to.equal(60n);

    const payout = await t.db.knex('settlement.payouts').where({ statement_id: statement.id }).first();
    expect(payout).to.deep.include({
      status: 'exported',
      amount_cents: '3940',
      execution_date: '2026-12-03',
    });
    expect(summary.files).to.have.length(1);
  });

  it('refuses to undo a redemption once it is on a statement', async () => {
    let refused = false;
    try {
      await undoRedemption(t.db.knex, redemptions.lastNight!, paris('2026-12-02T04:00:00'));
    } catch {
      refused = true;
    }
    expect(refused).to.equal(true);
  });

  it('writes a pain.001.001.09 file that the official XSD accepts, with EndToEndId = payout id', async () => {
    const file = await t.db.knex('settlement.payout_files').orderBy('created_at').first();
    const result = validateWithXmllint(file.xml, 'pain.001.001.09');
    expect(result.errors).to.deep.equal([]);
    expect(result.valid).to.equal(true);
    const payout = await t.db.knex('settlement.payouts').where({ file_id: file.id }).first();
    expect(file.xml).to.include(`<EndToEndId>${endToEndIdFromPayoutId(payout.id)}</EndToEndId>`);
    expect(file.xml).to.include('<Ustrd>RELEVE RLV-2026-000001 PASS NUMERIQUE</Ustrd>');
    expect(file.xml).to.include('<CtrlSum>39.40</CtrlSum>');
    expect(file.xml).to.include(`<IBAN>${t.config.operator.iban}</IBAN>`);
    expect(file.xml).to.include('<StrtNm>Rue des Ecoliers</StrtNm>');
    expect(file.xml).to.include('<TwnNm>Alboussiere</TwnNm>');
    expect(file.xml).to.match(/<ReqdExctnDt>\s*<Dt>2026-12-03<\/Dt>/);
  });

  it('produces the same statements and no second payout when the run is executed again', async () => {
    const before = await t.db.knex('settlement.payouts').count<{ count: string }[]>('* as count');
    const again = await runScheduledClearing(t, paris('2026-12-02T03:00:00'));
    expect(again.statementsIssued).to.deep.equal([]);
    expect(again.files).to.deep.equal([]);
    const after = await t.db.knex('settlement.payouts').count<{ count: string }[]>('* as count');
    expect(after[0]!.count).to.equal(before[0]!.count);
  });

  it('shows the treasurer the statement with totals by venue and funder, as PDF and CSV in French formats', async () => {
    const list = await request(t.app)
      .get('/api/v1/settlement/statements')
      .set('Authorization', `Bearer ${treasurer}`);
    expect(list.status).to.equal(200);
    expect(list.body.items).to.have.length(1);
    const id = list.body.items[0].id;
    expect(list.body.items[0]).to.deep.include({
      number: 'RLV-2026-000001',
      period: 'du 01/11/2026 au 30/11/2026',
    });
    expect(list.body.items[0].net).to.deep.equal({ amount: '39.40', currency: 'EUR' });

    const detail = await request(t.app)
      .get(`/api/v1/settlement/statements/${id}`)
      .set('Authorization', `Bearer ${treasurer}`);
    expect(detail.body.totals).to.deep.equal([
      {
        venueId,
        venueName: 'Espace Public Numérique Alboussière',
        funderId,
        funderName: "Département de l'Ardèche",
        voucherCount: 4,
        gross: { amount: '40.00', currency: 'EUR' },
      },
    ]);

    const pdf = await request(t.app)
      .get(`/api/v1/settlement/statements/${id}/pdf`)
      .set('Authorization', `Bearer ${treasurer}`)
      .buffer(true)
      .parse(binaryParser);
    expect(pdf.status).to.equal(200);
    expect(pdf.headers['content-type']).to.equal('application/pdf');
    const text = pdfText(pdf.body as Buffer);
    expect(text).to.include('Relevé de contre-paiement n° RLV-2026-000001');
    expect(text).to.include('du 01/11/2026 au 30/11/2026');
    expect(text).to.match(/40,00\s€/);
    expect(text).to.match(/0,60\s€/);
    expect(text).to.match(/39,40\s€/);
    expect(text).to.include('03/11/2026');
    expect(text).to.include('Commission (1,5');

    const csv = await request(t.app)
      .get(`/api/v1/settlement/statements/${id}/csv`)
      .set('Authorization', `Bearer ${treasurer}`);
    expect(csv.status).to.equal(200);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).to.equal('Relevé;Date;Heure;Lieu;Service;Financeur;Lot;N° de pass;Montant (€)');
    expect(lines).to.have.length(5);
    expect(lines[1]).to.match(
      /^RLV-2026-000001;03\/11\/2026;10:00;Espace Public Numérique Alboussière;Atelier prise en main du smartphone;Département de l'Ardèche;LOT-\d{6};\d{6}-0000001;10,00$/,
    );
    expect(lines[4]).to.include(';30/11/2026;23:30;');
  });

  it('hides a statement from the treasurer of another association', async () => {
    const otherId = await insertAssociation(t.db.knex);
    await insertUser(t, {
      organisationId: otherId,
      role: 'association_treasurer',
      email: 'autre-tresorier@example.org',
    });
    const other = await t.login('autre-tresorier@example.org');
    const [statement] = await t.db
      .knex('settlement.statements')
      .where({ association_id: associationId })
      .pluck('id');
    const res = await request(t.app)
      .get(`/api/v1/settlement/statements/${statement}`)
      .set('Authorization', `Bearer ${other}`);
    expect(res.status).to.equal(404);
    const list = await request(t.app)
      .get(`/api/v1/settlement/payouts?associationId=${associationId}`)
      .set('Authorization', `Bearer ${other}`);
    expect(list.status).to.equal(404);
  });

  it('holds the payout of an association with a pending bank change or an invalid account, reports it, and pays once fixed', async () => {
    const funder = await insertFunder(t.db.knex);
    const { batch, voucherIds } = await issueActiveBatch(t.db.knex, { funderId: funder });
    const batchPasses = passesOf(batch, voucherIds);
    const pending = await insertAssociation(t.db.knex, {
      name: 'Asso en changement',
      bankDetailsStatus: 'pending_change',
    });
    const invalid = await insertAssociation(t.db.knex, {
      name: 'Asso IBAN faux',
      iban: 'FR1420041010050500013M02607',
    });
    for (const [index, association] of [pending, invalid].entries()) {
      const venue = await insertVenue(t.db.knex, association);
      await redeem(t.db.knex, {
        associationId: association,
        ...venue,
        passes: batchPasses.slice(index, index + 1),
        redeemedAt: paris('2026-12-10T10:00:00'),
      });
    }
    const summary = await runScheduledClearing(t, paris('2027-01-02T03:00:00'));
    const held = Object.fromEntries(summary.held.map((h) => [h.associationId, h.reason]));
    expect(held[pending]).to.equal('bank_change_pending');
    expect(held[invalid]).to.equal('invalid_account');
    // Numbered in the new year, from 1, gapless, in association order.
    const numbers = summary.statementsIssued.map((s) => s.number).sort();
    expect(numbers[0]).to.equal('RLV-2027-000001');
    expect(numbers).to.deep.equal(numbers.map((_, i) => `RLV-2027-${String(i + 1).padStart(6, '0')}`));
    for (const association of [pending, invalid]) {
      const payout = await t.db.knex('settlement.payouts').where({ association_id: association }).first();
      expect(payout.status).to.equal('held');
      expect(payout.file_id).to.equal(null);
    }

    await t.db
      .knex('registry.associations')
      .where({ organisation_id: pending })
      .update({ bank_details_status: 'approved' });
    const next = await runScheduledClearing(t, paris('2027-01-03T03:00:00'));
    expect(next.released).to.be.at.least(1);
    expect(
      (await t.db.knex('settlement.payouts').where({ association_id: pending }).first()).status,
    ).to.equal('exported');
    expect(
      (await t.db.knex('settlement.payouts').where({ association_id: invalid }).first()).status,
    ).to.equal('held');
    expect(next.held.map((h) => h.associationId)).to.include(invalid);
  });

  it('documents its routes in the OpenAPI document', async () => {
    const res = await request(t.app).get('/api/openapi.json');
    expect(res.status).to.equal(200);
    expect(Object.keys(res.body.paths)).to.include.members([
      '/api/v1/settlement/runs',
      '/api/v1/settlement/statements/{id}/pdf',
      '/api/v1/settlement/bank-returns',
      '/api/v1/settlement/exports/payouts.csv',
      '/api/v1/settlement/reconciliation',
    ]);
  });

  it('runs a clearing on demand for operator finance through the worker, once per Idempotency-Key', async () => {
    const association = await insertAssociation(t.db.knex, { cadence: 'monthly' });
    const venue = await insertVenue(t.db.knex, association);
    const funder = await insertFunder(t.db.knex);
    const { batch, voucherIds } = await issueActiveBatch(t.db.knex, { funderId: funder });
    await redeem(t.db.knex, {
      associationId: association,
      ...venue,
      passes: passesOf(batch, voucherIds).slice(0, 2),
      redeemedAt: paris('2027-01-10T10:00:00'),
    });
    t.clock.set(paris('2027-01-12T15:00:00'));
    const finance = await t.login(demoEmail('operator_finance'));
    const body = { associationId: association };
    const first = await request(t.app)
      .post('/api/v1/settlement/runs')
      .set('Authorization', `Bearer ${finance}`)
      .set('Idempotency-Key', 'run-on-demand-0001')
      .send(body);
    expect(first.status).to.equal(202);
    expect(first.body.manualCutoff).to.equal(paris('2027-01-11T15:00:00').toISOString());
    const second = await request(t.app)
      .post('/api/v1/settlement/runs')
      .set('Authorization', `Bearer ${finance}`)
      .set('Idempotency-Key', 'run-on-demand-0001')
      .send(body);
    expect(second.body.id).to.equal(first.body.id);
    let run = await findRun(t.db.knex, first.body.id);
    for (let i = 0; i < 100 && run?.status !== 'completed'; i++) {
      await t.runtime.ctx.outbox.relayOnce();
      await new Promise((resolve) => setTimeout(resolve, 100));
      run = await findRun(t.db.knex, first.body.id);
    }
    expect(run?.status).to.equal('completed');
    expect(run?.summary?.statementsIssued).to.have.length(1);
    const statement = await t.db.knex('settlement.statements').where({ association_id: association }).first();
    expect(statement.gross_cents).to.equal('2000');

    const treasurerOnly = await request(t.app)
      .post('/api/v1/settlement/runs')
      .set('Authorization', `Bearer ${await t.login(demoEmail('association_treasurer'))}`)
      .set('Idempotency-Key', 'run-on-demand-0002')
      .send({});
    expect(treasurerOnly.status).to.equal(403);
  });
});
