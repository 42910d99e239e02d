import { randomUUID } from 'node:crypto';
import { hashToken, randomToken } from '@pass/auth';
import type { Config } from '@pass/config';
import type { Db } from '@pass/db';
import { generateVoucherCode, signVoucherPayload, voucherLookupHash } from '@pass/voucher-code';
import { type Batch, type BatchStatus, insertBatch, type NewBatch } from '@pass/vouchers';
import type { Knex } from 'knex';
import { accounts, credit, debit, post } from '../shared/ledger';

// Test data for redemption tests and the benchmark, written straight to the tables (registry, vouchers,
// ledger) until the issuance API can issue batches end to end. Builders take overrides.

export interface IssuedBatch {
  batch: Batch;
  /** Canonical codes, by serial - 1. */
  codes: string[];
  /** vouchers.vouchers ids, by serial - 1. */
  voucherIds: string[];
}

/** Today ± days, as an ISO date (validity dates). */
export function isoDay(offsetDays: number, from = new Date()): string {
  return new Date(from.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A batch with its passes (codes generated here, stored as keyed hashes) in the given status. An active
 * batch also gets its funding and activation entries, so the funder's outstanding equals its passes.
 */
export async function issueBatch(
  knex: Knex,
  config: Pick<Config, 'secrets'>,
  overrides: Partial<NewBatch> & { status?: BatchStatus; count?: number } = {},
): Promise<IssuedBatch> {
  const { status = 'active', count, ...rest } = overrides;
  const bookletSize = rest.bookletSize ?? 5;
  const bookletCount = rest.bookletCount ?? Math.ceil((count ?? 10) / bookletSize);
  const voucherCount = bookletSize * bookletCount;
  const codes = Array.from({ length: voucherCount }, () => generateVoucherCode());
  return knex.transaction(async (trx) => {
    const created = await insertBatch(
      trx,
      {
        funderId: rest.funderId ?? randomUUID(),
        faceValueCents: rest.faceValueCents ?? 1000n,
        bookletSize,
        bookletCount,
        validFrom: rest.validFrom ?? isoDay(-30),
        validUntil: rest.validUntil ?? isoDay(365),
        toleranceDays: rest.toleranceDays ?? 30,
        territory: rest.territory ?? { departements: [], communes: [] },
        serviceCategories: rest.serviceCategories ?? [],
      },
      { actor: 'test', at: new Date() },
    );
    await trx('vouchers.batches').where({ id: created.id }).update({ status });
    const voucherIds: string[] = [];
    for (let from = 0; from < voucherCount; from += 5000) {
      const rows = await trx('vouchers.vouchers')
        .insert(
          codes.slice(from, from + 5000).map((code, i) => ({
            batch_id: created.id,
            serial: from + i + 1,
            lookup_hash: voucherLookupHash(code, config.secrets.voucherHashKey),
          })),
        )
        .returning<{ id: string | number }[]>('id');
      voucherIds.push(...rows.map((row) => String(row.id)));
    }
    if (status === 'active')
      await postActivation(trx, created.funderId, created.faceValueCents * BigInt(voucherCount));
    return { batch: { ...created, status }, codes, voucherIds };
  });
}

/** Funding received then batch activated: bank → prepaid → vouchers outstanding (DESIGN §4). */
async function postActivation(trx: Db, funderId: string, cents: bigint): Promise<void> {
  const reference = `test-batch:${randomUUID()}`;
  await post(trx, {
    kind: 'funding_received',
    reference,
    actor: 'test',
    lines: [debit(accounts.operatorBank(), cents), credit(accounts.funderPrepaid(funderId), cents)],
  });
  await post(trx, {
    kind: 'batch_activated',
    reference,
    actor: 'test',
    lines: [
      debit(accounts.funderPrepaid(funderId), cents),
      credit(accounts.funderVouchersOutstanding(funderId), cents),
    ],
  });
}

/** The signed QR payload of a code, with the configured signing key. */
export function payloadOf(code: string, config: Pick<Config, 'secrets'>): string {
  return signVoucherPayload(code, {
    kid: config.secrets.voucherSigningKid,
    privateKey: config.secrets.voucherSigningKeyPem,
  });
}

/** An association organisation (the payee of its venues). */
export async function insertAssociation(
  knex: Knex,
  name = `Association ${randomUUID().slice(0, 8)}`,
): Promise<string> {
  const [org] = await knex('registry.organisations')
    .insert({ kind: 'association', name })
    .returning<{ id: string }[]>('id');
  await knex('registry.associations').insert({
    organisation_id: org!.id,
    legal_name: name,
    rna: 'W072000999',
    street_name: 'Rue de la Gare',
    postcode: '07000',
    town: 'Privas',
  });
  return org!.id;
}

export interface TestVenue {
  venueId: string;
  associationId: string;
  /** Catalogue service ids by price in passes (1, 2, 3). */
  services: Record<1 | 2 | 3, string>;
  /** A scanner device token of the venue (`Authorization: Device <token>`). */
  deviceToken: string;
  deviceId: string;
}

/** An accredited venue (Privas, 07186, by default) with 1-, 2- and 3-pass services and a scanner. */
export async function insertVenue(
  knex: Knex,
  overrides: {
    associationId: string;
    name?: string;
    inseeCode?: string;
    accreditationStatus?: string;
    openingHours?: string | null;
    category?: string;
  },
): Promise<TestVenue> {
  const [venue] = await knex('registry.venues')
    .insert({
      association_id: overrides.associationId,
      name: overrides.name ?? `Lieu ${randomUUID().slice(0, 8)}`,
      insee_code: overrides.inseeCode ?? '07186',
      postcode: '07000',
      commune: 'Privas',
      opening_hours: overrides.openingHours ?? null,
      opening_hours_valid: overrides.openingHours != null,
      accepts_pass: true,
      accreditation_status: overrides.accreditationStatus ?? 'accredited',
    })
    .returning<{ id: string }[]>('id');
  const category = overrides.category ?? 'maitrise-outils-numeriques';
  const services = await knex('registry.catalogue_services')
    .insert(
      ([1, 2, 3] as const).map((price) => ({
        venue_id: venue!.id,
        name: `Service à ${price} pass`,
        category,
        price_passes: price,
        zero_remainder: price !== 3,
      })),
    )
    .returning<{ id: string; price_passes: number }[]>(['id', 'price_passes']);
  const byPrice = Object.fromEntries(services.map((s) => [s.price_passes, s.id])) as Record<
    1 | 2 | 3,
    string
  >;
  const deviceToken = randomToken();
  const [device] = await knex('registry.devices')
    .insert({ venue_id: venue!.id, name: 'Scanner de test', token_hash: hashToken(deviceToken) })
    .returning<{ id: string }[]>('id');
  return {
    venueId: venue!.id,
    associationId: overrides.associationId,
    services: byPrice,
    deviceToken,
    deviceId: device!.id,
  };
}

/** Waits until `n` sessions of this database wait on a lock (to order concurrent requests in tests). */
export async function waitForLockWaiters(knex: Knex, n: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const result = await knex.raw(
      `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
    if ((result.rows[0]?.n ?? 0) >= n) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no ${n} lock waiter(s) after 5 s`);
}
