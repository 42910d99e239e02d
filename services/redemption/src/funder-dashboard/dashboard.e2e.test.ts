import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, demoEmail, type TestApp } from '../../../../test/support/app';
import { insertAssociation, insertVenue, issueBatch } from '../testing/redemption-test-kit';
import type { FunderDashboard } from './dashboard-service';

const parisMonth = (at: Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit' }).format(
    at,
  );

describe('funder dashboard (GET /funders/:id/dashboard)', () => {
  let t: TestApp;
  let funderId: string;
  let manager: string;

  before(async () => {
    t = await createTestApp();
    funderId = t.demo.ids.funderId!;
    manager = await t.login(demoEmail('funder_manager'));
  });
  after(async () => {
    await t.close();
  });

  const dashboard = (id: string, token: string) =>
    request(t.app).get(`/api/v1/funders/${id}/dashboard`).set('Authorization', `Bearer ${token}`);
  const thisMonth = (body: FunderDashboard) => body.overTime.at(-1)!;

  it('counts a redeemed pass by venue, commune and service, and passes distributed and expired this month', async () => {
    const before = await dashboard(funderId, manager);
    expect(before.status, JSON.stringify(before.body)).to.equal(200);
    expect(before.body.overTime).to.have.length(12);
    expect(thisMonth(before.body).period).to.equal(parisMonth(new Date()));

    const venue = await insertVenue(t.db.knex, {
      associationId: await insertAssociation(t.db.knex),
      name: 'Tableau de bord EPN',
    });
    const b = await issueBatch(t.db.knex, t.config, { funderId, count: 5 });
    const now = new Date();
    await t.db
      .knex('vouchers.vouchers')
      .whereIn('id', b.voucherIds.slice(0, 2))
      .update({ distributed_at: now });
    await t.db
      .knex('vouchers.vouchers')
      .where({ id: b.voucherIds[4] })
      .update({ status: 'expired', status_changed_at: now });
    const redeemed = await request(t.app)
      .post('/api/v1/redemptions')
      .set('Authorization', `Device ${venue.deviceToken}`)
      .set('Idempotency-Key', randomUUID())
      .send({ catalogueServiceId: venue.services[1], codes: [b.codes[0]!] });
    expect(redeemed.status, JSON.stringify(redeemed.body)).to.equal(201);

    const after = await dashboard(funderId, manager);
    expect(after.status).to.equal(200);
    expect(after.body.byVenue).to.deep.include({ label: 'Tableau de bord EPN', redeemed: 1 });
    const privas = (body: FunderDashboard) => body.byCommune.find((c) => c.label === 'Privas')?.redeemed ?? 0;
    expect(privas(after.body) - privas(before.body)).to.equal(1);
    const service = (body: FunderDashboard) =>
      body.byService.find((s) => s.label === 'Service à 1 pass')?.redeemed ?? 0;
    expect(service(after.body) - service(before.body)).to.equal(1);
    expect(thisMonth(after.body)).to.deep.equal({
      period: thisMonth(before.body).period,
      distributed: thisMonth(before.body).distributed + 2,
      redeemed: thisMonth(before.body).redeemed + 1,
      expired: thisMonth(before.body).expired + 1,
    });
  });

  it('no longer counts an undone redemption', async () => {
    const venue = await insertVenue(t.db.knex, {
      associationId: await insertAssociation(t.db.knex),
      name: 'Lieu annulé',
    });
    const b = await issueBatch(t.db.knex, t.config, { funderId, count: 5 });
    const redeemed = await request(t.app)
      .post('/api/v1/redemptions')
      .set('Authorization', `Device ${venue.deviceToken}`)
      .set('Idempotency-Key', randomUUID())
      .send({ catalogueServiceId: venue.services[1], codes: [b.codes[0]!] });
    expect(redeemed.status).to.equal(201);
    expect((await dashboard(funderId, manager)).body.byVenue).to.deep.include({
      label: 'Lieu annulé',
      redeemed: 1,
    });
    const undo = await request(t.app)
      .post(`/api/v1/redemptions/${redeemed.body.id}/undo`)
      .set('Authorization', `Device ${venue.deviceToken}`)
      .set('Idempotency-Key', randomUUID())
      .send({ reason: 'Erreur de saisie' });
    expect(undo.status, JSON.stringify(undo.body)).to.equal(200);
    const labels = (await dashboard(funderId, manager)).body.byVenue.map((v: { label: string }) => v.label);
    expect(labels).to.not.include('Lieu annulé');
  });

  it("answers 404 to a funder manager asking for another funder's dashboard, not to an operator", async () => {
    const [other] = await t.db
      .knex('registry.organisations')
      .insert({ kind: 'funder', name: 'Autre financeur' })
      .returning<{ id: string }[]>('id');
    const refused = await dashboard(other!.id, manager);
    expect(refused.status).to.equal(404);
    const operator = await t.login(demoEmail('operator_admin'));
    const seen = await dashboard(other!.id, operator);
    expect(seen.status).to.equal(200);
    expect(seen.body.byVenue).to.deep.equal([]);
    expect((await dashboard(randomUUID(), operator)).status, 'not a funder').to.equal(404);
  });

  it('refuses a venue agent with 403', async () => {
    const agent = await t.login(demoEmail('venue_agent'));
    expect((await dashboard(funderId, agent)).status).to.equal(403);
  });
});
