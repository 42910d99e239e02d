import { findCommune } from '@pass/territory';
import { normalizeFrenchPhone, validateRna, validateSiret } from '../identifiers';
import { checkOpeningHours } from '@pass/opening-hours';
import type { FieldProblems } from '../shared/field-problems';
import { resolveVenueInseeCode } from './resolve-insee-code';
import type { VenueFields, VenueWarning } from './venue';

/** What a person may type about a venue (an import sets the same fields from a file). */
export interface VenueInput {
  name?: string | undefined;
  street?: string | null | undefined;
  complement?: string | null | undefined;
  postcode?: string | null | undefined;
  commune?: string | null | undefined;
  inseeCode?: string | null | undefined;
  latitude?: number | null | undefined;
  longitude?: number | null | undefined;
  openingHours?: string | null | undefined;
  itinerant?: boolean | undefined;
  accessibilityUrl?: string | null | undefined;
  contactName?: string | null | undefined;
  phone?: string | null | undefined;
  email?: string | null | undefined;
  website?: string | null | undefined;
  siret?: string | null | undefined;
  rna?: string | null | undefined;
  services?: string[] | undefined;
  publics?: string[] | undefined;
  acceptsPass?: boolean | undefined;
}

/** Rounds a coordinate to the 6 decimals the database keeps, so comparisons see what is stored. */
export function roundCoordinate(value: number | null): number | null {
  return value === null ? null : Number(value.toFixed(6));
}

/** The opening-hours column and its warnings: canonical OSM syntax when it parses, the raw text otherwise. */
export function openingHoursFields(
  text: string | null,
): Pick<VenueFields, 'openingHours' | 'openingHoursValid'> & { warnings: VenueWarning[] } {
  if (!text || text.trim() === '') return { openingHours: null, openingHoursValid: false, warnings: [] };
  const check = checkOpeningHours(text);
  if (!check.ok) {
    return {
      openingHours: text.trim(),
      openingHoursValid: false,
      warnings: [{ code: 'opening_hours_unparseable', field: 'horaires', message: check.warning.message }],
    };
  }
  const warnings: VenueWarning[] =
    check.notes.length > 0
      ? [{ code: 'opening_hours_doubtful', field: 'horaires', message: check.notes.join(' ') }]
      : [];
  return { openingHours: check.normalized, openingHoursValid: true, warnings };
}

/** The INSEE code to keep and the warning that explains where it came from (or that it is missing). */
export function inseeFields(
  given: string | null,
  postcode: string | null,
  commune: string | null,
): { inseeCode: string | null; warnings: VenueWarning[] } {
  if (given) return { inseeCode: given, warnings: [] };
  const resolved = resolveVenueInseeCode(postcode, commune);
  if (resolved) {
    return {
      inseeCode: resolved.code,
      warnings: [
        {
          code: 'insee_code_resolved',
          field: 'code_insee',
          message: `No INSEE code given: ${resolved.code} (${resolved.communeName}) found from ${
            resolved.method === 'name_only'
              ? `the commune name only (postcode ${postcode ?? 'none'} does not match)`
              : 'the postcode and commune'
          }`,
        },
      ],
    };
  }
  return {
    inseeCode: null,
    warnings: [
      {
        code: 'insee_code_unresolved',
        field: 'code_insee',
        message: `No INSEE code, and none found for postcode ${postcode ?? 'none'} and commune ${commune ?? 'none'}: the venue cannot be accredited until one is set`,
      },
    ],
  };
}

// Which open-data column each input field's warnings are about: an edit of the field replaces them.
const WARNING_FIELD: Partial<Record<keyof VenueInput, string>> = {
  openingHours: 'horaires',
  phone: 'telephone',
  siret: 'pivot',
  rna: 'pivot',
  postcode: 'code_postal',
  inseeCode: 'code_insee',
  latitude: 'latitude',
  longitude: 'latitude',
  email: 'courriels',
};

/**
 * Applies what a person typed to a venue's fields. Identifiers and phones must be valid (field problems
 * otherwise); opening hours that do not parse are kept as text with a warning; a missing INSEE code is
 * resolved from the postcode and commune. Warnings about the edited columns are replaced.
 */
export function applyVenueInput(
  current: VenueFields,
  input: VenueInput,
  problems: FieldProblems,
): VenueFields {
  const next: VenueFields = { ...current, details: { ...current.details } };
  const added: VenueWarning[] = [];
  const edited = new Set(
    (Object.keys(input) as (keyof VenueInput)[])
      .filter((key) => input[key] !== undefined && WARNING_FIELD[key])
      .map((key) => WARNING_FIELD[key]!),
  );

  if (input.name) next.name = input.name.trim();
  if (input.street !== undefined) next.street = input.street;
  if (input.complement !== undefined) next.complement = input.complement;
  if (input.postcode !== undefined) next.postcode = input.postcode;
  if (input.commune !== undefined) next.commune = input.commune;
  if (input.itinerant !== undefined) next.itinerant = input.itinerant;
  if (input.accessibilityUrl !== undefined) next.accessibilityUrl = input.accessibilityUrl;
  if (input.contactName !== undefined) next.contactName = input.contactName;
  if (input.email !== undefined) next.email = input.email;
  if (input.website !== undefined) next.website = input.website;
  if (input.services !== undefined) next.services = [...new Set(input.services)];
  if (input.publics !== undefined) next.publics = [...new Set(input.publics)];
  if (input.acceptsPass !== undefined) next.acceptsPass = input.acceptsPass;
  if (input.latitude !== undefined) next.latitude = roundCoordinate(input.latitude);
  if (input.longitude !== undefined) next.longitude = roundCoordinate(input.longitude);
  if ((next.latitude === null) !== (next.longitude === null)) {
    problems.add('body.latitude', 'coordinates_incomplete', 'Give both latitude and longitude, or neither.');
  }
  if (input.phone !== undefined) {
    const phone = input.phone ? normalizeFrenchPhone(input.phone) : undefined;
    if (!phone) next.phone = null;
    else if (phone.ok) next.phone = phone.value;
    else problems.add('body.phone', `phone_${phone.reason}`, 'Not a French phone number.');
  }
  if (input.siret !== undefined) {
    const siret = input.siret ? validateSiret(input.siret) : undefined;
    if (!siret) next.siret = null;
    else if (siret.ok) next.siret = siret.value;
    else problems.add('body.siret', `siret_${siret.reason}`, `Not a valid SIRET (${siret.reason}).`);
  }
  if (input.rna !== undefined) {
    const rna = input.rna ? validateRna(input.rna) : undefined;
    if (!rna) next.rna = null;
    else if (rna.ok) next.rna = rna.value;
    else problems.add('body.rna', `rna_${rna.reason}`, `Not a valid RNA number (${rna.reason}).`);
  }
  if (input.openingHours !== undefined) {
    const hours = openingHoursFields(input.openingHours);
    next.openingHours = hours.openingHours;
    next.openingHoursValid = hours.openingHoursValid;
    added.push(...hours.warnings);
  }

  const locationEdited =
    input.postcode !== undefined || input.commune !== undefined || input.inseeCode !== undefined;
  if (locationEdited) {
    edited.add('code_insee');
    let given: string | null = input.inseeCode === undefined ? null : input.inseeCode;
    if (given && !findCommune(given)) {
      problems.add('body.inseeCode', 'unknown_insee_code', `No commune has the INSEE code ${given}.`);
      given = null;
    }
    // A changed postcode or commune without a new INSEE code means the old code may be wrong: resolve again.
    const insee = inseeFields(given, next.postcode, next.commune);
    next.inseeCode = insee.inseeCode;
    added.push(...insee.warnings);
  }
  next.warnings = [
    ...current.warnings.filter((warning) => !warning.field || !edited.has(warning.field)),
    ...added,
  ];
  return next;
}
