import { expect } from 'chai';
import { createTestApp, demoEmail, type TestApp } from '../../../../test/support/app';
import { as } from '../testing/registry-fixtures';

describe('audit log (e2e)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => {
    await t.close();
  });

  it('records who, as what, for which organisation, did what to what, when, with the request id', async () => {
    const treasurer = await as(t, demoEmail('association_treasurer'));
    const res = await treasurer
      .patch(`/api/v1/venues/${t.demo.ids.venueId}`)
      .set('X-Request-Id', 'audit-test-request-0001')
      .send({ contactName: 'Accueil EPN' });
    expect(res.status).to.equal(200);
    const admin = await as(t, demoEmail('operator_admin'));
    const found = await admin.get(`/api/v1/audit?targetId=${t.demo.ids.venueId}&action=venue.updated`);
    expect(found.status).to.equal(200);
    expect(found.body.items).to.have.length(1);
    const entry = found.body.items[0];
    expect(entry).to.include({
      actorKind: 'user',
      actorId: t.demo.ids.user_association_treasurer,
      actorRole: 'association_treasurer',
      organisationId: t.demo.ids.associationId,
      action: 'venue.updated',
      targetType: 'venue',
      targetId: t.demo.ids.venueId,
      requestId: 'audit-test-request-0001',
    });
    expect(entry.summary.changes).to.deep.equal({ contactName: { from: null, to: 'Accueil EPN' } });
    expect(Date.parse(entry.at)).to.be.closeTo(Date.now(), 60_000);
  });

  it('is append-only: the database refuses to change or delete an entry', async () => {
    for (const attempt of [
      () => t.db.knex('platform.audit_log').update({ action: 'nothing.happened' }),
      () => t.db.knex('platform.audit_log').delete(),
    ]) {
      let code: string | undefined;
      try {
        await attempt();
      } catch (err) {
        code = (err as { code?: string }).code;
      }
      expect(code).to.equal('55000');
    }
  });

  it('searches by organisation and time, newest first, page by page', async () => {
    const admin = await as(t, demoEmail('operator_admin'));
    for (const name of ['Un', 'Deux', 'Trois']) {
      await admin.patch(`/api/v1/funders/${t.demo.ids.funderId}`).send({ contacts: [{ name }] });
    }
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const first = await admin.get(
      `/api/v1/audit?organisationId=${t.demo.ids.funderId}&action=funder.updated&from=${from}&limit=2`,
    );
    expect(first.body.items).to.have.length(2);
    expect(first.body.items[0].summary.changes.contacts.to[0].name).to.equal('Trois');
    const second = await admin.get(
      `/api/v1/audit?organisationId=${t.demo.ids.funderId}&action=funder.updated&limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items).to.have.length(1);
    expect(second.body.items[0].summary.changes.contacts.to[0].name).to.equal('Un');
    expect(second.body.nextCursor).to.equal(null);
    const future = await admin.get(`/api/v1/audit?from=${new Date(Date.now() + 3_600_000).toISOString()}`);
    expect(future.body.items).to.deep.equal([]);
  });

  it('exports a search as CSV', async () => {
    const finance = await as(t, demoEmail('operator_finance'));
    const res = await finance.get('/api/v1/audit?action=funder.updated&format=csv');
    expect(res.status).to.equal(200);
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).to.equal(
      'id;date;acteur;type_acteur;role;organisation;action;cible_type;cible_id;resume;requete',
    );
    expect(lines).to.have.length(4);
  });

  it('is for operators only', async () => {
    for (const role of [
      'funder_manager',
      'association_treasurer',
      'venue_agent',
      'distributor_agent',
    ] as const) {
      const user = await as(t, demoEmail(role));
      expect((await user.get('/api/v1/audit')).status, role).to.equal(403);
    }
  });
});
