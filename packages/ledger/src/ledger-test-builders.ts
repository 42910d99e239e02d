// Test data builders shared by this package's tests (not exported by index.ts).
import { randomUUID } from 'node:crypto';
import type { Db } from '@pass/db';
import { accounts } from './account-code';
import { credit, debit, type EntryInput } from './entry';
import type { HashableEntry } from './entry-hash';

/** A redemption entry (vouchers outstanding of a funder to the payable of an association), overridable. */
export function buildRedemption(
  overrides: Partial<EntryInput> & { funderId?: string; associationId?: string; amount?: bigint } = {},
): EntryInput {
  const { funderId = FUNDER, associationId = ASSOCIATION, amount = 1000n, ...rest } = overrides;
  return {
    kind: 'redemption',
    reference: `redemption:${randomUUID()}`,
    actor: 'user:test',
    lines: [
      debit(accounts.funderVouchersOutstanding(funderId), amount),
      credit(accounts.associationPayable(associationId), amount),
    ],
    ...rest,
  };
}

/** Funding of a funder: bank debited by face value plus fee, prepaid and fees credited. */
export function buildFunding(
  overrides: Partial<EntryInput> & { funderId?: string; face?: bigint; fee?: bigint } = {},
): EntryInput {
  const { funderId = FUNDER, face = 100_000n, fee = 4_000n, ...rest } = overrides;
  return {
    kind: 'funding_received',
    reference: `funding:${randomUUID()}`,
    actor: 'user:test',
    lines: [
      debit(accounts.operatorBank(), face + fee),
      credit(accounts.funderPrepaid(funderId), face),
      credit(accounts.operatorFees(), fee),
    ],
    ...rest,
  };
}

/** Activation of a batch: prepaid to vouchers outstanding. */
export function buildActivation(
  overrides: Partial<EntryInput> & { funderId?: string; amount?: bigint } = {},
): EntryInput {
  const { funderId = FUNDER, amount = 100_000n, ...rest } = overrides;
  return {
    kind: 'batch_activated',
    reference: `batch:${randomUUID()}`,
    actor: 'user:test',
    lines: [
      debit(accounts.funderPrepaid(funderId), amount),
      credit(accounts.funderVouchersOutstanding(funderId), amount),
    ],
    ...rest,
  };
}

export const FUNDER = '0f1e2d3c-4b5a-4968-8776-655443322110';
export const ASSOCIATION = 'a55a55a5-1234-4abc-8def-0123456789ab';

/** Runs SQL as a superuser would, with triggers (append-only, balance) switched off for this transaction. */
export async function asSuperuserWithoutTriggers(
  knex: Db,
  sql: string,
  bindings: unknown[] = [],
): Promise<void> {
  await (knex as import('knex').Knex).transaction(async (trx) => {
    await trx.raw('set local session_replication_role = replica');
    await trx.raw(sql, bindings as never[]);
  });
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejectionOf(
  promise: Promise<unknown>,
): Promise<Error & { code?: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}

/** An entry as the hash chain sees it, overridable. */
export function buildHashable(overrides: Partial<HashableEntry> = {}): HashableEntry {
  return {
    id: '42',
    kind: 'redemption',
    reference: 'redemption:abc',
    actor: 'user:1',
    description: null,
    currency: 'EUR',
    idempotencyKey: null,
    reversesEntryId: null,
    effectiveDate: '2026-11-22',
    postedAtMicros: '1795315592295923',
    lines: [
      { lineNo: 1, account: 'operator:bank', side: 'debit', amount: '1000' },
      { lineNo: 2, account: 'operator:fees', side: 'credit', amount: '1000' },
    ],
    ...overrides,
  };
}
