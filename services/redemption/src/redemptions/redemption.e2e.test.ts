import { randomUUID } from 'node:crypto';
import { formatVoucherCode, generateVoucherCode } from '@pass/voucher-code';
import { cancelVouchers, markSettled } from '@pass/vouchers';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, demoEmail, type TestApp } from '../../../../test/support/app';
import { redemptionInvariants } from '../invariants/redemption-invariants';
import { FAILED_LOOKUP_POLICY } from '../lookups/failed-lookup-limit';
import { accounts, balance } from '../shared/ledger';
import {
  type IssuedBatch,
  insertAssociation,
  insertVenue,
  isoDay,
  issueBatch,
  payloadOf,
  type TestVenue,
  waitForLockWaiters,
} from '../testing/redemption-test-kit';
import { REFUSAL_CODES, type RefusalCode } from './redemption';

describe('redemption API (check, redeem, undo, list)', () => {
  let t: TestApp;
  let venue: TestVenue;
  let sister: TestVenue;
  let stranger: TestVenue;
  let operatorToken: string;
  const seenRefusals = new Set<string>();

  before(async () => {
    t = await createTestApp();
    const knex = t.db.knex;
    const associationId = await insertAssociation(knex);
    venue = await insertVenue(knex, { associationId, name: 'EPN de Privas' });
    sister = await insertVenue(knex, { associationId, name: 'Médiathèque de Privas' });
    stranger = await insertVenue(knex, {
      associationId: await insertAssociation(knex),
      name: 'Fablab voisin',
    });
    operatorToken = await t.login(demoEmail('operator_admin'));
  });
  after(async () => {
    await t.close();
  });

  const device = (v: TestVenue) => `Device ${v.deviceToken}`;
  const issue = (overrides: Parameters<typeof issueBatch>[2] = {}) =>
    issueBatch(t.db.knex, t.config, overrides);

  function redeem(v: TestVenue, codes: string[], options: { price?: 1 | 2 | 3; key?: string } = {}) {
    return request(t.app)
      .post('/api/v1/redemptions')
      .set('Authorization', device(v))
      .set('Idempotency-Key', options.key ?? randomUUID())
      .send({ catalogueServiceId: v.services[options.price ?? (codes.length as 1 | 2 | 3)], codes });
  }

  async function refused(res: request.Response, code: RefusalCode) {
    expect(res.status, JSON.stringify(res.body)).to.equal(422);
    expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(res.body.code).to.equal(code);
    seenRefusals.add(res.body.code);
    return res.body;
  }

  async function voucherStatuses(ids: string[]): Promise<string[]> {
    const rows = await t.db.knex('vouchers.vouchers').whereIn('id', ids).orderBy('id').select('status');
    return rows.map((row) => row.status);
  }

  const payable = (associationId: string) => balance(t.db.knex, accounts.associationPayable(associationId));
  const outstanding = (b: IssuedBatch) =>
    balance(t.db.knex, accounts.funderVouchersOutstanding(b.batch.funderId));

  describe('redeeming', () => {
    it('redeems one typed pass: answer, pass state, ledger entry, audit and events in one go', async () => {
      const b = await issue({ count: 5 });
      const before = await payable(venue.associationId);
      const res = await redeem(venue, [formatVoucherCode(b.codes[0]!).toLowerCase()]);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body).to.deep.include({
        status: 'live',
        venueId: venue.venueId,
        venueName: 'EPN de Privas',
        passCount: 1,
        paid: { amount: '10.00', currency: 'EUR' },
        remainder: { kind: 'zero', message: 'Rien à payer en plus des pass.' },
        redeemedBy: venue.deviceId,
        undoneAt: null,
      });
      expect(res.body.service).to.deep.include({ id: venue.services[1], pricePasses: 1 });
      expect(res.body.serials).to.deep.equal([`${String(b.batch.number).padStart(6, '0')}-0000001`]);
      expect(Date.parse(res.body.undoDeadline) - Date.parse(res.body.redeemedAt)).to.equal(24 * 3_600_000);

      expect(await voucherStatuses([b.voucherIds[0]!])).to.deep.equal(['redeemed']);
      expect((await payable(venue.associationId)) - before).to.equal(1000n);
      expect(await outstanding(b)).to.equal(4000n);
      const row = await t.db.knex('redemption.redemptions').where({ id: res.body.id }).first();
      expect(row).to.include({
        venue_id: venue.venueId,
        association_id: venue.associationId,
        amount_cents: '1000',
      });
      const entry = await t.db.knex('ledger.entries').where({ id: row.ledger_entry_id }).first();
      expect(entry).to.include({ kind: 'redemption', reference: `redemption:${res.body.id}` });
      const audit = await t.db
        .knex('platform.audit_log')
        .where({ action: 'redemption.created', target_id: res.body.id });
      expect(audit).to.have.length(1);
      const events = await t.db
        .knex('vouchers.events')
        .where({ batch_id: b.batch.id, kind: 'voucher.redeemed' })
        .first();
      expect(events).to.include({ place: `venue:${venue.venueId}`, reference: `redemption:${res.body.id}` });
    });

    it('redeems a two-pass basket from scanned QR payloads', async () => {
      const b = await issue({ count: 5 });
      const res = await redeem(venue, [payloadOf(b.codes[1]!, t.config), payloadOf(b.codes[2]!, t.config)]);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body.paid).to.deep.equal({ amount: '20.00', currency: 'EUR' });
      expect(await voucherStatuses(b.voucherIds.slice(1, 3))).to.deep.equal(['redeemed', 'redeemed']);
    });

    it('says the remainder is to be agreed with the venue when the catalogue says the passes do not cover it', async () => {
      const b = await issue({ count: 5 });
      const res = await redeem(venue, b.codes.slice(0, 3));
      expect(res.status).to.equal(201);
      expect(res.body.remainder.kind).to.equal('to_agree_with_venue');
      expect(res.body.paid.amount).to.equal('30.00');
    });

    it('debits each funder of a mixed basket for its own passes', async () => {
      const a = await issue({ count: 5 });
      const b = await issue({ count: 5, faceValueCents: 500n });
      const res = await redeem(venue, [a.codes[0]!, b.codes[0]!]);
      expect(res.status).to.equal(201);
      expect(res.body.paid.amount).to.equal('15.00');
      expect(await outstanding(a)).to.equal(4000n);
      expect(await outstanding(b)).to.equal(2000n);
    });

    it('is refused for an agent without a venue', async () => {
      const res = await request(t.app)
        .post('/api/v1/redemptions')
        .set('Authorization', `Bearer ${operatorToken}`)
        .set('Idempotency-Key', randomUUID())
        .send({ catalogueServiceId: venue.services[1], codes: ['X'] });
      expect(res.status).to.equal(403);
    });

    it('refuses a service of another venue’s catalogue', async () => {
      const b = await issue({ count: 5 });
      const res = await request(t.app)
        .post('/api/v1/redemptions')
        .set('Authorization', device(venue))
        .set('Idempotency-Key', randomUUID())
        .send({ catalogueServiceId: stranger.services[1], codes: [b.codes[0]] });
      expect(res.status).to.equal(404);
      expect(res.body.code).to.equal('catalogue_service_not_found');
    });
  });

  describe('refusals (each with its stable code, nothing changed)', () => {
    async function expectNothingChanged(b: IssuedBatch, work: () => Promise<unknown>) {
      const redemptions = await t.db.knex('redemption.redemptions').count<{ count: string }[]>('* as count');
      const entries = await t.db.knex('ledger.entries').count<{ count: string }[]>('* as count');
      const statuses = await voucherStatuses(b.voucherIds);
      await work();
      expect(await t.db.knex('redemption.redemptions').count('* as count')).to.deep.equal(redemptions);
      expect(await t.db.knex('ledger.entries').count('* as count')).to.deep.equal(entries);
      expect(await voucherStatuses(b.voucherIds)).to.deep.equal(statuses);
    }

    it('unknown_code: a well-formed code that no pass has (and counts the failed lookup)', async () => {
      const b = await issue({ count: 5 });
      await expectNothingChanged(b, async () => {
        const body = await refused(await redeem(sister, [generateVoucherCode()]), 'unknown_code');
        expect(body.passes[0].refusals[0].message).to.match(/Code inconnu/);
      });
      const counters = await t.db
        .knex('redemption.failed_lookups')
        .where({ scope: `device:${sister.deviceId}` });
      expect(counters.map((c) => c.failures)).to.deep.equal([1]);
    });

    it('typo: a wrong check character, caught before any lookup and not counted', async () => {
      const b = await issue({ count: 5 });
      const code = b.codes[0]!;
      const typo = code.slice(0, 16) + (code[16] === '0' ? '1' : '0');
      await expectNothingChanged(b, async () => {
        await refused(await redeem(stranger, [typo]), 'typo');
        await refused(await redeem(stranger, [code.slice(0, 12)]), 'typo');
      });
      expect(
        await t.db.knex('redemption.failed_lookups').where({ scope: `device:${stranger.deviceId}` }),
      ).to.have.length(0);
    });

    it('invalid_signature: a QR payload whose signature does not verify', async () => {
      const b = await issue({ count: 5 });
      const payload = payloadOf(b.codes[0]!, t.config);
      const last = payload.at(-2) === 'A' ? 'B' : 'A';
      const forged = `${payload.slice(0, -2)}${last}${payload.at(-1)}`;
      await expectNothingChanged(b, async () => {
        const body = await refused(await redeem(venue, [forged]), 'invalid_signature');
        expect(body.passes[0].refusals[0].code).to.equal('invalid_signature');
      });
    });

    it('not_active: a pass of a batch still awaiting funding', async () => {
      const b = await issue({ count: 5, status: 'awaiting_funding' });
      await expectNothingChanged(b, async () => refused(await redeem(venue, [b.codes[0]!]), 'not_active'));
    });

    it('cancelled: a pass reported stolen, with the reason in French', async () => {
      const b = await issue({ count: 5 });
      await cancelVouchers(t.db.knex, { ids: [b.voucherIds[0]!] }, 'stolen', {
        actor: 'test',
        at: new Date(),
      });
      await expectNothingChanged(b, async () => {
        const body = await refused(await redeem(venue, [b.codes[0]!]), 'cancelled');
        expect(body.message).to.equal('Pass annulé (volé).');
      });
    });

    it('expired: past valid_until plus the tolerance', async () => {
      const b = await issue({
        count: 5,
        validFrom: isoDay(-400),
        validUntil: isoDay(-40),
        toleranceDays: 30,
      });
      await expectNothingChanged(b, async () => refused(await redeem(venue, [b.codes[0]!]), 'expired'));
    });

    it('accepts a pass during its tolerance days', async () => {
      const b = await issue({
        count: 5,
        validFrom: isoDay(-400),
        validUntil: isoDay(-10),
        toleranceDays: 30,
      });
      expect((await redeem(venue, [b.codes[0]!])).status).to.equal(201);
    });

    it('not_yet_valid: before valid_from', async () => {
      const b = await issue({ count: 5, validFrom: isoDay(10) });
      await expectNothingChanged(b, async () => refused(await redeem(venue, [b.codes[0]!]), 'not_yet_valid'));
    });

    it('already_redeemed: date and venue for the same association, only the fact for others', async () => {
      const b = await issue({ count: 5 });
      expect((await redeem(venue, [b.codes[0]!])).status).to.equal(201);
      await expectNothingChanged(b, async () => {
        const own = await refused(await redeem(sister, [b.codes[0]!]), 'already_redeemed');
        expect(own.passes[0].refusals[0]).to.include({ venueName: 'EPN de Privas' });
        expect(own.passes[0].refusals[0].redeemedAt).to.be.a('string');
        expect(own.message).to.match(/^Pass déjà utilisé le .* à EPN de Privas\.$/);
        const other = await refused(await redeem(stranger, [b.codes[0]!]), 'already_redeemed');
        expect(other.passes[0].refusals[0]).to.deep.equal({
          code: 'already_redeemed',
          message: 'Pass déjà utilisé.',
        });
        expect(JSON.stringify(other)).to.not.include('EPN de Privas');
      });
    });

    it('outside_territory: a batch restricted to another département', async () => {
      const b = await issue({ count: 5, territory: { departements: ['69'], communes: [] } });
      await expectNothingChanged(b, async () =>
        refused(await redeem(venue, [b.codes[0]!]), 'outside_territory'),
      );
    });

    it('service_not_allowed: a batch that does not cover the service’s category', async () => {
      const b = await issue({ count: 5, serviceCategories: ['aide-demarches-administratives'] });
      await expectNothingChanged(b, async () =>
        refused(await redeem(venue, [b.codes[0]!]), 'service_not_allowed'),
      );
    });

    it('venue_not_accredited: a suspended venue', async () => {
      const suspended = await insertVenue(t.db.knex, {
        associationId: venue.associationId,
        accreditationStatus: 'suspended',
      });
      const b = await issue({ count: 5 });
      await expectNothingChanged(b, async () =>
        refused(await redeem(suspended, [b.codes[0]!]), 'venue_not_accredited'),
      );
    });

    it('wrong_count: a basket that does not hold exactly the service’s price in passes', async () => {
      const b = await issue({ count: 5 });
      await expectNothingChanged(b, async () => {
        const body = await refused(await redeem(venue, b.codes.slice(0, 2), { price: 3 }), 'wrong_count');
        expect(body.refusals[0].message).to.equal('Ce service se paie avec 3 pass : 2 présentés.');
        expect(body.passes.every((p: { ok: boolean }) => p.ok)).to.equal(true);
      });
    });

    it('duplicate_pass: the same pass twice in one basket, however it is spelled', async () => {
      const b = await issue({ count: 5 });
      const twice = [b.codes[0]!, payloadOf(b.codes[0]!, t.config)];
      await expectNothingChanged(b, async () => {
        const body = await refused(await redeem(venue, twice, { price: 2 }), 'duplicate_pass');
        expect(body.passes.map((p: { ok: boolean }) => p.ok)).to.deep.equal([true, false]);
      });
    });

    it('refuses a whole basket when one pass fails, and lists every pass’s reasons', async () => {
      const good = await issue({ count: 5 });
      const old = await issue({
        count: 5,
        validUntil: isoDay(-60),
        validFrom: isoDay(-400),
        toleranceDays: 0,
      });
      await expectNothingChanged(good, async () => {
        const body = await refused(await redeem(venue, [good.codes[0]!, old.codes[0]!]), 'expired');
        expect(body.passes.map((p: { ok: boolean }) => p.ok)).to.deep.equal([true, false]);
      });
    });

    it('reaches every refusal code', () => {
      expect([...seenRefusals].sort()).to.deep.equal([...REFUSAL_CODES].sort());
    });
  });

  describe('check (no state change)', () => {
    it('answers every pass’s reasons and the amount it would pay, changing nothing', async () => {
      const b = await issue({ count: 5 });
      const check = (codes: string[]) =>
        request(t.app)
          .post('/api/v1/redemptions/check')
          .set('Authorization', device(venue))
          .send({ catalogueServiceId: venue.services[2], codes });
      const ok = await check([b.codes[0]!, b.codes[1]!]);
      expect(ok.status).to.equal(200);
      expect(ok.body).to.deep.include({
        ok: true,
        amount: { amount: '20.00', currency: 'EUR' },
        refusals: [],
      });
      const restricted = await issue({
        count: 5,
        territory: { departements: ['69'], communes: [] },
        serviceCategories: ['parentalite-education'],
      });
      const bad = await check([b.codes[0]!, restricted.codes[0]!]);
      expect(bad.body.ok).to.equal(false);
      expect(bad.body.code).to.equal('outside_territory');
      expect(bad.body.passes[1].refusals.map((r: { code: string }) => r.code)).to.deep.equal([
        'outside_territory',
        'service_not_allowed',
      ]);
      expect(await voucherStatuses([...b.voucherIds, ...restricted.voucherIds])).to.deep.equal(
        Array(10).fill('available'),
      );
    });
  });

  describe('idempotency (stored with the redemption)', () => {
    it('replays the first answer for the same key and body, and redeems once', async () => {
      const b = await issue({ count: 5 });
      const key = randomUUID();
      const first = await redeem(venue, [b.codes[0]!], { key });
      const again = await redeem(venue, [b.codes[0]!], { key });
      expect(first.status).to.equal(201);
      expect(again.status).to.equal(201);
      expect(again.headers['idempotent-replayed']).to.equal('true');
      expect(again.body).to.deep.equal(first.body);
      expect(
        await t.db.knex('redemption.redemption_vouchers').where({ voucher_id: b.voucherIds[0] }),
      ).to.have.length(1);
    });

    it('answers 422 for the same key with another body', async () => {
      const b = await issue({ count: 5 });
      const key = randomUUID();
      expect((await redeem(venue, [b.codes[0]!], { key })).status).to.equal(201);
      const other = await redeem(venue, [b.codes[1]!], { key });
      expect(other.status).to.equal(422);
      expect(other.body.code).to.equal('idempotency_key_reused');
      expect(await voucherStatuses([b.voucherIds[1]!])).to.deep.equal(['available']);
    });

    it('answers 400 without a key', async () => {
      const res = await request(t.app)
        .post('/api/v1/redemptions')
        .set('Authorization', device(venue))
        .send({ catalogueServiceId: venue.services[1], codes: ['X'] });
      expect(res.status).to.equal(400);
      expect(res.body.code).to.equal('idempotency_key_missing');
    });

    it('answers 409 while the first request with the key is still running', async () => {
      const b = await issue({ count: 5 });
      const key = randomUUID();
      // Hold the pass's row lock so the first request waits inside its transaction.
      const holder = await t.db.knex.transaction();
      try {
        await holder.raw('select id from vouchers.vouchers where id = ? for update', [b.voucherIds[0]!]);
        const first = redeem(venue, [b.codes[0]!], { key }).then((res) => res);
        await waitForLockWaiters(t.db.knex, 1);
        const second = await redeem(venue, [b.codes[0]!], { key });
        expect(second.status).to.equal(409);
        expect(second.body.code).to.equal('idempotency_in_flight');
        await holder.commit();
        expect((await first).status).to.equal(201);
      } finally {
        if (!holder.isCompleted()) await holder.rollback();
      }
    });
  });

  describe('undo', () => {
    async function redeemed(v = venue) {
      const b = await issue({ count: 5 });
      const res = await redeem(v, [b.codes[0]!]);
      expect(res.status).to.equal(201);
      return { b, id: res.body.id as string };
    }
    const undo = (id: string, authorization: string, key = randomUUID()) =>
      request(t.app)
        .post(`/api/v1/redemptions/${id}/undo`)
        .set('Authorization', authorization)
        .set('Idempotency-Key', key)
        .send({ reason: 'Erreur de service' });

    it('undoes within the window: reversal entry, passes usable again, audited', async () => {
      const { b, id } = await redeemed();
      const before = await payable(venue.associationId);
      const res = await undo(id, device(venue));
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.include({ status: 'undone', undoneBy: venue.deviceId });
      expect(await voucherStatuses([b.voucherIds[0]!])).to.deep.equal(['available']);
      expect(before - (await payable(venue.associationId))).to.equal(1000n);
      expect(await outstanding(b)).to.equal(5000n);
      const row = await t.db.knex('redemption.redemptions').where({ id }).first();
      const reversal = await t.db.knex('ledger.entries').where({ id: row.undo_entry_id }).first();
      expect(reversal).to.include({ kind: 'redemption_undone', reverses_entry_id: row.ledger_entry_id });
      const audit = await t.db
        .knex('platform.audit_log')
        .where({ action: 'redemption.undone', target_id: id })
        .first();
      expect(audit.summary).to.include({ reason: 'Erreur de service' });
      expect((await redeem(venue, [b.codes[0]!])).status).to.equal(201);
    });

    it('lets an operator undo', async () => {
      const { id } = await redeemed();
      expect((await undo(id, `Bearer ${operatorToken}`)).status).to.equal(200);
    });

    it('refuses a second undo', async () => {
      const { id } = await redeemed();
      expect((await undo(id, device(venue))).status).to.equal(200);
      const again = await undo(id, device(venue));
      expect(again.status).to.equal(409);
      expect(again.body.code).to.equal('already_undone');
    });

    it('refuses another venue of the association (403) and hides the redemption from other associations (404)', async () => {
      const { id } = await redeemed();
      expect((await undo(id, device(sister))).body.code).to.equal('undo_not_allowed');
      expect((await undo(id, device(stranger))).status).to.equal(404);
    });

    it('refuses after the window', async () => {
      const { b, id } = await redeemed();
      t.clock.advance(24 * 3_600_000 + 1000);
      try {
        const res = await undo(id, device(venue));
        expect(res.status).to.equal(422);
        expect(res.body.code).to.equal('undo_window_expired');
        expect(await voucherStatuses([b.voucherIds[0]!])).to.deep.equal(['redeemed']);
      } finally {
        t.clock.set(new Date());
      }
    });

    it('refuses after settlement, even inside the window', async () => {
      const { b, id } = await redeemed();
      await markSettled(t.db.knex, [b.voucherIds[0]!], { actor: 'job:settlement', at: new Date() });
      const entries = await t.db.knex('ledger.entries').count<{ count: string }[]>('* as count');
      const res = await undo(id, device(venue));
      expect(res.status).to.equal(422);
      expect(res.body.code).to.equal('already_settled');
      expect(await voucherStatuses([b.voucherIds[0]!])).to.deep.equal(['settled']);
      expect(await t.db.knex('ledger.entries').count('* as count')).to.deep.equal(entries);
      expect((await t.db.knex('redemption.redemptions').where({ id }).first()).status).to.equal('live');
    });
  });

  describe('lists', () => {
    it('shows a venue its own redemptions of today, an association its venues, operators everything', async () => {
      const b = await issue({ count: 10 });
      const mine = await redeem(venue, [b.codes[0]!]);
      const sisters = await redeem(sister, [b.codes[1]!]);
      const strangers = await redeem(stranger, [b.codes[2]!]);
      const list = async (authorization: string, query = '') =>
        (
          await request(t.app).get(`/api/v1/redemptions${query}`).set('Authorization', authorization)
        ).body.items.map((r: { id: string }) => r.id) as string[];
      const venueList = await list(device(venue), '?limit=500');
      expect(venueList).to.include(mine.body.id).and.not.include(sisters.body.id);
      const treasurer = await t.login(demoEmail('association_treasurer'));
      expect(await list(`Bearer ${treasurer}`)).to.not.include(mine.body.id);
      const all = await list(`Bearer ${operatorToken}`, '?limit=500');
      expect(all).to.include.members([mine.body.id, sisters.body.id, strangers.body.id]);
      expect(await list(device(venue), `?date=${isoDay(-1)}`)).to.deep.equal([]);
    });

    it('shows a treasurer the redemptions of their association’s venues (demo venue, agent signed in)', async () => {
      const b = await issue({ count: 5 });
      const agent = await t.login(demoEmail('venue_agent'));
      const res = await request(t.app)
        .post('/api/v1/redemptions')
        .set('Authorization', `Bearer ${agent}`)
        .set('Idempotency-Key', randomUUID())
        .send({ catalogueServiceId: t.demo.ids.serviceOnePassId, codes: [b.codes[0]] });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body.redeemedBy).to.equal(t.demo.ids.user_venue_agent);
      const treasurer = await t.login(demoEmail('association_treasurer'));
      const list = await request(t.app)
        .get('/api/v1/redemptions')
        .set('Authorization', `Bearer ${treasurer}`);
      expect(list.body.items.map((r: { id: string }) => r.id)).to.include(res.body.id);
    });

    it('pages with a cursor and exports CSV', async () => {
      const first = await request(t.app)
        .get('/api/v1/redemptions?limit=2')
        .set('Authorization', device(venue));
      expect(first.body.items).to.have.length(2);
      const second = await request(t.app)
        .get(`/api/v1/redemptions?limit=2&cursor=${first.body.nextCursor}`)
        .set('Authorization', device(venue));
      expect(second.body.items[0].redeemedAt <= first.body.items[1].redeemedAt).to.equal(true);
      expect(second.body.items.map((r: { id: string }) => r.id)).to.not.include.members(
        first.body.items.map((r: { id: string }) => r.id),
      );
      const csv = await request(t.app)
        .get('/api/v1/redemptions?format=csv')
        .set('Authorization', device(venue));
      expect(csv.headers['content-type']).to.match(/^text\/csv/);
      const lines = csv.text.trim().split('\r\n');
      expect(lines[0]!.replace(/^\uFEFF/, '')).to.equal(
        'Date;Lieu;Service;Catégorie;Nombre de pass;Montant (EUR);Statut;Annulé le;Pass;Id',
      );
      expect(lines.slice(1).every((line) => line.includes('EPN de Privas'))).to.equal(true);
    });

    it('reads one redemption, hidden from other associations', async () => {
      const b = await issue({ count: 5 });
      const res = await redeem(venue, [b.codes[0]!]);
      const own = await request(t.app)
        .get(`/api/v1/redemptions/${res.body.id}`)
        .set('Authorization', device(venue));
      expect(own.body.paid.amount).to.equal('10.00');
      const other = await request(t.app)
        .get(`/api/v1/redemptions/${res.body.id}`)
        .set('Authorization', device(stranger));
      expect(other.status).to.equal(404);
    });
  });

  describe('rate limit of failed lookups (PostgreSQL counters, no Redis)', () => {
    it('stops a device after too many unknown codes, flags it, and leaves other devices alone', async () => {
      const noisy = await insertVenue(t.db.knex, { associationId: venue.associationId });
      for (let i = 0; i < FAILED_LOOKUP_POLICY.maxPerDevice; i++) {
        await refused(await redeem(noisy, [generateVoucherCode()]), 'unknown_code');
      }
      const b = await issue({ count: 5 });
      const blocked = await redeem(noisy, [b.codes[0]!]);
      expect(blocked.status).to.equal(429);
      expect(blocked.body.code).to.equal('too_many_failed_lookups');
      expect(blocked.headers['retry-after']).to.equal('60');
      const checkBlocked = await request(t.app)
        .post('/api/v1/redemptions/check')
        .set('Authorization', device(noisy))
        .send({ catalogueServiceId: noisy.services[1], codes: [b.codes[0]] });
      expect(checkBlocked.status).to.equal(429);
      const flag = await t.db
        .knex('redemption.fraud_flags')
        .where({ kind: 'repeated_failed_lookups', venue_id: noisy.venueId })
        .first();
      expect(flag.details).to.include({ scope: `device:${noisy.deviceId}` });
      // The venue's other scanner still works, and the counters expire with the window.
      expect((await redeem(sister, [b.codes[0]!])).status).to.equal(201);
      t.clock.advance((FAILED_LOOKUP_POLICY.windowMinutes + 1) * 60_000);
      try {
        expect((await redeem(noisy, [b.codes[1]!])).status).to.equal(201);
      } finally {
        t.clock.set(new Date());
      }
    });
  });

  describe('OpenAPI', () => {
    it('documents the redemption and fraud-flag routes', async () => {
      const res = await request(t.app).get('/api/openapi.json');
      expect(res.status).to.equal(200);
      expect(Object.keys(res.body.paths)).to.include.members([
        '/api/v1/redemptions',
        '/api/v1/redemptions/check',
        '/api/v1/redemptions/{id}/undo',
        '/api/v1/fraud-flags',
        '/api/v1/fraud-flags/{id}/resolve',
      ]);
      expect(res.body.components.schemas).to.have.property('RedemptionBasket');
    });
  });

  describe('invariants', () => {
    it('holds every redemption invariant after all of the above', async () => {
      for (const check of redemptionInvariants()) {
        const result = await check.run(t.db.knex);
        expect(result.ok, `${check.name}: ${JSON.stringify(result.problems)}`).to.equal(true);
      }
    });

    it('notices a redemption whose ledger entry does not match', async () => {
      const b = await issue({ count: 5 });
      const res = await redeem(venue, [b.codes[0]!]);
      const trx = await t.db.knex.transaction();
      try {
        await trx('redemption.redemptions').where({ id: res.body.id }).update({ amount_cents: '1100' });
        const checks = redemptionInvariants();
        const ledger = await checks
          .find((c) => c.name === 'redemption.ledger_entry_matches')!
          .run(trx as never);
        const amount = await checks
          .find((c) => c.name === 'redemption.amount_matches_passes')!
          .run(trx as never);
        expect(ledger.ok).to.equal(false);
        expect(amount.ok).to.equal(false);
      } finally {
        await trx.rollback();
      }
    });
  });
});
