import { expect } from 'chai';
import { stringify } from 'csv-stringify/sync';
import type { VenueImportRow } from './normalized-venue';
import { VenueOpenDataFormatError } from './normalized-venue';
import { V01_COLUMNS, V1_COLUMNS } from './open-data-columns';
import { parseVenueOpenData } from './parse-venue-open-data';

type Cells = Record<string, string | number | null | string[]>;

function v1Row(overrides: Cells = {}): Cells {
  return {
    id: 'lieu-1',
    pivot: '12002701600563',
    nom: 'Médiathèque Jean Macé',
    commune: 'Lyon',
    code_postal: '69007',
    code_insee: '69387',
    adresse: '2 rue Domer',
    latitude: '45.7485',
    longitude: '4.8467',
    telephone: '+33465710012',
    courriels: 'contact@example.fr',
    horaires: 'Tu-Sa 10:00-18:00',
    source: 'Ville de Lyon',
    date_maj: '2024-01-15',
    services: 'Aide aux démarches administratives|Maîtrise des outils numériques du quotidien',
    frais_a_charge: 'Gratuit',
    ...overrides,
  };
}

function v01Row(overrides: Cells = {}): Cells {
  return {
    id: '13',
    pivot: '00000000000000',
    nom: 'Espace Public Numérique Alboussière',
    commune: 'ALBOUSSIERE',
    code_postal: '07440',
    adresse: '20 rue des écoliers',
    latitude: '44.943284537729724',
    longitude: '4.727693802487535',
    telephone: '+33465710012',
    courriel: 'epn@example.fr',
    horaires: 'Mo-Fr 09:30-12:30',
    source: 'Hinaura',
    date_maj: '2021-06-07',
    services: 'Accéder à une connexion internet;Prendre en main un ordinateur',
    conditions_acces: 'Gratuit : Je peux accéder gratuitement au lieu et à ses services',
    ...overrides,
  };
}

function csvOf(rows: Cells[], columns: readonly string[]): string {
  return stringify(
    rows.map((row) => columns.map((column) => String(row[column] ?? ''))),
    { header: true, columns: [...columns] },
  );
}

const parseV1 = (...rows: Cells[]) => parseVenueOpenData(csvOf(rows, V1_COLUMNS), 'csv');
const parseV01 = (...rows: Cells[]) => parseVenueOpenData(csvOf(rows, V01_COLUMNS), 'csv');
const codes = (row: VenueImportRow | undefined) => row?.warnings.map((warning) => warning.code) ?? [];
const only = (result: { rows: VenueImportRow[] }): VenueImportRow => {
  expect(result.rows).to.have.length(1);
  return result.rows[0]!;
};

describe('parseVenueOpenData', () => {
  describe('rejections', () => {
    it('rejects a row without a name and says why', () => {
      const row = only(parseV1(v1Row({ nom: '  ' })));
      expect(row.outcome).to.equal('rejected');
      expect(row.venue).to.equal(undefined);
      expect(row.errors.map((error) => error.code)).to.deep.equal(['missing_name']);
    });

    it('rejects a row that cannot be located and lists what it had', () => {
      const row = only(
        parseV1(v1Row({ adresse: '', code_postal: '', latitude: '', longitude: '', commune: 'Lyon' })),
      );
      expect(row.outcome).to.equal('rejected');
      expect(row.errors).to.have.length(1);
      expect(row.errors[0]).to.include({ code: 'missing_location' });
      expect(row.errors[0]!.message).to.contain('only commune');
    });

    it('reports every reason when a row has neither name nor location', () => {
      const row = only(
        parseV1(v1Row({ nom: '', adresse: '', commune: '', code_postal: '', latitude: '', longitude: '' })),
      );
      expect(row.errors.map((error) => error.code)).to.deep.equal(['missing_name', 'missing_location']);
    });

    it('keeps a venue known only by its coordinates', () => {
      const row = only(parseV1(v1Row({ adresse: '', commune: '', code_postal: '' })));
      expect(row.outcome).to.equal('ok');
      expect(row.venue).to.include({ latitude: 45.7485, longitude: 4.8467, address: null });
    });

    it('keeps a venue with an address and a postcode but no commune nor coordinates', () => {
      const row = only(parseV1(v1Row({ commune: '', latitude: '', longitude: '' })));
      expect(row.outcome).to.equal('ok');
    });

    it('does not count coordinates at 0,0 as a location', () => {
      const row = only(
        parseV1(v1Row({ adresse: '', commune: '', code_postal: '', latitude: '0', longitude: '0' })),
      );
      expect(row.outcome).to.equal('rejected');
      expect(codes(row)).to.include('invalid_coordinates');
    });
  });

  describe('identifiers', () => {
    it('keeps a venue whose SIRET is all zeros, with a warning', () => {
      const row = only(parseV1(v1Row({ pivot: '00000000000000' })));
      expect(row.outcome).to.equal('ok');
      expect(row.venue).to.include({ siret: null, rawPivot: '00000000000000' });
      expect(codes(row)).to.include('siret_all_zeros');
    });

    it('keeps a venue with a missing or invalid SIRET, with a warning', () => {
      const missing = only(parseV1(v1Row({ pivot: '' })));
      expect(missing.outcome).to.equal('ok');
      expect(codes(missing)).to.include('missing_siret');
      const invalid = only(parseV1(v1Row({ pivot: '12002701600564' })));
      expect(invalid.venue).to.include({ siret: null, rawPivot: '12002701600564' });
      expect(codes(invalid)).to.include('invalid_siret');
    });

    it('reads a valid SIRET, an RNA number or a SIREN from the pivot', () => {
      expect(only(parseV1(v1Row({ pivot: '120 027 016 00563' }))).venue).to.include({
        siret: '12002701600563',
      });
      const rna = only(parseV1(v1Row({ pivot: 'W751515517' })));
      expect(rna.venue).to.include({ siret: null, rna: 'W751515517' });
      expect(codes(rna)).to.deep.equal([]);
      const siren = only(parseV1(v1Row({ pivot: '120027016' })));
      expect(siren.venue).to.include({ siret: null });
      expect(codes(siren)).to.include('pivot_is_siren');
      expect(codes(only(parseV1(v1Row({ pivot: '1000123456' }))))).to.include('unrecognised_pivot');
    });

    it('warns about a missing id and about an id repeated in the file', () => {
      const result = parseV1(v1Row({ id: '' }), v1Row({ id: 'a' }), v1Row({ id: 'a' }));
      expect(codes(result.rows[0])).to.include('missing_source_id');
      expect(codes(result.rows[1])).to.not.include('duplicate_source_id');
      expect(
        result.rows[2]!.warnings.find((warning) => warning.code === 'duplicate_source_id')?.message,
      ).to.contain('row 2');
    });
  });

  describe('addresses and contacts', () => {
    it('restores the leading zero of a postcode or INSEE code stored as a number', () => {
      const json = JSON.stringify([
        { id: '1', nom: 'EPN', adresse: '1 place', commune: 'Ain', code_postal: 1000, code_insee: 1053 },
      ]);
      const row = only(parseVenueOpenData(json, 'json'));
      expect(row.venue).to.include({ postcode: '01000', inseeCode: '01053' });
      expect(codes(row)).to.include.members(['postcode_zero_restored', 'insee_code_zero_restored']);
    });

    it('keeps an odd postcode as written, with a warning', () => {
      const row = only(parseV1(v1Row({ code_postal: 'F-69007' })));
      expect(row.venue).to.include({ postcode: 'F-69007' });
      expect(codes(row)).to.include('invalid_postcode');
    });

    it('warns when the INSEE code is missing or invalid', () => {
      expect(codes(only(parseV1(v1Row({ code_insee: '' }))))).to.include('missing_insee_code');
      const invalid = only(parseV1(v1Row({ code_insee: '96001' })));
      expect(invalid.venue).to.include({ inseeCode: null });
      expect(codes(invalid)).to.include('invalid_insee_code');
      expect(only(parseV1(v1Row({ code_insee: '2A004' }))).venue).to.include({ inseeCode: '2A004' });
    });

    it('normalises phone numbers and says how', () => {
      const reformatted = only(parseV1(v1Row({ telephone: '04.65.71.00.12' })));
      expect(reformatted.venue).to.include({ phone: '+33465710012' });
      expect(codes(reformatted)).to.include('phone_reformatted');
      const repaired = only(parseV1(v1Row({ telephone: '465710012' })));
      expect(repaired.venue).to.include({ phone: '+33465710012' });
      expect(codes(repaired)).to.include('phone_repaired');
      expect(codes(only(parseV1(v1Row({ telephone: '+33465710012' }))))).to.not.include('phone_reformatted');
    });

    it('keeps a phone it cannot read as written, with a warning', () => {
      const row = only(parseV1(v1Row({ telephone: 'voir site web' })));
      expect(row.outcome).to.equal('ok');
      expect(row.venue).to.include({ phone: 'voir site web' });
      expect(codes(row)).to.include('invalid_phone');
    });

    it('keeps the first of several phone numbers and reports the others', () => {
      const row = only(parseV1(v1Row({ telephone: '04 65 71 00 12 | 06 39 98 00 00' })));
      expect(row.venue).to.include({ phone: '+33465710012' });
      expect(codes(row)).to.include('extra_phone_numbers');
    });

    it('splits e-mails and websites, keeping URLs that contain separators whole', () => {
      const row = only(
        parseV1(
          v1Row({
            courriels: 'a@example.fr|b@example.fr',
            site_web: 'https://example.fr/?a=1,2|https://facebook.com/x',
          }),
        ),
      );
      expect(row.venue!.emails).to.deep.equal(['a@example.fr', 'b@example.fr']);
      expect(row.venue!.websites).to.deep.equal(['https://example.fr/?a=1,2', 'https://facebook.com/x']);
      const v01 = only(parseV01(v01Row({ site_web: 'https://a.example.fr,https://b.example.fr' })));
      expect(v01.venue!.websites).to.deep.equal(['https://a.example.fr', 'https://b.example.fr']);
      expect(codes(only(parseV1(v1Row({ courriels: 'pas une adresse' }))))).to.include('invalid_email');
    });
  });

  describe('opening hours and dates', () => {
    it('keeps unparseable hours as text with a warning, flagged invalid', () => {
      const row = only(parseV1(v1Row({ horaires: 'Lundi au vendredi 9h-12h sur rendez-vous' })));
      expect(row.outcome).to.equal('ok');
      expect(row.venue).to.include({
        openingHours: 'Lundi au vendredi 9h-12h sur rendez-vous',
        openingHoursValid: false,
      });
      expect(codes(row)).to.include('opening_hours_unparseable');
    });

    it('stores corrected hours in canonical syntax, with a warning', () => {
      const row = only(parseV1(v1Row({ horaires: 'Mo-Fr 9-12' })));
      expect(row.venue).to.include({ openingHours: 'Mo-Fr 09:00-12:00', openingHoursValid: true });
      expect(codes(row)).to.include('opening_hours_corrected');
    });

    it('keeps valid hours the parser finds doubtful, with its remarks', () => {
      const row = only(parseV1(v1Row({ horaires: 'Mo 10:00-12:00, Tu' })));
      expect(row.venue).to.include({ openingHours: 'Mo 10:00-12:00, Tu', openingHoursValid: true });
      expect(row.warnings.find((warning) => warning.code === 'opening_hours_doubtful')?.message).to.contain(
        'time selector',
      );
    });

    it('reads ISO and French dates and drops the 1970 placeholder', () => {
      expect(only(parseV1(v1Row({ date_maj: '15/01/2024' }))).venue).to.include({ updatedAt: '2024-01-15' });
      expect(only(parseV1(v1Row({ date_maj: '2024-01-15T10:00:00Z' }))).venue).to.include({
        updatedAt: '2024-01-15',
      });
      const placeholder = only(parseV1(v1Row({ date_maj: '1970-01-01' })));
      expect(placeholder.venue).to.include({ updatedAt: null });
      expect(codes(placeholder)).to.include('placeholder_date');
      expect(codes(only(parseV1(v1Row({ date_maj: '2024-02-30' }))))).to.include('invalid_date');
    });
  });

  describe('services and vocabularies', () => {
    it('maps v0.1 service names to the v1.x categories', () => {
      const row = only(
        parseV01(
          v01Row({
            services:
              'Accéder à une connexion internet;Accéder à du matériel;Accompagner les démarches de santé;S’équiper en matériel informatique',
          }),
        ),
      );
      expect(row.venue!.services).to.deep.equal([
        'acces-internet-materiel',
        'aide-demarches-administratives',
        'materiel-prix-solidaire',
      ]);
    });

    it('reports services and values that are not in the standard', () => {
      const row = only(
        parseV1(
          v1Row({
            services: 'Aide aux démarches administratives|Cours de cuisine',
            frais_a_charge: 'Gratuit|Sur devis',
          }),
        ),
      );
      expect(row.venue!.services).to.deep.equal(['aide-demarches-administratives']);
      expect(row.venue!.fees).to.deep.equal(['Gratuit']);
      expect(row.warnings.map(({ code, field }) => `${code}:${field}`)).to.include.members([
        'unknown_service:services',
        'unknown_value:frais_a_charge',
      ]);
    });

    it('warns when no service is listed', () => {
      expect(codes(only(parseV1(v1Row({ services: '' }))))).to.include('missing_services');
    });

    it("reads v1.x values separated by ';' or ', ' as the standard's own example does", () => {
      const row = only(
        parseV1(
          v1Row({
            services: 'Aide aux démarches administratives;Loisirs et créations numériques',
            prise_en_charge_specifique: 'Illetrisme, Langues étrangères (anglais)',
            dispositif_programmes_nationaux: 'Aidants Connect, Conseillers numériques, La Croix Rouge',
          }),
        ),
      );
      expect(row.venue!.services).to.deep.equal([
        'aide-demarches-administratives',
        'loisirs-creations-numeriques',
      ]);
      expect(row.venue!.specificSupport).to.deep.equal(['Illettrisme', 'Langues étrangères (anglais)']);
      expect(row.venue!.nationalPrograms).to.deep.equal([
        'Aidants Connect',
        'Conseillers numériques',
        'La Croix Rouge',
      ]);
      expect(codes(row)).to.not.include('unknown_value');
    });

    it('maps v0.1 publics, conditions and support modes to their v1.x fields', () => {
      const row = only(
        parseV01(
          v01Row({
            publics_accueillis: "Adultes;Seniors (+ 65 ans);Surdité;Personnes en situation d'illettrisme",
            conditions_acces:
              "Adhésion : L'accès au lieu et/ou à ses services nécessite d'y adhérer;Payant : L'accès au lieu et/ou à ses services est payant",
            modalites_accompagnement:
              "Seul : j'ai accès à du matériel et une connexion;A ma place : une personne habilitée fait les démarches à ma place",
            labels_nationaux: 'CNFS;France Services;Fabriques de Territoire;French Tech',
          }),
        ),
      );
      expect(row.venue).to.deep.include({
        publics: ['Seniors'],
        specificSupport: ['Surdité', 'Illettrisme'],
        fees: ['Gratuit sous condition', 'Payant'],
        supportModes: ['En autonomie', 'Accompagnement individuel'],
        nationalPrograms: ['Conseillers numériques', 'France Services'],
        trainingLabels: ['Fabriques de Territoire'],
        otherLabels: ['French Tech'],
      });
      expect(codes(row)).to.not.include('unknown_value');
    });

    it('reads the itinerant flag of v1.x', () => {
      expect(only(parseV1(v1Row({ itinerance: 'Itinérant' }))).venue).to.include({ itinerant: true });
      expect(only(parseV1(v1Row({ itinerance: 'Fixe' }))).venue).to.include({ itinerant: false });
    });
  });

  describe('Pass numérique', () => {
    it('flags a v0.1 venue whose conditions_acces accepts the Pass numérique', () => {
      const row = only(
        parseV01(
          v01Row({
            conditions_acces:
              "Gratuit : Je peux accéder gratuitement au lieu et à ses services;Accepte le Pass numérique : Il est possible d'utiliser un Pass numérique pour accéder au lieu",
          }),
        ),
      );
      expect(row.venue).to.include({ acceptsPassNumerique: true });
      expect(row.venue!.fees).to.deep.equal(['Gratuit']);
      expect(codes(row)).to.not.include('pass_numerique_inferred');
    });

    it('does not flag a v0.1 venue without it', () => {
      expect(only(parseV01(v01Row())).venue).to.include({ acceptsPassNumerique: false });
    });

    it('flags a venue labelled APTIC, and says it was inferred', () => {
      const row = only(parseV01(v01Row({ labels_nationaux: 'APTIC' })));
      expect(row.venue).to.include({ acceptsPassNumerique: true });
      expect(row.venue!.otherLabels).to.deep.equal(['APTIC']);
      expect(row.warnings.find((warning) => warning.code === 'pass_numerique_inferred')).to.include({
        field: 'labels_nationaux',
      });
    });

    it('flags a v1.x venue that writes Pass numérique in frais_a_charge, a programme or the free labels', () => {
      const placements: Cells[] = [
        { frais_a_charge: 'Gratuit sous condition|Pass numérique' },
        { dispositif_programmes_nationaux: 'France Services|Pass numérique' },
        { autres_formations_labels: 'Pass numérique' },
      ];
      for (const overrides of placements) {
        const row = only(parseV1(v1Row(overrides)));
        expect(row.venue, JSON.stringify(overrides)).to.include({ acceptsPassNumerique: true });
        expect(codes(row), JSON.stringify(overrides)).to.not.include.members([
          'unknown_value',
          'pass_numerique_inferred',
        ]);
        expect(row.venue!.otherLabels).to.deep.equal([]);
      }
    });

    it('does not read the definition of "Gratuit sous condition", which cites pass numériques, as acceptance', () => {
      const row = only(
        parseV1(
          v1Row({
            frais_a_charge:
              'Gratuit sous condition : La gratuité est conditionnée à des critères (adhésion, situation familiale, convention avec un organisme social, pass numériques…)',
          }),
        ),
      );
      expect(row.venue).to.include({ acceptsPassNumerique: false });
      expect(row.venue!.fees).to.deep.equal(['Gratuit sous condition']);
    });
  });

  describe('file formats and versions', () => {
    it('detects v1.x and v0.1 from their own columns', () => {
      expect(parseV1(v1Row()).schemaVersion).to.equal('1.x');
      expect(parseV01(v01Row()).schemaVersion).to.equal('0.1');
      expect(parseV1(v1Row()).warnings).to.deep.equal([]);
    });

    it('guesses the version from the separators when only shared columns are present, and says so', () => {
      const shared = ['id', 'pivot', 'nom', 'commune', 'code_postal', 'adresse', 'date_maj', 'services'];
      const v1 = parseVenueOpenData(csvOf([v1Row()], shared), 'csv');
      expect(v1.schemaVersion).to.equal('1.x');
      expect(v1.warnings.map((warning) => warning.code)).to.deep.equal(['schema_version_guessed']);
      const v01 = parseVenueOpenData(csvOf([v01Row()], shared), 'csv');
      expect(v01.schemaVersion).to.equal('0.1');
      expect(v01.rows[0]!.venue!.services).to.deep.equal([
        'acces-internet-materiel',
        'maitrise-outils-numeriques',
      ]);
    });

    it('reads quoted CSV fields holding commas, quotes and line breaks, and numbers rows by file line', () => {
      const csv = [
        'id,nom,adresse,commune,code_postal,presentation_detail,services,frais_a_charge',
        '1,"Maison France Services, Die","2 rue ""Camille"" Buffardel",Die,26150,"Première ligne',
        'deuxième ligne",Aide aux démarches administratives,Gratuit',
        '2,Atelier,3 rue Joubernon,Die,26150,,Aide aux démarches administratives,Payant',
      ].join('\r\n');
      const result = parseVenueOpenData(csv, 'csv');
      expect(result.rows.map((row) => [row.rowNumber, row.line])).to.deep.equal([
        [1, 2],
        [2, 4],
      ]);
      expect(result.rows[0]!.venue).to.include({
        name: 'Maison France Services, Die',
        address: '2 rue "Camille" Buffardel',
      });
      expect(result.rows[0]!.venue!.description).to.match(/^Première ligne\r?\ndeuxième ligne$/);
    });

    it('reads a semicolon-delimited CSV with a byte-order mark, as spreadsheets save it', () => {
      const csv =
        '\ufeffid;nom;adresse;commune;code_postal;services;frais_a_charge\n7;EPN;1 rue A;Die;26150;Aide aux démarches administratives;Gratuit\n';
      const row = only(parseVenueOpenData(csv, 'csv'));
      expect(row).to.include({ sourceId: '7', outcome: 'ok' });
      expect(row.venue).to.include({ name: 'EPN', postcode: '26150' });
    });

    it('keeps a row with too few or too many fields, with a warning', () => {
      const csv = 'id,nom,adresse,commune\n1,EPN,1 rue A\n2,EPN 2,2 rue B,Die,extra\n';
      const result = parseVenueOpenData(csv, 'csv');
      expect(result.rows.map((row) => row.outcome)).to.deep.equal(['rejected', 'ok']);
      expect(result.rows.every((row) => codes(row).includes('column_count_mismatch'))).to.equal(true);
    });

    it('reports columns outside the standard and required columns that are absent', () => {
      const csv = 'id,nom,adresse,commune,couleur\n1,EPN,1 rue A,Die,bleu\n';
      const codesOfFile = parseVenueOpenData(csv, 'csv').warnings.map((warning) => warning.code);
      expect(codesOfFile).to.include.members(['unknown_columns', 'missing_columns']);
    });

    it('reads JSON arrays, including numbers and arrays as cell values', () => {
      const json = JSON.stringify([
        {
          id: 42,
          nom: 'EPN',
          adresse: '1 rue A',
          commune: 'Die',
          latitude: 44.75,
          longitude: 5.37,
          services: ['Aide aux démarches administratives', 'Accès internet et matériel informatique'],
          frais_a_charge: ['Gratuit'],
        },
      ]);
      const row = only(parseVenueOpenData(json, 'json'));
      expect(row.sourceId).to.equal('42');
      expect(row.venue).to.include({ latitude: 44.75, longitude: 5.37 });
      expect(row.venue!.services).to.deep.equal([
        'aide-demarches-administratives',
        'acces-internet-materiel',
      ]);
    });

    it('refuses content that is not a table', () => {
      const failure = (content: string, format: 'csv' | 'json') => {
        try {
          parseVenueOpenData(content, format);
        } catch (error) {
          expect(error).to.be.instanceOf(VenueOpenDataFormatError);
          return (error as VenueOpenDataFormatError).code;
        }
        return 'no error';
      };
      expect(failure('id,nom\n1,"unterminated', 'csv')).to.equal('invalid_csv');
      expect(failure('{"id": 1}', 'json')).to.equal('json_not_an_array');
      expect(failure('[{"id": 1', 'json')).to.equal('invalid_json');
      expect(failure('  ', 'csv')).to.equal('empty_file');
    });
  });
});
