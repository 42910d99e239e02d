import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, demoEmail, type TestApp } from '../../../test/support/app';
import { createPgliteTestDb } from '../../../test/support/database';
import { as } from './testing/registry-fixtures';

// `npm start` without configuration runs on PGlite: the registry's queries (arrays, jsonb, row-value
// comparisons, tuple IN lists, advisory locks) must work there too.
describe('registry on embedded PGlite (e2e)', function () {
  this.timeout(120_000);
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ db: await createPgliteTestDb() });
  });
  after(async () => {
    await t.close();
  });

  it('seeds the demo with the Hinaura venues', async () => {
    const counts = await t.db
      .knex('registry.venues')
      .select('accreditation_status')
      .count<{ accreditation_status: string; count: string | number }[]>('* as count')
      .groupBy('accreditation_status');
    const byStatus = Object.fromEntries(counts.map((row) => [row.accreditation_status, Number(row.count)]));
    expect(byStatus).to.deep.equal({ accredited: 81, applied: 10, listed: 170 });
  });

  it('serves the public directory around a point and pages venues', async () => {
    const near = await request(t.app).get('/api/v1/public/venues?lat=44.9334&lon=4.8924&radiusKm=15');
    expect(near.status).to.equal(200);
    expect(near.body.items.length).to.be.greaterThan(2);
    const admin = await as(t, demoEmail('operator_admin'));
    const first = await admin.get('/api/v1/venues?limit=5');
    const second = await admin.get(`/api/v1/venues?limit=5&cursor=${first.body.nextCursor}`);
    expect(second.body.items[0].name >= first.body.items[4].name).to.equal(true);
  });

  it('imports a v1.x file and re-imports it unchanged', async () => {
    const admin = await as(t, demoEmail('operator_admin'));
    const content = readFileSync(new URL('../data/sample-v1.csv', import.meta.url), 'utf8');
    const first = await admin.post('/api/v1/venues/import?dryRun=false').send({ format: 'csv', content });
    expect(first.body.summary).to.deep.include({ created: 4, rejected: 1 });
    const again = await admin.post('/api/v1/venues/import?dryRun=false').send({ format: 'csv', content });
    expect(again.body.summary).to.deep.include({ unchanged: 4, rejected: 1 });
  });

  it('runs the four-eyes bank change', async () => {
    const treasurer = await as(t, demoEmail('association_treasurer'));
    const change = await treasurer
      .post(`/api/v1/associations/${t.demo.ids.associationId}/bank-change-requests`)
      .send({
        iban: 'FR14 2004 1010 0505 0001 3M02 606',
        bic: 'PSSTFRPPLYO',
        accountHolderName: 'INFOROUTES',
      });
    expect(change.status).to.equal(201);
    const finance = await as(t, demoEmail('operator_finance'));
    expect(
      (await finance.post(`/api/v1/bank-change-requests/${change.body.id}/approve`).send({})).status,
    ).to.equal(200);
  });
});
