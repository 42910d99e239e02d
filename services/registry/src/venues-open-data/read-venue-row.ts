import { normalizeFrenchPhone } from '../identifiers/french-phone';
import { validateRna } from '../identifiers/rna';
import { validateSiren, validateSiret } from '../identifiers/siret';
import { checkOpeningHours } from '@pass/opening-hours';
import { labelKey } from './label-key';
import type {
  Issue,
  NormalizedVenue,
  RejectionCode,
  SchemaVersion,
  VenueImportRow,
  WarningCode,
} from './normalized-venue';
import { type ServiceSlug, serviceCategoryOf } from './service-categories';
import {
  ACCESS_MODES,
  type Fee,
  FEES,
  ITINERANCE,
  mentionsPassNumerique,
  NATIONAL_PROGRAMS,
  PUBLICS,
  resolve,
  SPECIFIC_SUPPORT,
  SUPPORT_MODES,
  TRAINING_LABELS,
  V01_LABELS_KEPT_AS_OTHER,
  type Vocabulary,
} from './venue-vocabularies';

/** One data row as read from the file: canonical column name → cell (string from CSV, any JSON value). */
export type RawRecord = {
  values: Record<string, unknown>;
  /** CSV only: first line of the record in the file. */
  line?: number;
  columnCount?: { expected: number; got: number };
};

// Départements 01–19, 2A, 2B, 21–95, overseas 971–978 and 984–988 (the v1.x pattern also let 96xxx and
// 99xxx through, which designate nothing).
const INSEE_CODE = /^((0[1-9]|1\d|2[AB1-9]|[3-8]\d|9[0-5])\d{3}|97[1-8]\d{2}|98[4-8]\d{2})$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

class RowReader {
  readonly warnings: Issue[] = [];
  readonly errors: Issue[] = [];

  constructor(
    private readonly values: Record<string, unknown>,
    readonly version: SchemaVersion,
  ) {}

  warn(code: WarningCode, field: string | undefined, message: string): void {
    this.warnings.push(field === undefined ? { code, message } : { code, field, message });
  }

  reject(code: RejectionCode, message: string): void {
    this.errors.push({ code, message });
  }

  /** The first non-empty value among the columns, as trimmed text; numbers are printed as JSON would. */
  text(...columns: string[]): string | null {
    for (const column of columns) {
      const value = this.values[column];
      if (value === undefined || value === null) continue;
      const written = Array.isArray(value) ? value.join(this.separator()) : String(value);
      if (written.trim() !== '') return written.trim();
    }
    return null;
  }

  /** The column that holds the value `text(...columns)` returned, for issue reports. */
  field(...columns: string[]): string {
    return columns.find((column) => this.text(column) !== null) ?? columns[0]!;
  }

  raw(column: string): unknown {
    return this.values[column];
  }

  separator(): string {
    return this.version === '1.x' ? '|' : ';';
  }

  /** Multi-value cell split the way the schema version says; v1.x files often still use ';'. */
  items(...columns: string[]): string[] {
    for (const column of columns) {
      const value = this.values[column];
      if (Array.isArray(value)) return value.map((item) => String(item).trim()).filter((item) => item !== '');
      const cell = this.text(column);
      if (cell === null) continue;
      const separator = this.version === '1.x' && cell.includes('|') ? '|' : ';';
      return cell
        .split(separator)
        .map((item) => item.trim())
        .filter((item) => item !== '');
    }
    return [];
  }

  /**
   * Items of an enumerated column mapped to v1.x labels. Unknown values are reported, except those that
   * `consume` claims (Pass numérique markers). An unknown "a, b" is retried piece by piece, as the standard's
   * own example file separates some values with commas.
   */
  vocabulary(vocabularyToUse: Vocabulary, columns: string[], consume?: (item: string) => boolean): string[] {
    const labels: string[] = [];
    const field = this.field(...columns);
    for (const item of this.items(...columns)) {
      const resolution = resolve(vocabularyToUse, item);
      const pieces =
        resolution.known || !item.includes(',') ? [item] : item.split(',').map((piece) => piece.trim());
      for (const piece of pieces) {
        const pieceResolution = piece === item ? resolution : resolve(vocabularyToUse, piece);
        if (pieceResolution.known) labels.push(...pieceResolution.labels);
        else if (piece !== '' && !consume?.(piece)) {
          this.warn('unknown_value', field, `"${piece}" is not a value of ${field}; ignored`);
        }
      }
    }
    return [...new Set(labels)];
  }
}

/** Normalises one row and reports on it; `seenSourceIds` spots ids repeated within the file. */
export function readVenueRow(
  record: RawRecord,
  rowNumber: number,
  version: SchemaVersion,
  seenSourceIds: Map<string, number>,
): VenueImportRow {
  const row = new RowReader(record.values, version);
  if (record.columnCount) {
    row.warn(
      'column_count_mismatch',
      undefined,
      `The row has ${record.columnCount.got} fields where the header has ${record.columnCount.expected}`,
    );
  }

  const sourceId = row.text('id');
  if (sourceId === null) {
    row.warn(
      'missing_source_id',
      'id',
      'No id: a later import of this venue cannot update it, it will duplicate it',
    );
  } else {
    const firstRow = seenSourceIds.get(sourceId);
    if (firstRow !== undefined) {
      row.warn(
        'duplicate_source_id',
        'id',
        `Same id "${sourceId}" as row ${firstRow}: this row will update that venue`,
      );
    } else {
      seenSourceIds.set(sourceId, rowNumber);
    }
  }

  const name = row.text('nom');
  if (name === null) row.reject('missing_name', 'No name (nom): a venue must be named');

  const address = row.text('adresse');
  const commune = row.text('commune');
  const postcode = readPostcode(row);
  const coordinates = readCoordinates(row);
  if (!((address !== null && (commune !== null || postcode !== null)) || coordinates !== null)) {
    const has = [address && 'adresse', commune && 'commune', postcode && 'code_postal'].filter(Boolean);
    row.reject(
      'missing_location',
      `Cannot locate the venue: needs an address with a commune or postcode, or coordinates` +
        (has.length > 0 ? ` (only ${has.join(', ')} given)` : ' (none given)'),
    );
  }

  const base = {
    rowNumber,
    ...(record.line === undefined ? {} : { line: record.line }),
    sourceId,
  };
  const identifiers = readPivot(row);
  const inseeCode = readInseeCode(row);
  const phone = readPhone(row);
  const emails = readEmails(row);
  const hours = readOpeningHours(row);
  const services = readServices(row);
  const updatedAt = readDate(row);
  const vocabularies = readVocabularies(row);

  if (row.errors.length > 0 || name === null) {
    return { ...base, outcome: 'rejected', warnings: row.warnings, errors: row.errors };
  }
  const venue: NormalizedVenue = {
    sourceId,
    name,
    ...identifiers,
    address,
    complement: row.text('complement_adresse'),
    postcode,
    commune,
    inseeCode,
    latitude: coordinates?.latitude ?? null,
    longitude: coordinates?.longitude ?? null,
    phone,
    emails,
    websites: readWebsites(row),
    ...hours,
    services,
    ...vocabularies,
    accessibilityUrl: row.text('fiche_acces_libre', 'accessibilite'),
    appointmentUrl: row.text('prise_rdv'),
    summary: row.text('presentation_resume'),
    description: row.text('presentation_detail'),
    parentOrganisation: row.text('structure_parente'),
    source: row.text('source'),
    updatedAt,
  };
  return { ...base, outcome: 'ok', venue, warnings: row.warnings, errors: [] };
}

function readPivot(row: RowReader): Pick<NormalizedVenue, 'siret' | 'rna' | 'rawPivot'> {
  const rawPivot = row.text('pivot');
  const none = { siret: null, rna: null, rawPivot };
  if (rawPivot === null) {
    row.warn('missing_siret', 'pivot', 'No SIRET (pivot): the venue has no SIRET until one is entered');
    return none;
  }
  const siret = validateSiret(rawPivot);
  if (siret.ok) return { ...none, siret: siret.value };
  if (siret.reason === 'all_zeros') {
    row.warn('siret_all_zeros', 'pivot', 'The pivot is the placeholder 00000000000000: treated as no SIRET');
    return none;
  }
  if (siret.reason !== 'wrong_length' && siret.reason !== 'invalid_characters') {
    row.warn(
      'invalid_siret',
      'pivot',
      `"${rawPivot}" is not a valid SIRET (${siret.reason}): treated as no SIRET`,
    );
    return none;
  }
  const rna = validateRna(rawPivot);
  if (rna.ok) return { ...none, rna: rna.value };
  if (validateSiren(rawPivot).ok) {
    row.warn(
      'pivot_is_siren',
      'pivot',
      `"${rawPivot}" is a SIREN, not an establishment's SIRET: treated as no SIRET`,
    );
    return none;
  }
  row.warn(
    'unrecognised_pivot',
    'pivot',
    `"${rawPivot}" is neither a SIRET nor an RNA number: treated as no identifier`,
  );
  return none;
}

function readPostcode(row: RowReader): string | null {
  const written = row.text('code_postal');
  if (written === null) return null;
  const digits = written.replace(/\s/g, '');
  if (/^\d{5}$/.test(digits)) return digits;
  // A spreadsheet or a JSON number turns 07440 into 7440.
  if (/^\d{4}$/.test(digits)) {
    row.warn(
      'postcode_zero_restored',
      'code_postal',
      `Postcode "${written}" lost its leading zero: read as 0${digits}`,
    );
    return `0${digits}`;
  }
  row.warn('invalid_postcode', 'code_postal', `"${written}" is not a 5-digit postcode: kept as written`);
  return written;
}

function readInseeCode(row: RowReader): string | null {
  const written = row.text('code_insee');
  if (written === null) {
    row.warn(
      'missing_insee_code',
      'code_insee',
      'No INSEE commune code: territory checks will rely on the postcode',
    );
    return null;
  }
  const code = written.replace(/\s/g, '').toUpperCase();
  if (INSEE_CODE.test(code)) return code;
  if (/^\d{4}$/.test(code) && INSEE_CODE.test(`0${code}`)) {
    row.warn(
      'insee_code_zero_restored',
      'code_insee',
      `INSEE code "${written}" lost its leading zero: read as 0${code}`,
    );
    return `0${code}`;
  }
  row.warn('invalid_insee_code', 'code_insee', `"${written}" is not an INSEE commune code: left out`);
  return null;
}

function readNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const normalised = value.trim().replace(',', '.');
  // Exponent notation is how JavaScript prints very small numbers (5e-7): accept it.
  return /^[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$/i.test(normalised) ? Number(normalised) : null;
}

function readCoordinates(row: RowReader): { latitude: number; longitude: number } | null {
  const rawLatitude = row.raw('latitude');
  const rawLongitude = row.raw('longitude');
  const given = [rawLatitude, rawLongitude].some(
    (value) => value !== undefined && value !== null && value !== '',
  );
  if (!given) return null;
  const latitude = readNumber(rawLatitude);
  const longitude = readNumber(rawLongitude);
  const valid =
    latitude !== null &&
    longitude !== null &&
    Math.abs(latitude) <= 90 &&
    Math.abs(longitude) <= 180 &&
    !(latitude === 0 && longitude === 0);
  if (!valid) {
    row.warn(
      'invalid_coordinates',
      'latitude',
      `Coordinates "${String(rawLatitude ?? '')}", "${String(rawLongitude ?? '')}" are not a WGS84 position: left out`,
    );
    return null;
  }
  return { latitude, longitude };
}

function readPhone(row: RowReader): string | null {
  const written = row.text('telephone');
  if (written === null) return null;
  const numbers = written
    .split(/\s*[|;,]\s*|\s+\/\s+/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const [first = written, ...others] = numbers;
  if (others.length > 0) {
    row.warn(
      'extra_phone_numbers',
      'telephone',
      `Only the first phone number is kept; left out: ${others.join(', ')}`,
    );
  }
  const phone = normalizeFrenchPhone(first);
  if (!phone.ok) {
    row.warn(
      'invalid_phone',
      'telephone',
      `"${first}" is not a French phone number (${phone.reason}): kept as written`,
    );
    return first;
  }
  if (phone.repaired) {
    row.warn(
      'phone_repaired',
      'telephone',
      `"${first}" looked damaged by a spreadsheet: read as ${phone.value}`,
    );
  } else if (phone.value !== first) {
    row.warn(
      'phone_reformatted',
      'telephone',
      `"${first}" rewritten in international format as ${phone.value}`,
    );
  }
  return phone.value;
}

function readEmails(row: RowReader): string[] {
  const written = row.text('courriels', 'courriel');
  if (written === null) return [];
  const emails = written.split(/[\s|;,]+/).filter((email) => email !== '');
  for (const email of emails) {
    if (!EMAIL.test(email)) {
      row.warn(
        'invalid_email',
        row.field('courriels', 'courriel'),
        `"${email}" does not look like an e-mail address`,
      );
    }
  }
  return emails;
}

function readWebsites(row: RowReader): string[] {
  const written = row.text('site_web');
  if (written === null) return [];
  // URLs may themselves contain ',' or ';': only split where the next piece starts a new address.
  return written
    .split(/\s*\|\s*|[,;\s]\s*(?=https?:\/\/|www\.)/i)
    .map((url) => url.trim())
    .filter((url) => url !== '');
}

function readOpeningHours(row: RowReader): Pick<NormalizedVenue, 'openingHours' | 'openingHoursValid'> {
  const written = row.text('horaires');
  if (written === null) return { openingHours: null, openingHoursValid: false };
  const check = checkOpeningHours(written);
  if (!check.ok) {
    row.warn('opening_hours_unparseable', 'horaires', `${check.warning.message}; kept as text`);
    return { openingHours: written, openingHoursValid: false };
  }
  if (check.corrected) {
    row.warn(
      'opening_hours_corrected',
      'horaires',
      `Opening hours "${written}" read as "${check.normalized}"`,
    );
  } else if (check.notes.length > 0) {
    // Valid syntax the parser still finds suspicious, e.g. a weekday with no time range.
    row.warn('opening_hours_doubtful', 'horaires', `Opening hours "${written}": ${check.notes.join('; ')}`);
  }
  return { openingHours: check.normalized, openingHoursValid: true };
}

function readServices(row: RowReader): ServiceSlug[] {
  const items = row.items('services');
  if (items.length === 0) {
    row.warn(
      'missing_services',
      'services',
      'No services listed: the venue cannot offer catalogue services yet',
    );
    return [];
  }
  const slugs: ServiceSlug[] = [];
  for (const item of items) {
    const slug = serviceCategoryOf(item);
    if (slug === undefined)
      row.warn('unknown_service', 'services', `"${item}" is not a service of the standard; ignored`);
    else if (!slugs.includes(slug)) slugs.push(slug);
  }
  return slugs;
}

function readDate(row: RowReader): string | null {
  const written = row.text('date_maj');
  if (written === null) return null;
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(written);
  const french = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(written);
  const [year, month, day] = iso ? [iso[1], iso[2], iso[3]] : french ? [french[3], french[2], french[1]] : [];
  const date = `${year}-${month}-${day}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  if (year === undefined || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) {
    row.warn('invalid_date', 'date_maj', `"${written}" is not a date (YYYY-MM-DD): left out`);
    return null;
  }
  // Transformation tools write the epoch when they could not read a date (559 venues in the national file).
  if (date === '1970-01-01') {
    row.warn('placeholder_date', 'date_maj', 'The date 1970-01-01 is a placeholder for "unknown": left out');
    return null;
  }
  return date;
}

type Vocabularies = Pick<
  NormalizedVenue,
  | 'publics'
  | 'specificSupport'
  | 'fees'
  | 'supportModes'
  | 'accessModes'
  | 'nationalPrograms'
  | 'trainingLabels'
  | 'otherLabels'
  | 'typologies'
  | 'acceptsPassNumerique'
  | 'itinerant'
>;

// Where each version lets a producer say that the venue takes the Pass numérique (see README).
const PASS_FIELDS: Record<SchemaVersion, string[]> = {
  '0.1': ['conditions_acces', 'labels_nationaux', 'labels_autres'],
  '1.x': [
    'frais_a_charge',
    'dispositif_programmes_nationaux',
    'formations_labels',
    'autres_formations_labels',
  ],
};

function readPassNumerique(row: RowReader): boolean {
  let aptic: string | null = null;
  for (const field of PASS_FIELDS[row.version]) {
    for (const item of row.items(field)) {
      if (!mentionsPassNumerique(item)) continue;
      if (/pass num/.test(labelKey(item))) return true;
      aptic ??= field;
    }
  }
  if (aptic === null) return false;
  row.warn(
    'pass_numerique_inferred',
    aptic,
    'Read as accepting the Pass numérique from the APTIC label (the voucher operator), not from an explicit mention',
  );
  return true;
}

// "Pass numérique" as a label is what `acceptsPassNumerique` says; keeping it twice would not round-trip.
const notPassNumerique = (item: string): boolean => !/pass num/.test(labelKey(item));

function readVocabularies(row: RowReader): Vocabularies {
  const consumePass = (item: string) => mentionsPassNumerique(item);
  const acceptsPassNumerique = readPassNumerique(row);
  const typologies = row
    .items('typologie')
    .flatMap((item) => item.split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');

  if (row.version === '0.1') {
    const publicsItems = row.items('publics_accueillis');
    const publics: string[] = [];
    const specificSupport: string[] = [];
    for (const item of publicsItems) {
      const asPublic = resolve(PUBLICS, item);
      const asSupport = resolve(SPECIFIC_SUPPORT, item);
      if (asPublic.known) publics.push(...asPublic.labels);
      else if (asSupport.known) specificSupport.push(...asSupport.labels);
      else
        row.warn(
          'unknown_value',
          'publics_accueillis',
          `"${item}" is not a value of publics_accueillis; ignored`,
        );
    }
    const nationalPrograms: string[] = [];
    const trainingLabels: string[] = [];
    const otherLabels = row.items('labels_autres').filter(notPassNumerique);
    for (const item of row.items('labels_nationaux')) {
      const program = resolve(NATIONAL_PROGRAMS, item);
      const label = resolve(TRAINING_LABELS, item);
      if (program.known) nationalPrograms.push(...program.labels);
      else if (label.known) trainingLabels.push(...label.labels);
      else if (V01_LABELS_KEPT_AS_OTHER.some((kept) => labelKey(kept) === labelKey(item)))
        otherLabels.push(item);
      else
        row.warn(
          'unknown_value',
          'labels_nationaux',
          `"${item}" is not a value of labels_nationaux; ignored`,
        );
    }
    return {
      publics: [...new Set(publics)],
      specificSupport: [...new Set(specificSupport)],
      fees: row.vocabulary(FEES, ['conditions_acces'], consumePass) as Fee[],
      supportModes: row.vocabulary(SUPPORT_MODES, ['modalites_accompagnement']),
      accessModes: [],
      nationalPrograms: [...new Set(nationalPrograms)],
      trainingLabels: [...new Set(trainingLabels)],
      otherLabels: [...new Set(otherLabels)],
      typologies,
      acceptsPassNumerique,
      itinerant: false,
    };
  }

  // APTIC written in an enumerated column has no v1.x label: keep the name as free text.
  const apticAsOther = (field: string) => row.items(field).filter((item) => labelKey(item) === 'aptic');
  return {
    publics: row.vocabulary(PUBLICS, ['publics_specifiquement_adresses']),
    specificSupport: row.vocabulary(SPECIFIC_SUPPORT, ['prise_en_charge_specifique']),
    fees: row.vocabulary(FEES, ['frais_a_charge'], consumePass) as Fee[],
    supportModes: row.vocabulary(SUPPORT_MODES, ['modalites_accompagnement']),
    accessModes: row.vocabulary(ACCESS_MODES, ['modalites_acces']),
    nationalPrograms: row.vocabulary(NATIONAL_PROGRAMS, ['dispositif_programmes_nationaux'], consumePass),
    trainingLabels: row.vocabulary(TRAINING_LABELS, ['formations_labels'], consumePass),
    otherLabels: [
      ...new Set([
        ...row.items('autres_formations_labels').filter(notPassNumerique),
        ...apticAsOther('dispositif_programmes_nationaux'),
        ...apticAsOther('formations_labels'),
      ]),
    ],
    typologies,
    acceptsPassNumerique,
    itinerant: row.vocabulary(ITINERANCE, ['itinerance']).includes('Itinérant'),
  };
}
