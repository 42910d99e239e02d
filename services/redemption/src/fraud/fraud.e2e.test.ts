import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, demoEmail, type TestApp } from '../../../../test/support/app';
import { REDEMPTION_JOBS, runFraudScan } from '../redemption-module';
import { insertAssociation, insertVenue, issueBatch, type TestVenue } from '../testing/redemption-test-kit';
import { FRAUD_RULES } from './fraud-flag';

/** The next Sunday after `from`, 02:30 in Paris (01:30 UTC in winter, 00:30 in summer: closed either way). */
function nextSundayNight(from: Date): Date {
  const day = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + 1, 1, 0));
  while (day.getUTCDay() !== 0) day.setUTCDate(day.getUTCDate() + 1);
  return day;
}

describe('fraud flags (never blocking, reviewed by operators)', () => {
  let t: TestApp;
  let associationId: string;
  let operator: string;

  before(async () => {
    t = await createTestApp();
    associationId = await insertAssociation(t.db.knex);
    operator = await t.login(demoEmail('operator_admin'));
  });
  after(async () => {
    await t.close();
  });
  afterEach(() => t.clock.set(new Date()));

  function redeem(v: TestVenue, codes: string[]) {
    return request(t.app)
      .post('/api/v1/redemptions')
      .set('Authorization', `Device ${v.deviceToken}`)
      .set('Idempotency-Key', randomUUID())
      .send({ catalogueServiceId: v.services[codes.length as 1 | 2 | 3], codes });
  }
  const flagsOf = (venueId: string, kind: string) =>
    t.db.knex('redemption.fraud_flags').where({ venue_id: venueId, kind }).orderBy('first_seen_at');

  it('redeems at night, then flags the redemption as outside opening hours', async () => {
    const venue = await insertVenue(t.db.knex, { associationId, openingHours: 'Mo-Fr 09:00-17:00' });
    const b = await issueBatch(t.db.knex, t.config, { count: 5 });
    const night = nextSundayNight(new Date());
    t.clock.set(night);
    const res = await redeem(venue, [b.codes[0]!]);
    expect(res.status, 'a flag never blocks the first redemption').to.equal(201);
    await runFraudScan(t.runtime.ctx, new Date(night.getTime() + 60_000));
    const flags = await flagsOf(venue.venueId, 'outside_opening_hours');
    expect(flags.map((f) => f.redemption_id)).to.deep.equal([res.body.id]);
    // Scanning the same minutes again records nothing new.
    await runFraudScan(t.runtime.ctx, new Date(night.getTime() + 120_000));
    expect(await flagsOf(venue.venueId, 'outside_opening_hours')).to.have.length(1);
  });

  it('does not flag a redemption during opening hours or at a venue without published hours', async () => {
    const open = await insertVenue(t.db.knex, { associationId, openingHours: 'Mo-Su 00:00-24:00' });
    const itinerant = await insertVenue(t.db.knex, { associationId, openingHours: null });
    const b = await issueBatch(t.db.knex, t.config, { count: 5 });
    expect((await redeem(open, [b.codes[0]!])).status).to.equal(201);
    expect((await redeem(itinerant, [b.codes[1]!])).status).to.equal(201);
    await runFraudScan(t.runtime.ctx);
    expect(await flagsOf(open.venueId, 'outside_opening_hours')).to.have.length(0);
    expect(await flagsOf(itinerant.venueId, 'outside_opening_hours')).to.have.length(0);
  });

  it('flags a burst of redemptions at one venue, and keeps redeeming while the flag is open', async () => {
    const venue = await insertVenue(t.db.knex, { associationId });
    const count = FRAUD_RULES.burstMaxRedemptions + 1;
    const b = await issueBatch(t.db.knex, t.config, { count, bookletSize: 10 });
    const windowMs = FRAUD_RULES.burstWindowMinutes * 60_000;
    const start = new Date(Math.floor(Date.now() / windowMs) * windowMs + 1000);
    t.clock.set(start);
    for (const code of b.codes.slice(0, count)) {
      expect((await redeem(venue, [code])).status).to.equal(201);
      t.clock.advance(1000);
    }
    await runFraudScan(t.runtime.ctx, new Date(start.getTime() + 5 * 60_000));
    const [flag] = await flagsOf(venue.venueId, 'burst');
    expect(flag.details).to.include({
      redemptions: count,
      windowStart: new Date(start.getTime() - 1000).toISOString(),
    });
    const more = await issueBatch(t.db.knex, t.config, { count: 5 });
    expect((await redeem(venue, [more.codes[0]!])).status).to.equal(201);
  });

  it('flags passes of one booklet used beyond the catalogue price within the hour, not a basket at its price', async () => {
    const venue = await insertVenue(t.db.knex, { associationId });
    const b = await issueBatch(t.db.knex, t.config, { count: 10, bookletSize: 5 });
    const start = new Date();
    t.clock.set(start);
    // Booklet 1: a two-pass basket at its price, alone: fine.
    expect((await redeem(venue, [b.codes[0]!, b.codes[1]!])).status).to.equal(201);
    // Booklet 2: a one-pass service paid twice ten minutes apart.
    expect((await redeem(venue, [b.codes[5]!])).status).to.equal(201);
    t.clock.advance(10 * 60_000);
    expect((await redeem(venue, [b.codes[6]!])).status).to.equal(201);
    await runFraudScan(t.runtime.ctx, new Date(start.getTime() + 11 * 60_000));
    const flags = await flagsOf(venue.venueId, 'booklet_overuse');
    expect(flags).to.have.length(1);
    expect(flags[0].details).to.include({ batchId: b.batch.id, booklet: 2, passes: 2, highestPrice: 1 });
  });

  it('flags a pass tried at a second venue after it was redeemed', async () => {
    const first = await insertVenue(t.db.knex, { associationId });
    const second = await insertVenue(t.db.knex, { associationId: await insertAssociation(t.db.knex) });
    const b = await issueBatch(t.db.knex, t.config, { count: 5 });
    expect((await redeem(first, [b.codes[0]!])).status).to.equal(201);
    expect((await redeem(first, [b.codes[0]!])).body.code, 'same venue: no flag').to.equal(
      'already_redeemed',
    );
    expect(await flagsOf(first.venueId, 'pass_at_two_venues')).to.have.length(0);
    expect((await redeem(second, [b.codes[0]!])).body.code).to.equal('already_redeemed');
    expect((await redeem(second, [b.codes[0]!])).body.code).to.equal('already_redeemed');
    const [flag] = await flagsOf(second.venueId, 'pass_at_two_venues');
    expect(flag).to.include({ voucher_id: b.voucherIds[0], occurrences: 2 });
    expect(flag.details).to.include({ redeemedAtVenueId: first.venueId });
  });

  it('lists flags to operators only, and lets them confirm or dismiss each one once (audited)', async () => {
    const agent = await t.login(demoEmail('venue_agent'));
    expect(
      (await request(t.app).get('/api/v1/fraud-flags').set('Authorization', `Bearer ${agent}`)).status,
    ).to.equal(403);
    const list = await request(t.app)
      .get('/api/v1/fraud-flags?status=open&limit=2')
      .set('Authorization', `Bearer ${operator}`);
    expect(list.status).to.equal(200);
    expect(list.body.items).to.have.length(2);
    expect(list.body.nextCursor).to.be.a('string');
    const id = list.body.items[0].id as string;
    const resolve = (outcome: string) =>
      request(t.app)
        .post(`/api/v1/fraud-flags/${id}/resolve`)
        .set('Authorization', `Bearer ${operator}`)
        .send({ outcome, note: 'Vu avec le lieu : atelier collectif.' });
    const done = await resolve('dismissed');
    expect(done.status).to.equal(200);
    expect(done.body).to.include({
      status: 'dismissed',
      resolutionNote: 'Vu avec le lieu : atelier collectif.',
    });
    expect((await resolve('confirmed')).body.code).to.equal('fraud_flag_already_resolved');
    const audit = await t.db
      .knex('platform.audit_log')
      .where({ action: 'fraud_flag.dismissed', target_id: id });
    expect(audit).to.have.length(1);
  });

  it('runs the scan as a scheduled job of the module', async () => {
    const id = await t.runtime.ctx.queue.enqueue(REDEMPTION_JOBS.fraudScan, {});
    for (let i = 0; i < 100; i++) {
      const job = await t.runtime.ctx.queue.getJob(id);
      if (job?.state === 'completed') {
        expect(job.result).to.have.property('redemptions').that.is.a('number');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect.fail('the fraud scan job did not complete');
  });
});
