import type { Db } from '@pass/db';
import { Money } from '@pass/money';
import type { Quote } from './quote';

/** The issuance side of a batch (issuance.orders). */
export interface Order {
  batchId: string;
  funderId: string;
  wording: string;
  quote: Quote;
  /** AES-256-GCM of the batch's code seed (see generation/batch-code-seed.ts). */
  codeSeed: Buffer;
  createdBy: string;
  createdAt: Date;
  proofApprovedBy: string | null;
  proofApprovedAt: Date | null;
}

interface DbOrderRow {
  batch_id: string;
  funder_id: string;
  wording: string;
  face_total_cents: string;
  upstream_fee_rate: string;
  upstream_fee_cents: string;
  vat_rate: string;
  vat_cents: string;
  total_cents: string;
  code_seed: Buffer;
  created_by: string;
  created_at: Date;
  proof_approved_by: string | null;
  proof_approved_at: Date | null;
}

function fromRow(row: DbOrderRow, voucherCount: number, faceValueCents: bigint): Order {
  return {
    batchId: row.batch_id,
    funderId: row.funder_id,
    wording: row.wording,
    quote: {
      voucherCount,
      faceValue: Money.fromCents(faceValueCents),
      faceTotal: Money.fromCents(String(row.face_total_cents)),
      upstreamFeeRate: trimRate(String(row.upstream_fee_rate)),
      upstreamFee: Money.fromCents(String(row.upstream_fee_cents)),
      vatRate: trimRate(String(row.vat_rate)),
      vat: Money.fromCents(String(row.vat_cents)),
      total: Money.fromCents(String(row.total_cents)),
    },
    codeSeed: Buffer.from(row.code_seed),
    createdBy: row.created_by,
    createdAt: row.created_at,
    proofApprovedBy: row.proof_approved_by,
    proofApprovedAt: row.proof_approved_at,
  };
}

/** numeric(7, 6) comes back as "0.040000": shown as "0.04". */
function trimRate(rate: string): string {
  return rate.includes('.') ? rate.replace(/0+$/, '').replace(/\.$/, '') : rate;
}

/** Inserts the order of a new batch. */
export async function insertOrder(
  db: Db,
  order: Omit<Order, 'proofApprovedBy' | 'proofApprovedAt'>,
): Promise<void> {
  await db('issuance.orders').insert({
    batch_id: order.batchId,
    funder_id: order.funderId,
    wording: order.wording,
    face_total_cents: order.quote.faceTotal.toCentsString(),
    upstream_fee_rate: order.quote.upstreamFeeRate,
    upstream_fee_cents: order.quote.upstreamFee.toCentsString(),
    vat_rate: order.quote.vatRate,
    vat_cents: order.quote.vat.toCentsString(),
    total_cents: order.quote.total.toCentsString(),
    code_seed: order.codeSeed,
    created_by: order.createdBy,
    created_at: order.createdAt,
  });
}

/** The order of a batch (face value and count come from the batch row). */
export async function getOrder(
  db: Db,
  batch: { id: string; voucherCount: number; faceValueCents: bigint },
): Promise<Order | undefined> {
  const row = await db<DbOrderRow>('issuance.orders').where({ batch_id: batch.id }).first();
  return row ? fromRow(row, batch.voucherCount, batch.faceValueCents) : undefined;
}

/** Stores the funder's approval of the proof; false when it was already approved. */
export async function approveProof(db: Db, batchId: string, by: string, at: Date): Promise<boolean> {
  const updated = await db('issuance.orders')
    .where({ batch_id: batchId })
    .whereNull('proof_approved_at')
    .update({ proof_approved_by: by, proof_approved_at: at });
  return Number(updated) > 0;
}
