import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { exportVenueOpenData } from './export-venue-open-data';
import type { NormalizedVenue, VenueOpenDataParseResult } from './normalized-venue';
import { parseVenueOpenData } from './parse-venue-open-data';

// Reads the data files committed in services/registry/data (read-only, no network, no database).
const dataFile = (name: string) => readFileSync(new URL(`../../data/${name}`, import.meta.url), 'utf8');

type RawHinauraVenue = { id: string; conditions_acces?: string; services: string; horaires?: string };

describe('the Hinaura open-data files (schema v0.1, 261 real venues)', () => {
  const rawVenues = JSON.parse(dataFile('hinaura-mednum-v0.json')) as RawHinauraVenue[];
  const fromCsv = parseVenueOpenData(dataFile('hinaura-mednum-v0.csv'), 'csv');
  const fromJson = parseVenueOpenData(dataFile('hinaura-mednum-v0.json'), 'json');
  const venues = (result: VenueOpenDataParseResult): NormalizedVenue[] =>
    result.rows.flatMap((row) => (row.venue ? [row.venue] : []));

  for (const [format, result] of [
    ['CSV', fromCsv],
    ['JSON', fromJson],
  ] as const) {
    it(`imports all 261 venues of the ${format} file as v0.1, none rejected, one report per row`, () => {
      expect(result.schemaVersion).to.equal('0.1');
      expect(result.warnings).to.deep.equal([]);
      expect(result.rows).to.have.length(261);
      expect(result.rows.map((row) => row.rowNumber)).to.deep.equal(
        Array.from({ length: 261 }, (_, i) => i + 1),
      );
      expect(result.rows.filter((row) => row.outcome === 'rejected')).to.deep.equal([]);
      expect(result.rows.map((row) => row.sourceId)).to.deep.equal(rawVenues.map((venue) => venue.id));
    });

    it(`flags the 91 venues of the ${format} file that accept the Pass numérique, and only them`, () => {
      const expected = rawVenues
        .filter((venue) => venue.conditions_acces?.includes('Accepte le Pass numérique'))
        .map((venue) => venue.id);
      expect(expected).to.have.length(91);
      const flagged = venues(result)
        .filter((venue) => venue.acceptsPassNumerique)
        .map((venue) => venue.sourceId);
      expect(flagged).to.deep.equal(expected);
    });

    it(`keeps every all-zero SIRET of the ${format} file as a warning, never a rejection`, () => {
      for (const row of result.rows) {
        expect(row.venue).to.include({ siret: null, rawPivot: '00000000000000' });
        expect(row.warnings.map((warning) => warning.code)).to.include('siret_all_zeros');
        expect(row.errors).to.deep.equal([]);
      }
    });
  }

  it('reads the CSV and the JSON file into the same venues', () => {
    expect(venues(fromCsv)).to.deep.equal(venues(fromJson));
  });

  it('maps the v0.1 services of each venue to v1.x categories', () => {
    const administrative = rawVenues.filter((venue) =>
      /Devenir autonome dans les démarches|Réaliser des démarches|Accompagner les démarches de santé/.test(
        venue.services,
      ),
    );
    const mapped = venues(fromJson).filter((venue) =>
      venue.services.includes('aide-demarches-administratives'),
    );
    expect(mapped.map((venue) => venue.sourceId)).to.deep.equal(administrative.map((venue) => venue.id));
  });

  it('validates every opening hours value and keeps it unchanged', () => {
    const withHours = venues(fromJson).filter((venue) => venue.openingHours !== null);
    expect(withHours).to.have.length(rawVenues.filter((venue) => venue.horaires).length);
    expect(withHours.every((venue) => venue.openingHoursValid)).to.equal(true);
    const raw = new Map(rawVenues.map((venue) => [venue.id, venue.horaires]));
    expect(withHours.every((venue) => venue.openingHours === raw.get(venue.sourceId!))).to.equal(true);
  });

  for (const format of ['csv', 'json'] as const) {
    it(`exports the 261 venues as v1.x ${format.toUpperCase()} and reads them back unchanged`, () => {
      const original = venues(fromJson);
      const exported = exportVenueOpenData(original, format);
      const reread = parseVenueOpenData(exported, format);
      expect(reread.schemaVersion).to.equal('1.x');
      expect(reread.warnings).to.deep.equal([]);
      expect(venues(reread)).to.deep.equal(original);
      expect(venues(reread).filter((venue) => venue.acceptsPassNumerique)).to.have.length(91);
    });
  }
});

describe('the v1.x sample files written from the standard documentation', () => {
  for (const format of ['csv', 'json'] as const) {
    const result = parseVenueOpenData(dataFile(`sample-v1.${format}`), format);
    const row = (id: string) => result.rows.find((candidate) => candidate.sourceId === id)!;
    const codes = (id: string) => row(id).warnings.map((warning) => warning.code);

    it(`reads sample-v1.${format} as v1.x with one report per row`, () => {
      expect(result.schemaVersion).to.equal('1.x');
      expect(result.warnings).to.deep.equal([]);
      expect(result.rows.map((candidate) => [candidate.sourceId, candidate.outcome])).to.deep.equal([
        ['lieu-001', 'ok'],
        ['lieu-002', 'ok'],
        ['lieu-003', 'ok'],
        ['lieu-004', 'rejected'],
        ['lieu-005', 'ok'],
      ]);
    });

    it(`flags the venues of sample-v1.${format} that accept the Pass numérique`, () => {
      expect(result.rows.map((candidate) => candidate.venue?.acceptsPassNumerique ?? null)).to.deep.equal([
        true,
        true,
        false,
        null,
        false,
      ]);
    });

    it(`reads every v1.x field of the first venue of sample-v1.${format}`, () => {
      expect(row('lieu-001').warnings).to.deep.equal([]);
      expect(row('lieu-001').venue).to.deep.include({
        siret: '43493312300029',
        postcode: '51100',
        inseeCode: '51454',
        emails: ['contact@laquincaillerie.tl', 'responsable@laquincaillerie.tl'],
        services: ['aide-demarches-administratives', 'maitrise-outils-numeriques', 'acces-internet-materiel'],
        publics: ['Seniors', 'Familles et/ou enfants'],
        specificSupport: ['Illettrisme', 'Langues étrangères (anglais)'],
        fees: ['Gratuit sous condition'],
        nationalPrograms: ['Aidants Connect', 'Conseillers numériques'],
        trainingLabels: ['Formé à « Mon Espace Santé »'],
        accessModes: ['Se présenter', 'Téléphoner'],
        supportModes: ['Accompagnement individuel', 'Dans un atelier collectif'],
        typologies: ['TIERS_LIEUX', 'ASSO'],
        openingHoursValid: true,
      });
      expect(row('lieu-001').venue!.description).to.contain('\n');
    });

    it(`keeps the itinerant bus of sample-v1.${format} with its RNA number`, () => {
      expect(row('lieu-002').venue).to.include({ itinerant: true, rna: 'W751515517', siret: null });
    });

    it(`keeps the venue of sample-v1.${format} with bad hours, a lost zero and no SIRET, with warnings`, () => {
      expect(row('lieu-003').venue).to.include({
        openingHours: 'Lundi au vendredi 9h-12h sur rendez-vous',
        openingHoursValid: false,
        postcode: '01000',
        inseeCode: '01053',
        phone: '+33465714512',
      });
      expect(codes('lieu-003')).to.include.members([
        'opening_hours_unparseable',
        'postcode_zero_restored',
        'insee_code_zero_restored',
        'siret_all_zeros',
        'phone_reformatted',
      ]);
    });

    it(`rejects the venue of sample-v1.${format} that has no location, saying why`, () => {
      expect(row('lieu-004').errors.map((error) => error.code)).to.deep.equal(['missing_location']);
    });

    it(`gives the overseas venue of sample-v1.${format} its own calling code`, () => {
      expect(row('lieu-005').venue).to.include({
        phone: '+590590123456',
        inseeCode: '97120',
        latitude: 16.24125,
      });
    });
  }

  it('reads the CSV and JSON samples into the same venues', () => {
    const csv = parseVenueOpenData(dataFile('sample-v1.csv'), 'csv').rows.map(
      ({ line: _line, ...row }) => row,
    );
    const json = parseVenueOpenData(dataFile('sample-v1.json'), 'json').rows;
    expect(csv).to.deep.equal(json);
  });
});
