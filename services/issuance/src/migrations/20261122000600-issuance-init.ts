import type { Migration } from '@pass/db';

/**
 * The issuance side of a batch: the order (wording, quote, encrypted code seed, proof approval), its funding,
 * the progress of voucher generation and of booklet rendering, which distributor holds which booklet, and
 * the funder's cancellations. The batch terms and the passes themselves live in the vouchers schema.
 */
export const issuanceInit: Migration = {
  name: 'issuance/20261122000600_init',
  up: async (knex) => {
    await knex.raw(`
      create schema if not exists issuance;

      create table issuance.orders (
        batch_id uuid primary key,
        funder_id uuid not null,
        wording text not null,
        face_total_cents bigint not null check (face_total_cents > 0),
        upstream_fee_rate numeric(7, 6) not null,
        upstream_fee_cents bigint not null check (upstream_fee_cents >= 0),
        vat_rate numeric(7, 6) not null,
        vat_cents bigint not null check (vat_cents >= 0),
        total_cents bigint not null check (total_cents = face_total_cents + upstream_fee_cents + vat_cents),
        code_seed bytea not null,
        created_by text not null,
        created_at timestamptz not null,
        proof_approved_by text,
        proof_approved_at timestamptz,
        check ((proof_approved_by is null) = (proof_approved_at is null))
      );
      comment on table issuance.orders is 'A funder order, one per vouchers.batches row (same id, no cross-schema foreign key).';
      comment on column issuance.orders.upstream_fee_rate is 'Snapshot of registry.funders.upstream_fee_rate when the quote was made.';
      comment on column issuance.orders.total_cents is 'The quote: face total + upstream fee + VAT on the fee; funding must equal it.';
      comment on column issuance.orders.code_seed is
        'AES-256-GCM(VOUCHER_ENCRYPTION_KEY) of the 32-byte seed every code of the batch derives from (ADR 0003).';
      create index orders_funder on issuance.orders (funder_id);

      create table issuance.fundings (
        id uuid primary key default gen_random_uuid(),
        batch_id uuid not null unique,
        amount_cents bigint not null check (amount_cents > 0),
        method text not null check (method in ('mandate', 'bank_transfer')),
        reference text not null check (length(btrim(reference)) > 0),
        received_on date not null,
        ledger_entry_id text not null,
        recorded_by text not null,
        recorded_at timestamptz not null
      );
      comment on column issuance.fundings.reference is 'Mandate number (public funders) or the bank payment reference.';
      comment on column issuance.fundings.batch_id is 'Unique: a batch is funded once, for exactly its quote.';

      create table issuance.generations (
        batch_id uuid primary key,
        state text not null default 'pending' check (state in ('pending', 'running', 'completed', 'failed')),
        total integer not null check (total > 0),
        generated integer not null default 0 check (generated between 0 and total),
        attempts integer not null default 0,
        run_started_at timestamptz,
        run_start_count integer,
        last_error text,
        started_at timestamptz,
        completed_at timestamptz,
        updated_at timestamptz not null
      );
      comment on table issuance.generations is
        'Progress of voucher generation. generated is updated in the same transaction as each chunk of passes, so it is exact.';
      comment on column issuance.generations.run_start_count is 'generated when the current attempt started: the rate (and ETA) is measured from it.';

      create table issuance.booklet_renders (
        batch_id uuid primary key,
        state text not null check (state in ('pending', 'running', 'completed', 'failed')),
        rendered integer not null default 0,
        total integer not null,
        file_name text,
        bytes bigint,
        attempts integer not null default 0,
        last_error text,
        requested_by text not null,
        requested_at timestamptz not null,
        started_at timestamptz,
        completed_at timestamptz,
        updated_at timestamptz not null
      );
      comment on column issuance.booklet_renders.file_name is 'PDF of every booklet, under DATA_DIR/booklets (a shared volume when several processes serve).';

      create table issuance.booklet_holdings (
        batch_id uuid not null,
        booklet integer not null check (booklet >= 1),
        distributor_id uuid not null,
        since timestamptz not null,
        primary key (batch_id, booklet)
      );
      comment on table issuance.booklet_holdings is
        'Booklets in a distributor''s stock. No row: the booklet is with the funder. History is in vouchers.events.';
      create index booklet_holdings_distributor on issuance.booklet_holdings (distributor_id, batch_id, booklet);

      create table issuance.cancellations (
        id uuid primary key,
        batch_id uuid not null,
        target jsonb not null,
        reason text not null,
        note text,
        cancelled integer not null,
        amount_cents bigint not null,
        ledger_entry_id text,
        actor text not null,
        at timestamptz not null
      );
      comment on column issuance.cancellations.ledger_entry_id is 'voucher_cancelled entry (outstanding back to prepaid); null before activation.';
      create index cancellations_batch on issuance.cancellations (batch_id, at);
    `);
  },
  down: async (knex) => {
    await knex.raw('drop schema if exists issuance cascade');
  },
};
