import type { Migration } from '@pass/db';

/**
 * The settlement schema: clearing runs, statements (relevés) and their lines, payouts (contre-paiements) and
 * the pain.001 files that carry them, bank returns (camt.054), expiry notices and credit notes (avoirs).
 * Reads redemption.*, registry.* and vouchers.* (no foreign key crosses a schema); writes only here, plus
 * registry.associations.flagged_at / flag_reason when a transfer is rejected (see the README).
 */
export const settlementInit: Migration = {
  name: 'settlement/20261122000800_init',
  up: async (knex) => {
    await knex.raw(`
      create schema if not exists settlement;

      create table settlement.number_counters (
        series text not null check (series in ('statement', 'credit_note', 'payout_file')),
        year integer not null check (year between 2000 and 2999),
        last_value integer not null check (last_value >= 1),
        primary key (series, year)
      );
      comment on table settlement.number_counters is
        'Gapless numbering per series and year: the row is incremented (and so locked) in the transaction that '
        'issues the document, so a rollback gives the number back and two issuers never share one.';

      create table settlement.runs (
        id uuid primary key,
        run_key text not null unique,
        trigger text not null check (trigger in ('scheduled', 'manual')),
        association_id uuid,
        as_of timestamptz not null,
        manual_cutoff timestamptz,
        status text not null check (status in ('pending', 'running', 'completed', 'failed')),
        requested_by text not null,
        created_at timestamptz not null,
        started_at timestamptz,
        completed_at timestamptz,
        attempts integer not null default 0,
        last_error text,
        summary jsonb,
        check ((trigger = 'manual') = (manual_cutoff is not null)),
        check (trigger = 'manual' or association_id is null)
      );
      comment on table settlement.runs is 'One clearing run. Re-running the same run resumes it: as_of is fixed when the run is created, so cut-offs never move.';
      comment on column settlement.runs.run_key is 'scheduled:<business date> or manual:<idempotency key>: the same key is the same run.';
      comment on column settlement.runs.as_of is 'The instant the run reasons about (period boundaries, issue date, execution date).';
      comment on column settlement.runs.manual_cutoff is 'Manual runs: as_of minus the undo window, one cut-off for every association.';

      create table settlement.statements (
        id uuid primary key,
        run_id uuid not null references settlement.runs (id),
        association_id uuid not null,
        cutoff timestamptz not null,
        period_start timestamptz,
        issue_date date not null,
        fee_rate numeric(7, 6) not null check (fee_rate >= 0 and fee_rate <= 1),
        status text not null check (status in ('draft', 'issued')),
        number text unique,
        year integer,
        sequence integer,
        redemption_count integer,
        voucher_count integer,
        gross_cents bigint,
        fee_cents bigint,
        net_cents bigint,
        fee_entry_id bigint,
        payee jsonb,
        created_at timestamptz not null,
        issued_at timestamptz,
        unique (association_id, cutoff),
        unique (year, sequence),
        check (status = 'draft' or (number is not null and year is not null and sequence is not null
          and gross_cents is not null and fee_cents is not null and net_cents is not null and payee is not null
          and issued_at is not null)),
        check (net_cents = gross_cents - fee_cents),
        check (fee_cents >= 0 and fee_cents <= gross_cents),
        check ((fee_entry_id is not null) = (coalesce(fee_cents, 0) > 0))
      );
      comment on table settlement.statements is
        'A relevé: every live redemption of an association older than the cut-off and not on an earlier statement. '
        'Built as a draft in chunks, then issued (numbered, fee charged, payout created) in one transaction.';
      comment on column settlement.statements.cutoff is 'Redemptions with redeemed_at < cutoff are on it (never later than run as_of - undo window).';
      comment on column settlement.statements.fee_rate is 'Downstream fee rate of the association when the draft was made (a later change does not move it).';
      comment on column settlement.statements.number is 'RLV-<year>-<6 digits>, gapless per year (settlement.number_counters).';
      comment on column settlement.statements.payee is 'Name and address of the association when issued: the PDF is rebuilt from it.';
      -- A second draft for the same association would compete for the same redemptions.
      create unique index statements_one_draft on settlement.statements (association_id) where status = 'draft';
      create index statements_association on settlement.statements (association_id, cutoff desc);

      create table settlement.statement_redemptions (
        redemption_id uuid primary key,
        statement_id uuid not null references settlement.statements (id),
        venue_id uuid not null,
        catalogue_service_id uuid not null,
        service_category text not null,
        redeemed_at timestamptz not null,
        voucher_count integer not null check (voucher_count >= 1),
        amount_cents bigint not null check (amount_cents > 0)
      );
      comment on table settlement.statement_redemptions is
        'The primary key is the guarantee that a redemption is on at most one statement.';
      create index statement_redemptions_statement on settlement.statement_redemptions (statement_id, redeemed_at, redemption_id);

      create table settlement.statement_lines (
        redemption_id uuid not null,
        voucher_id bigint not null,
        batch_id uuid not null,
        funder_id uuid not null,
        venue_id uuid not null,
        face_value_cents bigint not null check (face_value_cents > 0),
        primary key (redemption_id, voucher_id)
      );
      comment on table settlement.statement_lines is
        'One line per pass, priced at its face value. A line belongs to the statement of its redemption '
        '(statement_redemptions, written in the same transaction; no foreign key: its check per line costs '
        'a fifth of the clearing time and the invariant check verifies it).';

      create table settlement.statement_totals (
        statement_id uuid not null references settlement.statements (id),
        venue_id uuid not null,
        funder_id uuid not null,
        voucher_count integer not null,
        gross_cents bigint not null,
        primary key (statement_id, venue_id, funder_id)
      );
      comment on table settlement.statement_totals is 'Totals by venue and funder, added to chunk by chunk as lines are written.';

      create table settlement.payout_files (
        id uuid primary key,
        message_id text not null unique,
        execution_date date not null,
        run_id uuid references settlement.runs (id),
        payment_count integer not null check (payment_count > 0),
        control_sum_cents bigint not null check (control_sum_cents > 0),
        xml text not null,
        created_by text not null,
        created_at timestamptz not null
      );
      comment on table settlement.payout_files is 'pain.001.001.09 credit-transfer files, one per requested execution date and export.';

      create table settlement.payouts (
        id uuid primary key,
        statement_id uuid not null references settlement.statements (id),
        association_id uuid not null,
        amount_cents bigint not null check (amount_cents > 0),
        status text not null check (status in ('held', 'created', 'exported', 'paid', 'rejected')),
        hold_reason text check (hold_reason in ('flagged', 'bank_change_pending', 'bank_details_missing', 'invalid_account')),
        replaces_payout_id uuid unique references settlement.payouts (id),
        file_id uuid references settlement.payout_files (id),
        execution_date date,
        creditor jsonb,
        remittance text,
        sent_entry_id bigint unique,
        rejected_entry_id bigint unique,
        created_at timestamptz not null,
        exported_at timestamptz,
        paid_on date,
        rejected_at timestamptz,
        rejection_reason text,
        rejection_info text,
        confirmed_by text,
        check ((status = 'held') = (hold_reason is not null)),
        check (status in ('held', 'created') or (file_id is not null and sent_entry_id is not null
          and exported_at is not null and execution_date is not null and creditor is not null)),
        check ((status = 'rejected') = (rejected_entry_id is not null)),
        check (status <> 'paid' or paid_on is not null)
      );
      comment on table settlement.payouts is
        'A contre-paiement: held -> created -> exported (in a pain.001 file, payable debited) -> paid | rejected. '
        'Its id is the EndToEndId of the transfer.';
      comment on column settlement.payouts.replaces_payout_id is 'The rejected payout this one pays again (the money went back to payable).';
      comment on column settlement.payouts.creditor is 'The account paid, as written in the file (name, IBAN, BIC, address).';
      -- Exactly once: at most one payout of a statement that is not rejected.
      create unique index payouts_one_live_per_statement on settlement.payouts (statement_id) where status <> 'rejected';
      create index payouts_association on settlement.payouts (association_id, created_at desc);
      create index payouts_status on settlement.payouts (status) where status in ('held', 'created', 'exported');

      create table settlement.bank_imports (
        id uuid primary key,
        message_id text not null unique,
        message_type text,
        imported_by text not null,
        imported_at timestamptz not null,
        report jsonb not null
      );
      comment on table settlement.bank_imports is 'Imported camt.054 files; the bank message id makes a second import of the same file a no-op.';

      create table settlement.bank_import_lines (
        import_id uuid not null references settlement.bank_imports (id),
        line_no integer not null,
        end_to_end_id text,
        payout_id uuid,
        amount text not null,
        currency text not null,
        credit_debit text not null,
        status text not null,
        reason_code text,
        booking_date date,
        outcome text not null check (outcome in ('paid', 'rejected', 'unmatched', 'duplicate', 'ignored')),
        detail text,
        primary key (import_id, line_no)
      );
      comment on column settlement.bank_import_lines.amount is 'As the bank wrote it (a decimal string, never a float).';
      create index bank_import_lines_unmatched on settlement.bank_import_lines (import_id) where outcome = 'unmatched';

      create table settlement.expiry_notices (
        batch_id uuid primary key,
        funder_id uuid not null,
        alerted_at timestamptz,
        alert_counts jsonb,
        distribution_stopped_at timestamptz
      );
      comment on table settlement.expiry_notices is 'J-30 alert to the funder and J-15 end of distribution, each recorded once per batch.';

      create table settlement.batch_expiries (
        batch_id uuid primary key,
        funder_id uuid not null,
        face_value_cents bigint not null check (face_value_cents > 0),
        voucher_total integer not null,
        next_serial integer not null default 1,
        expired_count integer not null default 0,
        amount_cents bigint not null default 0,
        status text not null check (status in ('running', 'completed')),
        credit_note_id uuid,
        started_at timestamptz not null,
        completed_at timestamptz
      );
      comment on table settlement.batch_expiries is 'Progress of the expiry of a batch, done in serial-range chunks (one ledger entry per chunk).';

      create table settlement.expiry_postings (
        batch_id uuid not null references settlement.batch_expiries (batch_id),
        from_serial integer not null,
        to_serial integer not null,
        voucher_count integer not null check (voucher_count > 0),
        amount_cents bigint not null check (amount_cents > 0),
        entry_id bigint not null unique,
        primary key (batch_id, from_serial)
      );

      create table settlement.credit_notes (
        id uuid primary key,
        number text not null unique,
        year integer not null,
        sequence integer not null,
        funder_id uuid not null,
        batch_id uuid not null unique,
        batch_reference text not null,
        voucher_count integer not null check (voucher_count > 0),
        amount_cents bigint not null check (amount_cents > 0),
        issue_date date not null,
        funder jsonb not null,
        status text not null check (status in ('issued', 'refunded', 'used')),
        issued_at timestamptz not null,
        settled_at timestamptz,
        settled_by text,
        refund_reference text,
        used_for_reference text,
        settle_entry_id bigint unique,
        unique (year, sequence),
        check ((status = 'issued') = (settled_at is null)),
        check ((status = 'issued') = (settle_entry_id is null)),
        check (status <> 'refunded' or refund_reference is not null),
        check (status <> 'used' or used_for_reference is not null)
      );
      comment on table settlement.credit_notes is
        'Avoir for the passes of a batch that expired unused: issued -> refunded (by transfer) | used (against a new order).';
      comment on column settlement.credit_notes.number is 'AV-<year>-<6 digits>, gapless per year.';
      comment on column settlement.credit_notes.used_for_reference is
        'The order (batch id or reference) the credit note pays for: issuance reads it to accept that funding.';
      create index credit_notes_funder on settlement.credit_notes (funder_id, issued_at desc);
    `);
  },
  down: async (knex) => {
    await knex.raw('drop schema if exists settlement cascade');
  },
};
