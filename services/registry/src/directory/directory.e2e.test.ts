import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, demoEmail, type TestApp } from '../../../../test/support/app';
import { as, insertAssociation, insertVenue } from '../testing/registry-fixtures';

describe('public directory of accredited venues (e2e)', () => {
  let t: TestApp;
  const search = (query: string) => request(t.app).get(`/api/v1/public/venues?${query}`);

  before(async () => {
    t = await createTestApp();
  });
  after(async () => {
    await t.close();
  });

  it('finds the accredited venues of a postcode, with catalogue and hours, without login', async () => {
    const res = await search('postcode=07440');
    expect(res.status).to.equal(200);
    expect(res.body.match).to.equal('postcode');
    expect(res.body.items.map((v: { id: string }) => v.id)).to.deep.equal([t.demo.ids.venueId]);
    const venue = res.body.items[0];
    expect(venue).to.include({ name: 'Espace Public Numérique Alboussière', openingHoursValid: true });
    expect(venue.openingHours).to.be.a('string');
    expect(venue.catalogue.map((i: { pricePasses: number }) => i.pricePasses)).to.deep.equal([1, 2, 3]);
    expect(venue.catalogue[0]).to.include({ id: t.demo.ids.serviceOnePassId, zeroRemainder: true });
  });

  it('gives nothing about payees, identifiers or data quality', async () => {
    const res = await search('postcode=07440');
    const venue = res.body.items[0];
    for (const hidden of [
      'associationId',
      'siret',
      'rna',
      'warnings',
      'details',
      'accreditationStatus',
      'source',
    ]) {
      expect(venue, hidden).to.not.have.property(hidden);
    }
  });

  it('finds venues of a commune by name or INSEE code', async () => {
    const byName = await search('commune=Annonay');
    expect(byName.body.match).to.equal('commune');
    expect(byName.body.items.length).to.be.greaterThan(0);
    for (const venue of byName.body.items) expect(venue.postcode).to.match(/^071/);
    const byCode = await search('commune=07010');
    expect(byCode.body.items.map((v: { id: string }) => v.id)).to.deep.equal(
      byName.body.items.map((v: { id: string }) => v.id),
    );
  });

  it('falls back to the département when the commune has no venue', async () => {
    // Le Cheylard (07160) has no accredited venue in the demo; the Ardèche has several.
    const res = await search('postcode=07160');
    expect(res.body.match).to.equal('departement');
    expect(res.body.items.length).to.be.greaterThan(1);
    const ids = res.body.items.map((v: { id: string }) => v.id);
    expect(ids).to.include(t.demo.ids.venueId);
  });

  it('finds venues around a point, nearest first, within the radius', async () => {
    // Valence, Drôme: the Hinaura data has many venues around.
    const res = await search('lat=44.9334&lon=4.8924&radiusKm=15');
    expect(res.body.match).to.equal('coordinates');
    const distances = res.body.items.map((v: { distanceKm: number }) => v.distanceKm);
    expect(distances.length).to.be.greaterThan(2);
    expect(distances).to.deep.equal([...distances].sort((a: number, b: number) => a - b));
    expect(Math.max(...distances)).to.be.at.most(15);
    const wider = await search('lat=44.9334&lon=4.8924&radiusKm=60&limit=100');
    expect(wider.body.items.length).to.be.greaterThan(distances.length);
  });

  it('shows only accredited venues: suspending one removes it at once', async () => {
    const associationId = await insertAssociation(t.db.knex);
    const venueId = await insertVenue(t.db.knex, {
      association_id: associationId,
      accreditation_status: 'accredited',
      postcode: '38000',
      commune: 'Grenoble',
      insee_code: '38185',
    });
    await insertVenue(t.db.knex, {
      association_id: associationId,
      accreditation_status: 'applied',
      postcode: '38000',
      commune: 'Grenoble',
      insee_code: '38185',
      name: 'En attente',
    });
    expect((await search('postcode=38000')).body.items.map((v: { id: string }) => v.id))
      .to.include(venueId)
      .and.have.length.greaterThan(0);
    expect((await search('postcode=38000')).body.items.map((v: { name: string }) => v.name)).to.not.include(
      'En attente',
    );
    const admin = await as(t, demoEmail('operator_admin'));
    await admin
      .post(`/api/v1/venues/${venueId}/accreditation`)
      .send({ action: 'suspend', reason: 'Contrôle' });
    expect((await search('postcode=38000')).body.items.map((v: { id: string }) => v.id)).to.not.include(
      venueId,
    );
    expect((await request(t.app).get(`/api/v1/public/venues/${venueId}`)).status).to.equal(404);
    expect((await request(t.app).get(`/api/v1/public/venues/${t.demo.ids.venueId}`)).body.name).to.equal(
      'Espace Public Numérique Alboussière',
    );
  });

  it('filters by service category', async () => {
    const res = await search('postcode=07440&category=utilisation-securisee');
    expect(res.body.items.map((v: { id: string }) => v.id)).to.not.include(t.demo.ids.venueId);
    const offered = await search('postcode=07440&category=aide-demarches-administratives');
    expect(offered.body.items.map((v: { id: string }) => v.id)).to.deep.equal([t.demo.ids.venueId]);
  });

  it('asks for exactly one way to locate', async () => {
    for (const query of ['', 'postcode=07440&commune=Privas', 'lat=44.9', 'postcode=7440']) {
      const res = await search(query);
      expect(res.status, query).to.equal(400);
    }
    expect((await search('')).body.code).to.equal('location_required');
  });

  it('lists the service categories of the national standard', async () => {
    const res = await request(t.app).get('/api/v1/public/service-categories');
    expect(res.body.items).to.have.length(9);
    expect(res.body.items[0]).to.deep.equal({
      slug: 'aide-demarches-administratives',
      label: 'Aide aux démarches administratives',
    });
  });
});
