import { recordAudit } from '@pass/audit';
import { BadRequestError } from '@pass/errors';
import type { Knex } from 'knex';
import { type Actor, userIdOf } from '../shared/actor';
import {
  exportVenueOpenData,
  type OpenDataFormat,
  parseVenueOpenData,
  VenueOpenDataFormatError,
  type VenueOpenDataParseResult,
} from '../venues-open-data';
import { PostgresVenueStore, type VenueFilter } from '../venues/postgres-venue-store';
import type { Venue } from '../venues/venue';
import { toVenueForExport } from './venue-export';
import { importKeyOf, keyString, planVenueImport } from './venue-import-plan';
import { summarize, type VenueImportReport } from './venue-import-report';

export interface VenueImportRequest {
  content: string;
  format: OpenDataFormat;
  /** Forces the source of every row (the re-import key is source + id); else each row's `source` column. */
  source?: string | undefined;
  dryRun: boolean;
}

/** Parses an open-data file; a file that is not a table at all is a 400 with the parser's code. */
export function parseVenueFile(content: string, format: OpenDataFormat): VenueOpenDataParseResult {
  try {
    return parseVenueOpenData(content, format);
  } catch (err) {
    if (err instanceof VenueOpenDataFormatError)
      throw new BadRequestError(err.code, err.message, { cause: err });
    throw err;
  }
}

// One import at a time: two imports of the same file would otherwise both insert the same new keys.
const IMPORT_LOCK = 'registry.venue_import';

/**
 * Imports venues from the national open-data standard (v0.1 or v1.x, CSV or JSON). A dry run reports what
 * would happen row by row; a confirmed import applies the same plan in one transaction and is idempotent:
 * the same (source, id) updates the venue it created, and an identical file changes nothing.
 */
export class VenueImportService {
  private readonly venues = new PostgresVenueStore();

  constructor(private readonly knex: Knex) {}

  async run(
    actor: Actor,
    request: VenueImportRequest,
    now: Date,
    requestId?: string,
  ): Promise<VenueImportReport> {
    return this.runParsed(actor, parseVenueFile(request.content, request.format), request, now, requestId);
  }

  /** The same with an already parsed file (the demo seed parses the reference file once per process). */
  async runParsed(
    actor: Actor,
    parsed: VenueOpenDataParseResult,
    request: Omit<VenueImportRequest, 'content'>,
    now: Date,
    requestId?: string,
  ): Promise<VenueImportReport> {
    const keys = parsed.rows.flatMap((row) => {
      if (!row.venue) return [];
      const key = importKeyOf(row.venue, request.source);
      return [[key.source, key.sourceId] as const];
    });
    const report = (plan: ReturnType<typeof planVenueImport>): VenueImportReport => ({
      dryRun: request.dryRun,
      format: request.format,
      schemaVersion: plan.schemaVersion,
      source: request.source ?? null,
      fileWarnings: parsed.warnings.map((w) => ({ code: w.code, field: w.field, message: w.message })),
      summary: summarize(plan.rows),
      rows: plan.rows,
    });
    if (request.dryRun) {
      const existing = await this.existingByKey(this.knex, keys);
      return report(planVenueImport(parsed, existing, request));
    }
    return this.knex.transaction(async (trx) => {
      await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [IMPORT_LOCK]);
      // Planned again inside the transaction, under the lock: the dry run may be stale.
      const existing = await this.existingByKey(trx, keys);
      const plan = planVenueImport(parsed, existing, request);
      const idByKey = new Map<string, string>();
      const inserts = plan.writes.flatMap((write) => (write.kind === 'insert' ? [write] : []));
      const ids = await this.venues.insertMany(
        trx,
        inserts.map((write) => write.venue),
        now,
      );
      for (const [index, write] of inserts.entries()) idByKey.set(write.key, ids[index]!);
      const actorId = userIdOf(actor) ?? null;
      await this.venues.insertAccreditationEvents(
        trx,
        inserts.map((write, index) => ({
          venueId: ids[index]!,
          from: null,
          to: write.venue.accreditationStatus,
          reason: 'Import open data',
          actorId,
          at: now,
        })),
      );
      // One audit row per venue, so "who created this venue" is a search by target.
      for (const [index, write] of inserts.entries()) {
        await recordAudit(trx, {
          actor,
          action: 'venue.imported',
          targetType: 'venue',
          targetId: ids[index]!,
          organisationId: null,
          summary: {
            source: write.venue.source,
            sourceId: write.venue.sourceId,
            status: write.venue.accreditationStatus,
            warnings: write.venue.warnings.map((w) => w.code),
          },
          requestId,
          at: now,
        });
      }
      for (const write of plan.writes) {
        if (write.kind !== 'update') continue;
        idByKey.set(write.key, write.venue.id);
        await this.venues.update(trx, write.venue, now);
        if (write.from.accreditationStatus !== write.venue.accreditationStatus) {
          await this.venues.insertAccreditationEvent(trx, {
            venueId: write.venue.id,
            from: write.from.accreditationStatus,
            to: write.venue.accreditationStatus,
            reason: 'Import open data: the venue accepts the Pass numérique',
            actorId,
            at: now,
          });
        }
        await recordAudit(trx, {
          actor,
          action: 'venue.reimported',
          targetType: 'venue',
          targetId: write.venue.id,
          organisationId: write.venue.associationId,
          summary: {
            source: write.venue.source,
            sourceId: write.venue.sourceId,
            changedFields: write.changedFields,
          },
          requestId,
          at: now,
        });
      }
      const keyByRow = new Map(
        plan.writes.flatMap((write) => write.rowNumbers.map((n) => [n, write.key] as const)),
      );
      for (const row of plan.rows) {
        if (row.outcome === 'rejected' || row.venueId) continue;
        const key = keyByRow.get(row.rowNumber);
        row.venueId = key ? (idByKey.get(key) ?? null) : null;
      }
      const applied = report(plan);
      await recordAudit(trx, {
        actor,
        action: 'venue_import.applied',
        targetType: 'venue_import',
        targetId: null,
        organisationId: null,
        summary: {
          format: request.format,
          schemaVersion: plan.schemaVersion,
          source: request.source ?? null,
          ...applied.summary,
        },
        requestId,
        at: now,
      });
      return applied;
    });
  }

  /** Venues matching the filter in the national standard, v1.x columns. */
  async exportVenues(filter: VenueFilter, format: OpenDataFormat, operatorName: string): Promise<string> {
    const venues = await this.venues.listAll(this.knex, filter);
    return exportVenueOpenData(
      venues.map((venue) => toVenueForExport(venue, operatorName)),
      format,
    );
  }

  private async existingByKey(db: Knex | Knex.Transaction, keys: readonly (readonly [string, string])[]) {
    const venues = await this.venues.findBySourceKeys(db, keys);
    return new Map<string, Venue>(
      venues.map((venue) => [keyString({ source: venue.source!, sourceId: venue.sourceId! }), venue]),
    );
  }
}
