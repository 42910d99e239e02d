// Test data for settlement, written straight to the tables the way the other services write them (the
// redemption contract in /work/notes/redemption-contract.md, the vouchers package, the ledger). Builders
// take overrides; nothing here is exported from the package index.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '@pass/db';
import { accounts, credit, debit, post, reverse } from '@pass/ledger';
import {
  type Batch,
  cancelVouchers,
  getBatch,
  insertBatch,
  markAvailableAgain,
  markRedeemed,
} from '@pass/vouchers';
import type { Knex } from 'knex';

/** An association with approved bank details (overridable), as the registry stores it. */
export async function insertAssociation(
  knex: Db,
  overrides: Partial<{
    id: string;
    name: string;
    iban: string | null;
    bankDetailsStatus: 'missing' | 'approved' | 'pending_change';
    cadence: 'daily' | 'weekly' | 'monthly';
    feeRate: string;
    flaggedAt: Date | null;
  }> = {},
): Promise<string> {
  const name = overrides.name ?? `Association ${randomUUID().slice(0, 8)}`;
  const [org] = await knex('registry.organisations')
    .insert({ ...(overrides.id ? { id: overrides.id } : {}), kind: 'association', name })
    .returning<{ id: string }[]>('id');
  await knex('registry.associations').insert({
    organisation_id: org!.id,
    legal_name: `${name} (loi 1901)`,
    rna: 'W691234567',
    street_name: 'Rue de la République',
    building_number: '12 bis',
    postcode: '69002',
    town: 'Lyon',
    iban: overrides.iban === undefined ? 'FR1420041010050500013M02606' : overrides.iban,
    bic: 'PSSTFRPPLYO',
    account_holder_name: name.toUpperCase(),
    bank_details_status: overrides.bankDetailsStatus ?? 'approved',
    settlement_cadence: overrides.cadence ?? 'monthly',
    downstream_fee_rate: overrides.feeRate ?? '0',
    flagged_at: overrides.flaggedAt ?? null,
    flag_reason: overrides.flaggedAt ? 'test' : null,
  });
  return org!.id;
}

/** A funder organisation with its billing address. */
export async function insertFunder(
  knex: Db,
  name = `Financeur ${randomUUID().slice(0, 8)}`,
  id?: string,
): Promise<string> {
  const [org] = await knex('registry.organisations')
    .insert({ ...(id ? { id } : {}), kind: 'funder', name })
    .returning<{ id: string }[]>('id');
  await knex('registry.funders').insert({
    organisation_id: org!.id,
    funder_kind: 'departement',
    billing_street: 'Boulevard de Vernon',
    billing_building_number: '2',
    billing_postcode: '07000',
    billing_town: 'Privas',
  });
  return org!.id;
}

/** An accredited venue of an association with one catalogue service. */
export async function insertVenue(
  knex: Db,
  associationId: string,
  overrides: { id?: string; name?: string; serviceId?: string; serviceName?: string } = {},
): Promise<{ venueId: string; serviceId: string }> {
  const [venue] = await knex('registry.venues')
    .insert({
      ...(overrides.id ? { id: overrides.id } : {}),
      association_id: associationId,
      name: overrides.name ?? `Espace numérique ${randomUUID().slice(0, 6)}`,
      insee_code: '69382',
      postcode: '69002',
      commune: 'Lyon',
      accepts_pass: true,
      accreditation_status: 'accredited',
    })
    .returning<{ id: string }[]>('id');
  const [service] = await knex('registry.catalogue_services')
    .insert({
      ...(overrides.serviceId ? { id: overrides.serviceId } : {}),
      venue_id: venue!.id,
      name: overrides.serviceName ?? 'Atelier smartphone',
      category: 'maitrise-outils-numeriques',
      price_passes: 1,
    })
    .returning<{ id: string }[]>('id');
  return { venueId: venue!.id, serviceId: service!.id };
}

/** An active batch with its passes, funded and activated in the ledger (bank → prepaid → outstanding). */
export async function issueActiveBatch(
  knex: Knex,
  overrides: Partial<{
    id: string;
    funderId: string;
    faceValueCents: bigint;
    bookletSize: 5 | 10;
    bookletCount: number;
    validFrom: string;
    validUntil: string;
    toleranceDays: number;
    activatedAt: Date;
  }> = {},
): Promise<{ batch: Batch; voucherIds: string[] }> {
  const bookletSize = overrides.bookletSize ?? 10;
  const bookletCount = overrides.bookletCount ?? 2;
  const at = overrides.activatedAt ?? new Date('2026-01-05T09:00:00Z');
  return knex.transaction(async (trx) => {
    const created = await insertBatch(
      trx,
      {
        ...(overrides.id ? { id: overrides.id } : {}),
        funderId: overrides.funderId ?? randomUUID(),
        faceValueCents: overrides.faceValueCents ?? 1000n,
        bookletSize,
        bookletCount,
        validFrom: overrides.validFrom ?? '2026-01-01',
        validUntil: overrides.validUntil ?? '2027-12-31',
        toleranceDays: overrides.toleranceDays ?? 30,
        territory: { departements: [], communes: [] },
        serviceCategories: [],
      },
      { actor: 'test', at },
    );
    const count = bookletSize * bookletCount;
    const rows = await trx('vouchers.vouchers')
      .insert(
        Array.from({ length: count }, (_, i) => ({
          batch_id: created.id,
          serial: i + 1,
          lookup_hash: randomBytes(32),
        })),
      )
      .returning<{ id: string | number; serial: number }[]>(['id', 'serial']);
    await trx('vouchers.batches').where({ id: created.id }).update({ status: 'active', activated_at: at });
    const cents = created.faceValueCents * BigInt(count);
    await post(trx, {
      kind: 'funding_received',
      reference: `batch:${created.id}`,
      actor: 'test',
      lines: [debit(accounts.operatorBank(), cents), credit(accounts.funderPrepaid(created.funderId), cents)],
    });
    await post(trx, {
      kind: 'batch_activated',
      reference: `batch:${created.id}`,
      actor: 'test',
      lines: [
        debit(accounts.funderPrepaid(created.funderId), cents),
        credit(accounts.funderVouchersOutstanding(created.funderId), cents),
      ],
    });
    const voucherIds = rows.sort((a, b) => a.serial - b.serial).map((row) => String(row.id));
    return { batch: (await getBatch(trx, created.id))!, voucherIds };
  });
}

/** A pass to redeem: its id and its batch terms. */
export interface PassRef {
  voucherId: string;
  batchId: string;
  funderId: string;
  faceValueCents: bigint;
}

/** The passes of a batch as PassRefs. */
export function passesOf(batch: Batch, voucherIds: readonly string[]): PassRef[] {
  return voucherIds.map((voucherId) => ({
    voucherId,
    batchId: batch.id,
    funderId: batch.funderId,
    faceValueCents: batch.faceValueCents,
  }));
}

/**
 * A redemption as the redemption service writes it (contract): passes moved to `redeemed`, the redemption
 * row and its pass rows, and the ledger entry (funders' outstanding debited, association payable credited).
 */
export async function redeem(
  knex: Knex,
  params: {
    id?: string;
    associationId: string;
    venueId: string;
    serviceId: string;
    passes: readonly PassRef[];
    redeemedAt: Date;
  },
): Promise<string> {
  const id = params.id ?? randomUUID();
  return knex.transaction(async (trx) => {
    const moved = await markRedeemed(
      trx,
      params.passes.map((p) => p.voucherId),
      {
        actor: 'test-venue',
        at: params.redeemedAt,
        place: `venue:${params.venueId}`,
        reference: `redemption:${id}`,
      },
    );
    if (moved.length !== params.passes.length) throw new Error('a pass is not available');
    const total = params.passes.reduce((sum, p) => sum + p.faceValueCents, 0n);
    const byFunder = new Map<string, bigint>();
    for (const pass of params.passes)
      byFunder.set(pass.funderId, (byFunder.get(pass.funderId) ?? 0n) + pass.faceValueCents);
    const entry = await post(trx, {
      kind: 'redemption',
      reference: `redemption:${id}`,
      actor: 'test-venue',
      lines: [
        ...[...byFunder].map(([funderId, cents]) =>
          debit(accounts.funderVouchersOutstanding(funderId), cents),
        ),
        credit(accounts.associationPayable(params.associationId), total),
      ],
    });
    await trx('redemption.redemptions').insert({
      id,
      venue_id: params.venueId,
      association_id: params.associationId,
      catalogue_service_id: params.serviceId,
      service_category: 'maitrise-outils-numeriques',
      voucher_count: params.passes.length,
      amount_cents: total.toString(),
      status: 'live',
      redeemed_at: params.redeemedAt,
      redeemed_by: 'test-venue',
      ledger_entry_id: entry.id,
    });
    await trx('redemption.redemption_vouchers').insert(
      params.passes.map((pass) => ({
        redemption_id: id,
        voucher_id: pass.voucherId,
        batch_id: pass.batchId,
        funder_id: pass.funderId,
        face_value_cents: pass.faceValueCents.toString(),
      })),
    );
    return id;
  });
}

/** Undoes a redemption as the redemption service does: passes back to available, reversal entry. */
export async function undoRedemption(knex: Knex, redemptionId: string, at: Date): Promise<void> {
  await knex.transaction(async (trx) => {
    const redemption = await trx('redemption.redemptions')
      .where({ id: redemptionId })
      .first<{ ledger_entry_id: string }>();
    const passes = await trx('redemption.redemption_vouchers')
      .where({ redemption_id: redemptionId })
      .pluck('voucher_id');
    const back = await markAvailableAgain(trx, passes.map(String), {
      actor: 'test-venue',
      at,
      reference: `redemption:${redemptionId}`,
    });
    if (back.length !== passes.length) throw new Error('a pass is settled: undo refused');
    const entry = await reverse(trx, redemption!.ledger_entry_id, {
      actor: 'test-venue',
      kind: 'redemption_undone',
      reason: 'test undo',
    });
    await trx('redemption.redemptions')
      .where({ id: redemptionId })
      .update({ status: 'undone', undone_at: at, undone_by: 'test-venue', undo_entry_id: entry.id });
    await trx('redemption.redemption_vouchers')
      .where({ redemption_id: redemptionId })
      .update({ live: false });
  });
}

/** Paris local time to an instant (test dates read like the business calendar). */
export function paris(local: string): Date {
  // Winter (UTC+1) from late October to late March, summer (UTC+2) otherwise: enough for test dates.
  const month = Number(local.slice(5, 7));
  const offset = month >= 4 && month <= 10 ? '+02:00' : '+01:00';
  return new Date(`${local}${offset}`);
}

/** Cancels passes as the issuance service does: passes cancelled, their face value back to prepaid. */
export async function cancelPasses(
  knex: Knex,
  batch: Batch,
  voucherIds: readonly string[],
  options: { at?: Date; postEntry?: boolean } = {},
): Promise<void> {
  await knex.transaction(async (trx) => {
    const cancelled = await cancelVouchers(trx, { ids: voucherIds }, 'lost', {
      actor: 'test',
      at: options.at ?? new Date('2026-06-01T10:00:00Z'),
    });
    if (options.postEntry === false || cancelled.length === 0) return;
    const cents = batch.faceValueCents * BigInt(cancelled.length);
    await post(trx, {
      kind: 'voucher_cancelled',
      reference: `batch:${batch.id}`,
      actor: 'test',
      lines: [
        debit(accounts.funderVouchersOutstanding(batch.funderId), cents),
        credit(accounts.funderPrepaid(batch.funderId), cents),
      ],
    });
  });
}
