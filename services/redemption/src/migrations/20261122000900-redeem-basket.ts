import type { Migration } from '@pass/db';

/**
 * `redemption.redeem_basket`: the write of a redemption in one statement, so that a redemption costs two round
 * trips (read the context, then this) instead of a transaction of ten. Called in autocommit mode, the function
 * is its own transaction: every write below commits together or not at all. It runs the owners' own SQL
 * functions for their tables (vouchers.redeem_in_order, ledger.post_entry), so the rules of the passes and
 * of the ledger are not copied here. The caller has checked the basket and built the answer; this function
 * only re-checks what can change concurrently (the passes, through the conditional update) and the key.
 *
 * Outcomes: `created` (the answer stored under the key), `replay` (a first request with this key committed
 * meanwhile: its stored answer and request hash), `in_flight` (that first request is still running). A pass
 * taken concurrently raises SQLSTATE PR001, which rolls everything back.
 */
export const redeemBasketFunction: Migration = {
  name: 'redemption/20261122000900_redeem_basket',
  up: async (knex) => {
    await knex.raw(`
      create function redemption.redeem_basket(
        p_idem_scope text, p_idem_key text, p_idem_lock bigint, p_request_hash text, p_response jsonb,
        p_id uuid, p_venue_id uuid, p_association_id uuid, p_service_id uuid, p_service_category text,
        p_amount_cents bigint, p_at timestamptz, p_actor text, p_actor_kind text, p_actor_role text,
        p_request_id text, p_audit_summary jsonb,
        p_voucher_ids bigint[], p_batch_ids uuid[], p_funder_ids uuid[], p_face_values bigint[],
        p_entry_kind text, p_currency text, p_effective_date date,
        p_codes text[], p_sides text[], p_amounts bigint[],
        p_account_kinds text[], p_owner_types text[], p_owner_ids uuid[], p_purposes text[]
      ) returns table (outcome text, response_status integer, response_body jsonb, request_hash text)
      language plpgsql as $fn$
      declare
        v_stored platform.idempotency_keys%rowtype;
        v_changed integer;
        v_entry record;
        v_reference text := 'redemption:' || p_id::text;
      begin
        -- Held until commit: a second request with this key meanwhile is told 409, never run twice.
        if not pg_try_advisory_xact_lock(p_idem_lock) then
          return query select 'in_flight'::text, null::integer, null::jsonb, null::text;
          return;
        end if;
        -- A fresh snapshot (this statement starts after the lock): a first request that committed is seen.
        select * into v_stored from platform.idempotency_keys k where k.scope = p_idem_scope and k.key = p_idem_key;
        if found then
          return query select 'replay'::text, v_stored.response_status, v_stored.response_body, v_stored.request_hash;
          return;
        end if;

        select count(*) into v_changed
          from vouchers.redeem_in_order(p_voucher_ids, p_at, p_actor, 'venue:' || p_venue_id::text, v_reference,
                                        '{}'::jsonb);
        if v_changed <> cardinality(p_voucher_ids) then
          raise exception 'a pass of the basket was taken concurrently' using errcode = 'PR001';
        end if;

        select * into v_entry
          from ledger.post_entry(p_entry_kind, v_reference, p_actor, null, p_currency, null, null, p_effective_date,
                                 p_codes, p_sides, p_amounts, p_account_kinds, p_owner_types, p_owner_ids, p_purposes);
        if v_entry.status is distinct from 'posted' then
          raise exception 'the ledger did not post the redemption entry: %', v_entry.status using errcode = 'PR002';
        end if;

        insert into redemption.redemptions (id, venue_id, association_id, catalogue_service_id, service_category,
                                            voucher_count, amount_cents, status, redeemed_at, redeemed_by,
                                            ledger_entry_id)
        values (p_id, p_venue_id, p_association_id, p_service_id, p_service_category, cardinality(p_voucher_ids),
                p_amount_cents, 'live', p_at, p_actor, v_entry.entry_id);
        insert into redemption.redemption_vouchers (redemption_id, voucher_id, batch_id, funder_id, face_value_cents)
        select p_id, t.voucher_id, t.batch_id, t.funder_id, t.face_value_cents
          from unnest(p_voucher_ids, p_batch_ids, p_funder_ids, p_face_values)
                 as t (voucher_id, batch_id, funder_id, face_value_cents);

        insert into platform.audit_log (at, actor_kind, actor_id, actor_role, organisation_id, action, target_type,
                                        target_id, summary, request_id)
        values (p_at, p_actor_kind, p_actor, p_actor_role, p_association_id, 'redemption.created', 'redemption',
                p_id::text, p_audit_summary || jsonb_build_object('ledgerEntryId', v_entry.entry_id::text),
                p_request_id);

        insert into platform.idempotency_keys (scope, key, request_hash, response_status, response_body, created_at)
        values (p_idem_scope, p_idem_key, p_request_hash, 201, p_response, p_at);
        return query select 'created'::text, 201, p_response, p_request_hash;
      end $fn$;
    `);
  },
  down: async (knex) => {
    await knex.raw(`
      drop function if exists redemption.redeem_basket(text, text, bigint, text, jsonb, uuid, uuid, uuid, uuid, text,
        bigint, timestamptz, text, text, text, text, jsonb, bigint[], uuid[], uuid[], bigint[], text, text, date,
        text[], text[], bigint[], text[], text[], uuid[], text[]);
    `);
  },
};
