import { recordAudit } from '@pass/audit';
import type { Principal } from '@pass/auth';
import { ConflictError, NotFoundError } from '@pass/errors';
import { decodeCursor, encodeCursor, type Page } from '@pass/http';
import type { Knex } from 'knex';
import type { FraudFlagKind, FraudFlagStatus } from './fraud-flag';
import type { FraudFlag, PostgresFraudFlagStore } from './postgres-fraud-flag-store';

/** A flag as the API shows it. */
export interface FraudFlagJson {
  id: string;
  kind: FraudFlagKind;
  status: FraudFlagStatus;
  venueId: string | null;
  associationId: string | null;
  voucherId: string | null;
  redemptionId: string | null;
  details: Record<string, unknown>;
  occurrences: number;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
}

function toJson(flag: FraudFlag): FraudFlagJson {
  return {
    id: flag.id,
    kind: flag.kind,
    status: flag.status,
    venueId: flag.venueId,
    associationId: flag.associationId,
    voucherId: flag.voucherId,
    redemptionId: flag.redemptionId,
    details: flag.details,
    occurrences: flag.occurrences,
    firstSeenAt: flag.firstSeenAt.toISOString(),
    lastSeenAt: flag.lastSeenAt.toISOString(),
    resolvedAt: flag.resolvedAt?.toISOString() ?? null,
    resolvedBy: flag.resolvedBy,
    resolutionNote: flag.resolutionNote,
  };
}

/** Operators' review of fraud flags: list, then confirm or dismiss each one (audited). */
export class FraudFlagService {
  constructor(
    private readonly knex: Knex,
    private readonly store: PostgresFraudFlagStore,
    private readonly clock: () => Date,
  ) {}

  async list(query: {
    status?: FraudFlagStatus | undefined;
    kind?: FraudFlagKind | undefined;
    venueId?: string | undefined;
    cursor?: string | undefined;
    limit: number;
  }): Promise<Page<FraudFlagJson>> {
    const before = query.cursor ? decodeCursor(query.cursor, 2) : undefined;
    const rows = await this.store.list(this.knex, {
      status: query.status,
      kind: query.kind,
      venueId: query.venueId,
      before: before ? { lastSeenAt: before[0]!, id: before[1]! } : undefined,
      limit: query.limit + 1,
    });
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toJson),
      nextCursor:
        rows.length > query.limit && last ? encodeCursor([last.lastSeenAt.toISOString(), last.id]) : null,
    };
  }

  async resolve(
    principal: Principal,
    id: string,
    input: { outcome: 'confirmed' | 'dismissed'; note?: string | undefined },
    requestId?: string,
  ): Promise<FraudFlagJson> {
    const now = this.clock();
    return this.knex.transaction(async (trx) => {
      const resolved = await this.store.resolve(trx, id, {
        status: input.outcome,
        at: now,
        by: principal.subjectId,
        note: input.note ?? null,
      });
      if (!resolved) {
        const existing = await this.store.get(trx, id);
        if (!existing) throw new NotFoundError('fraud_flag_not_found', 'No such fraud flag.');
        throw new ConflictError('fraud_flag_already_resolved', 'This flag is already resolved.');
      }
      await recordAudit(trx, {
        actor: principal,
        action: `fraud_flag.${input.outcome}`,
        targetType: 'fraud_flag',
        targetId: id,
        summary: { kind: resolved.kind, note: input.note ?? null },
        requestId,
        at: now,
      });
      return toJson(resolved);
    });
  }
}
