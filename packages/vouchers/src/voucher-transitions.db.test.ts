import { randomBytes, randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@pass/db/testing';
import { expect } from 'chai';
import { getBatch, insertBatch, transitionBatch, usableFaceValueByFunder } from './batch-store';
import { bookletStateCounts, bookletUsage } from './booklet-usage';
import { listVoucherEvents, voucherHistory } from './voucher-events';
import { voucherMigrations } from './voucher-migrations';
import {
  batchVoucherCounts,
  findVoucherByLookupHash,
  findVouchersByLookupHashes,
  listVouchersInRange,
  maxSerial,
} from './voucher-store';
import {
  cancelVouchers,
  markAvailableAgain,
  markDistributed,
  markExpired,
  markRedeemed,
  markSettled,
} from './voucher-transitions';

const AT = new Date('2026-03-01T10:00:00Z');
const ctx = { actor: 'test', at: AT };

describe('vouchers package on PostgreSQL', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase(voucherMigrations);
  });
  after(async () => {
    await db?.destroy();
  });

  /** A batch of 3 booklets of 10 with its 30 passes (random hashes), in the given status. */
  async function buildBatch(
    status: 'draft' | 'awaiting_funding' | 'active' = 'active',
    funderId = randomUUID(),
  ) {
    const batch = await insertBatch(
      db.knex,
      {
        funderId,
        faceValueCents: 1000n,
        bookletSize: 10,
        bookletCount: 3,
        validFrom: '2026-01-01',
        validUntil: '2026-12-31',
        toleranceDays: 30,
        territory: { departements: ['07'], communes: [] },
        serviceCategories: [],
      },
      ctx,
    );
    const hashes = Array.from({ length: 30 }, () => randomBytes(32));
    await db
      .knex('vouchers.vouchers')
      .insert(hashes.map((hash, i) => ({ batch_id: batch.id, serial: i + 1, lookup_hash: hash })));
    if (status !== 'draft')
      await transitionBatch(db.knex, batch.id, { from: ['draft'], to: 'awaiting_funding' }, ctx);
    if (status === 'active')
      await transitionBatch(db.knex, batch.id, { from: ['awaiting_funding'], to: 'active' }, ctx);
    const vouchers = await listVouchersInRange(db.knex, batch.id, 1, 30);
    return { batch: (await getBatch(db.knex, batch.id))!, hashes, ids: vouchers.map((v) => v.id) };
  }

  it('finds a pass by lookup hash with its batch terms in one query', async () => {
    const { batch, hashes, ids } = await buildBatch();
    const found = await findVoucherByLookupHash(db.knex, hashes[4]!);
    expect(found).to.deep.include({ id: ids[4], serial: 5, status: 'available', batchId: batch.id });
    expect(found!.batch).to.deep.include({
      status: 'active',
      faceValueCents: 1000n,
      validUntil: '2026-12-31',
      number: batch.number,
    });
    expect(found!.batch.territory).to.deep.equal({ departements: ['07'], communes: [] });
    expect(await findVoucherByLookupHash(db.knex, randomBytes(32))).to.equal(undefined);
    const many = await findVouchersByLookupHashes(db.knex, [hashes[0]!, hashes[1]!, randomBytes(32)]);
    expect([...many.values()].map((v) => v.serial).sort()).to.deep.equal([1, 2]);
    expect(await maxSerial(db.knex, batch.id)).to.equal(30);
  });

  it('redeems only available passes of an active batch, once', async () => {
    const pending = await buildBatch('awaiting_funding');
    expect(await markRedeemed(db.knex, [pending.ids[0]!], ctx)).to.deep.equal([]);
    const { ids, batch } = await buildBatch();
    const first = await markRedeemed(db.knex, [ids[0]!, ids[1]!], {
      ...ctx,
      place: 'venue:x',
      reference: 'redemption:1',
    });
    expect(first.map((v) => v.serial)).to.deep.equal([1, 2]);
    expect(await markRedeemed(db.knex, [ids[0]!], ctx)).to.deep.equal([]);
    const events = await listVoucherEvents(db.knex, { batchId: batch.id, serial: 1, limit: 50 });
    expect(events.map((e) => e.kind)).to.include('voucher.redeemed');
    const redeemed = events.find((e) => e.kind === 'voucher.redeemed')!;
    expect(redeemed).to.deep.include({
      serialFrom: 1,
      serialTo: 2,
      place: 'venue:x',
      reference: 'redemption:1',
    });
  });

  it('lets exactly one of two concurrent redemptions of the same pass win', async () => {
    const { ids } = await buildBatch();
    const id = ids[9]!;
    const trxA = await db.knex.transaction();
    const trxB = await db.knex.transaction();
    try {
      const a = await markRedeemed(trxA, [id], ctx);
      // B blocks on A's row lock; once A commits, B re-checks the WHERE clause and skips the row.
      const bPromise = markRedeemed(trxB, [id], ctx);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await trxA.commit();
      const b = await bPromise;
      await trxB.commit();
      expect([a.length, b.length]).to.deep.equal([1, 0]);
    } finally {
      if (!trxA.isCompleted()) await trxA.rollback();
      if (!trxB.isCompleted()) await trxB.rollback();
    }
  });

  it('undoes, settles and never undoes a settled pass', async () => {
    const { ids } = await buildBatch();
    await markRedeemed(db.knex, [ids[0]!, ids[1]!], ctx);
    expect((await markAvailableAgain(db.knex, [ids[0]!], ctx)).length).to.equal(1);
    expect((await markSettled(db.knex, [ids[1]!], ctx)).length).to.equal(1);
    expect(await markAvailableAgain(db.knex, [ids[1]!], ctx)).to.deep.equal([]);
    expect(await markSettled(db.knex, [ids[0]!], ctx)).to.deep.equal([]);
  });

  it('cancels the available passes of a range with a reason, skipping used ones, one event per run', async () => {
    const { batch, ids } = await buildBatch();
    await markRedeemed(db.knex, [ids[14]!], ctx);
    const cancelled = await cancelVouchers(
      db.knex,
      { batchId: batch.id, fromSerial: 11, toSerial: 20 },
      'stolen',
      {
        ...ctx,
        reference: 'cancellation:1',
      },
    );
    expect(cancelled.map((v) => v.serial)).to.deep.equal([11, 12, 13, 14, 16, 17, 18, 19, 20]);
    const events = (await listVoucherEvents(db.knex, { batchId: batch.id, limit: 100 })).filter(
      (e) => e.kind === 'voucher.cancelled',
    );
    expect(events.map((e) => [e.serialFrom, e.serialTo, e.reason])).to.deep.equal([
      [11, 14, 'stolen'],
      [16, 20, 'stolen'],
    ]);
    const pass = await findVoucherByLookupHash(
      db.knex,
      (await db.knex('vouchers.vouchers').where({ id: ids[11] }).first()).lookup_hash,
    );
    expect(pass).to.deep.include({ status: 'cancelled', statusReason: 'stolen' });
    expect(await markRedeemed(db.knex, [ids[11]!], ctx)).to.deep.equal([]);
  });

  it('marks passes handed out once, and reports booklet usage', async () => {
    const { batch, ids } = await buildBatch();
    const handed = await markDistributed(
      db.knex,
      { batchId: batch.id, fromSerial: 1, toSerial: 10 },
      { ...ctx, place: 'distributor:d' },
    );
    expect(handed).to.have.length(10);
    expect(
      await markDistributed(db.knex, { batchId: batch.id, fromSerial: 1, toSerial: 10 }, ctx),
    ).to.deep.equal([]);
    await markRedeemed(db.knex, [ids[0]!], ctx);
    await markRedeemed(db.knex, ids.slice(10, 20), ctx);
    const usage = await bookletUsage(db.knex, batch, 1, 3);
    expect(usage.map((b) => [b.booklet, b.state, b.used, b.distributed, b.inStock])).to.deep.equal([
      [1, 'started', 1, 10, 0],
      [2, 'finished', 10, 0, 0],
      [3, 'issued', 0, 0, 10],
    ]);
    expect(await bookletStateCounts(db.knex, batch)).to.deep.equal({
      issued: 1,
      distributed: 0,
      started: 1,
      finished: 1,
    });
    expect(await batchVoucherCounts(db.knex, batch.id)).to.deep.include({
      issued: 30,
      distributed: 10,
      redeemed: 11,
      available: 19,
    });
  });

  it('expires what is left and counts usable face value per funder for the ledger invariant', async () => {
    const funderId = randomUUID();
    const a = await buildBatch('active', funderId);
    await buildBatch('awaiting_funding', funderId);
    await markRedeemed(db.knex, [a.ids[0]!], ctx);
    expect((await usableFaceValueByFunder(db.knex)).get(funderId)).to.equal(29n * 1000n);
    expect(await markExpired(db.knex, a.batch.id, ctx)).to.equal(29);
    expect((await usableFaceValueByFunder(db.knex)).get(funderId)).to.equal(undefined);
    const history = await voucherHistory(db.knex, a.ids[5]!);
    expect(history.map((e) => e.kind)).to.deep.equal([
      'batch.created',
      'batch.awaiting_funding',
      'batch.active',
      'voucher.expired',
    ]);
  });

  it('refuses to change or delete an event (append-only)', async () => {
    const { batch } = await buildBatch();
    let code: string | undefined;
    try {
      await db.knex('vouchers.events').where({ batch_id: batch.id }).update({ actor: 'someone else' });
    } catch (error) {
      code = (error as { code?: string }).code;
    }
    expect(code).to.equal('55000');
  });

  it('moves a batch only from the expected status', async () => {
    const { batch } = await buildBatch('draft');
    expect(
      await transitionBatch(db.knex, batch.id, { from: ['awaiting_funding'], to: 'active' }, ctx),
    ).to.equal(undefined);
    const submitted = await transitionBatch(
      db.knex,
      batch.id,
      { from: ['draft'], to: 'awaiting_funding' },
      ctx,
    );
    expect(submitted).to.deep.include({ status: 'awaiting_funding', submittedAt: AT });
  });
});
