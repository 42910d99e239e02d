import type { Migration } from '@pass/db';

/**
 * Plans of the hot path that do not depend on how big the tables were when a session planned them.
 *
 * Every pooled connection plans a statement once and keeps the plan (`plan_cache_mode=force_generic_plan`,
 * packages/db). A plan made while a table was small may scan it whole: the benchmark caught
 * `redemption.redeem_baskets` reading `platform.idempotency_keys` by a hash join over a sequential scan,
 * planned when the table held some 480 rows and still used when it held 40,000 (PostgreSQL 3.5 ms per
 * redemption instead of 0.3, until autovacuum's next ANALYZE made the session plan again). Every statement
 * of the hot path is a lookup by key or an insert, so its two functions run with sequential scans, hash joins
 * and merge joins disabled: the planner then always uses the indexes, whatever the statistics say.
 *
 * And without JIT: once the statistics grew, the context read's estimated cost (its jsonb input counts as 100
 * rows) passed `jit_above_cost`, and PostgreSQL compiled it at every execution, 25-35 ms each time (seen in the
 * benchmark with auto_explain: "JIT: Functions: 63"). A lookup by key gains nothing from JIT.
 *
 * `redemption.load_contexts(jsonb)`: the context read of a group of requests (the query PostgresRedemptionStore
 * sent until now, unchanged; the pass columns are those of VOUCHER_WITH_BATCH_COLUMNS, @pass/vouchers, written
 * out so that this migration never changes), as a PL/pgSQL function so that these settings apply to it and its
 * plan is kept per session.
 */
const HOT_PATH_SETTINGS = ['enable_seqscan', 'enable_hashjoin', 'enable_mergejoin', 'jit'] as const;

const LOAD_CONTEXTS = `
  create function redemption.load_contexts(p_requests jsonb)
  returns table (request_no integer, context_json json, pass_json json)
  language plpgsql stable as $fn$
  begin
    return query

  with input as (
    select i.n, i.venue_id, i.service_id, i.venue_scope, i.device_scope, i.since, i.idem_scope, i.idem_key,
           array(select decode(h, 'hex') from unnest(i.hashes) as h) as hashes
      from jsonb_to_recordset(p_requests)
             as i (n integer, venue_id uuid, service_id uuid, venue_scope text, device_scope text,
                   since timestamptz, idem_scope text, idem_key text, hashes text[])
  ), context as (
    select i.n, i.hashes, v.id as venue_id, v.name as venue_name, v.association_id, v.accreditation_status,
           v.insee_code, s.id as service_id, s.venue_id as service_venue_id, s.name as service_name,
           s.category as service_category, s.price_passes as service_price_passes,
           s.zero_remainder as service_zero_remainder, s.active as service_active,
           (select coalesce(sum(f.failures), 0) from redemption.failed_lookups f
             where f.scope = i.venue_scope and f.minute > i.since)::int as venue_failures,
           (select coalesce(sum(f.failures), 0) from redemption.failed_lookups f
             where f.scope = i.device_scope and f.minute > i.since)::int as device_failures,
           k.request_hash as stored_request_hash, k.response_status as stored_response_status,
           k.response_body as stored_response_body
      from input i
      join registry.venues v on v.id = i.venue_id
      left join registry.catalogue_services s on s.id = i.service_id and s.venue_id = v.id
      left join platform.idempotency_keys k on k.scope = i.idem_scope and k.key = i.idem_key
  )
  select c.n, to_json(c), to_json(pass)
    from context c
    left join lateral (
      select encode(v.lookup_hash, 'hex') as lookup_hex, v.id::text as id, v.batch_id, v.serial, v.status, v.status_reason, v.status_changed_at, v.distributed_at,
  b.id as b_id, b.number as b_number, b.funder_id as b_funder_id, b.status as b_status,
  b.face_value_cents::text as b_face_value_cents, b.currency as b_currency, b.booklet_size as b_booklet_size,
  b.booklet_count as b_booklet_count, b.voucher_count as b_voucher_count,
  b.valid_from::text as b_valid_from, b.valid_until::text as b_valid_until,
  b.tolerance_days as b_tolerance_days, b.territory_departements as b_territory_departements,
  b.territory_communes as b_territory_communes, b.service_categories as b_service_categories,
  b.created_at as b_created_at, b.submitted_at as b_submitted_at, b.activated_at as b_activated_at,
  b.closed_at as b_closed_at
        from vouchers.vouchers v
        join vouchers.batches b on b.id = v.batch_id
       where v.lookup_hash = any(c.hashes)
    ) pass on true;
  end $fn$;`;

export const hotPathPlans: Migration = {
  name: 'redemption/20261206000500_hot_path_plans',
  up: async (knex) => {
    await knex.raw(LOAD_CONTEXTS);
    for (const fn of ['redemption.redeem_baskets(jsonb)', 'redemption.load_contexts(jsonb)']) {
      for (const setting of HOT_PATH_SETTINGS) await knex.raw(`alter function ${fn} set ${setting} = off`);
    }
  },
  down: async (knex) => {
    for (const setting of HOT_PATH_SETTINGS) {
      await knex.raw(`alter function redemption.redeem_baskets(jsonb) reset ${setting}`);
    }
    await knex.raw('drop function if exists redemption.load_contexts(jsonb)');
  },
};
