import type { Principal } from '@pass/auth';
import { appendOnlySql, type Db, dropAppendOnlySql, type Migration } from '@pass/db';

/** One audited mutation. `summary` says what changed (never a secret: no codes, tokens or full IBANs). */
export interface AuditEntry {
  actor: Principal | { kind: 'system'; subjectId: string } | undefined;
  action: string;
  targetType: string;
  targetId: string | null;
  summary?: Record<string, unknown>;
  requestId?: string | undefined;
  /** Organisation the change belongs to, for tenant-scoped reading (defaults to the actor's). */
  organisationId?: string | null;
  at: Date;
}

export interface AuditRecord {
  id: string;
  at: string;
  actorKind: string;
  actorId: string | null;
  actorRole: string | null;
  organisationId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  summary: Record<string, unknown>;
  requestId: string | null;
}

/** Writes an audit row in the caller's transaction, so the audit and the change commit together. */
export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  const actor = entry.actor;
  const isPrincipal = actor !== undefined && actor.kind !== 'system';
  await db('platform.audit_log').insert({
    at: entry.at,
    actor_kind: actor?.kind ?? 'anonymous',
    actor_id: actor?.subjectId ?? null,
    actor_role: isPrincipal ? (actor as Principal).role : null,
    organisation_id: entry.organisationId ?? (isPrincipal ? (actor as Principal).organisationId : null),
    action: entry.action,
    target_type: entry.targetType,
    target_id: entry.targetId,
    summary: JSON.stringify(entry.summary ?? {}),
    request_id: entry.requestId ?? null,
  });
}

export interface AuditSearch {
  action?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  actorId?: string | undefined;
  organisationId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Keyset position: rows with id below this. */
  beforeId?: string | undefined;
  limit: number;
}

interface DbAuditRow {
  id: string;
  at: Date;
  actor_kind: string;
  actor_id: string | null;
  actor_role: string | null;
  organisation_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  summary: Record<string, unknown> | string;
  request_id: string | null;
}

function fromRow(row: DbAuditRow): AuditRecord {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actorKind: row.actor_kind,
    actorId: row.actor_id,
    actorRole: row.actor_role,
    organisationId: row.organisation_id,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    summary: typeof row.summary === 'string' ? JSON.parse(row.summary) : row.summary,
    requestId: row.request_id,
  };
}

/** Newest first, filtered, keyset-paginated by id. */
export async function searchAudit(db: Db, search: AuditSearch): Promise<AuditRecord[]> {
  const query = db<DbAuditRow>('platform.audit_log').orderBy('id', 'desc').limit(search.limit);
  if (search.action) query.where('action', search.action);
  if (search.targetType) query.where('target_type', search.targetType);
  if (search.targetId) query.where('target_id', search.targetId);
  if (search.actorId) query.where('actor_id', search.actorId);
  if (search.organisationId) query.where('organisation_id', search.organisationId);
  if (search.from) query.where('at', '>=', search.from);
  if (search.to) query.where('at', '<', search.to);
  if (search.beforeId) query.where('id', '<', search.beforeId);
  return (await query.select()).map(fromRow);
}

export const auditMigrations: Migration[] = [
  {
    name: 'audit/20261122000200_audit_log',
    up: async (knex) => {
      await knex.raw(`
        create schema if not exists platform;
        create table platform.audit_log (
          id bigserial primary key,
          at timestamptz not null,
          actor_kind text not null,
          actor_id text,
          actor_role text,
          organisation_id uuid,
          action text not null,
          target_type text not null,
          target_id text,
          summary jsonb not null default '{}',
          request_id text
        );
        comment on table platform.audit_log is 'Every mutation: who, as what, in which organisation, did what to what. Append-only.';
        create index audit_log_target on platform.audit_log (target_type, target_id);
        create index audit_log_org on platform.audit_log (organisation_id, id);
        create index audit_log_action on platform.audit_log (action, id);
        ${appendOnlySql('platform', 'audit_log')}
      `);
    },
    down: async (knex) => {
      await knex.raw(
        `${dropAppendOnlySql('platform', 'audit_log')} drop table if exists platform.audit_log;`,
      );
    },
  },
];
