import type { Db } from '@pass/db';
import type { Page } from '@pass/http';
import { escapeLike } from '../shared/escape-like';
import { fetchKeysetPage } from '../shared/keyset-page';
import type { PageRequest } from '../shared/list-response';
import {
  type AccreditationStatus,
  EMPTY_DETAILS,
  type Venue,
  type VenueDetails,
  type VenueWarning,
} from './venue';

export interface DbVenueRow {
  id: string;
  association_id: string | null;
  name: string;
  street: string | null;
  complement: string | null;
  postcode: string | null;
  commune: string | null;
  insee_code: string | null;
  latitude: string | null;
  longitude: string | null;
  opening_hours: string | null;
  opening_hours_valid: boolean;
  itinerant: boolean;
  accessibility_url: string | null;
  contact_name: string | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  siret: string | null;
  rna: string | null;
  services: string[];
  publics: string[];
  details: VenueDetails | string;
  warnings: VenueWarning[] | string;
  accepts_pass: boolean;
  accreditation_status: AccreditationStatus;
  source: string | null;
  source_id: string | null;
  source_updated_at: string | null;
  created_at: Date;
  updated_at: Date;
}

const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

export function venueFromRow(row: DbVenueRow): Venue {
  return {
    id: row.id,
    associationId: row.association_id,
    name: row.name,
    street: row.street,
    complement: row.complement,
    postcode: row.postcode,
    commune: row.commune,
    inseeCode: row.insee_code,
    latitude: row.latitude === null ? null : Number(row.latitude),
    longitude: row.longitude === null ? null : Number(row.longitude),
    openingHours: row.opening_hours,
    openingHoursValid: row.opening_hours_valid,
    itinerant: row.itinerant,
    accessibilityUrl: row.accessibility_url,
    contactName: row.contact_name,
    phone: row.phone,
    email: row.email,
    website: row.website,
    siret: row.siret,
    rna: row.rna,
    services: row.services,
    publics: row.publics,
    details: { ...EMPTY_DETAILS, ...json(row.details) },
    warnings: json(row.warnings),
    acceptsPass: row.accepts_pass,
    accreditationStatus: row.accreditation_status,
    source: row.source,
    sourceId: row.source_id,
    sourceUpdatedAt: row.source_updated_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export type NewVenue = Omit<Venue, 'id' | 'createdAt' | 'updatedAt'>;

export function venueToRow(venue: NewVenue): Record<string, unknown> {
  return {
    association_id: venue.associationId,
    name: venue.name,
    street: venue.street,
    complement: venue.complement,
    postcode: venue.postcode,
    commune: venue.commune,
    insee_code: venue.inseeCode,
    latitude: venue.latitude === null ? null : venue.latitude.toFixed(6),
    longitude: venue.longitude === null ? null : venue.longitude.toFixed(6),
    opening_hours: venue.openingHours,
    opening_hours_valid: venue.openingHoursValid,
    itinerant: venue.itinerant,
    accessibility_url: venue.accessibilityUrl,
    contact_name: venue.contactName,
    phone: venue.phone,
    email: venue.email,
    website: venue.website,
    siret: venue.siret,
    rna: venue.rna,
    services: venue.services,
    publics: venue.publics,
    details: JSON.stringify(venue.details),
    warnings: JSON.stringify(venue.warnings),
    accepts_pass: venue.acceptsPass,
    accreditation_status: venue.accreditationStatus,
    source: venue.source,
    source_id: venue.sourceId,
    source_updated_at: venue.sourceUpdatedAt,
  };
}

export interface VenueFilter {
  /** Tenant scoping: the venues of one association. */
  associationId?: string | undefined;
  /** Tenant scoping of a venue agent: one venue. */
  venueId?: string | undefined;
  status?: AccreditationStatus | undefined;
  acceptsPass?: boolean | undefined;
  /** Venues no association has taken yet (imported from open data). */
  unattached?: boolean | undefined;
  postcode?: string | undefined;
  inseeCode?: string | undefined;
  source?: string | undefined;
  q?: string | undefined;
}

export interface AccreditationEventRow {
  id: string;
  venue_id: string;
  from_status: AccreditationStatus | null;
  to_status: AccreditationStatus;
  reason: string | null;
  actor_id: string | null;
  at: Date;
}

export class PostgresVenueStore {
  async findById(db: Db, id: string, options: { forUpdate?: boolean } = {}): Promise<Venue | undefined> {
    const query = db('registry.venues').where({ id });
    if (options.forUpdate) query.forUpdate();
    const row = (await query.first()) as DbVenueRow | undefined;
    return row ? venueFromRow(row) : undefined;
  }

  async insert(db: Db, venue: NewVenue, now: Date): Promise<Venue> {
    const [row] = await db('registry.venues')
      .insert({ ...venueToRow(venue), created_at: now, updated_at: now })
      .returning<DbVenueRow[]>('*');
    return venueFromRow(row!);
  }

  /** Inserts many venues in one statement per chunk; returns the new ids in input order. */
  async insertMany(db: Db, venues: readonly NewVenue[], now: Date): Promise<string[]> {
    const ids: string[] = [];
    for (let start = 0; start < venues.length; start += 500) {
      const chunk = venues
        .slice(start, start + 500)
        .map((venue) => ({ ...venueToRow(venue), created_at: now, updated_at: now }));
      // INSERT … RETURNING gives rows back in the order of the VALUES list.
      const rows = await db('registry.venues').insert(chunk).returning<{ id: string }[]>('id');
      ids.push(...rows.map((row) => row.id));
    }
    return ids;
  }

  async update(db: Db, venue: Venue, now: Date): Promise<Venue> {
    const [row] = await db('registry.venues')
      .where({ id: venue.id })
      .update({ ...venueToRow(venue), updated_at: now })
      .returning<DbVenueRow[]>('*');
    return venueFromRow(row!);
  }

  async list(db: Db, filter: VenueFilter, page: PageRequest): Promise<Page<Venue>> {
    const query = this.filtered(db, filter).select('*');
    const result = await fetchKeysetPage<DbVenueRow>(query, page, { sort: 'name', id: 'id' }, (row) => [
      row.name,
      row.id,
    ]);
    return { items: result.items.map(venueFromRow), nextCursor: result.nextCursor };
  }

  /** Every venue matching the filter, by name (open-data export). */
  async listAll(db: Db, filter: VenueFilter): Promise<Venue[]> {
    const rows = (await this.filtered(db, filter).select('*').orderBy(['name', 'id'])) as DbVenueRow[];
    return rows.map(venueFromRow);
  }

  /** Venues already imported under these (source, source id) keys. */
  async findBySourceKeys(db: Db, keys: readonly (readonly [string, string])[]): Promise<Venue[]> {
    const venues: Venue[] = [];
    for (let start = 0; start < keys.length; start += 1000) {
      const chunk = keys.slice(start, start + 1000).map(([source, sourceId]) => [source, sourceId]);
      const rows = (await db('registry.venues')
        .whereIn(['source', 'source_id'], chunk)
        .select('*')) as DbVenueRow[];
      venues.push(...rows.map(venueFromRow));
    }
    return venues;
  }

  async associationExists(db: Db, associationId: string): Promise<boolean> {
    return !!(await db('registry.associations')
      .where({ organisation_id: associationId })
      .first('organisation_id'));
  }

  async insertAccreditationEvent(
    db: Db,
    event: {
      venueId: string;
      from: AccreditationStatus | null;
      to: AccreditationStatus;
      reason: string | null;
      actorId: string | null;
      at: Date;
    },
  ): Promise<void> {
    await db('registry.accreditation_events').insert({
      venue_id: event.venueId,
      from_status: event.from,
      to_status: event.to,
      reason: event.reason,
      actor_id: event.actorId,
      at: event.at,
    });
  }

  async insertAccreditationEvents(
    db: Db,
    events: readonly {
      venueId: string;
      from: AccreditationStatus | null;
      to: AccreditationStatus;
      reason: string | null;
      actorId: string | null;
      at: Date;
    }[],
  ): Promise<void> {
    for (let start = 0; start < events.length; start += 1000) {
      await db('registry.accreditation_events').insert(
        events.slice(start, start + 1000).map((event) => ({
          venue_id: event.venueId,
          from_status: event.from,
          to_status: event.to,
          reason: event.reason,
          actor_id: event.actorId,
          at: event.at,
        })),
      );
    }
  }

  async listAccreditationEvents(db: Db, venueId: string): Promise<AccreditationEventRow[]> {
    return (await db('registry.accreditation_events')
      .where({ venue_id: venueId })
      .orderBy('id')) as AccreditationEventRow[];
  }

  private filtered(db: Db, filter: VenueFilter) {
    const query = db('registry.venues');
    if (filter.associationId) query.where('association_id', filter.associationId);
    if (filter.venueId) query.where('id', filter.venueId);
    if (filter.status) query.where('accreditation_status', filter.status);
    if (filter.acceptsPass !== undefined) query.where('accepts_pass', filter.acceptsPass);
    if (filter.unattached) query.whereNull('association_id');
    if (filter.postcode) query.where('postcode', filter.postcode);
    if (filter.inseeCode) query.where('insee_code', filter.inseeCode);
    if (filter.source) query.where('source', filter.source);
    if (filter.q) {
      const like = `%${escapeLike(filter.q)}%`;
      query.where((q) => q.whereILike('name', like).orWhereILike('commune', like));
    }
    return query;
  }
}
