import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, demoEmail, type TestApp } from '../../../../test/support/app';
import { endToEndIdFromPayoutId } from '../sepa';
import { runScheduledClearing } from '../testing/settlement-test-app';
import {
  insertFunder,
  issueActiveBatch,
  paris,
  passesOf,
  redeem,
  undoRedemption,
} from '../testing/settlement-test-builders';

function csvLines(text: string): string[][] {
  return text
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n')
    .map((line) => line.split(';'));
}

describe('treasurer views and bookkeeping exports (e2e, PostgreSQL)', function () {
  this.timeout(120_000);
  let t: TestApp;
  let treasurer: string;
  let redeemedIds: string[];

  before(async () => {
    t = await createTestApp();
    treasurer = await t.login(demoEmail('association_treasurer'));
    const associationId = t.demo.ids.associationId!;
    const venue = { venueId: t.demo.ids.venueId!, serviceId: t.demo.ids.serviceTwoPassesId! };
    const funderA = t.demo.ids.funderId!;
    const funderB = await insertFunder(t.db.knex, 'CCAS de Privas');
    const a = await issueActiveBatch(t.db.knex, { funderId: funderA });
    const b = await issueActiveBatch(t.db.knex, { funderId: funderB, faceValueCents: 500n });
    const passesA = passesOf(a.batch, a.voucherIds);
    const passesB = passesOf(b.batch, b.voucherIds);
    redeemedIds = [
      await redeem(t.db.knex, {
        associationId,
        ...venue,
        passes: [passesA[0]!, passesB[0]!],
        redeemedAt: paris('2026-11-05T09:15:00'),
      }),
      await redeem(t.db.knex, {
        associationId,
        ...venue,
        passes: passesA.slice(1, 3),
        redeemedAt: paris('2026-11-20T16:45:00'),
      }),
      await redeem(t.db.knex, {
        associationId,
        ...venue,
        passes: passesA.slice(3, 5),
        redeemedAt: paris('2026-12-03T11:00:00'),
      }),
    ];
    const undone = await redeem(t.db.knex, {
      associationId,
      ...venue,
      passes: passesA.slice(5, 7),
      redeemedAt: paris('2026-11-21T10:00:00'),
    });
    await undoRedemption(t.db.knex, undone, paris('2026-11-21T10:02:00'));
    await runScheduledClearing(t, paris('2026-12-02T03:00:00'));
  });
  after(async () => {
    await t?.close();
  });

  it('lists the association’s redemptions with the statement each one is on', async () => {
    const res = await request(t.app)
      .get('/api/v1/settlement/redemptions?limit=2')
      .set('Authorization', `Bearer ${treasurer}`);
    expect(res.status).to.equal(200);
    expect(res.body.items.map((r: { id: string }) => r.id)[0]).to.equal(redeemedIds[2]);
    expect(res.body.items[0].statementNumber).to.equal(null);
    const next = await request(t.app)
      .get(`/api/v1/settlement/redemptions?limit=10&cursor=${encodeURIComponent(res.body.nextCursor)}`)
      .set('Authorization', `Bearer ${treasurer}`);
    const all = [...res.body.items, ...next.body.items];
    expect(all).to.have.length(4);
    const first = all.find((r: { id: string }) => r.id === redeemedIds[0]);
    expect(first).to.deep.include({
      statementNumber: 'RLV-2026-000001',
      voucherCount: 2,
      funders: "CCAS de Privas, Département de l'Ardèche",
    });
    expect(first.amount).to.deep.equal({ amount: '15.00', currency: 'EUR' });
    expect(all.filter((r: { status: string }) => r.status === 'undone')).to.have.length(1);
  });

  it('exports one CSV line per redemption with venue, service, funder and date', async () => {
    const res = await request(t.app)
      .get('/api/v1/settlement/exports/redemptions.csv?from=2026-11-01&to=2026-11-30')
      .set('Authorization', `Bearer ${treasurer}`);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('text/csv; charset=utf-8');
    expect(res.text.startsWith('\uFEFF')).to.equal(true);
    const lines = csvLines(res.text);
    expect(lines[0]).to.deep.equal([
      'Date',
      'Heure',
      'Lieu',
      'Service',
      'Catégorie',
      'Financeur',
      'Nombre de pass',
      'Montant (€)',
      'N° de relevé',
      'Identifiant',
    ]);
    // The undone redemption and December's are not in November's bookkeeping.
    expect(lines.slice(1)).to.deep.equal([
      [
        '20/11/2026',
        '16:45',
        'Espace Public Numérique Alboussière',
        'Accompagnement démarches en ligne (1 h)',
        'maitrise-outils-numeriques',
        "Département de l'Ardèche",
        '2',
        '20,00',
        'RLV-2026-000001',
        redeemedIds[1]!,
      ],
      [
        '05/11/2026',
        '09:15',
        'Espace Public Numérique Alboussière',
        'Accompagnement démarches en ligne (1 h)',
        'maitrise-outils-numeriques',
        "CCAS de Privas, Département de l'Ardèche",
        '2',
        '15,00',
        'RLV-2026-000001',
        redeemedIds[0]!,
      ],
    ]);
  });

  it('exports one CSV line per payout with its statement number and bank status', async () => {
    const payout = await t.db.knex('settlement.payouts').first();
    const res = await request(t.app)
      .get('/api/v1/settlement/exports/payouts.csv')
      .set('Authorization', `Bearer ${treasurer}`);
    expect(res.status).to.equal(200);
    const lines = csvLines(res.text);
    expect(lines[0]![0]).to.equal('N° de relevé');
    expect(lines.slice(1)).to.deep.equal([
      [
        'RLV-2026-000001',
        '02/12/2026',
        '01/11/2026 - 30/11/2026',
        '35,00',
        '0,00',
        '35,00',
        'Virement émis',
        '03/12/2026',
        '',
        '',
        'RELEVE RLV-2026-000001 PASS NUMERIQUE',
        endToEndIdFromPayoutId(payout.id),
      ],
    ]);
  });

  it('does not let a treasurer export another association’s data', async () => {
    const res = await request(t.app)
      .get(`/api/v1/settlement/exports/payouts.csv?associationId=${t.demo.ids.funderId}`)
      .set('Authorization', `Bearer ${treasurer}`);
    expect(res.status).to.equal(404);
  });
});
