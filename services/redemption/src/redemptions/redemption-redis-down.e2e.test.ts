import { randomUUID } from 'node:crypto';
import { buildTestConfig } from '@pass/config';
import type { TestDatabase } from '@pass/db/testing';
import { createApp, createRuntime, type Runtime, serviceModules } from '@pass/gateway';
import { createLogger } from '@pass/logger';
import { BullMqQueue } from '@pass/queue';
import { generateVoucherCode } from '@pass/voucher-code';
import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { createTestDb } from '../../../../test/support/database';
import { insertAssociation, insertVenue, issueBatch, type TestVenue } from '../testing/redemption-test-kit';

// Redis down: the queue points at a port where nothing listens. Redemptions need only PostgreSQL.
describe('redemption with Redis down', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let runtime: Runtime;
  let app: Express;
  let venue: TestVenue;
  let queue: BullMqQueue;
  const config = buildTestConfig({ redisUrl: 'redis://127.0.0.1:9' });

  before(async () => {
    db = await createTestDb();
    const logger = createLogger({ level: 'silent' });
    queue = new BullMqQueue({ redisUrl: 'redis://127.0.0.1:9', logger });
    runtime = await createRuntime(config, { database: db, logger, queue });
    app = createApp(runtime.ctx, serviceModules);
    venue = await insertVenue(db.knex, { associationId: await insertAssociation(db.knex) });
  });
  after(async () => {
    // Closing a queue that never connected may wait for Redis: do not let it hold the suite.
    await Promise.race([
      queue.close().catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, 1000)),
    ]);
    await db.destroy();
  });

  it('checks, redeems, refuses and undoes passes while Redis cannot be reached', async () => {
    // (GET /readyz is not asked: its Redis ping waits for a connection that never comes, see the README.)
    const redis = await Promise.race([
      queue.ping().then(() => 'up'),
      new Promise((resolve) => setTimeout(() => resolve('down'), 300)),
    ]);
    expect(redis).to.equal('down');
    const b = await issueBatch(db.knex, config, { count: 5 });
    const auth = `Device ${venue.deviceToken}`;
    const check = await request(app)
      .post('/api/v1/redemptions/check')
      .set('Authorization', auth)
      .send({ catalogueServiceId: venue.services[2], codes: b.codes.slice(0, 2) });
    expect(check.body.ok).to.equal(true);
    const redeemed = await request(app)
      .post('/api/v1/redemptions')
      .set('Authorization', auth)
      .set('Idempotency-Key', randomUUID())
      .send({ catalogueServiceId: venue.services[2], codes: b.codes.slice(0, 2) });
    expect(redeemed.status, JSON.stringify(redeemed.body)).to.equal(201);
    // A refusal that records a failed lookup (the rate limit's counters live in PostgreSQL) works too.
    const unknown = await request(app)
      .post('/api/v1/redemptions')
      .set('Authorization', auth)
      .set('Idempotency-Key', randomUUID())
      .send({ catalogueServiceId: venue.services[1], codes: [generateVoucherCode()] });
    expect(unknown.body.code).to.equal('unknown_code');
    expect(
      await db.knex('redemption.failed_lookups').where({ scope: `venue:${venue.venueId}` }),
    ).to.have.length(1);
    const undone = await request(app)
      .post(`/api/v1/redemptions/${redeemed.body.id}/undo`)
      .set('Authorization', auth)
      .set('Idempotency-Key', randomUUID())
      .send({});
    expect(undone.status).to.equal(200);
  });
});
