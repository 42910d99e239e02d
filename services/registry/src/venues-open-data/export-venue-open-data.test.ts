import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { exportVenueOpenData, PASS_NUMERIQUE_LABEL } from './export-venue-open-data';
import type { NormalizedVenue } from './normalized-venue';
import { V1_COLUMNS } from './open-data-columns';
import { parseVenueOpenData } from './parse-venue-open-data';
import { SERVICE_SLUGS } from './service-categories';
import {
  ACCESS_MODES,
  type Fee,
  FEES,
  NATIONAL_PROGRAMS,
  PUBLICS,
  SPECIFIC_SUPPORT,
  SUPPORT_MODES,
  TRAINING_LABELS,
} from './venue-vocabularies';

function buildVenue(overrides: Partial<NormalizedVenue> = {}): NormalizedVenue {
  return {
    sourceId: 'lieu-1',
    name: 'Médiathèque Jean Macé',
    siret: '12002701600563',
    rna: null,
    rawPivot: '12002701600563',
    address: '2 rue Domer',
    complement: null,
    postcode: '69007',
    commune: 'Lyon',
    inseeCode: '69387',
    latitude: 45.7485,
    longitude: 4.8467,
    phone: '+33465710012',
    emails: ['contact@example.fr'],
    websites: ['https://example.fr'],
    openingHours: 'Tu-Sa 10:00-18:00',
    openingHoursValid: true,
    services: ['aide-demarches-administratives'],
    publics: [],
    specificSupport: [],
    fees: ['Gratuit'],
    supportModes: [],
    accessModes: [],
    nationalPrograms: [],
    trainingLabels: [],
    otherLabels: [],
    typologies: [],
    acceptsPassNumerique: false,
    itinerant: false,
    accessibilityUrl: null,
    appointmentUrl: null,
    summary: null,
    description: null,
    parentOrganisation: null,
    source: 'Ville de Lyon',
    updatedAt: '2024-01-15',
    ...overrides,
  };
}

const readBack = (venues: NormalizedVenue[], format: 'csv' | 'json') =>
  parseVenueOpenData(exportVenueOpenData(venues, format), format);

describe('exportVenueOpenData', () => {
  it('writes the v1.x columns in the order of the standard', () => {
    const [header] = parse(exportVenueOpenData([buildVenue()], 'csv')) as string[][];
    expect(header).to.deep.equal([...V1_COLUMNS]);
    const [record] = JSON.parse(exportVenueOpenData([buildVenue()], 'json')) as Record<string, unknown>[];
    expect(Object.keys(record!)).to.deep.equal([...V1_COLUMNS]);
  });

  it("joins multiple values with '|' and writes services by their v1.x names", () => {
    const csv = exportVenueOpenData(
      [
        buildVenue({
          services: ['aide-demarches-administratives', 'acces-internet-materiel'],
          fees: ['Gratuit', 'Payant'],
        }),
      ],
      'csv',
    );
    const [, row] = parse(csv) as string[][];
    const cell = (column: string) => row![V1_COLUMNS.indexOf(column as never)];
    expect(cell('services')).to.equal(
      'Aide aux démarches administratives|Accès internet et matériel informatique',
    );
    expect(cell('frais_a_charge')).to.equal('Gratuit|Payant');
  });

  it('writes Pass numérique acceptance in autres_formations_labels, where the file stays valid', () => {
    const [record] = JSON.parse(
      exportVenueOpenData([buildVenue({ acceptsPassNumerique: true, otherLabels: ['SUD LABS'] })], 'json'),
    ) as Record<string, unknown>[];
    expect(record).to.include({
      autres_formations_labels: `SUD LABS|${PASS_NUMERIQUE_LABEL}`,
      frais_a_charge: 'Gratuit',
    });
  });

  it('writes the placeholder pivot the v1.x standard expects when the SIRET is unknown, and reads it back as unknown', () => {
    const [record] = JSON.parse(
      exportVenueOpenData([buildVenue({ siret: null, rawPivot: null })], 'json'),
    ) as Record<string, unknown>[];
    expect(record).to.include({ pivot: '00000000000000' });
    const row = readBack([buildVenue({ siret: null })], 'json').rows[0]!;
    expect(row.venue).to.include({ siret: null });
    expect(row.warnings.map((warning) => warning.code)).to.include('siret_all_zeros');
  });

  it('exports a venue that only has a name and a location', () => {
    const row = readBack([{ name: 'EPN', address: '1 rue A', commune: 'Die' } as NormalizedVenue], 'csv')
      .rows[0]!;
    expect(row.outcome).to.equal('ok');
    expect(row.venue).to.include({
      name: 'EPN',
      address: '1 rue A',
      commune: 'Die',
      acceptsPassNumerique: false,
    });
  });

  it('reads back quoted text with commas, quotes and line breaks', () => {
    const description = 'Ateliers "découverte", le mardi;\nsur inscription, au 1er étage.';
    const [row] = readBack([buildVenue({ description, name: 'Espace "Le Lien", Die' })], 'csv').rows;
    expect(row!.venue).to.include({ description, name: 'Espace "Le Lien", Die' });
  });

  describe('round trip through parseVenueOpenData', () => {
    const trimmedText = fc
      .string({ minLength: 1, maxLength: 40, unit: 'grapheme' })
      .map((text) => text.replace(/\s+/g, ' ').trim())
      .filter((text) => text !== '');
    const optionalText = fc.option(trimmedText, { nil: null });
    // Free-text list items: no separator characters, no Pass numérique marker (that is a flag of its own).
    const listItem = trimmedText.filter((text) => !/[|;,]/.test(text) && !/pass|aptic/i.test(text));
    const subsetOf = <T>(values: readonly T[]) => fc.subarray([...values]);

    const venue: fc.Arbitrary<NormalizedVenue> = fc
      .record({
        sourceId: fc.option(fc.stringMatching(/^[a-z0-9-]{1,12}$/), { nil: null }),
        name: trimmedText,
        identifier: fc.constantFrom<Pick<NormalizedVenue, 'siret' | 'rna'>>(
          { siret: '12002701600563', rna: null },
          { siret: '35600000000048', rna: null },
          { siret: null, rna: 'W751515517' },
          { siret: null, rna: null },
        ),
        address: trimmedText,
        complement: optionalText,
        postcode: fc.stringMatching(/^\d{5}$/),
        commune: trimmedText,
        inseeCode: fc.option(fc.constantFrom('69387', '2A004', '97120', '01053'), { nil: null }),
        position: fc.option(
          fc.record({
            // + 0 turns -0 into 0: both are written "0".
            latitude: fc.double({ min: -90, max: 90, noNaN: true }).map((value) => value + 0),
            longitude: fc.double({ min: -180, max: 180, noNaN: true }).map((value) => value + 0),
          }),
          { nil: null },
        ),
        phone: fc.option(fc.constantFrom('+33465710012', '+262262123456', '+687271234', '+68940123456'), {
          nil: null,
        }),
        emails: fc.uniqueArray(fc.stringMatching(/^[a-z]{1,8}@[a-z]{1,8}\.fr$/), { maxLength: 3 }),
        websites: fc.uniqueArray(fc.stringMatching(/^https:\/\/[a-z]{1,8}\.fr\/[a-z0-9?=&.,;]{0,10}$/), {
          maxLength: 3,
        }),
        openingHours: fc.option(
          fc.constantFrom('Mo-Fr 09:00-12:00,14:00-17:00; PH off', 'Tu,Th 14:00-18:00', '24/7'),
          {
            nil: null,
          },
        ),
        services: subsetOf(SERVICE_SLUGS),
        publics: subsetOf(PUBLICS.labels),
        specificSupport: subsetOf(SPECIFIC_SUPPORT.labels),
        fees: subsetOf(FEES.labels as readonly Fee[]),
        supportModes: subsetOf(SUPPORT_MODES.labels),
        accessModes: subsetOf(ACCESS_MODES.labels),
        nationalPrograms: subsetOf(NATIONAL_PROGRAMS.labels),
        trainingLabels: subsetOf(TRAINING_LABELS.labels),
        otherLabels: fc.uniqueArray(listItem, { maxLength: 3 }),
        typologies: fc.uniqueArray(fc.constantFrom('ASSO', 'BIB', 'CCAS', 'TIERS_LIEUX', 'MUNI'), {
          maxLength: 3,
        }),
        acceptsPassNumerique: fc.boolean(),
        itinerant: fc.boolean(),
        accessibilityUrl: fc.option(fc.constant('https://acceslibre.beta.gouv.fr/app/erp/mediatheque-13/'), {
          nil: null,
        }),
        appointmentUrl: fc.option(fc.constant('https://www.rdv-solidarites.fr/'), { nil: null }),
        summary: optionalText,
        // Long text keeps its line breaks (LF and CRLF), quotes and separators.
        description: fc.option(
          fc
            .string({
              unit: fc.constantFrom('a', 'é', ' ', ',', ';', '"', '|', '€', '\n', '\r\n'),
              maxLength: 60,
            })
            .map((text) => `Atelier${text}fin`),
          { nil: null },
        ),
        parentOrganisation: optionalText,
        source: optionalText,
        updatedAt: fc.option(
          fc
            .date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
            .map((date) => date.toISOString().slice(0, 10)),
          { nil: null },
        ),
      })
      .map(({ identifier, position, ...fields }) => ({
        ...fields,
        ...identifier,
        rawPivot: identifier.siret ?? identifier.rna ?? '00000000000000',
        latitude:
          position === null || (position.latitude === 0 && position.longitude === 0)
            ? null
            : position.latitude,
        longitude:
          position === null || (position.latitude === 0 && position.longitude === 0)
            ? null
            : position.longitude,
        openingHoursValid: fields.openingHours !== null,
      }));

    for (const format of ['csv', 'json'] as const) {
      it(`preserves every field through a ${format.toUpperCase()} export and import`, () => {
        fc.assert(
          fc.property(fc.array(venue, { minLength: 1, maxLength: 5 }), (venues) => {
            const result = readBack(venues, format);
            expect(result.schemaVersion).to.equal('1.x');
            expect(result.rows.map((row) => row.outcome)).to.deep.equal(venues.map(() => 'ok'));
            expect(result.rows.map((row) => row.venue)).to.deep.equal(venues);
          }),
          { numRuns: 150 },
        );
      });
    }
  });
});
