import { appendOnlySql, dropAppendOnlySql, type Migration } from '@pass/db';

/** The advisory lock (two int4 keys, 'LEDG' and 1) held in shared mode by every transaction that posts. */
export const POSTING_LOCK = [1279607879, 1] as const;

/**
 * Accounts, entries and lines. Entries and lines are append-only (triggers refuse UPDATE, DELETE and
 * TRUNCATE with SQLSTATE 55000) and a deferred constraint trigger refuses, at commit, any entry that has
 * fewer than two lines, does not balance, or touches an account of another currency.
 */
const createLedger: Migration = {
  name: 'ledger/20261122000100_create_ledger',
  up: async (knex) => {
    await knex.raw(`
      create schema if not exists ledger;

      create table ledger.accounts (
        id bigint generated always as identity primary key,
        code text not null unique,
        kind text not null check (kind in ('asset', 'liability', 'revenue', 'expense', 'equity')),
        owner_type text not null check (owner_type in ('operator', 'funder', 'association')),
        owner_id uuid,
        purpose text not null,
        currency text not null check (currency ~ '^[A-Z]{3}$'),
        created_at timestamptz not null default now(),
        check ((owner_type = 'operator') = (owner_id is null))
      );
      comment on table ledger.accounts is
        'Chart of accounts, created on first use by post(). Append-only: an account never changes kind or currency.';
      comment on column ledger.accounts.code is
        'operator:bank, funder:<uuid>:prepaid, association:<uuid>:payable... (see packages/ledger/src/account-code.ts).';
      comment on column ledger.accounts.owner_id is 'Funder or association uuid (no foreign key: registry owns them).';

      create sequence ledger.entry_id_seq;

      -- Every transaction that takes an entry id first holds this shared advisory lock until it ends. The
      -- sealer reads the sequence, then lists the lock's holders, and seals up to that id once they are all
      -- gone: no entry at or below it can appear any more, whatever else runs in the cluster. Shared holders
      -- never wait on each other, and the sealer never takes the lock, so posting never blocks on it.
      create function ledger.next_entry_id() returns bigint language plpgsql volatile as $$
      begin
        perform pg_advisory_xact_lock_shared(${POSTING_LOCK[0]}, ${POSTING_LOCK[1]});
        return nextval('ledger.entry_id_seq');
      end $$;

      create table ledger.entries (
        id bigint primary key default ledger.next_entry_id(),
        kind text not null check (kind ~ '^[a-z][a-z_]*$'),
        reference text not null check (btrim(reference) <> ''),
        actor text not null check (btrim(actor) <> ''),
        description text,
        currency text not null check (currency ~ '^[A-Z]{3}$'),
        idempotency_key text unique,
        reverses_entry_id bigint unique references ledger.entries (id) check (reverses_entry_id < id),
        effective_date date not null default ((now() at time zone 'Europe/Paris')::date),
        posted_at timestamptz not null default now()
      );
      alter sequence ledger.entry_id_seq owned by ledger.entries.id;
      comment on table ledger.entries is
        'Journal entries, append-only. Ids come from a sequence and are not commit order; see ledger.blocks.';
      comment on column ledger.entries.reference is 'Business object the entry comes from (FEC PieceRef), e.g. redemption:<uuid>.';
      comment on column ledger.entries.actor is 'Who caused the entry: a user id, job:<name> or system.';
      comment on column ledger.entries.idempotency_key is 'Posting again with this key returns this entry instead of a new one.';
      comment on column ledger.entries.reverses_entry_id is 'The entry this one cancels (sides swapped); unique: an entry is reversed at most once.';
      comment on column ledger.entries.effective_date is 'Accounting date (FEC EcritureDate), Europe/Paris.';
      comment on column ledger.entries.posted_at is 'Start of the writing transaction (FEC ValidDate).';

      create table ledger.lines (
        entry_id bigint not null references ledger.entries (id),
        line_no smallint not null check (line_no >= 1),
        account_id bigint not null,
        side text not null check (side in ('debit', 'credit')),
        amount_cents bigint not null check (amount_cents > 0),
        primary key (entry_id, line_no)
      );
      comment on table ledger.lines is 'Entry lines, append-only. Amounts are positive; the side says debit or credit.';
      comment on column ledger.lines.account_id is
        'ledger.accounts.id. No foreign key on purpose: its KEY SHARE lock on a hot account row turns into multixacts '
        'under concurrent postings; the deferred balance check refuses a line whose account does not exist.';
      -- Balances and statements read one account's lines, newest past a checkpoint: an index-only scan.
      create index lines_account_entry_idx on ledger.lines (account_id, entry_id) include (side, amount_cents);

      create function ledger.check_entry(p_entry_id bigint) returns void language plpgsql as $$
      declare
        v_currency text;
        v_lines int;
        v_known int;
        v_same_currency int;
        v_debits numeric;
        v_credits numeric;
      begin
        select currency into v_currency from ledger.entries where id = p_entry_id;
        if not found then
          raise exception 'ledger entry % does not exist', p_entry_id using errcode = '23503';
        end if;
        select count(*), count(a.id), count(*) filter (where a.currency = v_currency),
               coalesce(sum(l.amount_cents) filter (where l.side = 'debit'), 0),
               coalesce(sum(l.amount_cents) filter (where l.side = 'credit'), 0)
          into v_lines, v_known, v_same_currency, v_debits, v_credits
          from ledger.lines l left join ledger.accounts a on a.id = l.account_id
         where l.entry_id = p_entry_id;
        if v_lines < 2 then
          raise exception 'ledger entry % has % line(s); an entry needs at least two', p_entry_id, v_lines
            using errcode = '23514', constraint = 'entry_balanced';
        end if;
        if v_known <> v_lines then
          raise exception 'ledger entry % has a line on an unknown account', p_entry_id
            using errcode = '23503', constraint = 'entry_balanced';
        end if;
        if v_same_currency <> v_lines then
          raise exception 'ledger entry % has a line on an account of another currency', p_entry_id
            using errcode = '23514', constraint = 'entry_balanced';
        end if;
        if v_debits <> v_credits then
          raise exception 'ledger entry % is unbalanced: debits % <> credits %', p_entry_id, v_debits, v_credits
            using errcode = '23514', constraint = 'entry_balanced';
        end if;
      end $$;

      -- The common case in one query; check_entry runs only to name what is wrong.
      create function ledger.entries_check_balanced() returns trigger language plpgsql as $$
      declare
        v record;
      begin
        select count(*) as lines, count(*) filter (where a.currency = new.currency) as same_currency,
               coalesce(sum(case when l.side = 'debit' then l.amount_cents else -l.amount_cents end), 0) as net
          into v
          from ledger.lines l left join ledger.accounts a on a.id = l.account_id
         where l.entry_id = new.id;
        if v.lines < 2 or v.same_currency <> v.lines or v.net <> 0 then
          perform ledger.check_entry(new.id);
        end if;
        return null;
      end $$;

      create function ledger.lines_check_balanced() returns trigger language plpgsql as $$
      begin
        -- The entry's own trigger checks it at the same commit when both were written by this transaction;
        -- a line added later to an older entry is checked here.
        if exists (select 1 from ledger.entries e where e.id = new.entry_id and e.xmin = pg_current_xact_id()::xid) then
          return null;
        end if;
        perform ledger.check_entry(new.entry_id);
        return null;
      end $$;

      -- Deferred to commit so that an entry and its lines can be written by separate statements.
      create constraint trigger entries_balanced after insert on ledger.entries
        deferrable initially deferred for each row execute function ledger.entries_check_balanced();
      create constraint trigger lines_balanced after insert on ledger.lines
        deferrable initially deferred for each row execute function ledger.lines_check_balanced();

      -- The posting path in one round trip with plans cached per session: resolve (and create, in code
      -- order so concurrent creators never deadlock) the accounts, then insert the entry and its lines.
      -- Returns no row when the idempotency key or the reversal link already exists (the caller looks
      -- at what is there), and status 'currency_mismatch' without writing anything when an account is
      -- kept in another currency.
      create function ledger.post_entry(
        p_kind text, p_reference text, p_actor text, p_description text, p_currency text,
        p_idempotency_key text, p_reverses_entry_id bigint, p_effective_date date,
        p_codes text[], p_sides text[], p_amounts bigint[],
        p_account_kinds text[], p_owner_types text[], p_owner_ids uuid[], p_purposes text[]
      ) returns table (status text, entry_id bigint, effective_date date, posted_at timestamptz, detail text[])
      language plpgsql as $$
      declare
        v_ids bigint[];
        v_wrong text[];
        v_entry ledger.entries%rowtype;
      begin
        select array_agg(a.id order by c.ord), array_agg(a.code) filter (where a.currency <> p_currency)
          into v_ids, v_wrong
          from unnest(p_codes) with ordinality as c (code, ord)
          left join ledger.accounts a on a.code = c.code;
        if array_position(v_ids, null) is not null then
          insert into ledger.accounts (code, kind, owner_type, owner_id, purpose, currency)
          select w.code, w.kind, w.owner_type, w.owner_id, w.purpose, p_currency
            from unnest(p_codes, p_account_kinds, p_owner_types, p_owner_ids, p_purposes)
                   as w (code, kind, owner_type, owner_id, purpose)
           where not exists (select 1 from ledger.accounts a where a.code = w.code)
           group by w.code, w.kind, w.owner_type, w.owner_id, w.purpose
           order by w.code
          on conflict (code) do nothing;
          select array_agg(a.id order by c.ord), array_agg(a.code) filter (where a.currency <> p_currency)
            into v_ids, v_wrong
            from unnest(p_codes) with ordinality as c (code, ord)
            left join ledger.accounts a on a.code = c.code;
        end if;
        if v_wrong is not null then
          return query select 'currency_mismatch'::text, null::bigint, null::date, null::timestamptz, v_wrong;
          return;
        end if;
        insert into ledger.entries
          (kind, reference, actor, description, currency, idempotency_key, reverses_entry_id, effective_date)
        values (p_kind, p_reference, p_actor, p_description, p_currency, p_idempotency_key, p_reverses_entry_id,
                coalesce(p_effective_date, (now() at time zone 'Europe/Paris')::date))
        on conflict do nothing
        returning * into v_entry;
        if v_entry.id is null then
          return query select 'conflict'::text, null::bigint, null::date, null::timestamptz, null::text[];
          return;
        end if;
        insert into ledger.lines (entry_id, line_no, account_id, side, amount_cents)
        select v_entry.id, l.ord, l.account_id, l.side, l.amount
          from unnest(v_ids, p_sides, p_amounts) with ordinality as l (account_id, side, amount, ord);
        return query select 'posted'::text, v_entry.id, v_entry.effective_date, v_entry.posted_at, null::text[];
      end $$;

      ${appendOnlySql('ledger', 'accounts')}
      ${appendOnlySql('ledger', 'entries')}
      ${appendOnlySql('ledger', 'lines')}
    `);
  },
  down: async (knex) => {
    await knex.raw(`
      ${dropAppendOnlySql('ledger', 'lines')}
      ${dropAppendOnlySql('ledger', 'entries')}
      ${dropAppendOnlySql('ledger', 'accounts')}
      drop table if exists ledger.lines;
      drop table if exists ledger.entries;
      drop table if exists ledger.accounts;
      drop function if exists ledger.post_entry(text, text, text, text, text, text, bigint, date, text[], text[], bigint[], text[], text[], uuid[], text[]);
      drop function if exists ledger.lines_check_balanced();
      drop function if exists ledger.entries_check_balanced();
      drop function if exists ledger.check_entry(bigint);
      drop function if exists ledger.next_entry_id();
      drop sequence if exists ledger.entry_id_seq;
      drop schema if exists ledger;
    `);
  },
};

/**
 * The tamper-evident hash chain (blocks of sealed entries), the sealer's cursor and the per-account
 * checkpoint balances stored at sealing time.
 */
const createSeals: Migration = {
  name: 'ledger/20261122000200_create_seals',
  up: async (knex) => {
    await knex.raw(`
      create table ledger.blocks (
        block_no bigint primary key check (block_no >= 1),
        after_entry_id bigint not null check (after_entry_id >= 0),
        last_entry_id bigint not null check (last_entry_id > after_entry_id),
        entry_count int not null check (entry_count >= 1),
        entry_ids bigint[] not null,
        entry_hashes bytea not null,
        prev_hash bytea not null check (length(prev_hash) = 32),
        hash bytea not null check (length(hash) = 32),
        sealed_at timestamptz not null default now(),
        check (cardinality(entry_ids) = entry_count and length(entry_hashes) = 32 * entry_count)
      );
      comment on table ledger.blocks is
        'SHA-256 hash chain of sealed entries, append-only. Block n covers entry ids in (after_entry_id, last_entry_id].';
      comment on column ledger.blocks.entry_ids is 'Ids of the entries sealed in this block, ascending.';
      comment on column ledger.blocks.entry_hashes is 'SHA-256 of each entry''s canonical form, 32 bytes each, in entry_ids order.';
      comment on column ledger.blocks.hash is 'SHA-256(version, block_no, prev_hash, entry_hashes): see entry-hash.ts.';

      create table ledger.seal_state (
        singleton boolean primary key default true check (singleton),
        sealed_through_entry_id bigint not null default 0,
        pending_through_entry_id bigint,
        pending_holders text[],
        updated_at timestamptz not null default now()
      );
      comment on table ledger.seal_state is 'Cursor of the sealer (one row). Derived data: not append-only.';
      comment on column ledger.seal_state.sealed_through_entry_id is 'Every entry with an id at or below this one is in a block.';
      comment on column ledger.seal_state.pending_through_entry_id is
        'Last entry id handed out when the pending horizon was taken; sealable once pending_holders have all ended.';
      comment on column ledger.seal_state.pending_holders is
        'Virtual transaction ids holding the posting advisory lock just after the sequence was read.';
      insert into ledger.seal_state default values;

      create table ledger.account_checkpoints (
        account_id bigint primary key references ledger.accounts (id),
        through_entry_id bigint not null,
        debit_cents bigint not null default 0,
        credit_cents bigint not null default 0,
        updated_at timestamptz not null default now()
      );
      comment on table ledger.account_checkpoints is
        'Sum of an account''s lines with entry_id <= through_entry_id, maintained by the sealer off the hot path. '
        'A balance is this plus the account''s lines after through_entry_id.';

      ${appendOnlySql('ledger', 'blocks')}
    `);
  },
  down: async (knex) => {
    await knex.raw(`
      ${dropAppendOnlySql('ledger', 'blocks')}
      drop table if exists ledger.account_checkpoints;
      drop table if exists ledger.seal_state;
      drop table if exists ledger.blocks;
    `);
  },
};

/** The function as the first migration created it (the down of postEntryByProbes). */
const POST_ENTRY_BY_JOIN = `
      create or replace function ledger.post_entry(
        p_kind text, p_reference text, p_actor text, p_description text, p_currency text,
        p_idempotency_key text, p_reverses_entry_id bigint, p_effective_date date,
        p_codes text[], p_sides text[], p_amounts bigint[],
        p_account_kinds text[], p_owner_types text[], p_owner_ids uuid[], p_purposes text[]
      ) returns table (status text, entry_id bigint, effective_date date, posted_at timestamptz, detail text[])
      language plpgsql as $$
      declare
        v_ids bigint[];
        v_wrong text[];
        v_entry ledger.entries%rowtype;
      begin
        select array_agg(a.id order by c.ord), array_agg(a.code) filter (where a.currency <> p_currency)
          into v_ids, v_wrong
          from unnest(p_codes) with ordinality as c (code, ord)
          left join ledger.accounts a on a.code = c.code;
        if array_position(v_ids, null) is not null then
          insert into ledger.accounts (code, kind, owner_type, owner_id, purpose, currency)
          select w.code, w.kind, w.owner_type, w.owner_id, w.purpose, p_currency
            from unnest(p_codes, p_account_kinds, p_owner_types, p_owner_ids, p_purposes)
                   as w (code, kind, owner_type, owner_id, purpose)
           where not exists (select 1 from ledger.accounts a where a.code = w.code)
           group by w.code, w.kind, w.owner_type, w.owner_id, w.purpose
           order by w.code
          on conflict (code) do nothing;
          select array_agg(a.id order by c.ord), array_agg(a.code) filter (where a.currency <> p_currency)
            into v_ids, v_wrong
            from unnest(p_codes) with ordinality as c (code, ord)
            left join ledger.accounts a on a.code = c.code;
        end if;
        if v_wrong is not null then
          return query select 'currency_mismatch'::text, null::bigint, null::date, null::timestamptz, v_wrong;
          return;
        end if;
        insert into ledger.entries
          (kind, reference, actor, description, currency, idempotency_key, reverses_entry_id, effective_date)
        values (p_kind, p_reference, p_actor, p_description, p_currency, p_idempotency_key, p_reverses_entry_id,
                coalesce(p_effective_date, (now() at time zone 'Europe/Paris')::date))
        on conflict do nothing
        returning * into v_entry;
        if v_entry.id is null then
          return query select 'conflict'::text, null::bigint, null::date, null::timestamptz, null::text[];
          return;
        end if;
        insert into ledger.lines (entry_id, line_no, account_id, side, amount_cents)
        select v_entry.id, l.ord, l.account_id, l.side, l.amount
          from unnest(v_ids, p_sides, p_amounts) with ordinality as l (account_id, side, amount, ord);
        return query select 'posted'::text, v_entry.id, v_entry.effective_date, v_entry.posted_at, null::text[];
      end $$;
`;

const POST_ENTRY_BY_PROBES = `
      create or replace function ledger.post_entry(
        p_kind text, p_reference text, p_actor text, p_description text, p_currency text,
        p_idempotency_key text, p_reverses_entry_id bigint, p_effective_date date,
        p_codes text[], p_sides text[], p_amounts bigint[],
        p_account_kinds text[], p_owner_types text[], p_owner_ids uuid[], p_purposes text[]
      ) returns table (status text, entry_id bigint, effective_date date, posted_at timestamptz, detail text[])
      language plpgsql as $$
      declare
        v_code text;
        v_id bigint;
        v_currency text;
        v_ids bigint[];
        v_wrong text[];
        v_missing boolean;
        v_entry_id bigint;
        v_effective_date date;
        v_posted_at timestamptz;
      begin
        for v_attempt in 1..2 loop
          v_ids := '{}';
          v_wrong := null;
          v_missing := false;
          foreach v_code in array p_codes loop
            select a.id, a.currency into v_id, v_currency from ledger.accounts a where a.code = v_code;
            if v_id is null then
              v_missing := true;
            elsif v_currency <> p_currency then
              v_wrong := v_wrong || v_code;
            end if;
            v_ids := v_ids || v_id;
          end loop;
          exit when not v_missing or v_attempt = 2;
          insert into ledger.accounts (code, kind, owner_type, owner_id, purpose, currency)
          select w.code, w.kind, w.owner_type, w.owner_id, w.purpose, p_currency
            from unnest(p_codes, p_account_kinds, p_owner_types, p_owner_ids, p_purposes)
                   as w (code, kind, owner_type, owner_id, purpose)
           where not exists (select 1 from ledger.accounts a where a.code = w.code)
           group by w.code, w.kind, w.owner_type, w.owner_id, w.purpose
           order by w.code
          on conflict (code) do nothing;
        end loop;
        if v_wrong is not null then
          return query select 'currency_mismatch'::text, null::bigint, null::date, null::timestamptz, v_wrong;
          return;
        end if;
        if p_idempotency_key is null and p_reverses_entry_id is null then
          insert into ledger.entries (kind, reference, actor, description, currency, effective_date)
          values (p_kind, p_reference, p_actor, p_description, p_currency,
                  coalesce(p_effective_date, (now() at time zone 'Europe/Paris')::date))
          returning ledger.entries.id, ledger.entries.effective_date, ledger.entries.posted_at
            into v_entry_id, v_effective_date, v_posted_at;
        else
          insert into ledger.entries
            (kind, reference, actor, description, currency, idempotency_key, reverses_entry_id, effective_date)
          values (p_kind, p_reference, p_actor, p_description, p_currency, p_idempotency_key, p_reverses_entry_id,
                  coalesce(p_effective_date, (now() at time zone 'Europe/Paris')::date))
          on conflict do nothing
          returning ledger.entries.id, ledger.entries.effective_date, ledger.entries.posted_at
            into v_entry_id, v_effective_date, v_posted_at;
          if v_entry_id is null then
            return query select 'conflict'::text, null::bigint, null::date, null::timestamptz, null::text[];
            return;
          end if;
        end if;
        insert into ledger.lines (entry_id, line_no, account_id, side, amount_cents)
        select v_entry_id, l.ord, l.account_id, l.side, l.amount
          from unnest(v_ids, p_sides, p_amounts) with ordinality as l (account_id, side, amount, ord);
        return query select 'posted'::text, v_entry_id, v_effective_date, v_posted_at, null::text[];
      end $$;
`;

/**
 * `ledger.post_entry` looking accounts up one code at a time (a primary-key probe each, cheaper than joining
 * and aggregating an unnest) and using ON CONFLICT, which costs a speculative insertion, only when there is an
 * idempotency key or a reversal link that can conflict. Same signature and results (session 2, ADR 0002).
 */
const postEntryByProbes: Migration = {
  name: 'ledger/20261206000200_post_entry_by_probes',
  up: async (knex) => {
    await knex.raw(POST_ENTRY_BY_PROBES);
  },
  down: async (knex) => {
    await knex.raw(POST_ENTRY_BY_JOIN);
  },
};

/**
 * `ledger.post_entries`: several entries in one call, set-based (redemption writes a group of baskets in one
 * transaction). Entry k has kind p_kinds[k], reference p_references[k]...; its lines are the positions of the
 * line arrays whose p_line_entries is k, numbered in array order. Missing accounts are created first, in code
 * order, as post_entry creates them. No idempotency key or reversal link (those go through post_entry).
 * Returns each entry's number (k) and id. Raises 23514 when an account is kept in another currency than its
 * entry; the deferred balance triggers check every entry at commit, as for post_entry.
 */
const postEntries: Migration = {
  name: 'ledger/20261206000300_post_entries',
  up: async (knex) => {
    await knex.raw(`
      create or replace function ledger.post_entries(
        p_kinds text[], p_references text[], p_actors text[], p_currencies text[], p_effective_dates date[],
        p_line_entries integer[], p_codes text[], p_sides text[], p_amounts bigint[],
        p_account_kinds text[], p_owner_types text[], p_owner_ids uuid[], p_purposes text[]
      ) returns table (entry_no integer, entry_id bigint)
      language plpgsql as $$
      declare
        v_wrong text;
      begin
        if exists (select 1 from unnest(p_codes) as c (code)
                    where not exists (select 1 from ledger.accounts a where a.code = c.code)) then
          insert into ledger.accounts (code, kind, owner_type, owner_id, purpose, currency)
          select distinct on (w.code) w.code, w.kind, w.owner_type, w.owner_id, w.purpose, p_currencies[w.entry_no]
            from unnest(p_line_entries, p_codes, p_account_kinds, p_owner_types, p_owner_ids, p_purposes)
                   as w (entry_no, code, kind, owner_type, owner_id, purpose)
           where not exists (select 1 from ledger.accounts a where a.code = w.code)
           order by w.code
          on conflict (code) do nothing;
        end if;
        select a.code into v_wrong
          from unnest(p_line_entries, p_codes) as l (entry_no, code)
          join ledger.accounts a on a.code = l.code
         where a.currency <> p_currencies[l.entry_no]
         limit 1;
        if v_wrong is not null then
          raise exception 'ledger account % is kept in another currency', v_wrong
            using errcode = '23514', constraint = 'entry_balanced';
        end if;
        return query
        with numbered as (
          select e.ord::integer as entry_no, ledger.next_entry_id() as id, e.kind, e.reference, e.actor, e.currency,
                 coalesce(e.effective_date, (now() at time zone 'Europe/Paris')::date) as effective_date
            from unnest(p_kinds, p_references, p_actors, p_currencies, p_effective_dates)
                   with ordinality as e (kind, reference, actor, currency, effective_date, ord)
        ), entries as (
          insert into ledger.entries (id, kind, reference, actor, currency, effective_date)
          select n.id, n.kind, n.reference, n.actor, n.currency, n.effective_date from numbered n
        ), lines as (
          insert into ledger.lines (entry_id, line_no, account_id, side, amount_cents)
          select n.id, row_number() over (partition by l.entry_no order by l.ord), a.id, l.side, l.amount
            from unnest(p_line_entries, p_codes, p_sides, p_amounts) with ordinality as l (entry_no, code, side, amount, ord)
            join numbered n on n.entry_no = l.entry_no
            join ledger.accounts a on a.code = l.code
        )
        select n.entry_no, n.id from numbered n order by n.entry_no;
      end $$;
    `);
  },
  down: async (knex) => {
    await knex.raw(`
      drop function if exists ledger.post_entries(text[], text[], text[], text[], date[], integer[], text[], text[],
        bigint[], text[], text[], uuid[], text[]);
    `);
  },
};

/** The ledger's migrations, in order. */
export const ledgerMigrations: Migration[] = [createLedger, createSeals, postEntryByProbes, postEntries];
