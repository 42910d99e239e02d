import type { ServiceSlug } from './service-categories';
import type { Fee } from './venue-vocabularies';

export type SchemaVersion = '0.1' | '1.x';
export type OpenDataFormat = 'csv' | 'json';

/** Codes that reject a row: it cannot be a venue. */
export type RejectionCode = 'missing_name' | 'missing_location';

/** Codes that keep the row but tell the operator what was repaired, guessed or left out. */
export type WarningCode =
  | 'missing_source_id'
  | 'duplicate_source_id'
  | 'column_count_mismatch'
  | 'missing_siret'
  | 'siret_all_zeros'
  | 'invalid_siret'
  | 'pivot_is_siren'
  | 'unrecognised_pivot'
  | 'postcode_zero_restored'
  | 'invalid_postcode'
  | 'missing_insee_code'
  | 'insee_code_zero_restored'
  | 'invalid_insee_code'
  | 'invalid_coordinates'
  | 'phone_reformatted'
  | 'phone_repaired'
  | 'invalid_phone'
  | 'extra_phone_numbers'
  | 'invalid_email'
  | 'opening_hours_corrected'
  | 'opening_hours_doubtful'
  | 'opening_hours_unparseable'
  | 'missing_services'
  | 'unknown_service'
  | 'unknown_value'
  | 'invalid_date'
  | 'placeholder_date'
  | 'pass_numerique_inferred';

/** File-level remarks (not tied to a row). */
export type FileWarningCode = 'unknown_columns' | 'missing_columns' | 'schema_version_guessed';

export type IssueCode = RejectionCode | WarningCode | FileWarningCode;

/** One finding about a row or a file: stable `code` to branch on, the column it concerns, an English message. */
export type Issue = { code: IssueCode; field?: string; message: string };

/** A venue read from an open-data file, in our vocabulary (v1.x labels, service slugs). */
export type NormalizedVenue = {
  /** The producer's own identifier (`id` column): with `source`, the key that makes re-imports update. */
  sourceId: string | null;
  name: string;
  /** Valid SIRET only; an all-zero or invalid pivot becomes null with a warning. */
  siret: string | null;
  /** RNA number when the pivot holds one instead of a SIRET (allowed from v1.x). */
  rna: string | null;
  /** The pivot exactly as the file wrote it, for audit. */
  rawPivot: string | null;
  address: string | null;
  complement: string | null;
  postcode: string | null;
  commune: string | null;
  inseeCode: string | null;
  /** WGS84 degrees. Coordinates are not money: numbers are exact enough (and round-trip as text). */
  latitude: number | null;
  longitude: number | null;
  /** E.164 when it could be normalised, otherwise the raw text (with a warning). */
  phone: string | null;
  emails: string[];
  websites: string[];
  /** Canonical OSM opening_hours when valid, otherwise the raw text (with a warning). */
  openingHours: string | null;
  /** True only when `openingHours` is present and parses as OSM opening_hours. */
  openingHoursValid: boolean;
  services: ServiceSlug[];
  /** v1.x `publics_specifiquement_adresses` labels. */
  publics: string[];
  /** v1.x `prise_en_charge_specifique` labels. */
  specificSupport: string[];
  fees: Fee[];
  /** v1.x `modalites_accompagnement` labels. */
  supportModes: string[];
  /** v1.x `modalites_acces` labels. */
  accessModes: string[];
  /** v1.x `dispositif_programmes_nationaux` labels. */
  nationalPrograms: string[];
  /** v1.x `formations_labels` labels. */
  trainingLabels: string[];
  /** Free text: v1.x `autres_formations_labels`, v0.1 `labels_autres` and unmapped v0.1 national labels. */
  otherLabels: string[];
  /** data·inclusion structure types (`typologie`), kept as written. */
  typologies: string[];
  /** See README: explicit "Accepte le Pass numérique", or APTIC / "Pass numérique" in a label field. */
  acceptsPassNumerique: boolean;
  /** v1.x `itinerance` says "Itinérant" (a bus, a connected van…). */
  itinerant: boolean;
  /** acceslibre page (`fiche_acces_libre`, v0.1 `accessibilite`). */
  accessibilityUrl: string | null;
  appointmentUrl: string | null;
  summary: string | null;
  description: string | null;
  parentOrganisation: string | null;
  /** Who collected the data (`source`), e.g. "Hinaura". */
  source: string | null;
  /** `date_maj`, ISO date YYYY-MM-DD. */
  updatedAt: string | null;
};

export type VenueImportRow = {
  /** 1-based position among the data rows (the header is not counted). */
  rowNumber: number;
  /** CSV only: the file line where the row starts (the header is line 1). */
  line?: number;
  sourceId: string | null;
  outcome: 'ok' | 'rejected';
  /** Present when the outcome is 'ok'. */
  venue?: NormalizedVenue;
  warnings: Issue[];
  errors: Issue[];
};

export type VenueOpenDataParseResult = {
  schemaVersion: SchemaVersion;
  rows: VenueImportRow[];
  /** Remarks about the whole file (unknown or missing columns, guessed version). */
  warnings: Issue[];
};

/** Raised when the content is not a table at all (broken CSV quoting, JSON that is not an array of objects). */
export class VenueOpenDataFormatError extends Error {
  constructor(
    readonly code: 'invalid_csv' | 'invalid_json' | 'json_not_an_array' | 'empty_file',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'VenueOpenDataFormatError';
  }
}
