import { expect } from 'chai';
import { stringify } from 'csv-stringify/sync';
import { V1_COLUMNS } from '../venues-open-data';
import { parseVenueOpenData } from '../venues-open-data';
import type { Venue } from '../venues/venue';
import { buildVenue } from '../venues/venue-test-builders';
import { importKeyOf, keyString, planVenueImport } from './venue-import-plan';

type Cells = Record<string, string>;

function row(overrides: Cells = {}): Cells {
  return {
    id: 'lieu-1',
    pivot: '12002701600563',
    nom: 'Médiathèque de Privas',
    commune: 'Privas',
    code_postal: '07000',
    adresse: '1 place de la République',
    latitude: '44.735300',
    longitude: '4.599200',
    horaires: 'Tu-Sa 10:00-18:00',
    source: 'Ville de Privas',
    date_maj: '2024-01-15',
    services: 'Aide aux démarches administratives',
    frais_a_charge: 'Gratuit',
    autres_formations_labels: 'Pass numérique',
    ...overrides,
  };
}

const parse = (...rows: Cells[]) =>
  parseVenueOpenData(
    stringify(
      rows.map((cells) => V1_COLUMNS.map((column) => cells[column] ?? '')),
      { header: true, columns: [...V1_COLUMNS] },
    ),
    'csv',
  );

/** The venue a first import stores, as the database gives it back (ids and dates added). */
function stored(rows: Cells[], overrides: Partial<Venue> = {}): Map<string, Venue> {
  const plan = planVenueImport(parse(...rows), new Map());
  const map = new Map<string, Venue>();
  plan.writes.forEach((write, index) => {
    if (write.kind !== 'insert') return;
    map.set(
      write.key,
      buildVenue({ ...write.venue, id: `00000000-0000-4000-8000-00000000000${index}`, ...overrides }),
    );
  });
  return map;
}

describe('planVenueImport', () => {
  it('creates a venue accepting the Pass numérique as applied, without association, with its INSEE code resolved', () => {
    const plan = planVenueImport(parse(row()), new Map());
    expect(plan.rows).to.have.length(1);
    expect(plan.rows[0]).to.include({
      outcome: 'created',
      status: 'applied',
      acceptsPass: true,
      venueId: null,
    });
    expect(plan.writes[0]).to.deep.include({ kind: 'insert' });
    const venue = plan.writes[0]!.venue;
    expect(venue).to.include({
      associationId: null,
      inseeCode: '07186',
      source: 'Ville de Privas',
      sourceId: 'lieu-1',
    });
    expect(plan.rows[0]!.warnings.map((w) => w.code)).to.include('insee_code_resolved');
  });

  it('lists a venue that does not accept the pass, and applies it when a later file says it does', () => {
    const first = planVenueImport(parse(row({ autres_formations_labels: '' })), new Map());
    expect(first.rows[0]).to.include({ outcome: 'created', status: 'listed', acceptsPass: false });
    const existing = stored([row({ autres_formations_labels: '' })]);
    const second = planVenueImport(parse(row()), existing);
    expect(second.rows[0]).to.include({ outcome: 'updated', status: 'applied' });
    // "Pass numérique" is the flag, not a label kept in details: only the flag and the status change.
    expect(second.rows[0]!.changedFields).to.deep.equal(['acceptsPass', 'accreditationStatus']);
  });

  it('reports an identical row as unchanged and plans no write', () => {
    const plan = planVenueImport(parse(row()), stored([row()]));
    expect(plan.rows[0]).to.include({
      outcome: 'unchanged',
      venueId: '00000000-0000-4000-8000-000000000000',
    });
    expect(plan.rows[0]!.changedFields).to.deep.equal([]);
    expect(plan.writes).to.deep.equal([]);
  });

  it('updates only the open-data fields and keeps the association, the accreditation and the contact name', () => {
    const associationId = '99999999-9999-4999-8999-999999999999';
    const existing = stored([row()], {
      associationId,
      accreditationStatus: 'accredited',
      contactName: 'Mme Martin',
    });
    const plan = planVenueImport(parse(row({ horaires: 'Mo-Fr 09:00-12:00' })), existing);
    expect(plan.rows[0]).to.include({ outcome: 'updated', status: 'accredited' });
    expect(plan.rows[0]!.changedFields).to.deep.equal(['openingHours']);
    const write = plan.writes[0]!;
    expect(write.kind).to.equal('update');
    expect(write.venue).to.include({
      associationId,
      accreditationStatus: 'accredited',
      contactName: 'Mme Martin',
      openingHours: 'Mo-Fr 09:00-12:00',
    });
  });

  it('does not demote a venue whose file no longer mentions the pass', () => {
    const existing = stored([row()], { accreditationStatus: 'accredited' });
    const plan = planVenueImport(parse(row({ autres_formations_labels: '' })), existing);
    expect(plan.rows[0]).to.include({ outcome: 'updated', status: 'accredited', acceptsPass: false });
  });

  it('rejects a row that cannot be a venue and says why, keeping the others', () => {
    const plan = planVenueImport(parse(row({ id: 'a', nom: '' }), row({ id: 'b' })), new Map());
    expect(plan.rows.map((r) => r.outcome)).to.deep.equal(['rejected', 'created']);
    expect(plan.rows[0]!.errors.map((e) => e.code)).to.deep.equal(['missing_name']);
    expect(plan.writes).to.have.length(1);
  });

  it('keeps a venue with bad hours and an odd phone, with warnings', () => {
    const plan = planVenueImport(
      parse(row({ horaires: 'le matin sauf le mardi', telephone: '4 75 00 00 00' })),
      new Map(),
    );
    expect(plan.rows[0]!.outcome).to.equal('created');
    expect(plan.writes[0]!.venue).to.include({
      openingHours: 'le matin sauf le mardi',
      openingHoursValid: false,
    });
    expect(plan.rows[0]!.warnings.map((w) => w.code)).to.include.members([
      'opening_hours_unparseable',
      'phone_repaired',
    ]);
  });

  it('merges two rows with the same id into one venue, the later row winning', () => {
    const plan = planVenueImport(parse(row({ nom: 'Ancien nom' }), row({ nom: 'Nouveau nom' })), new Map());
    expect(plan.rows.map((r) => r.outcome)).to.deep.equal(['created', 'updated']);
    expect(plan.writes).to.have.length(1);
    expect(plan.writes[0]).to.deep.include({ kind: 'insert', rowNumbers: [1, 2] });
    expect(plan.writes[0]!.venue.name).to.equal('Nouveau nom');
  });

  it('keys a row without id on its name and address, so a re-import finds it', () => {
    const noId = row({ id: '' });
    const first = planVenueImport(parse(noId), new Map());
    expect(first.writes[0]!.venue.sourceId).to.match(/^derived-[0-9a-f]{16}$/);
    expect(first.rows[0]!.warnings.map((w) => w.code))
      .to.include('source_id_derived')
      .and.not.include('missing_source_id');
    const again = planVenueImport(parse(noId), stored([noId]));
    expect(again.rows[0]!.outcome).to.equal('unchanged');
  });

  it('uses the source forced by the request for every key', () => {
    const venue = parse(row()).rows[0]!.venue!;
    expect(importKeyOf(venue, 'hub-drome')).to.deep.equal({ source: 'hub-drome', sourceId: 'lieu-1' });
    expect(keyString(importKeyOf(venue))).to.equal('Ville de Privas\u0000lieu-1');
  });

  it('keeps an INSEE code set by hand when the file has none and none can be found', () => {
    const lost = row({ commune: 'Nulle-Part', code_postal: '99999' });
    const existing = stored([lost], { inseeCode: '07186' });
    const plan = planVenueImport(parse(lost), existing);
    expect(plan.rows[0]!.outcome).to.equal('updated');
    expect(plan.rows[0]!.changedFields).to.deep.equal(['warnings']);
    expect(plan.writes[0]!.venue.inseeCode).to.equal('07186');
    expect(plan.rows[0]!.warnings.map((w) => w.code))
      .to.include('insee_code_kept')
      .and.not.include('insee_code_unresolved');
  });
});
