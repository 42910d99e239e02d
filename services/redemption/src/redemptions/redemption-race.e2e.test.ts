import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import { createTestDb } from '../../../../test/support/database';
import { redemptionInvariants } from '../invariants/redemption-invariants';
import { accounts, balance } from '../shared/ledger';
import {
  insertAssociation,
  insertVenue,
  issueBatch,
  type TestVenue,
  waitForLockWaiters,
} from '../testing/redemption-test-kit';

// Real parallel requests: the composed app listens on a port and clients send HTTP over their own
// connections, against PostgreSQL with a pool of 20 connections.

interface Answer {
  status: number;
  body: { id?: string; code?: string; passes?: { ok: boolean; refusals: { code: string }[] }[] };
}

function shuffled<T>(list: readonly T[]): T[] {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

describe('redemption under real concurrency (PostgreSQL, parallel HTTP)', function () {
  this.timeout(180_000);
  let t: TestApp;
  let server: Server;
  let base: string;
  let venues: TestVenue[];

  before(async () => {
    t = await createTestApp({ db: await createTestDb({ poolMax: 20 }) });
    const associations = await Promise.all(Array.from({ length: 4 }, () => insertAssociation(t.db.knex)));
    venues = [];
    for (let i = 0; i < 64; i++) {
      venues.push(await insertVenue(t.db.knex, { associationId: associations[i % 4]!, name: `Lieu ${i}` }));
    }
    server = t.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  async function redeem(venue: TestVenue, codes: string[], price: 1 | 2 | 3 = codes.length as 1 | 2 | 3) {
    const res = await fetch(`${base}/api/v1/redemptions`, {
      method: 'POST',
      headers: {
        Authorization: `Device ${venue.deviceToken}`,
        'Idempotency-Key': randomUUID(),
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ catalogueServiceId: venue.services[price], codes }),
    });
    return { status: res.status, body: (await res.json()) as Answer['body'] };
  }

  async function expectInvariants() {
    for (const check of redemptionInvariants()) {
      const result = await check.run(t.db.knex);
      expect(result.ok, `${check.name}: ${JSON.stringify(result.problems)}`).to.equal(true);
    }
  }

  it('64 clients at 64 venues racing on the same 100 passes: exactly 100 redemptions, all others already_redeemed', async () => {
    const b = await issueBatch(t.db.knex, t.config, { count: 100, bookletSize: 10 });
    const answers: (Answer & { venue: TestVenue })[] = [];
    await Promise.all(
      venues.map(async (venue) => {
        for (const code of shuffled(b.codes)) answers.push({ venue, ...(await redeem(venue, [code])) });
      }),
    );
    expect(answers).to.have.length(6400);
    const byStatus = new Map<string, number>();
    for (const a of answers) {
      const key = `${a.status} ${a.body.code ?? ''}`.trim();
      byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
    }
    expect(Object.fromEntries(byStatus)).to.deep.equal({ '201': 100, '422 already_redeemed': 6300 });

    const rows = await t.db
      .knex('redemption.redemption_vouchers as rv')
      .join('redemption.redemptions as r', 'r.id', 'rv.redemption_id')
      .whereIn('rv.voucher_id', b.voucherIds)
      .select('rv.voucher_id', 'r.venue_id', 'r.association_id', 'r.status');
    expect(new Set(rows.map((r) => String(r.voucher_id))).size).to.equal(100);
    expect(rows).to.have.length(100);
    const statuses = await t.db
      .knex('vouchers.vouchers')
      .whereIn('id', b.voucherIds)
      .distinct()
      .pluck('status');
    expect(statuses).to.deep.equal(['redeemed']);

    // The ledger balances: the funder's outstanding is spent exactly once, the payables got exactly that.
    expect(await balance(t.db.knex, accounts.funderVouchersOutstanding(b.batch.funderId))).to.equal(0n);
    const payables = await Promise.all(
      [...new Set(rows.map((r) => r.association_id as string))].map((id) =>
        balance(t.db.knex, accounts.associationPayable(id)),
      ),
    );
    expect(payables.reduce((sum, cents) => sum + cents, 0n)).to.equal(100_000n);
    const [totals] = (
      await t.db.knex.raw(
        `select sum(amount_cents) filter (where side = 'debit')::text as debit,
                sum(amount_cents) filter (where side = 'credit')::text as credit from ledger.lines`,
      )
    ).rows;
    expect(totals.debit).to.equal(totals.credit);
    expect(new Set(rows.map((r) => r.venue_id)).size, 'winners spread over venues').to.be.greaterThan(1);
    await expectInvariants();
  });

  it('refuses a whole 3-pass basket whose third pass is taken by a concurrent redemption, redeeming nothing', async () => {
    const b = await issueBatch(t.db.knex, t.config, { count: 5 });
    const [a, bb, c] = b.codes as [string, string, string];
    const [venueA, venueB] = venues as [TestVenue, TestVenue];
    const payableBefore = await balance(t.db.knex, accounts.associationPayable(venueA.associationId));
    const entriesBefore = Number((await t.db.knex('ledger.entries').count<{ n: string }[]>('* as n'))[0]!.n);

    // Pause the competitor just before it commits (its audit insert waits on this lock), holding pass C.
    const gate = await t.db.knex.transaction();
    let competitor: Promise<Answer> | undefined;
    let basket: Promise<Answer> | undefined;
    try {
      await gate.raw('lock table platform.audit_log in share mode');
      competitor = redeem(venueB, [c]);
      await waitForLockWaiters(t.db.knex, 1);
      // The basket reads C as available, locks A and B, then waits for C.
      basket = redeem(venueA, [a, bb, c]);
      await waitForLockWaiters(t.db.knex, 2);
      await gate.rollback();
    } finally {
      if (!gate.isCompleted()) await gate.rollback();
    }
    const [won, lost] = await Promise.all([competitor!, basket!]);
    expect(won.status).to.equal(201);
    expect(lost.status).to.equal(422);
    expect(lost.body.code).to.equal('already_redeemed');
    expect(lost.body.passes!.map((p) => p.ok)).to.deep.equal([true, true, false]);

    const statuses = await t.db
      .knex('vouchers.vouchers')
      .whereIn('id', b.voucherIds.slice(0, 3))
      .orderBy('serial')
      .pluck('status');
    expect(statuses).to.deep.equal(['available', 'available', 'redeemed']);
    expect(
      await t.db.knex('redemption.redemption_vouchers').whereIn('voucher_id', b.voucherIds.slice(0, 2)),
    ).to.have.length(0);
    expect(await balance(t.db.knex, accounts.associationPayable(venueA.associationId))).to.equal(
      payableBefore,
    );
    const entriesAfter = Number((await t.db.knex('ledger.entries').count<{ n: string }[]>('* as n'))[0]!.n);
    expect(entriesAfter - entriesBefore, 'only the competitor’s entry').to.equal(1);
    // A and B are still usable.
    expect((await redeem(venueA, [a, bb])).status).to.equal(201);
  });

  it('overlapping 3-pass baskets from many venues: each pass in at most one, all or nothing, no deadlock', async () => {
    const b = await issueBatch(t.db.knex, t.config, { count: 15 });
    const pool = b.codes.slice(0, 12);
    const baskets = venues.slice(0, 48).map((venue) => ({ venue, codes: shuffled(pool).slice(0, 3) }));
    const answers = await Promise.all(baskets.map(({ venue, codes }) => redeem(venue, codes)));
    const statuses = answers.map((a) => `${a.status} ${a.body.code ?? ''}`.trim());
    expect(
      statuses.every((s) => s === '201' || s === '422 already_redeemed'),
      statuses.join(', '),
    ).to.equal(true);
    const won = answers.filter((a) => a.status === 201);
    expect(won.length).to.be.greaterThan(0);
    const rows = await t.db.knex('redemption.redemption_vouchers').whereIn(
      'redemption_id',
      won.map((a) => a.body.id!),
    );
    expect(rows).to.have.length(won.length * 3);
    const redeemed = await t.db
      .knex('vouchers.vouchers')
      .whereIn('id', b.voucherIds.slice(0, 12))
      .andWhere('status', 'redeemed')
      .count<{ n: string }[]>('* as n');
    expect(Number(redeemed[0]!.n)).to.equal(won.length * 3);
    await expectInvariants();
  });
});
