import type { Migration } from '@pass/db';
import { redeemBasketFunction } from './20261122000900-redeem-basket';

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
 * Both functions of the hot path carry these settings.
 */
const HOT_PATH_SETTINGS =
  'set enable_seqscan = off set enable_hashjoin = off set enable_mergejoin = off set jit = off';

/**
 * `redemption.redeem_baskets`: the write of several checked baskets in one statement, hence one transaction
 * and one commit for the group (the API groups the redemptions that arrive while earlier ones are being
 * written; `DEFAULT_GROUPS` in redemption-service.ts). It replaces `redemption.redeem_basket`, its one-basket predecessor: a
 * single basket is a group of one.
 *
 * Each basket stays all or nothing, and the group never deadlocks on passes:
 *  1. keys: each basket's idempotency key is tried with a transaction advisory lock (never waits). A key held
 *     elsewhere, or already used by an earlier basket of the group, is `in_flight`; a key already stored (read
 *     by the next statement, so after the lock) is `replay` with the stored answer;
 *  2. passes: the passes of the remaining baskets are locked at once, in ascending id order
 *     (vouchers.lock_usable_in_order), only those still available in an active batch;
 *  3. baskets, in order: a basket whose passes are all locked and not claimed by an earlier basket of the
 *     group is `created`; any other is `taken`, and nothing of it is written;
 *  4. the created baskets' passes change (vouchers.redeem_many_in_order), their ledger entries are posted
 *     (ledger.post_entries), then their redemptions, pass lists, audit rows and stored answers are inserted,
 *     one statement each for the whole group.
 * Anything unexpected raises and rolls the whole group back, as does a group of several baskets that waits more
 * than GROUP_LOCK_TIMEOUT for a lock; the caller then writes its baskets one by one.
 */
const BASKET_WRITE_TYPE = `
  create type redemption.basket_write as (
    idem_scope text, idem_key text, idem_lock bigint, request_hash text, response jsonb,
    id uuid, venue_id uuid, association_id uuid, service_id uuid, service_category text,
    amount_cents bigint, at timestamptz, actor text, actor_kind text, actor_role text, request_id text,
    audit_summary jsonb,
    voucher_ids bigint[], batch_ids uuid[], funder_ids uuid[], face_values bigint[],
    entry_kind text, currency text, effective_date date,
    codes text[], sides text[], amounts bigint[], account_kinds text[], owner_types text[], owner_ids uuid[],
    purposes text[]
  );
  comment on type redemption.basket_write is
    'One checked basket as redemption.redeem_baskets takes it (a JSON array of these, money as integer cents).';`;

/** How long a group of several baskets waits for a lock before it fails and is written basket by basket. */
export const GROUP_LOCK_TIMEOUT = '200ms';

const REDEEM_BASKETS = `
  create or replace function redemption.redeem_baskets(p_baskets jsonb)
  returns table (basket_no integer, outcome text, response_status integer, response_body jsonb, request_hash text)
  language plpgsql ${HOT_PATH_SETTINGS} as $fn$
  #variable_conflict use_column
  declare
    v_baskets redemption.basket_write[];
    v_n integer;
    v_outcomes text[];
    v_locked bigint[];
    v_claimed bigint[] := '{}';
    v_created integer[] := '{}';
    v_ids bigint[];
    v_ats timestamptz[];
    v_actors text[];
    v_places text[];
    v_references text[];
    v_changed integer;
    v_line_entries integer[];
    v_codes text[];
    v_sides text[];
    v_amounts bigint[];
    v_account_kinds text[];
    v_owner_types text[];
    v_owner_ids uuid[];
    v_purposes text[];
    v_entry_ids bigint[];
    v_row record;
  begin
    v_baskets := array(select r from jsonb_populate_recordset(null::redemption.basket_write, p_baskets) r);
    v_n := cardinality(v_baskets);
    if v_n = 0 then
      return;
    end if;
    -- A group waits at most this long for a lock held elsewhere (a pass being cancelled, another process's
    -- group): it then fails whole and the caller writes its baskets one by one, each waiting as long as it
    -- must, so one contended pass never holds up the redemptions of the others.
    if v_n > 1 then
      perform set_config('lock_timeout', '${GROUP_LOCK_TIMEOUT}', true);
    end if;

    -- 1. Keys. Held until commit: a second request with a key meanwhile is told 409, never run twice.
    select array_agg(case when k.first_of_key and pg_try_advisory_xact_lock(k.idem_lock) then null
                          else 'in_flight' end order by k.i)
      into v_outcomes
      from (select t.i, (v_baskets[t.i]).idem_lock,
                   row_number() over (partition by (v_baskets[t.i]).idem_scope, (v_baskets[t.i]).idem_key
                                      order by t.i) = 1 as first_of_key
              from generate_subscripts(v_baskets, 1) as t (i)) k;
    -- A fresh snapshot (this statement starts after the locks): a first request that committed is seen.
    for v_row in
      select t.i, k.response_status, k.response_body, k.request_hash
        from generate_subscripts(v_baskets, 1) as t (i)
        join platform.idempotency_keys k
          on k.scope = (v_baskets[t.i]).idem_scope and k.key = (v_baskets[t.i]).idem_key
       where v_outcomes[t.i] is null
    loop
      v_outcomes[v_row.i] := 'replay';
      basket_no := v_row.i;
      outcome := 'replay';
      response_status := v_row.response_status;
      response_body := v_row.response_body;
      request_hash := v_row.request_hash;
      return next;
    end loop;

    -- 2. Passes, locked in ascending id order.
    v_locked := array(
      select vouchers.lock_usable_in_order(array(
        select p.id
          from generate_subscripts(v_baskets, 1) as t (i)
          cross join unnest((v_baskets[t.i]).voucher_ids) as p (id)
         where v_outcomes[t.i] is null)));

    -- 3. Baskets, in order.
    for i in 1..v_n loop
      continue when v_outcomes[i] is not null;
      if (v_baskets[i]).voucher_ids <@ v_locked and not ((v_baskets[i]).voucher_ids && v_claimed) then
        v_claimed := v_claimed || (v_baskets[i]).voucher_ids;
        v_created := v_created || i;
        v_outcomes[i] := 'created';
      else
        v_outcomes[i] := 'taken';
      end if;
    end loop;

    -- 4. The created baskets' writes, one statement each for the group.
    if cardinality(v_created) > 0 then
      select array_agg(p.id order by c.k, p.n), array_agg((v_baskets[c.i]).at order by c.k, p.n),
             array_agg((v_baskets[c.i]).actor order by c.k, p.n),
             array_agg('venue:' || (v_baskets[c.i]).venue_id::text order by c.k, p.n),
             array_agg('redemption:' || (v_baskets[c.i]).id::text order by c.k, p.n)
        into v_ids, v_ats, v_actors, v_places, v_references
        from unnest(v_created) with ordinality as c (i, k)
        cross join unnest((v_baskets[c.i]).voucher_ids) with ordinality as p (id, n);
      select count(*) into v_changed
        from vouchers.redeem_many_in_order(v_ids, v_ats, v_actors, v_places, v_references);
      if v_changed <> cardinality(v_ids) then
        raise exception 'redeemed % of % locked passes', v_changed, cardinality(v_ids) using errcode = 'PR001';
      end if;

      select array_agg(c.k::integer order by c.k, l.n), array_agg(l.code order by c.k, l.n),
             array_agg(l.side order by c.k, l.n), array_agg(l.amount order by c.k, l.n),
             array_agg(l.account_kind order by c.k, l.n), array_agg(l.owner_type order by c.k, l.n),
             array_agg(l.owner_id order by c.k, l.n), array_agg(l.purpose order by c.k, l.n)
        into v_line_entries, v_codes, v_sides, v_amounts, v_account_kinds, v_owner_types, v_owner_ids, v_purposes
        from unnest(v_created) with ordinality as c (i, k)
        cross join unnest((v_baskets[c.i]).codes, (v_baskets[c.i]).sides, (v_baskets[c.i]).amounts,
                          (v_baskets[c.i]).account_kinds, (v_baskets[c.i]).owner_types,
                          (v_baskets[c.i]).owner_ids, (v_baskets[c.i]).purposes)
                     with ordinality as l (code, side, amount, account_kind, owner_type, owner_id, purpose, n);
      v_entry_ids := array(
        select e.entry_id
          from ledger.post_entries(
                 array(select (v_baskets[c.i]).entry_kind from unnest(v_created) with ordinality as c (i, k) order by c.k),
                 array(select 'redemption:' || (v_baskets[c.i]).id::text
                         from unnest(v_created) with ordinality as c (i, k) order by c.k),
                 array(select (v_baskets[c.i]).actor from unnest(v_created) with ordinality as c (i, k) order by c.k),
                 array(select (v_baskets[c.i]).currency from unnest(v_created) with ordinality as c (i, k) order by c.k),
                 array(select (v_baskets[c.i]).effective_date
                         from unnest(v_created) with ordinality as c (i, k) order by c.k),
                 v_line_entries, v_codes, v_sides, v_amounts, v_account_kinds, v_owner_types, v_owner_ids, v_purposes) e
         order by e.entry_no);
      if cardinality(v_entry_ids) <> cardinality(v_created) then
        raise exception 'the ledger posted % entries for % baskets', cardinality(v_entry_ids), cardinality(v_created)
          using errcode = 'PR002';
      end if;

      insert into redemption.redemptions (id, venue_id, association_id, catalogue_service_id, service_category,
                                          voucher_count, amount_cents, status, redeemed_at, redeemed_by,
                                          ledger_entry_id)
      select b.id, b.venue_id, b.association_id, b.service_id, b.service_category, cardinality(b.voucher_ids),
             b.amount_cents, 'live', b.at, b.actor, v_entry_ids[c.k]
        from unnest(v_created) with ordinality as c (i, k)
        cross join lateral (select (v_baskets[c.i]).*) b;

      insert into redemption.redemption_vouchers (redemption_id, voucher_id, batch_id, funder_id, face_value_cents)
      select b.id, p.voucher_id, p.batch_id, p.funder_id, p.face_value_cents
        from unnest(v_created) as c (i)
        cross join lateral (select (v_baskets[c.i]).*) b
        cross join unnest(b.voucher_ids, b.batch_ids, b.funder_ids, b.face_values)
                     as p (voucher_id, batch_id, funder_id, face_value_cents);

      insert into platform.audit_log (at, actor_kind, actor_id, actor_role, organisation_id, action, target_type,
                                      target_id, summary, request_id)
      select b.at, b.actor_kind, b.actor, b.actor_role, b.association_id, 'redemption.created', 'redemption',
             b.id::text, b.audit_summary || jsonb_build_object('ledgerEntryId', v_entry_ids[c.k]::text), b.request_id
        from unnest(v_created) with ordinality as c (i, k)
        cross join lateral (select (v_baskets[c.i]).*) b;

      insert into platform.idempotency_keys (scope, key, request_hash, response_status, response_body, created_at)
      select b.idem_scope, b.idem_key, b.request_hash, 201, b.response, b.at
        from unnest(v_created) as c (i)
        cross join lateral (select (v_baskets[c.i]).*) b;
    end if;

    -- The caller has the answers of the baskets it wrote; only replays need theirs (returned above).
    return query
    select t.i, v_outcomes[t.i], null::integer, null::jsonb, null::text
      from generate_subscripts(v_baskets, 1) as t (i)
     where v_outcomes[t.i] <> 'replay';
  end $fn$;`;

/**
 * `redemption.load_contexts(jsonb)`: the context read of a group of requests (PostgresRedemptionStore.loadContexts)
 * as a PL/pgSQL function, so that the settings above apply to it and its plan is kept per session. For each
 * request n of the array: the venue, its service (only if it is the venue's own), the failed-lookup counters of
 * the caller, any answer stored under its key and the passes looked up by keyed hash; one row per pass found
 * (the context repeated on each), or one row with a null pass; no row when the venue does not exist. The passes
 * are read even when the caller is over its rate limit: the service then answers 429 without using them, so
 * nothing about the codes is revealed. The context and each pass come as two JSON columns rather than some forty
 * plain ones (the pg driver's per-column work was a measurable share of the API's CPU). The pass columns are
 * those of VOUCHER_WITH_BATCH_COLUMNS (@pass/vouchers), written out so that this migration never changes.
 */
const LOAD_CONTEXTS = `
  create function redemption.load_contexts(p_requests jsonb)
  returns table (request_no integer, context_json json, pass_json json)
  language plpgsql stable ${HOT_PATH_SETTINGS} as $fn$
  begin
    return query

  with input as (
    select i.n, i.venue_id, i.service_id, i.venue_scope, i.device_scope, i.since, i.idem_scope, i.idem_key,
           array(select decode(h, 'hex') from unnest(i.hashes) as h) as hashes
      from jsonb_to_recordset(p_requests)
             as i (n integer, venue_id uuid, service_id uuid, venue_scope text, device_scope text,
                   since timestamptz, idem_scope text, idem_key text, hashes text[])
  ), context as (
    select i.n, v.id as venue_id, v.name as venue_name, v.association_id, v.accreditation_status,
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
    join input i on i.n = c.n
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
       where v.lookup_hash = any(i.hashes)
    ) pass on true;
  end $fn$;`;

export const redeemBasketsFunction: Migration = {
  name: 'redemption/20261206000400_redeem_baskets',
  up: async (knex) => {
    await knex.raw(`
      ${BASKET_WRITE_TYPE}
      ${REDEEM_BASKETS}
      ${LOAD_CONTEXTS}
      drop function redemption.redeem_basket(text, text, bigint, text, jsonb, uuid, uuid, uuid, uuid, text,
        bigint, timestamptz, text, text, text, text, jsonb, bigint[], uuid[], uuid[], bigint[], text, text, date,
        text[], text[], bigint[], text[], text[], uuid[], text[]);
    `);
  },
  down: async (knex) => {
    await knex.raw(`
      drop function if exists redemption.load_contexts(jsonb);
      drop function if exists redemption.redeem_baskets(jsonb);
      drop type if exists redemption.basket_write;
    `);
    await redeemBasketFunction.up(knex);
  },
};
