import { stringify } from 'csv-stringify/sync';
import type { NormalizedVenue, OpenDataFormat } from './normalized-venue';
import { V1_COLUMNS, type V1Column } from './open-data-columns';
import { serviceLabel } from './service-categories';

/** What the exporter needs: a name, and whatever else is known. */
export type VenueForExport = Pick<NormalizedVenue, 'name'> & Partial<Omit<NormalizedVenue, 'name'>>;

/**
 * How a venue says it takes the Pass numérique in v1.x. The standard has no value for it (frais_a_charge is
 * Gratuit / Gratuit sous condition / Payant), so we write it in the free-text `autres_formations_labels`,
 * where the file stays valid, and read it back from there.
 */
export const PASS_NUMERIQUE_LABEL = 'Pass numérique';

// v1.x requires `pivot`; producers that do not know the SIRET write this placeholder, which we read back
// as "no SIRET" with a warning.
const UNKNOWN_PIVOT = '00000000000000';

// A '|' inside one value would split it in two when read back.
const joined = (values: readonly string[] | undefined): string | null =>
  values && values.length > 0 ? values.map((value) => value.replace(/\|/g, '/')).join('|') : null;

type V1Record = Record<V1Column, string | number | null>;

function toV1Record(venue: VenueForExport): V1Record {
  const otherLabels = [...(venue.otherLabels ?? [])];
  if (venue.acceptsPassNumerique && !otherLabels.includes(PASS_NUMERIQUE_LABEL))
    otherLabels.push(PASS_NUMERIQUE_LABEL);
  return {
    id: venue.sourceId ?? null,
    pivot: venue.siret ?? venue.rna ?? UNKNOWN_PIVOT,
    nom: venue.name,
    commune: venue.commune ?? null,
    code_postal: venue.postcode ?? null,
    code_insee: venue.inseeCode ?? null,
    adresse: venue.address ?? null,
    complement_adresse: venue.complement ?? null,
    latitude: venue.latitude ?? null,
    longitude: venue.longitude ?? null,
    typologie: joined(venue.typologies),
    telephone: venue.phone ?? null,
    courriels: joined(venue.emails),
    site_web: joined(venue.websites),
    horaires: venue.openingHours ?? null,
    presentation_resume: venue.summary ?? null,
    presentation_detail: venue.description ?? null,
    source: venue.source ?? null,
    // v0.1 files say nothing about itinerance: only a known itinerant venue is written as such.
    itinerance: venue.itinerant ? 'Itinérant' : null,
    structure_parente: venue.parentOrganisation ?? null,
    date_maj: venue.updatedAt ?? null,
    services: joined(venue.services?.map(serviceLabel)),
    publics_specifiquement_adresses: joined(venue.publics),
    prise_en_charge_specifique: joined(venue.specificSupport),
    frais_a_charge: joined(venue.fees),
    dispositif_programmes_nationaux: joined(venue.nationalPrograms),
    formations_labels: joined(venue.trainingLabels),
    autres_formations_labels: joined(otherLabels),
    modalites_acces: joined(venue.accessModes),
    modalites_accompagnement: joined(venue.supportModes),
    fiche_acces_libre: venue.accessibilityUrl ?? null,
    prise_rdv: venue.appointmentUrl ?? null,
  };
}

/**
 * Writes venues in the national open-data standard, schema v1.x columns and order, multi-values joined with
 * '|'. CSV: comma-separated UTF-8 with a header row, quoted where needed. JSON: an array of objects carrying
 * every column (null when empty), coordinates as numbers. `parseVenueOpenData` reads both back.
 */
export function exportVenueOpenData(venues: readonly VenueForExport[], format: OpenDataFormat): string {
  const records = venues.map(toV1Record);
  if (format === 'json') return `${JSON.stringify(records, null, 2)}\n`;
  return stringify(
    records.map((record) =>
      V1_COLUMNS.map((column) => (record[column] === null ? '' : String(record[column]))),
    ),
    { header: true, columns: [...V1_COLUMNS] },
  );
}
