import type { Migration } from '@pass/db';

/** Organisations, users and credentials, funders, distributors, associations, venues, catalogue, accreditation. */
export const registryInit: Migration = {
  name: 'registry/20261122000300_init',
  up: async (knex) => {
    await knex.raw(`
      create schema if not exists registry;

      create table registry.organisations (
        id uuid primary key default gen_random_uuid(),
        kind text not null check (kind in ('operator', 'funder', 'distributor', 'association')),
        name text not null check (length(btrim(name)) > 0),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
      comment on table registry.organisations is 'Tenants. Every user belongs to exactly one; every query is scoped to it.';

      create table registry.funders (
        organisation_id uuid primary key references registry.organisations (id),
        funder_kind text not null check (funder_kind in
          ('departement', 'intercommunalite', 'commune', 'ccas', 'caf', 'france_travail', 'company', 'other')),
        siret text,
        contacts jsonb not null default '[]',
        billing_street text,
        billing_building_number text,
        billing_postcode text,
        billing_town text,
        billing_country text not null default 'FR',
        upstream_fee_rate numeric(7, 6) not null default 0.04 check (upstream_fee_rate >= 0 and upstream_fee_rate <= 1),
        vat_rate numeric(7, 6) not null default 0.20 check (vat_rate >= 0 and vat_rate <= 1),
        expired_policy text not null default 'refund' check (expired_policy in ('refund', 'reuse'))
      );
      comment on column registry.funders.upstream_fee_rate is 'Fee on face value charged at funding, excl. VAT (historic operator: 4 %).';
      comment on column registry.funders.expired_policy is 'What the credit note of expired passes becomes: refunded by transfer or used against a new order.';

      create table registry.distributors (
        organisation_id uuid primary key references registry.organisations (id),
        funder_id uuid references registry.funders (organisation_id),
        siret text,
        postcode text,
        town text
      );
      comment on column registry.distributors.funder_id is 'Funder this distributor hands out booklets for (a town hall for its département, say).';

      create table registry.associations (
        organisation_id uuid primary key references registry.organisations (id),
        legal_name text not null,
        siret text,
        rna text,
        street_name text not null,
        building_number text,
        postcode text not null,
        town text not null,
        country text not null default 'FR',
        iban text,
        bic text,
        account_holder_name text,
        bank_details_status text not null default 'missing'
          check (bank_details_status in ('missing', 'approved', 'pending_change')),
        settlement_cadence text not null default 'monthly' check (settlement_cadence in ('monthly', 'weekly', 'daily')),
        downstream_fee_rate numeric(7, 6) not null default 0 check (downstream_fee_rate >= 0 and downstream_fee_rate <= 1),
        flagged_at timestamptz,
        flag_reason text,
        check (siret is not null or rna is not null)
      );
      comment on column registry.associations.account_holder_name is 'Exactly as the bank has it: Verification of Payee compares it.';
      comment on column registry.associations.bank_details_status is 'pending_change holds payouts until a second operator approves.';
      comment on column registry.associations.flagged_at is 'Set when a transfer is rejected by the bank; payouts are held until cleared.';

      create table registry.bank_change_requests (
        id uuid primary key default gen_random_uuid(),
        association_id uuid not null references registry.associations (organisation_id),
        iban text not null,
        bic text not null,
        account_holder_name text not null,
        status text not null default 'pending' check (status in ('pending', 'approved', 'rejected', 'cancelled')),
        requested_by uuid not null,
        requested_at timestamptz not null default now(),
        decided_by uuid,
        decided_at timestamptz,
        decision_reason text,
        check (status <> 'approved' or (decided_by is not null and decided_by <> requested_by)),
        check ((status = 'pending') = (decided_at is null))
      );
      comment on table registry.bank_change_requests is 'Four eyes: the approver must differ from the person who entered the change (also enforced by a check). Until approved, payouts to the association are held.';
      create unique index bank_change_one_pending on registry.bank_change_requests (association_id) where status = 'pending';
      create index bank_change_status on registry.bank_change_requests (status, requested_at);

      create view registry.association_payout_accounts as
        select a.organisation_id as association_id,
               a.legal_name,
               a.account_holder_name,
               a.iban,
               a.bic,
               a.street_name,
               a.building_number,
               a.postcode,
               a.town,
               a.country,
               a.settlement_cadence,
               a.downstream_fee_rate,
               (a.bank_details_status <> 'approved' or a.iban is null or a.flagged_at is not null) as payouts_held,
               case
                 when a.flagged_at is not null then 'flagged'
                 when a.bank_details_status = 'pending_change' then 'bank_change_pending'
                 when a.bank_details_status <> 'approved' or a.iban is null then 'bank_details_missing'
               end as hold_reason
          from registry.associations a;
      comment on view registry.association_payout_accounts is 'Public contract for settlement: the approved account to pay and whether payouts are held (four-eyes change pending, no approved details, or flagged after a rejected transfer).';

      create function registry.flag_association(p_association_id uuid, p_reason text, p_at timestamptz default now())
        returns void language sql as $$
          update registry.associations
             set flagged_at = coalesce(flagged_at, p_at), flag_reason = p_reason
           where organisation_id = p_association_id
        $$;
      comment on function registry.flag_association(uuid, text, timestamptz) is 'Public contract for settlement: a rejected transfer flags the association (payouts held) until an operator clears it in the registry.';

      create table registry.venues (
        id uuid primary key default gen_random_uuid(),
        association_id uuid references registry.associations (organisation_id),
        name text not null check (length(btrim(name)) > 0),
        street text,
        complement text,
        postcode text,
        commune text,
        insee_code text,
        latitude numeric(9, 6) check (latitude between -90 and 90),
        longitude numeric(9, 6) check (longitude between -180 and 180),
        opening_hours text,
        opening_hours_valid boolean not null default false,
        itinerant boolean not null default false,
        accessibility_url text,
        contact_name text,
        phone text,
        email text,
        website text,
        siret text,
        rna text,
        services text[] not null default '{}',
        publics text[] not null default '{}',
        details jsonb not null default '{}',
        warnings jsonb not null default '[]',
        accepts_pass boolean not null default false,
        accreditation_status text not null default 'applied'
          check (accreditation_status in ('listed', 'applied', 'accredited', 'suspended', 'revoked')),
        source text,
        source_id text,
        source_updated_at date,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        check (accreditation_status in ('listed', 'applied') or association_id is not null),
        check (accreditation_status <> 'accredited' or insee_code is not null)
      );
      comment on column registry.venues.association_id is 'Payee. Imported venues have none until an operator attaches one; accreditation needs one.';
      comment on column registry.venues.insee_code is 'Official geographic code (COG) of the commune: the batch territory check of redemption reads it.';
      comment on column registry.venues.accreditation_status is 'listed (known from open data, not applying) -> applied -> accredited <-> suspended -> revoked. Only accredited venues redeem.';
      comment on column registry.venues.services is 'Service slugs of the national open-data standard the venue says it offers (directory information, not priced).';
      comment on column registry.venues.details is 'Other open-data fields (e-mails, websites, labels, fees, support modes, descriptions) kept for export.';
      comment on column registry.venues.warnings is 'Data-quality warnings [{code, field, message}] from the last import or edit (e.g. unparseable opening hours).';
      comment on column registry.venues.source_id is 'Id in the open-data source: a re-import with the same (source, source_id) updates.';
      create unique index venues_source on registry.venues (source, source_id) where source_id is not null;
      create index venues_association on registry.venues (association_id);
      create index venues_status on registry.venues (accreditation_status);
      create index venues_postcode on registry.venues (postcode);
      create index venues_insee on registry.venues (insee_code);
      create index venues_name on registry.venues (name, id);

      create table registry.accreditation_events (
        id bigserial primary key,
        venue_id uuid not null references registry.venues (id),
        from_status text,
        to_status text not null,
        reason text,
        actor_id uuid,
        at timestamptz not null default now()
      );
      comment on table registry.accreditation_events is 'Every accreditation transition of a venue: from, to, why, who (user id), when.';
      create index accreditation_events_venue on registry.accreditation_events (venue_id, id);

      create table registry.catalogue_services (
        id uuid primary key default gen_random_uuid(),
        venue_id uuid not null references registry.venues (id),
        name text not null check (length(btrim(name)) > 0),
        category text not null check (category in ('aide-demarches-administratives', 'maitrise-outils-numeriques',
          'insertion-professionnelle', 'utilisation-securisee', 'parentalite-education', 'loisirs-creations-numeriques',
          'comprehension-monde-numerique', 'acces-internet-materiel', 'materiel-prix-solidaire')),
        price_passes integer not null check (price_passes >= 1),
        zero_remainder boolean not null default true,
        active boolean not null default true,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
      comment on column registry.catalogue_services.category is 'Service slug of the national open-data standard (v1.x service list); batches may restrict categories.';
      comment on column registry.catalogue_services.price_passes is 'Price of the service in passes (N >= 1).';
      comment on column registry.catalogue_services.zero_remainder is 'True when the beneficiary pays nothing beyond the passes.';
      create index catalogue_venue on registry.catalogue_services (venue_id);

      create table registry.users (
        id uuid primary key default gen_random_uuid(),
        organisation_id uuid not null references registry.organisations (id),
        venue_id uuid references registry.venues (id),
        email text not null,
        display_name text not null,
        role text not null check (role in ('operator_admin', 'operator_finance', 'funder_manager',
          'distributor_agent', 'venue_agent', 'association_treasurer')),
        org_admin boolean not null default false,
        password_hash text,
        status text not null default 'invited' check (status in ('invited', 'active', 'deactivated')),
        failed_login_count integer not null default 0,
        locked_until timestamptz,
        last_login_at timestamptz,
        created_at timestamptz not null default now(),
        check (role <> 'venue_agent' or venue_id is not null)
      );
      create unique index users_email on registry.users (lower(email));
      create index users_organisation on registry.users (organisation_id);

      create table registry.invitations (
        token_hash text primary key,
        user_id uuid not null references registry.users (id),
        expires_at timestamptz not null,
        used_at timestamptz,
        created_by uuid,
        created_at timestamptz not null default now()
      );
      comment on table registry.invitations is 'Single-use invitation tokens (stored as SHA-256) to set a first password.';

      create table registry.refresh_tokens (
        id uuid primary key default gen_random_uuid(),
        user_id uuid not null references registry.users (id),
        family_id uuid not null,
        token_hash text not null unique,
        expires_at timestamptz not null,
        created_at timestamptz not null default now(),
        used_at timestamptz,
        revoked_at timestamptz
      );
      comment on column registry.refresh_tokens.family_id is 'Rotation chain: reuse of a used token revokes the whole family (stolen token detection).';
      create index refresh_tokens_family on registry.refresh_tokens (family_id);

      create table registry.devices (
        id uuid primary key default gen_random_uuid(),
        venue_id uuid not null references registry.venues (id),
        name text not null,
        token_hash text not null unique,
        created_by uuid,
        created_at timestamptz not null default now(),
        last_seen_at timestamptz,
        revoked_at timestamptz
      );
      comment on table registry.devices is 'Venue scanners. The token is shown once and stored as SHA-256; revocation is immediate.';
    `);
  },
  down: async (knex) => {
    await knex.raw('drop schema if exists registry cascade');
  },
};
