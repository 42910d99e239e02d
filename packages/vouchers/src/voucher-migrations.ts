import { appendOnlySql, dropAppendOnlySql, type Migration } from '@pass/db';
import {
  groupedRedemptionFunctions,
  orderedTransitionFunctions,
  orderedTransitionsInPlpgsql,
} from './redemption-transitions';

/**
 * The `vouchers` schema: batches (the terms every pass of an order shares), vouchers (one row per pass,
 * kept narrow because a batch of a million is written by COPY) and an append-only event log. Owned by this
 * package, not by a service, because issuance, redemption and settlement all move vouchers through their
 * lifecycle; they do it through the functions of this package, never by writing these tables themselves.
 */
const createVouchers: Migration = {
  name: 'vouchers/20261122000500_init',
  up: async (knex) => {
    await knex.raw(`
      create schema if not exists vouchers;

      create table vouchers.batches (
        id uuid primary key default gen_random_uuid(),
        number bigint generated always as identity unique,
        funder_id uuid not null,
        status text not null default 'draft'
          check (status in ('draft', 'awaiting_funding', 'active', 'closed')),
        face_value_cents bigint not null check (face_value_cents > 0),
        currency text not null default 'EUR' check (currency ~ '^[A-Z]{3}$'),
        booklet_size smallint not null check (booklet_size in (5, 10)),
        booklet_count integer not null check (booklet_count > 0),
        voucher_count integer not null
          check (voucher_count between 1 and 2000000 and voucher_count = booklet_size * booklet_count),
        valid_from date not null,
        valid_until date not null,
        tolerance_days smallint not null default 30 check (tolerance_days between 0 and 366),
        territory_departements text[] not null default '{}',
        territory_communes text[] not null default '{}',
        service_categories text[] not null default '{}',
        created_at timestamptz not null default now(),
        submitted_at timestamptz,
        activated_at timestamptz,
        closed_at timestamptz,
        check (valid_until >= valid_from)
      );
      comment on table vouchers.batches is
        'One funder order of passes. Passes are usable only while the batch is active (no mass UPDATE at activation).';
      comment on column vouchers.batches.number is 'Human reference printed on passes and booklets (LOT-<number>).';
      comment on column vouchers.batches.funder_id is 'registry.funders.organisation_id (no foreign key across contexts).';
      comment on column vouchers.batches.tolerance_days is 'Passes are still accepted this many days after valid_until.';
      comment on column vouchers.batches.territory_departements is
        'Venues must be in one of these départements or communes; both empty means anywhere.';
      comment on column vouchers.batches.service_categories is 'Allowed catalogue categories; empty means all.';
      create index batches_funder on vouchers.batches (funder_id, created_at desc);

      create table vouchers.vouchers (
        id bigint generated always as identity primary key,
        batch_id uuid not null references vouchers.batches (id),
        serial integer not null check (serial >= 1),
        lookup_hash bytea not null,
        status text not null default 'available'
          check (status in ('available', 'redeemed', 'settled', 'cancelled', 'expired')),
        status_reason text,
        status_changed_at timestamptz,
        distributed_at timestamptz,
        constraint vouchers_batch_serial unique (batch_id, serial),
        constraint vouchers_lookup_hash unique (lookup_hash)
      );
      comment on table vouchers.vouchers is
        'One row per pass. The code itself is never stored: see lookup_hash and issuance.orders.code_seed.';
      comment on column vouchers.vouchers.serial is 'Position in the batch, 1..voucher_count: booklet = (serial - 1) / booklet_size + 1.';
      comment on column vouchers.vouchers.lookup_hash is
        'HMAC-SHA256 of the canonical code under VOUCHER_HASH_KEY: a dump without the key neither reveals nor tests codes.';
      comment on column vouchers.vouchers.status is
        'available until redeemed, cancelled or expired. Usable = available AND batch active AND inside validity.';
      comment on column vouchers.vouchers.status_reason is 'Why a pass was cancelled (lost, stolen...): redemption shows it.';
      comment on column vouchers.vouchers.distributed_at is 'When a distributor handed the pass to a beneficiary (null: still in stock).';

      create table vouchers.events (
        id bigint generated always as identity primary key,
        batch_id uuid not null,
        serial_from integer,
        serial_to integer,
        kind text not null check (kind ~ '^(batch|voucher)\\.[a-z_]+$'),
        actor text not null,
        at timestamptz not null,
        place text,
        reason text,
        reference text,
        details jsonb not null default '{}',
        check ((serial_from is null) = (serial_to is null)),
        check (serial_from is null or serial_from <= serial_to),
        check ((kind like 'batch.%') = (serial_from is null))
      );
      comment on table vouchers.events is
        'Every transition of a batch or of passes: who, when, where. One row covers a run of consecutive serials. Append-only.';
      comment on column vouchers.events.place is 'Where it happened: venue:<uuid>, distributor:<uuid>, or null.';
      comment on column vouchers.events.details is 'Never a name: at most a pseudonymous beneficiary reference.';
      create index events_batch_serial on vouchers.events (batch_id, serial_from);
      ${appendOnlySql('vouchers', 'events')}
    `);
  },
  down: async (knex) => {
    await knex.raw(`${dropAppendOnlySql('vouchers', 'events')} drop schema if exists vouchers cascade;`);
  },
};

/** Migrations of the vouchers schema, to run after the ledger's and before the services that use them. */
export const voucherMigrations: Migration[] = [
  createVouchers,
  orderedTransitionFunctions,
  orderedTransitionsInPlpgsql,
  groupedRedemptionFunctions,
];
