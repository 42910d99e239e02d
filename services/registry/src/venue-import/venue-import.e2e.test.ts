import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import request from 'supertest';
import { type BareTestApp, createBareTestApp } from '../testing/bare-test-app';
import { parseVenueOpenData, V1_COLUMNS } from '../venues-open-data';
import { venueImportCommand } from './venue-import-command';

const dataPath = (name: string) => fileURLToPath(new URL(`../../data/${name}`, import.meta.url));
const dataFile = (name: string) => readFileSync(dataPath(name), 'utf8');

describe('venue open-data import and export (e2e)', () => {
  let t: BareTestApp;
  const post = (url: string) => request(t.app).post(url).set('Authorization', `Bearer ${t.token}`);
  const get = (url: string) => request(t.app).get(url).set('Authorization', `Bearer ${t.token}`);
  const importCsv = (file: string, query = '') =>
    post(`/api/v1/venues/import${query}`).set('Content-Type', 'text/csv').send(dataFile(file));
  const count = async (where: Record<string, unknown> = {}) =>
    Number(
      (await t.db.knex('registry.venues').where(where).count<{ count: string }[]>('* as count'))[0]!.count,
    );

  before(async () => {
    t = await createBareTestApp();
  });
  after(async () => {
    await t.close();
  });

  describe('the Hinaura files (schema v0.1, 261 real venues)', () => {
    it('reports every row in a dry run and writes nothing', async () => {
      const res = await importCsv('hinaura-mednum-v0.csv');
      expect(res.status).to.equal(200);
      expect(res.body.dryRun).to.equal(true);
      expect(res.body.schemaVersion).to.equal('0.1');
      expect(res.body.summary).to.deep.include({
        rows: 261,
        created: 261,
        updated: 0,
        unchanged: 0,
        rejected: 0,
        acceptingPass: 91,
      });
      expect(res.body.rows).to.have.length(261);
      expect(await count()).to.equal(0);
      const audit = await t.db
        .knex('platform.audit_log')
        .where('action', 'like', 'venue%')
        .count<{ count: string }[]>('* as count');
      expect(Number(audit[0]!.count)).to.equal(0);
    });

    it('imports 261 venues with a report per row: 91 accepting the pass as applied, 170 listed, none attached', async () => {
      const res = await importCsv('hinaura-mednum-v0.csv', '?dryRun=false');
      expect(res.status).to.equal(200);
      expect(res.body.dryRun).to.equal(false);
      expect(res.body.summary).to.deep.include({ rows: 261, created: 261, rejected: 0, acceptingPass: 91 });
      const rows = res.body.rows as {
        rowNumber: number;
        line: number;
        outcome: string;
        venueId: string;
        status: string;
        warnings: { code: string }[];
      }[];
      expect(rows.map((row) => row.rowNumber)).to.deep.equal(Array.from({ length: 261 }, (_, i) => i + 1));
      expect(rows.every((row) => row.outcome === 'created' && /^[0-9a-f-]{36}$/.test(row.venueId))).to.equal(
        true,
      );
      expect(rows[0]!.line).to.equal(2);
      // The all-zero SIRET of every row is kept as a warning, never a rejection.
      expect(rows.every((row) => row.warnings.some((w) => w.code === 'siret_all_zeros'))).to.equal(true);
      expect(res.body.summary.warnings.siret_all_zeros).to.equal(261);
      expect(await count()).to.equal(261);
      expect(await count({ accreditation_status: 'applied', accepts_pass: true })).to.equal(91);
      expect(await count({ accreditation_status: 'listed', accepts_pass: false })).to.equal(170);
      expect(await count({ association_id: null })).to.equal(261);
    });

    it('resolves the missing INSEE codes from postcode and commune, and says which it could not', async () => {
      expect(await count({ source: 'Hinaura' })).to.equal(261);
      const unresolved = await t.db
        .knex('registry.venues')
        .where({ source: 'Hinaura' })
        .whereNull('insee_code')
        .orderBy('commune');
      // Seynod merged into Annecy in 2021; two communes of 73110 contain "La Rochette": both are left for a person.
      expect(unresolved.map((venue) => `${venue.postcode} ${venue.commune}`)).to.deep.equal([
        '73110 La Rochette',
        '74600 Seynod',
      ]);
      for (const venue of unresolved) {
        expect(venue.warnings.map((w: { code: string }) => w.code)).to.include('insee_code_unresolved');
      }
      const byPostcode = await t.db
        .knex('registry.venues')
        .where({ source: 'Hinaura', source_id: '13' })
        .first();
      expect(byPostcode.insee_code).to.equal('07007');
      // "01500 Bourg-en-Bresse": the postcode is Ambérieu's, the name is unique in France.
      const byName = await t.db
        .knex('registry.venues')
        .where({ source: 'Hinaura', commune: 'Bourg-en-Bresse', postcode: '01500' })
        .first();
      expect(byName.insee_code).to.equal('01053');
    });

    it('records the import in the audit log, with one entry per venue created', async () => {
      const summary = await t.db.knex('platform.audit_log').where({ action: 'venue_import.applied' }).first();
      expect(summary.summary).to.include({ created: 261, acceptingPass: 91 });
      expect(summary.actor_role).to.equal('operator_admin');
      const perVenue = await t.db
        .knex('platform.audit_log')
        .where({ action: 'venue.imported' })
        .count<{ count: string }[]>('* as count');
      expect(Number(perVenue[0]!.count)).to.equal(261);
    });

    it('changes nothing when the same file is imported again', async () => {
      const before = await t.db.knex('registry.venues').orderBy('id').select('id', 'updated_at');
      const res = await importCsv('hinaura-mednum-v0.csv', '?dryRun=false');
      expect(res.status).to.equal(200);
      expect(res.body.summary).to.deep.include({ created: 0, updated: 0, unchanged: 261, rejected: 0 });
      const after = await t.db.knex('registry.venues').orderBy('id').select('id', 'updated_at');
      expect(after).to.deep.equal(before);
    });

    it('reads the JSON file of the same data as the same venues', async () => {
      const res = await post('/api/v1/venues/import?dryRun=false').send({
        format: 'json',
        content: dataFile('hinaura-mednum-v0.json'),
      });
      expect(res.status).to.equal(200);
      expect(res.body.summary).to.deep.include({ rows: 261, unchanged: 261 });
      expect(await count()).to.equal(261);
    });

    it('updates only the venue whose row changed, and only the changed field', async () => {
      const changed = dataFile('hinaura-mednum-v0.csv').replace(
        'Mo-Fr 09:30-12:30,13:30-17:00; We,Sa 09:30-12:30',
        'Mo-Fr 09:00-12:00',
      );
      const res = await post('/api/v1/venues/import?dryRun=false').send({ format: 'csv', content: changed });
      expect(res.body.summary).to.deep.include({ updated: 1, unchanged: 260 });
      const updated = (
        res.body.rows as { sourceId: string; outcome: string; changedFields: string[] }[]
      ).find((r) => r.outcome === 'updated')!;
      expect(updated).to.deep.include({ sourceId: '13', changedFields: ['openingHours'] });
      const venue = await t.db.knex('registry.venues').where({ source: 'Hinaura', source_id: '13' }).first();
      expect(venue.opening_hours).to.equal('Mo-Fr 09:00-12:00');
    });
  });

  describe('an imported venue that accepts the pass', () => {
    it('cannot be accredited before an operator attaches it to its association; re-import keeps both', async () => {
      const venue = await t.db.knex('registry.venues').where({ source: 'Hinaura', source_id: '13' }).first();
      const refused = await post(`/api/v1/venues/${venue.id}/accreditation`).send({ action: 'accredit' });
      expect(refused.status).to.equal(422);
      expect(refused.body.code).to.equal('association_required');
      const association = await post('/api/v1/associations').send({
        legalName: 'Inforoutes de l’Ardèche',
        rna: 'W072000123',
        address: { street: 'Rue des Écoliers', buildingNumber: '20', postcode: '07440', town: 'Alboussière' },
      });
      expect(association.status).to.equal(201);
      const attached = await post(`/api/v1/venues/${venue.id}/association`).send({
        associationId: association.body.id,
      });
      expect(attached.status).to.equal(200);
      const accredited = await post(`/api/v1/venues/${venue.id}/accreditation`).send({ action: 'accredit' });
      expect(accredited.status).to.equal(200);
      expect(accredited.body.accreditationStatus).to.equal('accredited');
      const again = await importCsv('hinaura-mednum-v0.csv', '?dryRun=false');
      const row = (again.body.rows as { sourceId: string; status: string; venueId: string }[]).find(
        (r) => r.sourceId === '13',
      )!;
      expect(row).to.include({ status: 'accredited', venueId: venue.id });
      const after = await t.db.knex('registry.venues').where({ id: venue.id }).first();
      expect(after).to.include({ association_id: association.body.id, accreditation_status: 'accredited' });
    });
  });

  describe('a v1.x file', () => {
    it('imports the v1.x sample: four venues kept with warnings, one rejected with its reason', async () => {
      const res = await post('/api/v1/venues/import?dryRun=false').send({
        format: 'csv',
        content: dataFile('sample-v1.csv'),
      });
      expect(res.status).to.equal(200);
      expect(res.body.schemaVersion).to.equal('1.x');
      expect(res.body.summary).to.deep.include({ rows: 5, created: 4, rejected: 1 });
      const rows = res.body.rows as {
        sourceId: string;
        outcome: string;
        status: string;
        errors: { code: string; message: string }[];
        warnings: { code: string }[];
      }[];
      const rejected = rows.find((r) => r.sourceId === 'lieu-004')!;
      expect(rejected.outcome).to.equal('rejected');
      expect(rejected.errors.map((e) => e.code)).to.deep.equal(['missing_location']);
      expect(rejected.errors[0]!.message).to.be.a('string').and.not.empty;
      expect(rows.find((r) => r.sourceId === 'lieu-001')).to.include({ status: 'applied' });
      const flawed = rows.find((r) => r.sourceId === 'lieu-003')!;
      expect(flawed.outcome).to.equal('created');
      expect(flawed.warnings.map((w) => w.code)).to.include.members([
        'opening_hours_unparseable',
        'postcode_zero_restored',
        'siret_all_zeros',
      ]);
      const bus = await t.db.knex('registry.venues').where({ source_id: 'lieu-002' }).first();
      expect(bus).to.include({ itinerant: true, rna: 'W751515517', accepts_pass: true });
      const guadeloupe = await t.db.knex('registry.venues').where({ source_id: 'lieu-005' }).first();
      expect(guadeloupe.insee_code).to.equal('97120');
    });

    it('reads the JSON sample as the same venues', async () => {
      const res = await post('/api/v1/venues/import').send({
        format: 'json',
        content: dataFile('sample-v1.json'),
      });
      expect(res.body.summary).to.deep.include({ rows: 5, unchanged: 4, rejected: 1 });
    });
  });

  describe('export', () => {
    it('writes the v1.x columns, readable back with the pass flags', async () => {
      const res = await get('/api/v1/venues/export?format=csv');
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.match(/^text\/csv/);
      const header = res.text.split('\n', 1)[0]!.trim().split(',');
      expect(header).to.deep.equal([...V1_COLUMNS]);
      const parsed = parseVenueOpenData(res.text, 'csv');
      expect(parsed.schemaVersion).to.equal('1.x');
      expect(parsed.rows).to.have.length(265);
      expect(parsed.rows.filter((row) => row.venue?.acceptsPassNumerique)).to.have.length(93);
      const alboussiere = parsed.rows.find((row) => row.sourceId === '13')!.venue!;
      // The last import of the original file brought the original hours back.
      expect(alboussiere).to.include({
        inseeCode: '07007',
        postcode: '07440',
        source: 'Hinaura',
        openingHours: 'Mo-Fr 09:30-12:30,13:30-17:00; We,Sa 09:30-12:30',
      });
    });

    it('exports JSON filtered by status', async () => {
      const res = await get('/api/v1/venues/export?format=json&status=accredited');
      expect(res.status).to.equal(200);
      const records = JSON.parse(res.text) as { id: string; nom: string }[];
      expect(records.map((r) => r.id)).to.deep.equal(['13']);
    });
  });

  describe('refusals', () => {
    it('answers a file that is not a table with 400 and the parser’s code', async () => {
      const broken = await post('/api/v1/venues/import').send({
        format: 'json',
        content: '{"not": "an array"',
      });
      expect(broken.status).to.equal(400);
      expect(broken.body.code).to.equal('invalid_json');
      const notArray = await post('/api/v1/venues/import').send({ format: 'json', content: '{"nom": "x"}' });
      expect(notArray.body.code).to.equal('json_not_an_array');
    });

    it('refuses an import to anyone but an operator administrator', async () => {
      const res = await request(t.app)
        .post('/api/v1/venues/import')
        .send({ format: 'csv', content: 'id,nom' });
      expect(res.status).to.equal(401);
    });
  });

  describe('the CLI command', () => {
    it('prints the JSON report of a dry run without writing', async () => {
      const before = await count();
      const result = await venueImportCommand.run(t.runtime.ctx, [
        dataPath('sample-v1.csv'),
        '--dry-run',
        '--json',
        '--source',
        'cli-test',
      ]);
      expect(result.exitCode).to.equal(0);
      const report = JSON.parse(result.output);
      expect(report).to.include({ dryRun: true, source: 'cli-test' });
      expect(report.summary).to.include({ rows: 5, created: 4, rejected: 1 });
      expect(await count()).to.equal(before);
    });

    it('prints a readable report and applies without --dry-run', async () => {
      const result = await venueImportCommand.run(t.runtime.ctx, [
        dataPath('sample-v1.json'),
        '--source',
        'cli-test',
      ]);
      expect(result.exitCode).to.equal(0);
      expect(result.output).to.include('5 lignes : 4 créées, 0 mises à jour, 0 inchangées, 1 rejetées');
      expect(result.output).to.include('missing_location');
      expect(await count({ source: 'cli-test' })).to.equal(4);
    });

    it('exits 2 on a usage error and 1 on an unreadable file', async () => {
      expect((await venueImportCommand.run(t.runtime.ctx, [])).exitCode).to.equal(2);
      expect((await venueImportCommand.run(t.runtime.ctx, ['/nonexistent/file.csv'])).exitCode).to.equal(1);
    });
  });
});
