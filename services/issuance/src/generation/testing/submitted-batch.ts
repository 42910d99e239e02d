import { randomUUID } from 'node:crypto';
import type { Db } from '@pass/db';
import { Money } from '@pass/money';
import { insertBatch, transitionBatch } from '@pass/vouchers';
import { insertOrder } from '../../batches/order-store';
import { computeQuote } from '../../batches/quote';
import { encryptBatchSeed, newBatchSeed } from '../batch-code-seed';
import { insertGeneration } from '../generation-store';

/** Test builder: a submitted batch (draft → awaiting funding) with its order and a pending generation. */
export async function insertSubmittedBatch(
  db: Db,
  options: { encryptionKey: Buffer; bookletSize?: 5 | 10; bookletCount: number; funderId?: string },
): Promise<{ batchId: string; seed: Buffer; total: number }> {
  const bookletSize = options.bookletSize ?? 10;
  const batchId = randomUUID();
  const seed = newBatchSeed();
  const at = new Date();
  const funderId = options.funderId ?? randomUUID();
  await insertBatch(
    db,
    {
      id: batchId,
      funderId,
      faceValueCents: 1000n,
      bookletSize,
      bookletCount: options.bookletCount,
      validFrom: '2026-01-01',
      validUntil: '2099-12-31',
      toleranceDays: 30,
      territory: { departements: [], communes: [] },
      serviceCategories: [],
    },
    { actor: 'test', at },
  );
  const total = bookletSize * options.bookletCount;
  await insertOrder(db, {
    batchId,
    funderId,
    wording: 'Test',
    quote: computeQuote({
      faceValue: Money.parse('10.00'),
      voucherCount: total,
      upstreamFeeRate: '0.04',
      vatRate: '0.2',
    }),
    codeSeed: encryptBatchSeed(seed, options.encryptionKey, batchId),
    createdBy: 'test',
    createdAt: at,
  });
  await transitionBatch(db, batchId, { from: ['draft'], to: 'awaiting_funding' }, { actor: 'test', at });
  await insertGeneration(db, batchId, total, at);
  return { batchId, seed, total };
}
