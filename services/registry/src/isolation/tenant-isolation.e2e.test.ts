import { expect } from 'chai';
import type { Response } from 'supertest';
import request from 'supertest';
import { createTestApp, demoEmail, type TestApp } from '../../../../test/support/app';
import { as, createOtherTenants, type OtherTenants } from '../testing/registry-fixtures';

/** The tags of the registry's routes in the OpenAPI document. */
const REGISTRY_TAGS = [
  'auth',
  'devices',
  'funders',
  'distributors',
  'associations',
  'bank details',
  'venues',
  'venue open data',
  'catalogue',
  'users',
  'audit',
  'public directory',
];

type Check =
  | { kind: 'not_found'; call: () => Promise<Response> }
  | { kind: 'own_only'; call: () => Promise<Response>; expected: () => string[] }
  | { kind: 'operators_only'; call: () => Promise<Response> }
  | { kind: 'no_tenant'; why: string };

/**
 * Tenant isolation over every registry route: a tenant reaching for another tenant's object gets 404 (never
 * 403, which would confirm it exists); lists show only the caller's own objects; operator-only routes refuse
 * every tenant role. The last test fails when a documented route has no case here.
 */
describe('tenant isolation across every registry route (e2e)', () => {
  let t: TestApp;
  let b: OtherTenants;
  const demo = () => t.demo.ids as Record<string, string>;
  const cases = new Map<string, Check[]>();
  const add = (route: string, ...checks: Check[]) =>
    cases.set(route, [...(cases.get(route) ?? []), ...checks]);
  const ids = (res: Response) => (res.body.items as { id: string }[]).map((item) => item.id);
  let demoBankRequestId: string;
  let demoDeviceId: string;
  let demoInvitedUserId: string;

  before(async () => {
    t = await createTestApp();
    b = await createOtherTenants(t);
    const treasurerA = await as(t, demoEmail('association_treasurer'));
    demoBankRequestId = (
      await treasurerA.post(`/api/v1/associations/${demo().associationId}/bank-change-requests`).send({
        iban: 'FR14 2004 1010 0505 0001 3M02 606',
        bic: 'PSSTFRPPLYO',
        accountHolderName: 'INFOROUTES',
      })
    ).body.id;
    demoDeviceId = (
      await treasurerA.post(`/api/v1/venues/${demo().venueId}/devices`).send({ name: 'Tablette' })
    ).body.device.id;
    demoInvitedUserId = (
      await treasurerA.post('/api/v1/users/invitations').send({
        email: 'invitee@inforoutes.example.fr',
        displayName: 'Invitée',
        role: 'association_treasurer',
      })
    ).body.user.id;

    const by = async (email: string) => as(t, email);
    const fm = () => by(b.funderManager);
    const da = () => by(b.distributorAgent);
    const tr = () => by(b.treasurer);
    const va = () => by(b.venueAgent);
    const siblingAgent = () => by(b.siblingVenueAgent);
    const demoAgent = () => by(demoEmail('venue_agent'));
    const notFound = (call: () => Promise<Response>): Check => ({ kind: 'not_found', call });
    const operatorsOnly = (call: () => Promise<Response>): Check => ({ kind: 'operators_only', call });

    add('GET /funders', {
      kind: 'own_only',
      call: async () => (await fm()).get('/api/v1/funders'),
      expected: () => [b.funderId],
    });
    add(
      'POST /funders',
      operatorsOnly(async () => (await fm()).post('/api/v1/funders').send({})),
    );
    add(
      'GET /funders/{id}',
      notFound(async () => (await fm()).get(`/api/v1/funders/${demo().funderId}`)),
    );
    add(
      'PATCH /funders/{id}',
      notFound(async () => (await fm()).patch(`/api/v1/funders/${demo().funderId}`).send({ contacts: [] })),
    );

    add(
      'GET /distributors',
      {
        kind: 'own_only',
        call: async () => (await da()).get('/api/v1/distributors'),
        expected: () => [b.distributorId],
      },
      // The other funder has no distributor: the demo funder's must not show.
      { kind: 'own_only', call: async () => (await fm()).get('/api/v1/distributors'), expected: () => [] },
      notFound(async () => (await fm()).get(`/api/v1/distributors?funderId=${demo().funderId}`)),
    );
    add(
      'POST /distributors',
      operatorsOnly(async () => (await da()).post('/api/v1/distributors').send({})),
    );
    add(
      'GET /distributors/{id}',
      notFound(async () => (await da()).get(`/api/v1/distributors/${demo().distributorId}`)),
    );
    add(
      'PATCH /distributors/{id}',
      operatorsOnly(async () => (await da()).patch(`/api/v1/distributors/${b.distributorId}`).send({})),
    );

    add('GET /associations', {
      kind: 'own_only',
      call: async () => (await tr()).get('/api/v1/associations'),
      expected: () => [b.associationId],
    });
    add(
      'POST /associations',
      operatorsOnly(async () => (await tr()).post('/api/v1/associations').send({})),
    );
    add(
      'GET /associations/{id}',
      notFound(async () => (await tr()).get(`/api/v1/associations/${demo().associationId}`)),
    );
    add(
      'PATCH /associations/{id}',
      notFound(async () =>
        (await tr())
          .patch(`/api/v1/associations/${demo().associationId}`)
          .send({ address: { street: 'x', postcode: '07000', town: 'Privas' } }),
      ),
    );
    add(
      'POST /associations/{id}/clear-flag',
      operatorsOnly(async () =>
        (await tr()).post(`/api/v1/associations/${b.associationId}/clear-flag`).send({ note: 'x' }),
      ),
    );

    add(
      'POST /associations/{id}/bank-change-requests',
      notFound(async () =>
        (await tr())
          .post(`/api/v1/associations/${demo().associationId}/bank-change-requests`)
          .send({ iban: 'FR7630006000011234567890189', bic: 'AGRIFRPPXXX', accountHolderName: 'PIRATE' }),
      ),
    );
    add(
      'GET /associations/{id}/bank-change-requests',
      notFound(async () =>
        (await tr()).get(`/api/v1/associations/${demo().associationId}/bank-change-requests`),
      ),
    );
    add(
      'GET /bank-change-requests',
      operatorsOnly(async () => (await tr()).get('/api/v1/bank-change-requests')),
    );
    add(
      'GET /bank-change-requests/{id}',
      notFound(async () => (await tr()).get(`/api/v1/bank-change-requests/${demoBankRequestId}`)),
    );
    add(
      'POST /bank-change-requests/{id}/approve',
      operatorsOnly(async () =>
        (await tr()).post(`/api/v1/bank-change-requests/${demoBankRequestId}/approve`).send({}),
      ),
    );
    add(
      'POST /bank-change-requests/{id}/reject',
      operatorsOnly(async () =>
        (await tr()).post(`/api/v1/bank-change-requests/${demoBankRequestId}/reject`).send({ reason: 'x' }),
      ),
    );
    add(
      'POST /bank-change-requests/{id}/cancel',
      notFound(async () =>
        (await tr()).post(`/api/v1/bank-change-requests/${demoBankRequestId}/cancel`).send({}),
      ),
    );

    add(
      'GET /venues',
      { kind: 'own_only', call: async () => (await tr()).get('/api/v1/venues'), expected: () => [b.venueId] },
      { kind: 'own_only', call: async () => (await va()).get('/api/v1/venues'), expected: () => [b.venueId] },
      {
        kind: 'own_only',
        call: async () => (await demoAgent()).get('/api/v1/venues'),
        expected: () => [demo().venueId!],
      },
      notFound(async () => (await tr()).get(`/api/v1/venues?associationId=${demo().associationId}`)),
    );
    add(
      'POST /venues',
      notFound(async () =>
        (await tr()).post('/api/v1/venues').send({
          name: 'Pirate',
          postcode: '07440',
          commune: 'Alboussière',
          associationId: demo().associationId,
        }),
      ),
    );
    add(
      'GET /venues/{id}',
      notFound(async () => (await tr()).get(`/api/v1/venues/${demo().venueId}`)),
      notFound(async () => (await va()).get(`/api/v1/venues/${demo().venueId}`)),
      // A venue agent sees its own venue only, not a sibling venue of the same association.
      notFound(async () => (await demoAgent()).get(`/api/v1/venues/${b.siblingVenueId}`)),
      notFound(async () => (await siblingAgent()).get(`/api/v1/venues/${demo().venueId}`)),
    );
    add(
      'PATCH /venues/{id}',
      notFound(async () => (await tr()).patch(`/api/v1/venues/${demo().venueId}`).send({ name: 'Pirate' })),
    );
    add(
      'POST /venues/{id}/association',
      operatorsOnly(async () =>
        (await tr()).post(`/api/v1/venues/${b.venueId}/association`).send({ associationId: null }),
      ),
    );
    add(
      'POST /venues/{id}/accreditation',
      notFound(async () =>
        (await tr()).post(`/api/v1/venues/${demo().venueId}/accreditation`).send({ action: 'apply' }),
      ),
    );
    add(
      'GET /venues/{id}/accreditation-events',
      notFound(async () => (await tr()).get(`/api/v1/venues/${demo().venueId}/accreditation-events`)),
      notFound(async () =>
        (await demoAgent()).get(`/api/v1/venues/${b.siblingVenueId}/accreditation-events`),
      ),
    );
    add(
      'GET /venues/{id}/catalogue',
      notFound(async () => (await tr()).get(`/api/v1/venues/${demo().venueId}/catalogue`)),
      notFound(async () => (await va()).get(`/api/v1/venues/${demo().venueId}/catalogue`)),
      notFound(async () => (await demoAgent()).get(`/api/v1/venues/${b.siblingVenueId}/catalogue`)),
    );
    add(
      'POST /venues/{id}/catalogue',
      notFound(async () =>
        (await tr())
          .post(`/api/v1/venues/${demo().venueId}/catalogue`)
          .send({ name: 'X', category: 'utilisation-securisee', pricePasses: 1 }),
      ),
    );
    add(
      'PATCH /catalogue/{id}',
      notFound(async () =>
        (await tr()).patch(`/api/v1/catalogue/${demo().serviceOnePassId}`).send({ pricePasses: 9 }),
      ),
    );
    add(
      'POST /venues/import',
      operatorsOnly(async () =>
        (await tr()).post('/api/v1/venues/import').send({ format: 'csv', content: 'x' }),
      ),
    );
    add(
      'GET /venues/export',
      operatorsOnly(async () => (await tr()).get('/api/v1/venues/export')),
    );
    add(
      'POST /venues/{id}/devices',
      notFound(async () =>
        (await tr()).post(`/api/v1/venues/${demo().venueId}/devices`).send({ name: 'Pirate' }),
      ),
    );
    add(
      'POST /devices/{id}/revoke',
      notFound(async () => (await tr()).post(`/api/v1/devices/${demoDeviceId}/revoke`)),
    );

    add('GET /users', {
      kind: 'own_only',
      call: async () => (await tr()).get('/api/v1/users'),
      expected: () => [],
    });
    add(
      'GET /users/{id}',
      notFound(async () => (await tr()).get(`/api/v1/users/${demo().user_association_treasurer}`)),
    );
    add(
      'POST /users/invitations',
      notFound(async () =>
        (await tr()).post('/api/v1/users/invitations').send({
          organisationId: demo().associationId,
          email: 'x@pirate.fr',
          displayName: 'X',
          role: 'association_treasurer',
        }),
      ),
    );
    add(
      'POST /users/{id}/invitation',
      notFound(async () => (await tr()).post(`/api/v1/users/${demoInvitedUserId}/invitation`)),
    );
    add(
      'POST /users/{id}/deactivate',
      notFound(async () => (await tr()).post(`/api/v1/users/${demo().user_venue_agent}/deactivate`)),
    );
    add(
      'POST /users/{id}/reactivate',
      notFound(async () => (await tr()).post(`/api/v1/users/${demo().user_venue_agent}/reactivate`)),
    );
    add(
      'GET /audit',
      operatorsOnly(async () => (await tr()).get('/api/v1/audit')),
    );

    for (const route of [
      'POST /auth/login',
      'POST /auth/refresh',
      'POST /auth/logout',
      'GET /auth/me',
      'POST /invitations/accept',
    ]) {
      add(route, { kind: 'no_tenant', why: 'acts on the caller’s own credentials' });
    }
    for (const route of ['GET /public/venues', 'GET /public/venues/{id}', 'GET /public/service-categories']) {
      add(route, { kind: 'no_tenant', why: 'public directory of accredited venues' });
    }
  });
  after(async () => {
    await t.close();
  });

  it('answers 404, never 403, for another tenant’s object, and lists only the caller’s own', async () => {
    const failures: string[] = [];
    for (const [route, checks] of cases) {
      for (const check of checks) {
        if (check.kind === 'no_tenant') continue;
        const res = await check.call();
        if (check.kind === 'not_found' && res.status !== 404)
          failures.push(`${route}: ${res.status} ${JSON.stringify(res.body)}`);
        if (check.kind === 'operators_only' && res.status !== 403)
          failures.push(`${route}: ${res.status} (operators only)`);
        if (check.kind === 'own_only') {
          if (res.status !== 200) failures.push(`${route}: ${res.status}`);
          else if (route === 'GET /users') {
            const organisations = new Set(
              (res.body.items as { organisationId: string }[]).map((u) => u.organisationId),
            );
            if ([...organisations].join() !== b.associationId)
              failures.push(`${route}: sees ${[...organisations].join()}`);
          } else if (JSON.stringify(ids(res).sort()) !== JSON.stringify(check.expected().sort())) {
            failures.push(`${route}: sees ${ids(res).join()} instead of ${check.expected().join()}`);
          }
        }
      }
    }
    expect(failures).to.deep.equal([]);
  });

  it('changed nothing of the other tenant’s data on the way', async () => {
    const item = await t.db
      .knex('registry.catalogue_services')
      .where({ id: t.demo.ids.serviceOnePassId })
      .first();
    expect(item.price_passes).to.equal(1);
    const venue = await t.db.knex('registry.venues').where({ id: t.demo.ids.venueId }).first();
    expect(venue.name).to.equal('Espace Public Numérique Alboussière');
    const request = await t.db.knex('registry.bank_change_requests').where({ id: demoBankRequestId }).first();
    expect(request.status).to.equal('pending');
  });

  it('has a case for every documented registry route', async () => {
    const doc = (await request(t.app).get('/api/openapi.json')).body as {
      paths: Record<string, Record<string, { tags?: string[] }>>;
    };
    const routes: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (operation.tags?.some((tag) => REGISTRY_TAGS.includes(tag))) {
          routes.push(`${method.toUpperCase()} ${path.replace(/^\/api\/v1/, '')}`);
        }
      }
    }
    expect(routes.length).to.be.greaterThan(40);
    expect(routes.filter((route) => !cases.has(route))).to.deep.equal([]);
  });
});
