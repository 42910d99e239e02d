import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, demoEmail, type TestApp } from '../../../../test/support/app';
import { as, createOtherTenants, type OtherTenants } from '../testing/registry-fixtures';

const PASSWORD = 'un mot de passe assez long';

describe('users and invitations (e2e)', () => {
  let t: TestApp;
  let other: OtherTenants;
  const accept = (token: string, password = PASSWORD) =>
    request(t.app).post('/api/v1/invitations/accept').send({ token, password });
  const login = (email: string, password = PASSWORD) =>
    request(t.app).post('/api/v1/auth/login').send({ email, password });

  before(async () => {
    t = await createTestApp();
    other = await createOtherTenants(t);
  });
  after(async () => {
    await t.close();
  });

  it('invites a person with a role; the single-use token sets the password and the person can log in', async () => {
    const admin = await as(t, demoEmail('operator_admin'));
    const res = await admin.post('/api/v1/users/invitations').send({
      organisationId: t.demo.ids.funderId,
      email: 'nouvelle.gestionnaire@ardeche.example.fr',
      displayName: 'Nouvelle Gestionnaire',
      role: 'funder_manager',
    });
    expect(res.status).to.equal(201);
    expect(res.body.user).to.include({
      status: 'invited',
      role: 'funder_manager',
      organisationId: t.demo.ids.funderId,
    });
    const token = res.body.invitation.token as string;
    expect(res.body.invitation.acceptUrl).to.equal(`${t.config.publicUrl}/invitation#${token}`);
    const stored = await t.db.knex('registry.invitations').where({ user_id: res.body.user.id }).first();
    expect(stored.token_hash).to.not.equal(token);
    expect((await login('nouvelle.gestionnaire@ardeche.example.fr')).status).to.equal(401);
    const accepted = await accept(token);
    expect(accepted.status).to.equal(200);
    expect(accepted.body.status).to.equal('active');
    const session = await login('nouvelle.gestionnaire@ardeche.example.fr');
    expect(session.status).to.equal(200);
    expect(session.body.user.organisation.id).to.equal(t.demo.ids.funderId);
    const replay = await accept(token, 'un autre mot de passe long');
    expect(replay.status).to.equal(400);
    expect(replay.body.code).to.equal('invalid_invitation');
  });

  it('refuses a short password and an expired or unknown token', async () => {
    const admin = await as(t, demoEmail('operator_admin'));
    const res = await admin.post('/api/v1/users/invitations').send({
      organisationId: t.demo.ids.distributorId,
      email: 'agent2@privas.example.fr',
      displayName: 'Agent 2',
      role: 'distributor_agent',
    });
    const short = await accept(res.body.invitation.token, 'court');
    expect(short.status).to.equal(400);
    expect(short.body.errors[0].code).to.equal('password_too_short');
    t.clock.advance(8 * 86_400_000);
    const expired = await accept(res.body.invitation.token);
    t.clock.set(new Date());
    expect(expired.body.code).to.equal('invalid_invitation');
    expect((await accept('x'.repeat(43))).body.code).to.equal('invalid_invitation');
    // A new link works, and the old one stays dead.
    const again = await admin.post(`/api/v1/users/${res.body.user.id}/invitation`).send();
    expect(again.status).to.equal(201);
    expect((await accept(again.body.invitation.token)).status).to.equal(200);
  });

  it('lets an organisation admin invite into their own organisation only', async () => {
    const treasurer = await as(t, demoEmail('association_treasurer'));
    const own = await treasurer.post('/api/v1/users/invitations').send({
      email: 'mediatrice@inforoutes.example.fr',
      displayName: 'Médiatrice',
      role: 'venue_agent',
      venueId: t.demo.ids.venueId,
    });
    expect(own.status).to.equal(201);
    expect(own.body.user).to.include({
      organisationId: t.demo.ids.associationId,
      venueId: t.demo.ids.venueId,
    });
    const elsewhere = await treasurer.post('/api/v1/users/invitations').send({
      organisationId: other.associationId,
      email: 'intrus@example.fr',
      displayName: 'Intrus',
      role: 'association_treasurer',
    });
    expect(elsewhere.status).to.equal(404);
    const otherVenue = await treasurer.post('/api/v1/users/invitations').send({
      email: 'intrus2@example.fr',
      displayName: 'Intrus',
      role: 'venue_agent',
      venueId: other.venueId,
    });
    expect(otherVenue.status).to.equal(404);
    expect(otherVenue.body.code).to.equal('venue_not_found');
  });

  it('refuses a role foreign to the organisation, a venue agent without venue, a taken e-mail, a non-admin', async () => {
    const admin = await as(t, demoEmail('operator_admin'));
    const wrongRole = await admin.post('/api/v1/users/invitations').send({
      organisationId: t.demo.ids.associationId,
      email: 'x1@example.fr',
      displayName: 'X',
      role: 'operator_admin',
    });
    expect(wrongRole.body.code).to.equal('role_not_allowed_for_organisation');
    const noVenue = await admin.post('/api/v1/users/invitations').send({
      organisationId: t.demo.ids.associationId,
      email: 'x2@example.fr',
      displayName: 'X',
      role: 'venue_agent',
    });
    expect(noVenue.body.code).to.equal('venue_required');
    const taken = await admin.post('/api/v1/users/invitations').send({
      organisationId: t.demo.ids.funderId,
      email: demoEmail('funder_manager').toUpperCase(),
      displayName: 'X',
      role: 'funder_manager',
    });
    expect(taken.status).to.equal(409);
    expect(taken.body.code).to.equal('email_taken');
    const agent = await as(t, demoEmail('venue_agent'));
    const notAdmin = await agent
      .post('/api/v1/users/invitations')
      .send({ email: 'x3@example.fr', displayName: 'X', role: 'venue_agent', venueId: t.demo.ids.venueId });
    expect(notAdmin.status).to.equal(403);
    expect(notAdmin.body.code).to.equal('not_org_admin');
  });

  it('lists the members of an organisation for its admins, everyone for operators', async () => {
    const treasurer = await as(t, demoEmail('association_treasurer'));
    const members = await treasurer.get('/api/v1/users');
    expect(members.status).to.equal(200);
    const organisations = new Set(
      members.body.items.map((u: { organisationId: string }) => u.organisationId),
    );
    expect([...organisations]).to.deep.equal([t.demo.ids.associationId]);
    expect(members.body.items.map((u: { email: string }) => u.email)).to.include(demoEmail('venue_agent'));
    expect((await treasurer.get(`/api/v1/users?organisationId=${other.associationId}`)).status).to.equal(404);
    const agent = await as(t, demoEmail('venue_agent'));
    expect((await agent.get('/api/v1/users')).status).to.equal(403);
    const admin = await as(t, demoEmail('operator_admin'));
    const everyone = await admin.get('/api/v1/users?limit=500');
    expect(
      new Set(everyone.body.items.map((u: { organisationId: string }) => u.organisationId)).size,
    ).to.be.greaterThan(4);
    const csv = await admin.get('/api/v1/users?format=csv');
    expect(csv.text).to.include(demoEmail('funder_manager'));
  });

  it('deactivates a member: no more login, refresh tokens revoked; never oneself', async () => {
    const email = 'a-desactiver@inforoutes.example.fr';
    const treasurer = await as(t, demoEmail('association_treasurer'));
    const invited = await treasurer
      .post('/api/v1/users/invitations')
      .send({ email, displayName: 'Partante', role: 'association_treasurer' });
    await accept(invited.body.invitation.token);
    const session = await login(email);
    expect(session.status).to.equal(200);
    const res = await treasurer.post(`/api/v1/users/${invited.body.user.id}/deactivate`).send();
    expect(res.status).to.equal(200);
    expect(res.body.status).to.equal('deactivated');
    expect((await login(email)).status).to.equal(401);
    const refresh = await request(t.app)
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: session.body.refreshToken });
    expect(refresh.status).to.equal(401);
    const self = await treasurer
      .post(`/api/v1/users/${t.demo.ids.user_association_treasurer}/deactivate`)
      .send();
    expect(self.status).to.equal(409);
    expect(self.body.code).to.equal('cannot_deactivate_self');
    const otherTreasurer = await as(t, other.treasurer);
    expect(
      (await otherTreasurer.post(`/api/v1/users/${invited.body.user.id}/reactivate`).send()).status,
    ).to.equal(404);
    const back = await treasurer.post(`/api/v1/users/${invited.body.user.id}/reactivate`).send();
    expect(back.body.status).to.equal('active');
    expect((await login(email)).status).to.equal(200);
  });

  it('audits invitations, activations and deactivations', async () => {
    const actions = await t.db.knex('platform.audit_log').where('action', 'like', 'user.%').pluck('action');
    expect(actions).to.include.members([
      'user.invited',
      'user.activated',
      'user.reinvited',
      'user.deactivated',
      'user.reactivated',
    ]);
  });
});
