import { randomUUID } from 'node:crypto';
import { voucherLookupHash } from '@pass/voucher-code';
import { expect } from 'chai';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import { createPgliteTestDb } from '../../../../test/support/database';
import { PostgresFailedLookupStore } from '../lookups/postgres-failed-lookup-store';
import {
  type IssuedBatch,
  insertAssociation,
  insertVenue,
  issueBatch,
  type TestVenue,
} from '../testing/redemption-test-kit';
import { PostgresRedemptionStore } from './postgres-redemption-store';
import type { ContextRequest } from './redemption-store';

// The context read of the hot path on its own: every field the service relies on, with the types it expects,
// on both engines (the API tests only run on PostgreSQL).
for (const mode of ['PostgreSQL', 'embedded PGlite'] as const) {
  describe(`PostgresRedemptionStore.loadContexts (${mode})`, function () {
    this.timeout(120_000);
    let t: TestApp;
    let venue: TestVenue;
    let issued: IssuedBatch;
    const store = new PostgresRedemptionStore();
    const scopes = () => ({ venue: `venue:${venue.venueId}`, device: `device:${venue.deviceId}` });
    const hashOf = (code: string) => voucherLookupHash(code, t.config.secrets.voucherHashKey);
    const loadOne = async (request: ContextRequest) => {
      const contexts = await store.loadContexts(t.db.knex, [request]);
      expect(contexts).to.have.length(1);
      return contexts[0]!;
    };

    before(async () => {
      t = await createTestApp(mode === 'PostgreSQL' ? {} : { db: await createPgliteTestDb() });
      venue = await insertVenue(t.db.knex, {
        associationId: await insertAssociation(t.db.knex),
        name: 'EPN de Privas',
      });
      issued = await issueBatch(t.db.knex, t.config, {
        count: 5,
        faceValueCents: 1250n,
        serviceCategories: ['maitrise-outils-numeriques'],
        territory: { departements: ['07'], communes: [] },
      });
    });
    after(async () => {
      await t.close();
    });

    it('reads the venue, its service, the failed lookups and the passes found, typed as the service expects', async () => {
      const now = new Date();
      await new PostgresFailedLookupStore().record(t.db.knex, scopes(), 2, now);
      const context = await loadOne({
        venueId: venue.venueId,
        serviceId: venue.services[3],
        scopes: scopes(),
        since: new Date(now.getTime() - 600_000),
        lookupHashes: [hashOf(issued.codes[1]!), hashOf(issued.codes[3]!), Buffer.alloc(32, 1)],
        idempotency: { scope: 'redemption:test', key: randomUUID() },
      });
      expect(context.venue).to.deep.equal({
        id: venue.venueId,
        name: 'EPN de Privas',
        associationId: venue.associationId,
        accreditationStatus: 'accredited',
        inseeCode: '07186',
      });
      expect(context.service).to.deep.equal({
        id: venue.services[3],
        venueId: venue.venueId,
        name: 'Service à 3 pass',
        category: 'maitrise-outils-numeriques',
        pricePasses: 3,
        zeroRemainder: false,
        active: true,
      });
      expect(context.failures).to.deep.equal({ venue: 2, device: 2 });
      expect(context.stored).to.equal(undefined);
      expect([...context.passes.keys()].sort()).to.deep.equal(
        [hashOf(issued.codes[1]!).toString('hex'), hashOf(issued.codes[3]!).toString('hex')].sort(),
      );
      const pass = context.passes.get(hashOf(issued.codes[3]!).toString('hex'))!;
      const batchRow = await t.db
        .knex('vouchers.batches')
        .where({ id: issued.batch.id })
        .first<{ created_at: Date; activated_at: Date | null }>('created_at', 'activated_at');
      expect(pass).to.deep.include({
        id: issued.voucherIds[3],
        batchId: issued.batch.id,
        serial: 4,
        status: 'available',
        statusReason: null,
        statusChangedAt: null,
        distributedAt: null,
      });
      expect(pass.batch).to.deep.include({
        id: issued.batch.id,
        number: issued.batch.number,
        funderId: issued.batch.funderId,
        status: 'active',
        faceValueCents: 1250n,
        currency: 'EUR',
        validFrom: issued.batch.validFrom,
        validUntil: issued.batch.validUntil,
        toleranceDays: 30,
        territory: { departements: ['07'], communes: [] },
        serviceCategories: ['maitrise-outils-numeriques'],
        createdAt: batchRow!.created_at,
        activatedAt: batchRow!.activated_at,
        closedAt: null,
      });
      expect(pass.batch.createdAt).to.be.instanceOf(Date);
    });

    it('returns the answer stored under the key, and no pass when none is found', async () => {
      const key = randomUUID();
      const body = { id: randomUUID(), paid: { amount: '12.50', currency: 'EUR' }, serials: ['7-1'] };
      await t.db.knex('platform.idempotency_keys').insert({
        scope: 'redemption:test',
        key,
        request_hash: 'hash-of-the-request',
        response_status: 201,
        response_body: JSON.stringify(body),
        created_at: new Date(),
      });
      const context = await loadOne({
        venueId: venue.venueId,
        serviceId: randomUUID(),
        scopes: { venue: `venue:${randomUUID()}`, device: `device:${randomUUID()}` },
        since: new Date(Date.now() - 600_000),
        lookupHashes: [Buffer.alloc(32, 2)],
        idempotency: { scope: 'redemption:test', key },
      });
      expect(context.venue?.id).to.equal(venue.venueId);
      expect(context.service).to.equal(undefined);
      expect(context.failures).to.deep.equal({ venue: 0, device: 0 });
      expect(context.passes.size).to.equal(0);
      expect(context.stored).to.deep.equal({
        request_hash: 'hash-of-the-request',
        response_status: 201,
        response_body: body,
      });
    });

    it('finds no venue that does not exist', async () => {
      const context = await loadOne({
        venueId: randomUUID(),
        serviceId: venue.services[1],
        scopes: scopes(),
        since: new Date(),
        lookupHashes: [hashOf(issued.codes[0]!)],
      });
      expect(context.venue).to.equal(undefined);
      expect(context.passes.size).to.equal(0);
    });

    it('reads a group of requests in one query, each answer in its request’s place', async () => {
      const key = randomUUID();
      await t.db.knex('platform.idempotency_keys').insert({
        scope: 'redemption:group',
        key,
        request_hash: 'hash-of-the-request',
        response_status: 201,
        response_body: JSON.stringify({ id: 'stored' }),
        created_at: new Date(),
      });
      const since = new Date(Date.now() - 600_000);
      const contexts = await store.loadContexts(t.db.knex, [
        {
          venueId: venue.venueId,
          serviceId: venue.services[1],
          scopes: scopes(),
          since,
          lookupHashes: [hashOf(issued.codes[0]!)],
        },
        {
          venueId: randomUUID(),
          serviceId: venue.services[1],
          scopes: scopes(),
          since,
          lookupHashes: [hashOf(issued.codes[1]!)],
        },
        {
          venueId: venue.venueId,
          serviceId: venue.services[2],
          scopes: scopes(),
          since,
          lookupHashes: [hashOf(issued.codes[1]!), hashOf(issued.codes[2]!)],
          idempotency: { scope: 'redemption:group', key },
        },
        { venueId: venue.venueId, serviceId: venue.services[3], scopes: scopes(), since, lookupHashes: [] },
      ]);
      expect(contexts).to.have.length(4);
      expect([...contexts[0]!.passes.values()].map((p) => p.id)).to.deep.equal([issued.voucherIds[0]]);
      expect(contexts[0]!.service?.pricePasses).to.equal(1);
      expect(contexts[0]!.stored).to.equal(undefined);
      expect(contexts[1]!.venue).to.equal(undefined);
      expect(contexts[1]!.passes.size).to.equal(0);
      expect([...contexts[2]!.passes.values()].map((p) => p.id).sort()).to.deep.equal(
        [issued.voucherIds[1], issued.voucherIds[2]].sort(),
      );
      expect(contexts[2]!.service?.pricePasses).to.equal(2);
      expect(contexts[2]!.stored?.response_body).to.deep.equal({ id: 'stored' });
      expect(contexts[3]!.service?.pricePasses).to.equal(3);
      expect(contexts[3]!.passes.size).to.equal(0);
    });
  });
}
