import { randomBytes, randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@pass/db/testing';
import { expect } from 'chai';
import { getBatch, insertBatch, transitionBatch } from './batch-store';
import { listVoucherEvents } from './voucher-events';
import { voucherMigrations } from './voucher-migrations';
import { batchVoucherCounts, listVouchersInRange } from './voucher-store';
import { cancelVouchers, markDistributed, markRedeemed } from './voucher-transitions';
import {
  activeBatchesNearingEnd,
  expireAvailableInRange,
  expiryAlertCounts,
  settleRedeemedVouchers,
} from './settlement-transitions';

const AT = new Date('2026-03-01T10:00:00Z');
const ctx = { actor: 'test', at: AT };

describe('settlement transitions of the vouchers package (PostgreSQL)', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase(voucherMigrations);
  });
  after(async () => {
    await db?.destroy();
  });

  /** An active batch of 3 booklets of 10 passes. */
  async function buildActiveBatch(overrides: { validUntil?: string } = {}) {
    const batch = await insertBatch(
      db.knex,
      {
        funderId: randomUUID(),
        faceValueCents: 1000n,
        bookletSize: 10,
        bookletCount: 3,
        validFrom: '2026-01-01',
        validUntil: overrides.validUntil ?? '2026-12-31',
        toleranceDays: 30,
        territory: { departements: [], communes: [] },
        serviceCategories: [],
      },
      ctx,
    );
    await db.knex('vouchers.vouchers').insert(
      Array.from({ length: 30 }, (_, i) => ({
        batch_id: batch.id,
        serial: i + 1,
        lookup_hash: randomBytes(32),
      })),
    );
    await transitionBatch(db.knex, batch.id, { from: ['draft'], to: 'awaiting_funding' }, ctx);
    await transitionBatch(db.knex, batch.id, { from: ['awaiting_funding'], to: 'active' }, ctx);
    const ids = (await listVouchersInRange(db.knex, batch.id, 1, 30)).map((v) => v.id);
    return { batch: (await getBatch(db.knex, batch.id))!, ids };
  }

  it('settles every redeemed pass of a chunk, or none when one was undone meanwhile', async () => {
    const { batch, ids } = await buildActiveBatch();
    const batchId = batch.id;
    await markRedeemed(db.knex, ids.slice(0, 4), ctx);
    // The caller rolls back on a refusal, as the settlement service does.
    let refusal: unknown;
    await db.knex
      .transaction(async (trx) => {
        const result = await settleRedeemedVouchers(trx, ids.slice(0, 5), {
          ...ctx,
          reference: 'statement:s1',
        });
        if (!result.ok) {
          refusal = result;
          throw new Error('rollback');
        }
      })
      .catch(() => undefined);
    expect(refusal).to.deep.equal({ ok: false, reason: 'not_all_redeemed', settled: 4, expected: 5 });
    const statuses = await db
      .knex('vouchers.vouchers')
      .whereIn('id', ids.slice(0, 5))
      .orderBy('serial')
      .pluck('status');
    expect(statuses).to.deep.equal(['redeemed', 'redeemed', 'redeemed', 'redeemed', 'available']);

    const settled = await settleRedeemedVouchers(db.knex, ids.slice(0, 4), {
      ...ctx,
      reference: 'statement:s1',
    });
    expect(settled).to.deep.equal({ ok: true, settled: 4 });
    const events = (await listVoucherEvents(db.knex, { batchId, limit: 100 })).filter(
      (e) => e.kind === 'voucher.settled',
    );
    expect(events.map((e) => [e.serialFrom, e.serialTo, e.reference])).to.deep.equal([
      [1, 4, 'statement:s1'],
    ]);
    const again = await settleRedeemedVouchers(db.knex, ids.slice(0, 4), ctx);
    expect(again).to.deep.equal({ ok: false, reason: 'not_all_redeemed', settled: 0, expected: 4 });
  });

  it('expires the available passes of a serial range only, with one event per run of serials', async () => {
    const { batch, ids } = await buildActiveBatch();
    await markRedeemed(db.knex, [ids[2]!], ctx);
    await cancelVouchers(db.knex, { ids: [ids[3]!] }, 'lost', ctx);
    expect(
      await expireAvailableInRange(db.knex, batch.id, 1, 10, { ...ctx, reference: `batch:${batch.id}` }),
    ).to.equal(8);
    expect(await expireAvailableInRange(db.knex, batch.id, 1, 10, ctx)).to.equal(0);
    const counts = await batchVoucherCounts(db.knex, batch.id);
    expect(counts).to.deep.include({ expired: 8, redeemed: 1, cancelled: 1, available: 20 });
    const events = (await listVoucherEvents(db.knex, { batchId: batch.id, limit: 100 })).filter(
      (e) => e.kind === 'voucher.expired',
    );
    expect(events.map((e) => [e.serialFrom, e.serialTo]).sort((a, b) => a[0]! - b[0]!)).to.deep.equal([
      [1, 2],
      [5, 10],
    ]);
  });

  it('counts what the J-30 alert tells the funder', async () => {
    const { batch, ids } = await buildActiveBatch();
    await markDistributed(db.knex, { batchId: batch.id, fromSerial: 1, toSerial: 10 }, ctx);
    await markRedeemed(db.knex, [ids[0]!, ids[1]!], ctx);
    await markRedeemed(db.knex, ids.slice(20, 30), ctx);
    expect(await expiryAlertCounts(db.knex, batch)).to.deep.equal({
      issued: 30,
      distributed: 10,
      notDistributed: 10,
      used: 12,
      distributedNotUsed: 8,
      bookletsStarted: 1,
      bookletsFinished: 1,
      bookletsUntouched: 1,
    });
  });

  it('lists the active batches whose J-30 has come', async () => {
    const soon = await buildActiveBatch({ validUntil: '2031-06-30' });
    const later = await buildActiveBatch({ validUntil: '2031-09-30' });
    const found = (await activeBatchesNearingEnd(db.knex, '2031-06-01')).map((b) => b.id);
    expect(found).to.include(soon.batch.id);
    expect(found).to.not.include(later.batch.id);
  });
});
