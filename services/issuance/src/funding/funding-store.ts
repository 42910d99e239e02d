import type { Db } from '@pass/db';
import { Money } from '@pass/money';

/** How the funder paid: a public accountant's mandate or a bank transfer. */
export type FundingMethod = 'mandate' | 'bank_transfer';

/** A recorded funding (issuance.fundings). */
export interface Funding {
  id: string;
  batchId: string;
  amount: Money;
  method: FundingMethod;
  /** Mandate number or bank payment reference. */
  reference: string;
  receivedOn: string;
  ledgerEntryId: string;
  recordedBy: string;
  recordedAt: Date;
}

interface DbFundingRow {
  id: string;
  batch_id: string;
  amount_cents: string;
  method: FundingMethod;
  reference: string;
  received_on: string;
  ledger_entry_id: string;
  recorded_by: string;
  recorded_at: Date;
}

/** The funding of a batch, or undefined. */
export async function findFunding(db: Db, batchId: string): Promise<Funding | undefined> {
  const row = await db<DbFundingRow>('issuance.fundings').where({ batch_id: batchId }).first();
  if (!row) return undefined;
  return {
    id: row.id,
    batchId: row.batch_id,
    amount: Money.fromCents(String(row.amount_cents)),
    method: row.method,
    reference: row.reference,
    receivedOn: String(row.received_on),
    ledgerEntryId: row.ledger_entry_id,
    recordedBy: row.recorded_by,
    recordedAt: row.recorded_at,
  };
}

/** Inserts a funding (unique per batch: a concurrent second one fails with 23505). */
export async function insertFunding(db: Db, funding: Omit<Funding, 'id'>): Promise<void> {
  await db('issuance.fundings').insert({
    batch_id: funding.batchId,
    amount_cents: funding.amount.toCentsString(),
    method: funding.method,
    reference: funding.reference,
    received_on: funding.receivedOn,
    ledger_entry_id: funding.ledgerEntryId,
    recorded_by: funding.recordedBy,
    recorded_at: funding.recordedAt,
  });
}
