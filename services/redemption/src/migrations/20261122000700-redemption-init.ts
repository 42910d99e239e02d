import type { Migration } from '@pass/db';

/**
 * Redemptions (the table contract shared with settlement: /work/notes/redemption-contract.md), the counters
 * of failed code lookups that rate-limit guessing, and the fraud flags operators review.
 */
export const redemptionInit: Migration = {
  name: 'redemption/20261122000700_init',
  up: async (knex) => {
    await knex.raw(`
      create schema if not exists redemption;

      create table redemption.redemptions (
        id uuid primary key default gen_random_uuid(),
        venue_id uuid not null,
        association_id uuid not null,
        catalogue_service_id uuid not null,
        service_category text not null,
        voucher_count integer not null check (voucher_count >= 1),
        amount_cents bigint not null check (amount_cents > 0),
        status text not null check (status in ('live', 'undone')),
        redeemed_at timestamptz not null,
        redeemed_by text not null,
        undone_at timestamptz,
        undone_by text,
        ledger_entry_id bigint not null,
        undo_entry_id bigint,
        check ((status = 'undone') = (undone_at is not null and undone_by is not null and undo_entry_id is not null))
      );
      comment on table redemption.redemptions is
        'One venue, one catalogue service, 1..N passes, applied all or nothing. Settlement reads it, never writes it.';
      comment on column redemption.redemptions.venue_id is 'registry.venues.id (no foreign key across contexts).';
      comment on column redemption.redemptions.association_id is
        'The payee: registry.venues.association_id copied at redemption, so a later change of venue owner does not move money already earned.';
      comment on column redemption.redemptions.catalogue_service_id is 'registry.catalogue_services.id.';
      comment on column redemption.redemptions.service_category is 'Copied from the catalogue at redemption time.';
      comment on column redemption.redemptions.amount_cents is 'Sum of the face values of its passes (redemption_vouchers).';
      comment on column redemption.redemptions.redeemed_by is 'User id or device id of the venue agent.';
      comment on column redemption.redemptions.ledger_entry_id is
        'ledger.entries.id of the redemption entry (debit funder outstanding, credit association payable).';
      comment on column redemption.redemptions.undo_entry_id is 'ledger.entries.id of the reversal posted by the undo.';
      create index redemptions_settlement on redemption.redemptions (association_id, redeemed_at) where status = 'live';
      create index redemptions_venue on redemption.redemptions (venue_id, redeemed_at);
      create index redemptions_redeemed_at on redemption.redemptions (redeemed_at);

      create table redemption.redemption_vouchers (
        redemption_id uuid not null references redemption.redemptions (id),
        voucher_id bigint not null,
        batch_id uuid not null,
        funder_id uuid not null,
        face_value_cents bigint not null check (face_value_cents > 0),
        live boolean not null default true,
        primary key (redemption_id, voucher_id)
      );
      comment on column redemption.redemption_vouchers.voucher_id is 'vouchers.vouchers.id.';
      comment on column redemption.redemption_vouchers.live is 'False once the redemption is undone.';
      -- Last line of defence behind the conditional UPDATE of the voucher.
      create unique index one_live_redemption_per_voucher on redemption.redemption_vouchers (voucher_id) where live;

      create table redemption.failed_lookups (
        scope text not null,
        minute timestamptz not null,
        failures integer not null check (failures > 0),
        primary key (scope, minute)
      );
      comment on table redemption.failed_lookups is
        'Codes that passed the check character or signature but match no pass, counted per venue:<id> and device:<id> '
        '(or user:<id>) per minute. Written only when a lookup fails; read to rate-limit guessing. Purged after a day.';

      create table redemption.fraud_flags (
        id uuid primary key default gen_random_uuid(),
        kind text not null check (kind in ('booklet_overuse', 'pass_at_two_venues', 'outside_opening_hours', 'burst',
          'repeated_failed_lookups')),
        dedup_key text not null unique,
        venue_id uuid,
        association_id uuid,
        voucher_id bigint,
        redemption_id uuid,
        details jsonb not null default '{}',
        occurrences integer not null default 1 check (occurrences >= 1),
        first_seen_at timestamptz not null,
        last_seen_at timestamptz not null,
        status text not null default 'open' check (status in ('open', 'confirmed', 'dismissed')),
        resolved_at timestamptz,
        resolved_by text,
        resolution_note text,
        check ((status = 'open') = (resolved_at is null))
      );
      comment on table redemption.fraud_flags is
        'Suspicious patterns for operator review. A flag never blocks a redemption.';
      comment on column redemption.fraud_flags.dedup_key is
        'One flag per pattern occurrence (e.g. burst:<venue>:<10-minute window>): detection can run again without duplicates.';
      create index fraud_flags_status on redemption.fraud_flags (status, last_seen_at desc, id);
    `);
  },
  down: async (knex) => {
    await knex.raw('drop schema if exists redemption cascade');
  },
};
