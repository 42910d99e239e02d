import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@pass/db/testing';
import { expect } from 'chai';
import { insertBatch, transitionBatch } from './batch-store';
import { redeemVouchersInOrder, restoreRedeemedVouchersInOrder } from './redemption-transitions';
import { voucherMigrations } from './voucher-migrations';
import { markSettled } from './voucher-transitions';

const context = (actor: string) => ({
  actor,
  at: new Date(),
  place: 'venue:test',
  reference: `redemption:${actor}`,
});

describe('redemption transitions (PostgreSQL)', () => {
  let db: TestDatabase;
  let batchId: string;
  let ids: string[];

  before(async () => {
    db = await createTestDatabase(voucherMigrations, { poolMax: 24 });
  });
  after(async () => {
    await db.destroy();
  });

  beforeEach(async () => {
    const batch = await insertBatch(
      db.knex,
      {
        funderId: '00000000-0000-4000-8000-000000000002',
        faceValueCents: 1000n,
        bookletSize: 10,
        bookletCount: 4,
        validFrom: '2020-01-01',
        validUntil: '2099-12-31',
        toleranceDays: 30,
        territory: { departements: [], communes: [] },
        serviceCategories: [],
      },
      { actor: 'test', at: new Date() },
    );
    batchId = batch.id;
    await transitionBatch(
      db.knex,
      batchId,
      { from: ['draft'], to: 'active' },
      { actor: 'test', at: new Date() },
    );
    const rows = await db
      .knex('vouchers.vouchers')
      .insert(
        Array.from({ length: 40 }, (_, i) => ({
          batch_id: batchId,
          serial: i + 1,
          lookup_hash: randomBytes(32),
        })),
      )
      .returning<{ id: string }[]>('id');
    ids = rows.map((row) => String(row.id));
  });

  it('redeems available passes and records one event per run of consecutive serials', async () => {
    const changed = await redeemVouchersInOrder(db.knex, [ids[4]!, ids[0]!, ids[1]!], context('a'));
    expect(changed.map((v) => v.serial)).to.deep.equal([1, 2, 5]);
    const events = await db
      .knex('vouchers.events')
      .where({ batch_id: batchId, kind: 'voucher.redeemed' })
      .orderBy('serial_from');
    expect(events.map((e) => [e.serial_from, e.serial_to, e.place, e.reference])).to.deep.equal([
      [1, 2, 'venue:test', 'redemption:a'],
      [5, 5, 'venue:test', 'redemption:a'],
    ]);
  });

  it('leaves out a pass that is no longer available, so the caller can refuse the basket', async () => {
    await redeemVouchersInOrder(db.knex, [ids[2]!], context('first'));
    const changed = await redeemVouchersInOrder(db.knex, [ids[0]!, ids[1]!, ids[2]!], context('second'));
    expect(changed.map((v) => v.serial)).to.deep.equal([1, 2]);
  });

  it('does not redeem passes of a batch that is not active', async () => {
    await db.knex('vouchers.batches').where({ id: batchId }).update({ status: 'closed' });
    expect(await redeemVouchersInOrder(db.knex, [ids[0]!], context('a'))).to.deep.equal([]);
  });

  it('lets exactly one of many concurrent overlapping baskets take each pass, without deadlock', async () => {
    // 60 baskets of 3 passes drawn from 12, each in its own transaction, all at once: in any order of
    // arrival, a basket either gets its 3 passes or rolls back; a deadlock would surface as a 40P01 error.
    const pool = ids.slice(0, 12);
    const baskets = Array.from({ length: 60 }, () => {
      const picked = new Set<string>();
      while (picked.size < 3) picked.add(pool[Math.floor(Math.random() * pool.length)]!);
      return [...picked];
    });
    const outcomes = await Promise.all(
      baskets.map((basket, n) =>
        db.knex
          .transaction(async (trx) => {
            const changed = await redeemVouchersInOrder(trx, basket, context(`b${n}`));
            if (changed.length !== basket.length) throw new Error('taken');
            return basket;
          })
          .catch((err: Error) => (err.message === 'taken' ? null : Promise.reject(err))),
      ),
    );
    const won = outcomes.filter((o): o is string[] => o !== null);
    const taken = won.flat();
    expect(new Set(taken).size).to.equal(taken.length);
    const redeemed = await db
      .knex('vouchers.vouchers')
      .whereIn('id', pool)
      .andWhere('status', 'redeemed')
      .count<{ count: string }[]>('* as count');
    expect(Number(redeemed[0]!.count)).to.equal(taken.length);
    expect(won.length).to.be.greaterThan(0);
  });

  it('restores redeemed passes but not settled ones', async () => {
    await redeemVouchersInOrder(db.knex, [ids[0]!, ids[1]!], context('a'));
    await markSettled(db.knex, [ids[1]!], { actor: 'settlement', at: new Date() });
    const restored = await restoreRedeemedVouchersInOrder(db.knex, [ids[0]!, ids[1]!], context('undo'));
    expect(restored.map((v) => v.serial)).to.deep.equal([1]);
    const statuses = await db
      .knex('vouchers.vouchers')
      .whereIn('id', [ids[0]!, ids[1]!])
      .orderBy('serial')
      .pluck('status');
    expect(statuses).to.deep.equal(['available', 'settled']);
    const undone = await db
      .knex('vouchers.events')
      .where({ batch_id: batchId, kind: 'voucher.redemption_undone' });
    expect(undone).to.have.length(1);
  });
});
