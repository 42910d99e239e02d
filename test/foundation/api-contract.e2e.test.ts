import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { createTestApp, demoEmail, insertUser, type TestApp } from '../support/app';

describe('API contract (problem+json, authentication, scoping)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => {
    await t.close();
  });

  describe('errors as RFC 9457 problem+json', () => {
    it('answers malformed JSON with 400 malformed_json', async () => {
      const res = await request(t.app)
        .post('/api/v1/auth/login')
        .set('Content-Type', 'application/json')
        .send('{"email": "x@y.fr", "password":');
      expect(res.status).to.equal(400);
      expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
      expect(res.body).to.include({ status: 400, code: 'malformed_json', title: 'Bad Request' });
      expect(res.body.type).to.match(/malformed_json$/);
      expect(res.body.requestId).to.be.a('string');
      expect(JSON.stringify(res.body)).to.not.match(/at .*\.ts:\d+/);
    });

    it('answers an unknown route with 404 route_not_found', async () => {
      const res = await request(t.app).get('/api/v1/no-such-thing');
      expect(res.status).to.equal(404);
      expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
      expect(res.body.code).to.equal('route_not_found');
    });

    it('answers an oversize body with 413 payload_too_large', async () => {
      const res = await request(t.app)
        .post('/api/v1/auth/login')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ email: 'a@b.fr', password: 'x'.repeat(2 * 1024 * 1024) }));
      expect(res.status).to.equal(413);
      expect(res.body.code).to.equal('payload_too_large');
    });

    it('lists each bad field of a validation failure', async () => {
      const res = await request(t.app).post('/api/v1/auth/login').send({ email: 'not-an-email', extra: 1 });
      expect(res.status).to.equal(400);
      expect(res.body.code).to.equal('validation_failed');
      const paths = (res.body.errors as { path: string }[]).map((e) => e.path);
      expect(paths).to.include.members(['body.email', 'body.password']);
      expect(res.body.errors.some((e: { code: string }) => e.code === 'unrecognized_keys')).to.equal(true);
    });

    it('maps a unique violation to 409 duplicate without leaking SQL', async () => {
      // Two users with the same e-mail: the unique index answers, the middleware maps 23505.
      const { toProblem } = await import('@pass/errors');
      let caught: unknown;
      try {
        await insertUser(t, {
          organisationId: t.demo.ids.operatorId!,
          role: 'operator_admin',
          email: demoEmail('operator_admin'),
        });
      } catch (err) {
        caught = err;
      }
      const problem = toProblem(caught);
      expect(problem).to.include({ status: 409, code: 'duplicate' });
      expect(JSON.stringify(problem)).to.not.match(/insert into/i);
    });
  });

  describe('JWT access tokens', () => {
    const me = (token: string) =>
      request(t.app).get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);

    it('accepts a valid token', async () => {
      const token = await t.login(demoEmail('funder_manager'));
      const res = await me(token);
      expect(res.status).to.equal(200);
      expect(res.body.role).to.equal('funder_manager');
      expect(res.body.organisation.kind).to.equal('funder');
    });

    it('refuses an expired token', async () => {
      const token = await t.login(demoEmail('funder_manager'));
      const { payload } = jwt.decode(token, { complete: true }) as { payload: Record<string, unknown> };
      const expired = jwt.sign(
        { ...payload, iat: Math.floor(Date.now() / 1000) - 3600, exp: Math.floor(Date.now() / 1000) - 1800 },
        t.config.secrets.jwtPrivateKeyPem,
        { algorithm: 'ES256' },
      );
      const res = await me(expired);
      expect(res.status).to.equal(401);
      expect(res.body.code).to.equal('token_expired');
    });

    it('refuses a tampered token (role changed, signature kept)', async () => {
      const token = await t.login(demoEmail('venue_agent'));
      const [header, payload, signature] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
      claims.role = 'operator_admin';
      const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
      const res = await me(forged);
      expect(res.status).to.equal(401);
      expect(res.body.code).to.equal('invalid_token');
    });

    it('refuses alg none', async () => {
      const token = await t.login(demoEmail('venue_agent'));
      const { payload } = jwt.decode(token, { complete: true }) as { payload: Record<string, unknown> };
      const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(
        JSON.stringify({ ...payload, role: 'operator_admin' }),
      ).toString('base64url')}.`;
      const res = await me(none);
      expect(res.status).to.equal(401);
      expect(res.body.code).to.equal('invalid_token');
    });

    it('refuses HS256 signed with the public key as secret', async () => {
      const token = await t.login(demoEmail('venue_agent'));
      const { payload } = jwt.decode(token, { complete: true }) as { payload: Record<string, unknown> };
      // Craft the classic key-confusion token by hand: jsonwebtoken itself refuses to sign it.
      const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
      const body = Buffer.from(JSON.stringify({ ...payload, role: 'operator_admin' })).toString('base64url');
      const { createHmac } = await import('node:crypto');
      const signature = createHmac('sha256', t.config.secrets.jwtPublicKeyPem)
        .update(`${header}.${body}`)
        .digest('base64url');
      const res = await me(`${header}.${body}.${signature}`);
      expect(res.status).to.equal(401);
      expect(res.body.code).to.equal('invalid_token');
    });

    it('refuses a token for another audience', async () => {
      const token = await t.login(demoEmail('venue_agent'));
      const { payload } = jwt.decode(token, { complete: true }) as { payload: Record<string, unknown> };
      const other = jwt.sign({ ...payload, aud: 'another-api' }, t.config.secrets.jwtPrivateKeyPem, {
        algorithm: 'ES256',
      });
      const res = await me(other);
      expect(res.status).to.equal(401);
      expect(res.body.code).to.equal('invalid_token');
    });

    it('refuses a token signed by another key pair', async () => {
      const token = await t.login(demoEmail('venue_agent'));
      const { payload } = jwt.decode(token, { complete: true }) as { payload: Record<string, unknown> };
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const other = jwt.sign(payload, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
        algorithm: 'ES256',
      });
      const res = await me(other);
      expect(res.status).to.equal(401);
      expect(createPublicKey(createPrivateKey(t.config.secrets.jwtPrivateKeyPem))).to.exist;
    });

    it('refuses a request without a token', async () => {
      const res = await request(t.app).get('/api/v1/auth/me');
      expect(res.status).to.equal(401);
      expect(res.body.code).to.equal('unauthorized');
    });
  });

  describe('login, refresh rotation and lockout', () => {
    it('refuses a wrong password with the same answer as an unknown e-mail', async () => {
      const wrong = await request(t.app)
        .post('/api/v1/auth/login')
        .send({ email: demoEmail('funder_manager'), password: 'wrong-password-123' });
      const unknown = await request(t.app)
        .post('/api/v1/auth/login')
        .send({ email: 'nobody@nowhere.fr', password: 'wrong-password-123' });
      expect(wrong.status).to.equal(401);
      expect(unknown.status).to.equal(401);
      expect(wrong.body.code).to.equal('invalid_credentials');
      expect(unknown.body.code).to.equal('invalid_credentials');
    });

    it('rotates refresh tokens and revokes the family when a used one comes back', async () => {
      const login = await request(t.app)
        .post('/api/v1/auth/login')
        .send({ email: demoEmail('association_treasurer'), password: 'demo-pass-numerique' });
      const first = login.body.refreshToken as string;
      const rotated = await request(t.app).post('/api/v1/auth/refresh').send({ refreshToken: first });
      expect(rotated.status).to.equal(200);
      expect(rotated.body.refreshToken).to.not.equal(first);
      const replay = await request(t.app).post('/api/v1/auth/refresh').send({ refreshToken: first });
      expect(replay.status).to.equal(401);
      expect(replay.body.code).to.equal('refresh_token_reused');
      // The legitimate newer token is revoked too: the family is burnt.
      const after = await request(t.app)
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: rotated.body.refreshToken });
      expect(after.status).to.equal(401);
    });

    it('locks an account after repeated failures, even with the right password', async () => {
      const email = 'lockme@demo.pass-numerique.fr';
      await insertUser(t, { organisationId: t.demo.ids.funderId!, role: 'funder_manager', email });
      for (let i = 0; i < 5; i++) {
        const res = await request(t.app)
          .post('/api/v1/auth/login')
          .send({ email, password: 'wrong-password-123' });
        expect(res.status).to.equal(401);
      }
      const locked = await request(t.app)
        .post('/api/v1/auth/login')
        .send({ email, password: 'demo-pass-numerique' });
      expect(locked.status).to.equal(429);
      expect(locked.body.code).to.equal('account_locked');
      expect(Number(locked.headers['retry-after'])).to.be.greaterThan(0);
      const audit = await t.db
        .knex('platform.audit_log')
        .where({ action: 'user.locked' })
        .count<{ count: string }[]>('* as count');
      expect(Number(audit[0]!.count)).to.equal(1);
      // Fifteen minutes later the right password works again.
      t.clock.advance(16 * 60_000);
      const again = await request(t.app)
        .post('/api/v1/auth/login')
        .send({ email, password: 'demo-pass-numerique' });
      expect(again.status).to.equal(200);
      t.clock.set(new Date());
    });
  });

  describe('roles and organisation scoping', () => {
    it('refuses a route to a role that is not listed (403 forbidden_role)', async () => {
      const token = await t.login(demoEmail('funder_manager'));
      const res = await request(t.app)
        .post(`/api/v1/venues/${t.demo.ids.venueId}/devices`)
        .set('Authorization', `Bearer ${token}`)
        .send({ name: 'Tablette' });
      expect(res.status).to.equal(403);
      expect(res.body.code).to.equal('forbidden_role');
    });

    it("answers 404 for another organisation's venue", async () => {
      const [org] = await t.db
        .knex('registry.organisations')
        .insert({ kind: 'association', name: 'Autre association' })
        .returning<{ id: string }[]>('id');
      await t.db.knex('registry.associations').insert({
        organisation_id: org!.id,
        legal_name: 'Autre association',
        rna: 'W691234567',
        street_name: 'Rue Garibaldi',
        postcode: '69003',
        town: 'Lyon',
      });
      const email = 'tresorier@autre.fr';
      await insertUser(t, { organisationId: org!.id, role: 'association_treasurer', email });
      const token = await t.login(email);
      const res = await request(t.app)
        .post(`/api/v1/venues/${t.demo.ids.venueId}/devices`)
        .set('Authorization', `Bearer ${token}`)
        .send({ name: 'Tablette volée' });
      expect(res.status).to.equal(404);
      expect(res.body.code).to.equal('venue_not_found');
    });

    it('lets a venue register a scanner device whose token authenticates and can be revoked', async () => {
      const token = await t.login(demoEmail('association_treasurer'));
      const created = await request(t.app)
        .post(`/api/v1/venues/${t.demo.ids.venueId}/devices`)
        .set('Authorization', `Bearer ${token}`)
        .send({ name: 'Tablette accueil' });
      expect(created.status).to.equal(201);
      const deviceToken = created.body.token as string;
      const stored = await t.db.knex('registry.devices').where({ id: created.body.device.id }).first();
      expect(stored.token_hash).to.not.equal(deviceToken);
      const asDevice = await request(t.app)
        .get('/api/v1/auth/me')
        .set('Authorization', `Device ${deviceToken}`);
      // A device is not a user: /auth/me answers 404, but authentication itself succeeded (not 401).
      expect(asDevice.status).to.equal(404);
      const revoked = await request(t.app)
        .post(`/api/v1/devices/${created.body.device.id}/revoke`)
        .set('Authorization', `Bearer ${token}`);
      expect(revoked.status).to.equal(200);
      const after = await request(t.app).get('/api/v1/auth/me').set('Authorization', `Device ${deviceToken}`);
      expect(after.status).to.equal(401);
      expect(after.body.code).to.equal('invalid_device_token');
    });
  });

  describe('health and documentation', () => {
    it('serves /healthz, /readyz and the OpenAPI 3.1 document', async () => {
      expect((await request(t.app).get('/healthz')).status).to.equal(200);
      const ready = await request(t.app).get('/readyz');
      expect(ready.status).to.equal(200);
      expect(ready.body.checks.database).to.equal('ok');
      const doc = await request(t.app).get('/api/openapi.json');
      expect(doc.body.openapi).to.equal('3.1.0');
      expect(doc.body.paths).to.have.property('/api/v1/auth/login');
      const docs = await request(t.app).get('/api/docs');
      expect(docs.status).to.equal(200);
      expect(docs.text).to.not.match(/<script>[^<]/);
    });

    it('sets security headers (helmet CSP without inline scripts)', async () => {
      const res = await request(t.app).get('/healthz');
      expect(res.headers['content-security-policy']).to.include("script-src 'self'");
      expect(res.headers['x-content-type-options']).to.equal('nosniff');
    });
  });
});
