import type { Migration } from '@pass/db';

/** The `platform` schema: cross-cutting tables (outbox, idempotency keys). */
export const platformMigrations: Migration[] = [
  {
    name: 'platform/20261122000100_outbox_and_idempotency',
    up: async (knex) => {
      await knex.raw(`
        create schema if not exists platform;
        create table platform.outbox (
          id bigserial primary key,
          job_name text not null,
          payload jsonb not null,
          job_id text,
          available_at timestamptz not null default now(),
          created_at timestamptz not null default now(),
          relayed_at timestamptz
        );
        comment on table platform.outbox is 'Side effects written in the business transaction, relayed to the job queue after commit.';
        create index outbox_pending on platform.outbox (id) where relayed_at is null;
        create table platform.idempotency_keys (
          scope text not null,
          key text not null,
          request_hash text not null,
          response_status integer not null,
          response_body jsonb not null,
          created_at timestamptz not null default now(),
          primary key (scope, key)
        );
        comment on column platform.idempotency_keys.scope is 'Who used the key (user, device or venue id): keys never collide across callers.';
        comment on column platform.idempotency_keys.request_hash is 'SHA-256 of the canonical request; another body with the same key is refused (422).';
      `);
    },
    down: async (knex) => {
      await knex.raw('drop schema if exists platform cascade');
    },
  },
];
