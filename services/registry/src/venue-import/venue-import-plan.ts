import { createHash } from 'node:crypto';
import { fold } from '@pass/territory';
import type {
  NormalizedVenue,
  SchemaVersion,
  VenueImportRow,
  VenueOpenDataParseResult,
} from '../venues-open-data';
import type { NewVenue } from '../venues/postgres-venue-store';
import type { AccreditationStatus, Venue, VenueFields, VenueWarning } from '../venues/venue';
import { inseeFields, roundCoordinate } from '../venues/venue-input';

export type ImportOutcome = 'created' | 'updated' | 'unchanged' | 'rejected';

/** What happened (or, in a dry run, would happen) to one row of the file. */
export interface ImportRowReport {
  rowNumber: number;
  /** CSV only: the file line where the row starts. */
  line: number | null;
  sourceId: string | null;
  name: string | null;
  outcome: ImportOutcome;
  /** Null for a row created in a dry run, or rejected. */
  venueId: string | null;
  acceptsPass: boolean;
  /** Accreditation status after the import. */
  status: AccreditationStatus | null;
  /** Fields an update changes. */
  changedFields: string[];
  warnings: VenueWarning[];
  errors: VenueWarning[];
}

/** The write a key needs, in its final state (a file may mention the same venue twice). */
export type PlannedWrite =
  | { kind: 'insert'; key: string; venue: NewVenue; rowNumbers: number[] }
  | { kind: 'update'; key: string; venue: Venue; from: Venue; changedFields: string[]; rowNumbers: number[] };

export interface ImportPlan {
  schemaVersion: SchemaVersion;
  rows: ImportRowReport[];
  writes: PlannedWrite[];
}

/** The descriptive fields an import owns: they are compared to decide between updated and unchanged. */
export const IMPORTED_FIELDS = [
  'name',
  'street',
  'complement',
  'postcode',
  'commune',
  'inseeCode',
  'latitude',
  'longitude',
  'openingHours',
  'openingHoursValid',
  'itinerant',
  'accessibilityUrl',
  'phone',
  'email',
  'website',
  'siret',
  'rna',
  'services',
  'publics',
  'acceptsPass',
  'details',
  'warnings',
  'sourceUpdatedAt',
] as const satisfies readonly (keyof Venue)[];

/** Used when neither the request nor the row names who collected the data. */
export const DEFAULT_SOURCE = 'open-data';

/**
 * The re-import key of a row: its source (the request's, else the row's `source` column) and its id. A row
 * without an id gets a stable id derived from its name and address, so that re-importing the same file
 * updates it instead of duplicating it.
 */
export function importKeyOf(
  venue: NormalizedVenue,
  sourceOverride?: string,
): { source: string; sourceId: string } {
  const source = sourceOverride?.trim() || venue.source?.trim() || DEFAULT_SOURCE;
  if (venue.sourceId) return { source, sourceId: venue.sourceId };
  const basis = [venue.name, venue.address ?? '', venue.postcode ?? '', venue.commune ?? '']
    .map(fold)
    .join('|');
  return { source, sourceId: `derived-${createHash('sha256').update(basis).digest('hex').slice(0, 16)}` };
}

export const keyString = (key: { source: string; sourceId: string }) => `${key.source}\u0000${key.sourceId}`;

function warningsOf(row: VenueImportRow, inseeWarnings: VenueWarning[], derivedId: boolean): VenueWarning[] {
  const kept: VenueWarning[] = row.warnings
    .filter((issue) => issue.code !== 'missing_insee_code' || inseeWarnings.length === 0)
    .filter((issue) => issue.code !== 'missing_source_id' || !derivedId)
    .map((issue) => ({ code: issue.code, field: issue.field, message: issue.message }));
  if (derivedId) {
    kept.push({
      code: 'source_id_derived',
      field: 'id',
      message:
        'No id in the file: the venue is keyed on its name and address, so a re-import updates it unless those change',
    });
  }
  return [...kept, ...inseeWarnings];
}

function inseeOf(
  venue: NormalizedVenue,
  existing: Venue | undefined,
): { inseeCode: string | null; warnings: VenueWarning[] } {
  const found = inseeFields(venue.inseeCode, venue.postcode, venue.commune);
  if (found.inseeCode || !existing?.inseeCode) return found;
  // Nothing in the file and nothing found: a code someone set by hand is better than none.
  return {
    inseeCode: existing.inseeCode,
    warnings: [
      {
        code: 'insee_code_kept',
        field: 'code_insee',
        message: `No INSEE code in the file and none found: the code already set (${existing.inseeCode}) is kept`,
      },
    ],
  };
}

/** The venue fields an open-data row sets; fields the standard has no column for are left to the caller. */
export function importedFields(
  row: VenueImportRow & { venue: NormalizedVenue },
  existing: Venue | undefined,
  derivedId: boolean,
): Pick<VenueFields, (typeof IMPORTED_FIELDS)[number] & keyof VenueFields> & {
  sourceUpdatedAt: string | null;
} {
  const venue = row.venue;
  const insee = inseeOf(venue, existing);
  return {
    name: venue.name,
    street: venue.address,
    complement: venue.complement,
    postcode: venue.postcode,
    commune: venue.commune,
    inseeCode: insee.inseeCode,
    latitude: roundCoordinate(venue.latitude),
    longitude: roundCoordinate(venue.longitude),
    openingHours: venue.openingHours,
    openingHoursValid: venue.openingHoursValid,
    itinerant: venue.itinerant,
    accessibilityUrl: venue.accessibilityUrl,
    phone: venue.phone,
    email: venue.emails[0] ?? null,
    website: venue.websites[0] ?? null,
    siret: venue.siret,
    rna: venue.rna,
    services: [...venue.services],
    publics: [...venue.publics],
    acceptsPass: venue.acceptsPassNumerique,
    details: {
      emails: [...venue.emails],
      websites: [...venue.websites],
      specificSupport: [...venue.specificSupport],
      fees: [...venue.fees],
      supportModes: [...venue.supportModes],
      accessModes: [...venue.accessModes],
      nationalPrograms: [...venue.nationalPrograms],
      trainingLabels: [...venue.trainingLabels],
      otherLabels: [...venue.otherLabels],
      typologies: [...venue.typologies],
      summary: venue.summary,
      description: venue.description,
      parentOrganisation: venue.parentOrganisation,
      appointmentUrl: venue.appointmentUrl,
      rawPivot: venue.rawPivot,
    },
    warnings: warningsOf(row, insee.warnings, derivedId),
    sourceUpdatedAt: venue.updatedAt,
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Decides, row by row, what an import does: a row that cannot be a venue is rejected (with the parser's
 * reasons); a new key is created — `applied` when the venue accepts the Pass numérique (ready for
 * accreditation), `listed` otherwise; a known key is updated when an imported field differs, unchanged
 * otherwise. Only open-data fields change: the association, the accreditation (except listed → applied when a
 * venue starts accepting the pass), the catalogue and the contact name stay as they are. Pure: `existing`
 * holds the venues already stored under the file's keys.
 */
export function planVenueImport(
  parsed: VenueOpenDataParseResult,
  existing: ReadonlyMap<string, Venue>,
  options: { source?: string | undefined } = {},
): ImportPlan {
  const rows: ImportRowReport[] = [];
  const writes = new Map<string, PlannedWrite>();
  for (const row of parsed.rows) {
    const base = { rowNumber: row.rowNumber, line: row.line ?? null, sourceId: row.sourceId };
    if (row.outcome === 'rejected' || !row.venue) {
      rows.push({
        ...base,
        name: null,
        outcome: 'rejected',
        venueId: null,
        acceptsPass: false,
        status: null,
        changedFields: [],
        warnings: row.warnings.map((w) => ({ code: w.code, field: w.field, message: w.message })),
        errors: row.errors.map((e) => ({ code: e.code, field: e.field, message: e.message })),
      });
      continue;
    }
    const key = importKeyOf(row.venue, options.source);
    const k = keyString(key);
    const planned = writes.get(k);
    const prior: Venue | NewVenue | undefined = planned ? planned.venue : existing.get(k);
    const stored = existing.get(k);
    const fields = importedFields(
      row as VenueImportRow & { venue: NormalizedVenue },
      stored,
      !row.venue.sourceId,
    );
    if (!prior) {
      const status: AccreditationStatus = fields.acceptsPass ? 'applied' : 'listed';
      const venue: NewVenue = {
        ...fields,
        contactName: null,
        associationId: null,
        accreditationStatus: status,
        source: key.source,
        sourceId: key.sourceId,
      };
      writes.set(k, { kind: 'insert', key: k, venue, rowNumbers: [row.rowNumber] });
      rows.push({
        ...base,
        name: venue.name,
        outcome: 'created',
        venueId: null,
        acceptsPass: venue.acceptsPass,
        status,
        changedFields: [],
        warnings: fields.warnings,
        errors: [],
      });
      continue;
    }
    const status: AccreditationStatus =
      prior.accreditationStatus === 'listed' && fields.acceptsPass ? 'applied' : prior.accreditationStatus;
    const changedFields: string[] = IMPORTED_FIELDS.filter((field) => !same(prior[field], fields[field]));
    if (status !== prior.accreditationStatus) changedFields.push('accreditationStatus');
    const outcome: ImportOutcome = changedFields.length > 0 ? 'updated' : 'unchanged';
    if (planned?.kind === 'insert') {
      planned.venue = { ...planned.venue, ...fields, accreditationStatus: status };
      planned.rowNumbers.push(row.rowNumber);
    } else if (planned?.kind === 'update') {
      planned.venue = { ...planned.venue, ...fields, accreditationStatus: status };
      planned.changedFields = [...new Set([...planned.changedFields, ...changedFields])];
      planned.rowNumbers.push(row.rowNumber);
    } else if (outcome === 'updated' && stored) {
      writes.set(k, {
        kind: 'update',
        key: k,
        venue: { ...stored, ...fields, accreditationStatus: status },
        from: stored,
        changedFields,
        rowNumbers: [row.rowNumber],
      });
    }
    rows.push({
      ...base,
      name: fields.name,
      outcome,
      venueId: stored?.id ?? null,
      acceptsPass: fields.acceptsPass,
      status,
      changedFields,
      warnings: fields.warnings,
      errors: [],
    });
  }
  return { schemaVersion: parsed.schemaVersion, rows, writes: [...writes.values()] };
}
