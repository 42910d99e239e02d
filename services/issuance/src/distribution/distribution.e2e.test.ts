import { generateVoucherSigningKey, signVoucherPayload, voucherLookupHash } from '@pass/voucher-code';
import { checkVoucherUsable, findVoucherByLookupHash, markRedeemed } from '@pass/vouchers';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, insertUser, type TestApp } from '../../../../test/support/app';
import { getOrder } from '../batches/order-store';
import { decryptBatchSeed } from '../generation/batch-code-seed';
import { deriveVoucherCode } from '../generation/voucher-code-derivation';
import { outstandingInvariant } from '../issuance-module';
import { accounts, balance } from '@pass/ledger';
import { PASS_CHECKS_PER_MINUTE } from '../public-check/public-routes';
import { IssuanceKit } from '../testing/issuance-e2e-kit';
import type { BatchView } from '../batches/batch-view';

describe('issuance: distribution, revocation and the public pass check (e2e)', function () {
  this.timeout(60_000);
  let t: TestApp;
  let kit: IssuanceKit;
  let batch: BatchView;
  let distributorId: string;
  let otherDistributorId: string;
  let seed: Buffer;
  let checks = 0;

  before(async () => {
    t = await createTestApp();
    kit = new IssuanceKit(t);
    distributorId = t.demo.ids.distributorId!;
    batch = await kit.activeBatch({ bookletCount: 4 });
    const [org] = await t.db
      .knex('registry.organisations')
      .insert({ kind: 'distributor', name: 'Mairie d’Aubenas' })
      .returning<{ id: string }[]>('id');
    otherDistributorId = org!.id;
    await t.db
      .knex('registry.distributors')
      .insert({ organisation_id: otherDistributorId, funder_id: t.demo.ids.funderId });
    const stored = await getOrder(t.db.knex, {
      id: batch.id,
      voucherCount: batch.voucherCount,
      faceValueCents: 1000n,
    });
    seed = decryptBatchSeed(stored!.codeSeed, t.config.secrets.voucherEncryptionKey, batch.id);
  });
  after(async () => {
    await t?.close();
  });

  const code = (serial: number) => deriveVoucherCode(seed, serial);
  const voucher = (serial: number) =>
    findVoucherByLookupHash(t.db.knex, voucherLookupHash(code(serial), t.config.secrets.voucherHashKey));
  /** The public check, from its own client address so the rate limit of one test does not spill over. */
  function publicCheck(input: string, extra: Record<string, unknown> = {}, client = '203.0.113.10') {
    checks++;
    return request(t.app)
      .post('/api/v1/public/pass-check')
      .set('X-Forwarded-For', client)
      .send({ input, ...extra });
  }

  describe('stock and hand-outs', () => {
    it('puts booklets into a distributor’s stock, all or nothing', async () => {
      const assigned = await kit.post('funder_manager', `/batches/${batch.id}/stock/assignments`, {
        distributorId,
        fromBooklet: 1,
        toBooklet: 2,
      });
      expect(assigned.status, JSON.stringify(assigned.body)).to.equal(201);
      expect(assigned.body).to.deep.include({ booklets: 2, passes: 20 });
      // 2 is already held: the whole range 2..3 is refused and booklet 3 stays with the funder.
      const overlap = await kit.post('funder_manager', `/batches/${batch.id}/stock/assignments`, {
        distributorId: otherDistributorId,
        fromBooklet: 2,
        toBooklet: 3,
      });
      expect(overlap.status).to.equal(409);
      expect(overlap.body).to.deep.include({ code: 'booklets_already_held', requested: 2, free: 1 });
      const booklets = await kit.get('funder_manager', `/batches/${batch.id}/booklets`);
      expect(
        booklets.body.items.map(
          (b: { holder: { distributorId: string } | null }) => b.holder?.distributorId ?? null,
        ),
      ).to.deep.equal([distributorId, distributorId, null, null]);
      const beyond = await kit.post('funder_manager', `/batches/${batch.id}/stock/assignments`, {
        distributorId,
        fromBooklet: 4,
        toBooklet: 5,
      });
      expect(beyond.body.code).to.equal('booklet_range_invalid');
    });

    it('hands out a booklet with a pseudonymous reference, and a single pass', async () => {
      const booklet = await kit.post('distributor_agent', '/distribution/hand-outs', {
        batchId: batch.id,
        booklet: 1,
        beneficiaryRef: 'DIAG-2026-0042',
      });
      expect(booklet.status, JSON.stringify(booklet.body)).to.equal(201);
      expect(booklet.body).to.deep.include({
        booklet: 1,
        handedOut: 10,
        value: { amount: '100.00', currency: 'EUR' },
        leftStock: true,
      });
      const single = await kit.post('distributor_agent', '/distribution/hand-outs', {
        batchId: batch.id,
        serial: 11,
      });
      expect(single.body).to.deep.include({ booklet: 2, handedOut: 1, serials: [11], leftStock: false });
      const again = await kit.post('distributor_agent', '/distribution/hand-outs', {
        batchId: batch.id,
        serial: 11,
      });
      expect(again.status).to.equal(409);
      expect(again.body.code).to.equal('nothing_to_hand_out');
      expect((await voucher(3))!.distributedAt).to.be.an.instanceOf(Date);
      const events = await kit.get('funder_manager', `/batches/${batch.id}/events?serial=3`);
      const handedOut = events.body.items.find((e: { kind: string }) => e.kind === 'voucher.distributed');
      expect(handedOut).to.deep.include({
        place: `distributor:${distributorId}`,
        serialFrom: 1,
        serialTo: 10,
      });
      expect(handedOut.details).to.deep.equal({ beneficiaryRef: 'DIAG-2026-0042' });
    });

    it('refuses a name as beneficiary reference, and booklets the agent does not hold', async () => {
      const named = await kit.post('distributor_agent', '/distribution/hand-outs', {
        batchId: batch.id,
        booklet: 2,
        beneficiaryRef: 'Jean Dupont',
      });
      expect(named.status).to.equal(400);
      expect(named.body.code).to.equal('validation_failed');
      const notMine = await kit.post('distributor_agent', '/distribution/hand-outs', {
        batchId: batch.id,
        booklet: 3,
      });
      expect(notMine.status).to.equal(404);
      expect(notMine.body.code).to.equal('booklet_not_in_stock');
      const both = await kit.post('distributor_agent', '/distribution/hand-outs', {
        batchId: batch.id,
        booklet: 2,
        serial: 12,
      });
      expect(both.status).to.equal(400);
    });

    it('blocks hand-outs from 15 days before the end of validity', async () => {
      const realNow = t.clock.now();
      try {
        t.clock.set(new Date(`${batch.distributionStopDate}T09:00:00+01:00`));
        const late = await kit.post('distributor_agent', '/distribution/hand-outs', {
          batchId: batch.id,
          serial: 12,
        });
        expect(late.status).to.equal(409);
        expect(late.body).to.deep.include({ code: 'distribution_closed', since: batch.distributionStopDate });
      } finally {
        t.clock.set(realNow);
      }
    });

    it('moves stock between distributors of the funder and back to the funder', async () => {
      const transfer = await kit.post('distributor_agent', `/batches/${batch.id}/stock/transfers`, {
        toDistributorId: otherDistributorId,
        fromBooklet: 2,
        toBooklet: 2,
      });
      expect(transfer.status, JSON.stringify(transfer.body)).to.equal(200);
      // The demo agent no longer holds booklet 2.
      const notHeld = await kit.post('distributor_agent', `/batches/${batch.id}/stock/returns`, {
        fromBooklet: 2,
        toBooklet: 2,
      });
      expect(notHeld.status).to.equal(409);
      expect(notHeld.body.code).to.equal('booklets_not_held');
      const back = await kit.post('funder_manager', `/batches/${batch.id}/stock/returns`, {
        distributorId: otherDistributorId,
        fromBooklet: 2,
        toBooklet: 2,
      });
      expect(back.status).to.equal(200);
      // Serial 11 was handed out: the 9 other passes of booklet 2 come back.
      expect(back.body).to.deep.include({ booklets: 1, passes: 9 });
      // Booklet 1 was handed out whole and booklet 2 went on: nothing of this batch is left with the agent.
      const stock = await kit.get('distributor_agent', '/distribution/stock');
      expect(stock.body.batches.map((b: { batchId: string }) => b.batchId)).to.not.include(batch.id);
    });

    it('shows the funder each booklet issued, distributed, started or finished', async () => {
      await markRedeemed(t.db.knex, [(await voucher(1))!.id], { actor: 'test', at: t.clock.now() });
      const booklets = await kit.get('funder_manager', `/batches/${batch.id}/booklets?fromBooklet=1&limit=3`);
      expect(
        booklets.body.items.map((b: { booklet: number; state: string }) => [b.booklet, b.state]),
      ).to.deep.equal([
        [1, 'started'],
        [2, 'distributed'],
        [3, 'issued'],
      ]);
      expect(booklets.body.nextFromBooklet).to.equal(4);
      const summary = await kit.get('funder_manager', `/batches/${batch.id}/distribution`);
      expect(summary.body.booklets).to.deep.include({
        issued: 2,
        distributed: 1,
        started: 1,
        finished: 0,
        total: 4,
        withDistributors: 0,
      });
      expect(summary.body.distributors).to.deep.equal([]);
      expect(summary.body.passes).to.deep.include({ issued: 40, distributed: 11, redeemed: 1 });
      // Redeemed outside the ledger here: put the books right as redemption would, for the invariant below.
      await t.db.knex.transaction(async (trx) => {
        const { post, debit, credit } = await import('@pass/ledger');
        await post(trx, {
          kind: 'redemption',
          reference: 'test:redemption',
          actor: 'test',
          lines: [
            debit(accounts.funderVouchersOutstanding(t.demo.ids.funderId!), 1000n),
            credit(accounts.associationPayable(t.demo.ids.associationId!), 1000n),
          ],
        });
      });
    });
  });

  describe('custody: a booklet handed out whole leaves the distributor’s stock', () => {
    let custody: BatchView;
    const stockOf = async (batchId: string) => {
      const res = await kit.get('distributor_agent', '/distribution/stock');
      expect(res.status).to.equal(200);
      return res.body.batches.find((b: { batchId: string }) => b.batchId === batchId) as
        | { booklets: number; ranges: { from: number; to: number }[]; passesInStock: number }
        | undefined;
    };
    const summaryOf = async (batchId: string) =>
      (await kit.get('funder_manager', `/batches/${batchId}/distribution`)).body as {
        booklets: { withDistributors: number };
        distributors: { distributorId: string; booklets: number }[];
      };
    /** Kinds of the pass events touching one serial (batch events left out), oldest first. */
    const eventsOf = async (serial: number) =>
      (
        (await kit.get('funder_manager', `/batches/${custody.id}/events?serial=${serial}`)).body.items as {
          kind: string;
        }[]
      )
        .map((e) => e.kind)
        .filter((kind) => kind.startsWith('voucher.'));

    before(async () => {
      custody = await kit.activeBatch({ bookletCount: 3 });
      const assigned = await kit.post('funder_manager', `/batches/${custody.id}/stock/assignments`, {
        distributorId,
        fromBooklet: 1,
        toBooklet: 3,
      });
      expect(assigned.status, JSON.stringify(assigned.body)).to.equal(201);
    });

    it('counts a booklet handed out whole out of the stock, and a booklet with single passes handed out in it', async () => {
      expect(await stockOf(custody.id)).to.deep.include({
        booklets: 3,
        ranges: [{ from: 1, to: 3 }],
        passesInStock: 30,
      });
      const before = await summaryOf(custody.id);
      expect(before.booklets.withDistributors).to.equal(3);
      expect(before.distributors.map((d) => [d.distributorId, d.booklets])).to.deep.equal([
        [distributorId, 3],
      ]);

      const whole = await kit.post('distributor_agent', '/distribution/hand-outs', {
        batchId: custody.id,
        booklet: 1,
        beneficiaryRef: 'DIAG-2026-0100',
      });
      expect(whole.status, JSON.stringify(whole.body)).to.equal(201);
      expect(whole.body).to.deep.include({ booklet: 1, handedOut: 10, leftStock: true });
      expect(await stockOf(custody.id)).to.deep.include({
        booklets: 2,
        ranges: [{ from: 2, to: 3 }],
        passesInStock: 20,
      });

      const single = await kit.post('distributor_agent', '/distribution/hand-outs', {
        batchId: custody.id,
        serial: 12,
      });
      expect(single.body).to.deep.include({ booklet: 2, handedOut: 1, leftStock: false });
      // Booklet 2 stays held with its 9 other passes.
      expect(await stockOf(custody.id)).to.deep.include({
        booklets: 2,
        ranges: [{ from: 2, to: 3 }],
        passesInStock: 19,
      });
      const after = await summaryOf(custody.id);
      expect(after.booklets.withDistributors).to.equal(2);
      expect(after.distributors.map((d) => [d.distributorId, d.booklets])).to.deep.equal([
        [distributorId, 2],
      ]);
      const booklets = await kit.get('funder_manager', `/batches/${custody.id}/booklets`);
      expect(
        booklets.body.items.map((b: { state: string; holder: { distributorId: string } | null }) => [
          b.state,
          b.holder?.distributorId ?? null,
        ]),
      ).to.deep.equal([
        ['distributed', null],
        ['distributed', distributorId],
        ['issued', distributorId],
      ]);
      const audit = await t.db
        .knex('platform.audit_log')
        .where({ action: 'passes.handed_out', target_id: custody.id })
        .orderBy('id')
        .select('summary');
      expect(audit.map((row: { summary: unknown }) => row.summary)).to.deep.equal([
        { booklet: 1, whole: true, passes: 10, leftStock: true },
        { booklet: 2, whole: false, passes: 1, leftStock: false },
      ]);
    });

    it('refuses to return, move, assign again or hand out again a booklet handed out whole', async () => {
      const returned = await kit.post('distributor_agent', `/batches/${custody.id}/stock/returns`, {
        fromBooklet: 1,
        toBooklet: 1,
      });
      expect(returned.status).to.equal(409);
      expect(returned.headers['content-type']).to.match(/^application\/problem\+json/);
      expect(returned.body).to.deep.include({ code: 'booklets_handed_out', booklets: [1], count: 1 });
      // All or nothing: a range with booklet 1 in it leaves booklet 2 in stock.
      const range = await kit.post('funder_manager', `/batches/${custody.id}/stock/returns`, {
        distributorId,
        fromBooklet: 1,
        toBooklet: 2,
      });
      expect(range.status).to.equal(409);
      expect(range.body).to.deep.include({ code: 'booklets_handed_out', booklets: [1] });
      const moved = await kit.post('distributor_agent', `/batches/${custody.id}/stock/transfers`, {
        toDistributorId: otherDistributorId,
        fromBooklet: 1,
        toBooklet: 1,
      });
      expect(moved.body.code).to.equal('booklets_handed_out');
      const reassigned = await kit.post('funder_manager', `/batches/${custody.id}/stock/assignments`, {
        distributorId: otherDistributorId,
        fromBooklet: 1,
        toBooklet: 1,
      });
      expect(reassigned.status).to.equal(409);
      expect(reassigned.body.code).to.equal('booklets_handed_out');
      const again = await kit.post('distributor_agent', '/distribution/hand-outs', {
        batchId: custody.id,
        booklet: 1,
      });
      expect(again.status).to.equal(409);
      expect(again.body.code).to.equal('booklets_handed_out');
      expect(await stockOf(custody.id)).to.deep.include({ booklets: 2, passesInStock: 19 });
      expect(await eventsOf(1)).to.deep.equal(['voucher.assigned', 'voucher.distributed']);
    });

    it('returns a partly handed-out booklet with only its passes not handed out', async () => {
      const back = await kit.post('distributor_agent', `/batches/${custody.id}/stock/returns`, {
        fromBooklet: 2,
        toBooklet: 2,
      });
      expect(back.status, JSON.stringify(back.body)).to.equal(200);
      expect(back.body).to.deep.include({ booklets: 1, passes: 9 });
      expect(await stockOf(custody.id)).to.deep.include({
        booklets: 1,
        ranges: [{ from: 3, to: 3 }],
        passesInStock: 10,
      });
      // Serial 12 stays handed out (no return event); the others came back, in two runs around it.
      const pass12 = await t.db
        .knex('vouchers.vouchers')
        .where({ batch_id: custody.id, serial: 12 })
        .first('distributed_at');
      expect(pass12.distributed_at).to.be.an.instanceOf(Date);
      expect(await eventsOf(12)).to.deep.equal(['voucher.assigned', 'voucher.distributed']);
      expect(await eventsOf(11)).to.deep.equal(['voucher.assigned', 'voucher.returned']);
      const returns = await t.db
        .knex('vouchers.events')
        .where({ batch_id: custody.id, kind: 'voucher.returned' })
        .orderBy('serial_from')
        .select('serial_from', 'serial_to');
      expect(returns.map((e) => [Number(e.serial_from), Number(e.serial_to)])).to.deep.equal([
        [11, 11],
        [13, 20],
      ]);
      const audit = await t.db
        .knex('platform.audit_log')
        .where({ action: 'stock.returned', target_id: custody.id })
        .first('summary');
      expect(audit.summary).to.deep.equal({ from: 2, to: 2, distributorId, passes: 9 });
      // Back with the funder, its remaining passes can go to another distributor.
      const reassigned = await kit.post('funder_manager', `/batches/${custody.id}/stock/assignments`, {
        distributorId: otherDistributorId,
        fromBooklet: 2,
        toBooklet: 2,
      });
      expect(reassigned.status, JSON.stringify(reassigned.body)).to.equal(201);
      expect(reassigned.body).to.deep.include({ booklets: 1, passes: 9 });
    });

    it('takes a booklet out of the stock with its last pass handed out singly', async () => {
      const cancelled = await kit.post(
        'funder_manager',
        `/batches/${custody.id}/cancellations`,
        { target: { kind: 'range', fromSerial: 21, toSerial: 29 }, reason: 'damaged' },
        `custody-cancel-${custody.id}`,
      );
      expect(cancelled.status, JSON.stringify(cancelled.body)).to.equal(201);
      expect(await stockOf(custody.id)).to.deep.include({ booklets: 1, passesInStock: 1 });
      const last = await kit.post('distributor_agent', '/distribution/hand-outs', {
        batchId: custody.id,
        serial: 30,
      });
      expect(last.body).to.deep.include({ booklet: 3, handedOut: 1, leftStock: true });
      expect(await stockOf(custody.id)).to.equal(undefined);
      const summary = await summaryOf(custody.id);
      expect(summary.distributors.map((d) => [d.distributorId, d.booklets])).to.deep.equal([
        [otherDistributorId, 1],
      ]);
    });
  });

  describe('revocation', () => {
    it('cancels a booklet with a reason and moves its value from outstanding back to prepaid', async () => {
      const funderId = t.demo.ids.funderId!;
      const outstanding = await balance(t.db.knex, accounts.funderVouchersOutstanding(funderId));
      const prepaid = await balance(t.db.knex, accounts.funderPrepaid(funderId));
      const res = await kit.post(
        'funder_manager',
        `/batches/${batch.id}/cancellations`,
        { target: { kind: 'booklet', booklet: 1 }, reason: 'stolen', note: 'Sac volé le 3 mars' },
        `cancel-booklet-1-${batch.id}`,
      );
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      // Serial 1 was already used: the 9 others are cancelled.
      expect(res.body).to.deep.include({
        cancelled: 9,
        reason: 'stolen',
        amount: { amount: '90.00', currency: 'EUR' },
      });
      expect(res.body.ranges).to.deep.equal([{ from: 2, to: 10 }]);
      expect(await balance(t.db.knex, accounts.funderVouchersOutstanding(funderId))).to.equal(
        outstanding - 9000n,
      );
      expect(await balance(t.db.knex, accounts.funderPrepaid(funderId))).to.equal(prepaid + 9000n);
      // Redemption refuses it with that reason.
      const pass = await voucher(5);
      expect(checkVoucherUsable(pass!, t.clock.now())).to.deep.equal({
        ok: false,
        reason: 'cancelled',
        cancelReason: 'stolen',
      });
      const replay = await kit.post(
        'funder_manager',
        `/batches/${batch.id}/cancellations`,
        { target: { kind: 'booklet', booklet: 1 }, reason: 'stolen', note: 'Sac volé le 3 mars' },
        `cancel-booklet-1-${batch.id}`,
      );
      expect(replay.body).to.deep.equal(res.body);
      const nothing = await kit.post(
        'funder_manager',
        `/batches/${batch.id}/cancellations`,
        { target: { kind: 'booklet', booklet: 1 }, reason: 'lost' },
        `cancel-again-${batch.id}`,
      );
      expect(nothing.status).to.equal(409);
      expect(nothing.body.code).to.equal('nothing_to_cancel');
    });

    it('cancels one pass by its typed code and a serial range', async () => {
      const byCode = await kit.post(
        'funder_manager',
        `/batches/${batch.id}/cancellations`,
        { target: { kind: 'code', code: code(35).toLowerCase() }, reason: 'lost' },
        `cancel-code-${batch.id}`,
      );
      expect(byCode.body).to.deep.include({ cancelled: 1, ranges: [{ from: 35, to: 35 }] });
      const range = await kit.post(
        'funder_manager',
        `/batches/${batch.id}/cancellations`,
        { target: { kind: 'range', fromSerial: 31, toSerial: 40 }, reason: 'damaged' },
        `cancel-range-${batch.id}`,
      );
      expect(range.body).to.deep.include({ cancelled: 9 });
      expect(range.body.ranges).to.deep.equal([
        { from: 31, to: 34 },
        { from: 36, to: 40 },
      ]);
      const badCode = await kit.post(
        'funder_manager',
        `/batches/${batch.id}/cancellations`,
        { target: { kind: 'code', code: 'ABCD' }, reason: 'lost' },
        `cancel-bad-${batch.id}`,
      );
      expect(badCode.status).to.equal(422);
      expect(badCode.body.code).to.equal('invalid_voucher_code');
      const check = await outstandingInvariant.run(t.db.knex);
      expect(check, JSON.stringify(check.problems)).to.deep.include({ ok: true });
    });
  });

  describe('public pass check', () => {
    it('says a typed code is genuine and usable, with its value, validity and accredited venues of its territory', async () => {
      const typed = code(21)
        .toLowerCase()
        .replace(/(.{4})/g, '$1 ');
      const res = await publicCheck(typed, { postcode: '07440' });
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.include({ genuine: true, source: 'typed', reason: null });
      expect(res.body.pass).to.deep.include({
        status: 'usable',
        value: { amount: '10.00', currency: 'EUR' },
        validUntil: batch.validUntil,
        acceptedUntil: batch.lastAcceptedDate,
        territory: 'Ardèche (07)',
      });
      expect(res.body.venues.map((v: { name: string }) => v.name)).to.include(
        'Espace Public Numérique Alboussière',
      );
    });

    it('never tells who holds a pass or where it was used', async () => {
      const handedOut = await publicCheck(code(3));
      expect(handedOut.body.pass.status).to.equal('cancelled');
      const used = await publicCheck(code(1));
      expect(used.body.pass.status).to.equal('used');
      for (const res of [handedOut, used]) {
        const text = JSON.stringify(res.body);
        expect(text).to.not.contain('DIAG-2026-0042');
        expect(text).to.not.contain(distributorId);
        expect(text).to.not.contain('distribut');
        expect(Object.keys(res.body.pass).sort()).to.deep.equal(
          [
            'acceptedUntil',
            'funder',
            'serviceCategories',
            'status',
            'territory',
            'validFrom',
            'validUntil',
            'value',
          ].sort(),
        );
      }
    });

    it('tells a typo, a forged QR code and an unknown code apart, without saying more', async () => {
      const real = code(22);
      const typo = real.slice(0, 16) + (real[16] === '0' ? '1' : '0');
      expect((await publicCheck(typo)).body).to.deep.include({ genuine: false, reason: 'typo', pass: null });
      // Well formed, under the operator's key id, but signed with another key.
      const forged = signVoucherPayload(real, {
        kid: t.config.secrets.voucherSigningKid,
        privateKey: generateVoucherSigningKey().privateKeyPem,
      });
      expect((await publicCheck(forged)).body).to.deep.include({
        genuine: false,
        source: 'qr',
        reason: 'invalid_signature',
      });
      const unknown = deriveVoucherCode(Buffer.alloc(32, 7), 1);
      expect((await publicCheck(unknown)).body).to.deep.include({ genuine: false, reason: 'unknown_code' });
    });

    it('is rate limited per client with a problem+json 429', async () => {
      const client = '198.51.100.77';
      let limited: request.Response | undefined;
      for (let i = 0; i <= PASS_CHECKS_PER_MINUTE && !limited; i++) {
        const res = await publicCheck('not a code', {}, client);
        if (res.status === 429) limited = res;
      }
      expect(limited, 'a 429 after the limit').to.not.equal(undefined);
      expect(limited!.headers['content-type']).to.match(/^application\/problem\+json/);
      expect(limited!.body.code).to.equal('pass_check_rate_limited');
      // Another client is not affected.
      expect((await publicCheck('not a code', {}, '198.51.100.78')).status).to.equal(200);
      expect(checks).to.be.greaterThan(PASS_CHECKS_PER_MINUTE);
    });
  });

  it('lets a distributor agent act only on its funder’s batches', async () => {
    const [funder] = await t.db
      .knex('registry.organisations')
      .insert({ kind: 'funder', name: 'CAF du Rhône' })
      .returning<{ id: string }[]>('id');
    await t.db.knex('registry.funders').insert({ organisation_id: funder!.id, funder_kind: 'caf' });
    const [org] = await t.db
      .knex('registry.organisations')
      .insert({ kind: 'distributor', name: 'Centre social Lyon 8' })
      .returning<{ id: string }[]>('id');
    await t.db.knex('registry.distributors').insert({ organisation_id: org!.id, funder_id: funder!.id });
    await insertUser(t, { organisationId: org!.id, role: 'distributor_agent', email: 'agent@lyon8.example' });
    const token = await t.login('agent@lyon8.example');
    const res = await request(t.app)
      .post('/api/v1/distribution/hand-outs')
      .set('Authorization', `Bearer ${token}`)
      .send({ batchId: batch.id, booklet: 1 });
    expect(res.status).to.equal(404);
    expect(res.body.code).to.equal('batch_not_found');
  });
});
