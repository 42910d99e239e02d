import { expect } from 'chai';
import { createTestApp, demoEmail, type TestApp } from '../../../../test/support/app';
import { as } from '../testing/registry-fixtures';

const billingAddress = {
  street: 'Place Sadi Carnot',
  buildingNumber: '1',
  postcode: '26000',
  town: 'Valence',
};

describe('funders (e2e)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => {
    await t.close();
  });

  it('onboards a funder with a real SIRET, default contract terms and normalised contacts', async () => {
    const admin = await as(t, demoEmail('operator_admin'));
    const res = await admin.post('/api/v1/funders').send({
      name: 'INSEE (financeur de test)',
      kind: 'other',
      siret: '120 027 016 00563',
      contacts: [{ name: 'Mme Durand', email: 'durand@example.fr', phone: '04 75 79 26 26' }],
      billingAddress,
    });
    expect(res.status).to.equal(201);
    expect(res.body).to.deep.include({ siret: '12002701600563', kind: 'other' });
    expect(res.body.contract).to.deep.equal({
      upstreamFeeRate: '0.04',
      vatRate: '0.2',
      expiredPassPolicy: 'refund',
    });
    expect(res.body.contacts[0]).to.include({ phone: '+33475792626' });
    expect(res.body.billingAddress).to.deep.equal({ ...billingAddress, country: 'FR' });
  });

  it("accepts La Poste's SIRETs under its own rule and refuses the ones that break it", async () => {
    const admin = await as(t, demoEmail('operator_admin'));
    const create = (siret: string) =>
      admin
        .post('/api/v1/funders')
        .send({ name: `La Poste ${siret}`, kind: 'company', siret, billingAddress });
    // 35600000049837 fails Luhn but its digits add up to a multiple of 5: valid for La Poste.
    expect((await create('35600000049837')).status).to.equal(201);
    expect((await create('35600000000048')).status).to.equal(201);
    // 35600000000014 passes Luhn, but La Poste's rule is the digit sum.
    const refused = await create('35600000000014');
    expect(refused.status).to.equal(400);
    expect(refused.body.errors).to.deep.include({
      path: 'body.siret',
      code: 'siret_bad_checksum',
      message: 'Not a valid SIRET (bad checksum).',
    });
  });

  it('refuses a SIRET with a wrong check digit, the all-zero placeholder, and a wrong length', async () => {
    const admin = await as(t, demoEmail('operator_admin'));
    for (const [siret, code] of [
      ['12002701600564', 'siret_bad_checksum'],
      ['00000000000000', 'siret_all_zeros'],
      ['1200270160056', 'siret_wrong_length'],
    ] as const) {
      const res = await admin
        .post('/api/v1/funders')
        .send({ name: 'X', kind: 'ccas', siret, billingAddress });
      expect(res.status, siret).to.equal(400);
      expect(res.body.errors.map((e: { code: string }) => e.code)).to.deep.equal([code]);
    }
  });

  it('refuses a rate that is not a fraction between 0 and 1', async () => {
    const admin = await as(t, demoEmail('operator_admin'));
    const res = await admin.post('/api/v1/funders').send({
      name: 'X',
      kind: 'caf',
      siret: '12002701600563',
      billingAddress,
      contract: { upstreamFeeRate: '4' },
    });
    expect(res.status).to.equal(400);
    expect(res.body.errors[0].path).to.equal('body.contract.upstreamFeeRate');
  });

  it('shows a funder only itself, and another funder answers 404', async () => {
    const manager = await as(t, demoEmail('funder_manager'));
    const list = await manager.get('/api/v1/funders');
    expect(list.status).to.equal(200);
    expect(list.body.items.map((f: { id: string }) => f.id)).to.deep.equal([t.demo.ids.funderId]);
    const admin = await as(t, demoEmail('operator_admin'));
    const other = await admin
      .post('/api/v1/funders')
      .send({ name: 'CCAS de Valence', kind: 'ccas', siret: '12002701600357', billingAddress });
    const denied = await manager.get(`/api/v1/funders/${other.body.id}`);
    expect(denied.status).to.equal(404);
    expect(denied.body.code).to.equal('funder_not_found');
    expect((await manager.patch(`/api/v1/funders/${other.body.id}`).send({ contacts: [] })).status).to.equal(
      404,
    );
  });

  it("lets the funder's admin update contacts and billing address, but not the contract", async () => {
    const manager = await as(t, demoEmail('funder_manager'));
    const url = `/api/v1/funders/${t.demo.ids.funderId}`;
    const ok = await manager
      .patch(url)
      .send({ contacts: [{ name: 'Service insertion', email: 'insertion@ardeche.example.fr' }] });
    expect(ok.status).to.equal(200);
    expect(ok.body.contacts).to.have.length(1);
    const refused = await manager.patch(url).send({ contract: { upstreamFeeRate: '0.01' } });
    expect(refused.status).to.equal(403);
    expect(refused.body.code).to.equal('operator_only_field');
    const admin = await as(t, demoEmail('operator_admin'));
    const changed = await admin
      .patch(url)
      .send({ contract: { upstreamFeeRate: '0.035', expiredPassPolicy: 'reuse' } });
    expect(changed.body.contract).to.deep.equal({
      upstreamFeeRate: '0.035',
      vatRate: '0.2',
      expiredPassPolicy: 'reuse',
    });
    const audit = await t.db
      .knex('platform.audit_log')
      .where({ action: 'funder.updated', target_id: t.demo.ids.funderId })
      .orderBy('id', 'desc')
      .first();
    expect(audit.summary.changes.contract.to).to.deep.include({ upstreamFeeRate: '0.035' });
    expect(audit.actor_role).to.equal('operator_admin');
  });

  it('pages through funders with a cursor and exports them as CSV', async () => {
    const admin = await as(t, demoEmail('operator_admin'));
    const first = await admin.get('/api/v1/funders?limit=2');
    expect(first.body.items).to.have.length(2);
    expect(first.body.nextCursor).to.be.a('string');
    const second = await admin.get(`/api/v1/funders?limit=2&cursor=${first.body.nextCursor}`);
    const ids = [...first.body.items, ...second.body.items].map((f: { id: string }) => f.id);
    expect(new Set(ids).size).to.equal(ids.length);
    const all = await admin.get('/api/v1/funders?limit=500');
    expect(ids).to.deep.equal(all.body.items.slice(0, ids.length).map((f: { id: string }) => f.id));
    const csv = await admin.get('/api/v1/funders?format=csv');
    expect(csv.headers['content-type']).to.match(/^text\/csv/);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).to.equal('id;nom;type;siret;code_postal;ville;taux_frais_amont;taux_tva;passes_expires');
    expect(lines).to.have.length(all.body.items.length + 1);
    expect((await admin.get('/api/v1/funders?cursor=not-a-cursor')).body.code).to.equal('invalid_cursor');
  });

  it('refuses funder routes to other roles', async () => {
    const treasurer = await as(t, demoEmail('association_treasurer'));
    expect((await treasurer.get('/api/v1/funders')).status).to.equal(403);
    const manager = await as(t, demoEmail('funder_manager'));
    expect((await manager.post('/api/v1/funders').send({})).status).to.equal(403);
  });
});
