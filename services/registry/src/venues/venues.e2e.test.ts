import { expect } from 'chai';
import type request from 'supertest';
import { createTestApp, demoEmail, type TestApp } from '../../../../test/support/app';
import { as, createOtherTenants, type OtherTenants } from '../testing/registry-fixtures';

describe('venues, accreditation and catalogue (e2e)', () => {
  let t: TestApp;
  let other: OtherTenants;
  before(async () => {
    t = await createTestApp();
    other = await createOtherTenants(t);
  });
  after(async () => {
    await t.close();
  });

  describe('declaring and editing a venue', () => {
    let venueId: string;

    it('lets a treasurer declare a venue of their association: applied, INSEE resolved, bad hours kept with a warning', async () => {
      const treasurer = await as(t, demoEmail('association_treasurer'));
      const res = await treasurer.post('/api/v1/venues').send({
        name: 'Bus numérique des Boutières',
        postcode: '07160',
        commune: 'Le Cheylard',
        itinerant: true,
        openingHours: 'le mardi matin sur la place',
        phone: '04 75 29 00 00',
        accessibilityUrl: 'https://acceslibre.beta.gouv.fr/app/07-le-cheylard/a/mairie/erp/bus/',
        contactName: 'Julie, médiatrice',
        services: ['aide-demarches-administratives'],
      });
      expect(res.status).to.equal(201);
      venueId = res.body.id;
      expect(res.body).to.deep.include({
        associationId: t.demo.ids.associationId,
        accreditationStatus: 'applied',
        inseeCode: '07064',
        itinerant: true,
        openingHours: 'le mardi matin sur la place',
        openingHoursValid: false,
        phone: '+33475290000',
        accreditationActions: ['accredit', 'revoke'],
      });
      expect(res.body.warnings.map((w: { code: string }) => w.code)).to.deep.equal([
        'opening_hours_unparseable',
        'insee_code_resolved',
      ]);
    });

    it('stores valid hours in canonical OSM syntax and drops the old warning', async () => {
      const treasurer = await as(t, demoEmail('association_treasurer'));
      const res = await treasurer.patch(`/api/v1/venues/${venueId}`).send({ openingHours: 'Tu 09:00-12:00' });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ openingHours: 'Tu 09:00-12:00', openingHoursValid: true });
      expect(res.body.warnings.map((w: { code: string }) => w.code)).to.deep.equal(['insee_code_resolved']);
    });

    it('refuses an unknown INSEE code, a bad phone and a half coordinate', async () => {
      const treasurer = await as(t, demoEmail('association_treasurer'));
      const res = await treasurer
        .patch(`/api/v1/venues/${venueId}`)
        .send({ inseeCode: '07999', phone: '12', latitude: 44.9 });
      expect(res.status).to.equal(400);
      expect(res.body.errors.map((e: { code: string }) => e.code).sort()).to.deep.equal(
        ['coordinates_incomplete', 'phone_wrong_length', 'unknown_insee_code'].sort(),
      );
    });

    it('refuses an address change that would leave an accredited venue without INSEE code', async () => {
      const treasurer = await as(t, demoEmail('association_treasurer'));
      const res = await treasurer
        .patch(`/api/v1/venues/${t.demo.ids.venueId}`)
        .send({ postcode: '99999', commune: 'Nulle-Part' });
      expect(res.status).to.equal(422);
      expect(res.body.code).to.equal('insee_code_required');
      const venue = await t.db.knex('registry.venues').where({ id: t.demo.ids.venueId }).first();
      expect(venue).to.include({ postcode: '07440', insee_code: '07007' });
    });

    it('lets a treasurer apply but not accredit; an operator accredits', async () => {
      const treasurer = await as(t, demoEmail('association_treasurer'));
      const self = await treasurer
        .post(`/api/v1/venues/${venueId}/accreditation`)
        .send({ action: 'accredit' });
      expect(self.status).to.equal(403);
      expect(self.body.code).to.equal('operator_only_action');
      const admin = await as(t, demoEmail('operator_admin'));
      const res = await admin
        .post(`/api/v1/venues/${venueId}/accreditation`)
        .send({ action: 'accredit', reason: 'Visite du 3 mars' });
      expect(res.status).to.equal(200);
      expect(res.body.accreditationStatus).to.equal('accredited');
    });

    it('suspends with a reason, reinstates, revokes for good, and keeps the history with actor and date', async () => {
      const admin = await as(t, demoEmail('operator_admin'));
      const url = `/api/v1/venues/${venueId}/accreditation`;
      const noReason = await admin.post(url).send({ action: 'suspend' });
      expect(noReason.status).to.equal(400);
      expect(noReason.body.errors[0].code).to.equal('reason_required');
      expect(
        (await admin.post(url).send({ action: 'suspend', reason: 'Signalement à vérifier' })).body
          .accreditationStatus,
      ).to.equal('suspended');
      expect((await admin.post(url).send({ action: 'reinstate' })).body.accreditationStatus).to.equal(
        'accredited',
      );
      expect(
        (await admin.post(url).send({ action: 'revoke', reason: 'Fermeture du lieu' })).body
          .accreditationStatus,
      ).to.equal('revoked');
      const again = await admin.post(url).send({ action: 'reinstate' });
      expect(again.status).to.equal(409);
      expect(again.body.code).to.equal('invalid_accreditation_transition');
      const history = await admin.get(`/api/v1/venues/${venueId}/accreditation-events`);
      expect(history.body.items.map((e: { from: string; to: string }) => `${e.from}>${e.to}`)).to.deep.equal([
        'null>applied',
        'applied>accredited',
        'accredited>suspended',
        'suspended>accredited',
        'accredited>revoked',
      ]);
      const revocation = history.body.items[4];
      expect(revocation).to.include({ reason: 'Fermeture du lieu', actorId: t.demo.ids.user_operator_admin });
      expect(Date.parse(revocation.at)).to.be.closeTo(Date.now(), 60_000);
      const catalogue = await admin
        .post(`/api/v1/venues/${venueId}/catalogue`)
        .send({ name: 'Atelier', category: 'utilisation-securisee', pricePasses: 1 });
      expect(catalogue.status).to.equal(409);
      expect(catalogue.body.code).to.equal('venue_revoked');
    });

    it('only lets accredited venues appear where redemption looks (accreditation_status)', async () => {
      const rows = await t.db
        .knex('registry.venues')
        .where({ association_id: t.demo.ids.associationId, accreditation_status: 'accredited' })
        .pluck('id');
      expect(rows).to.include(t.demo.ids.venueId).and.not.include(venueId);
    });
  });

  describe('attaching an imported venue to its association', () => {
    it('refuses to change the payee of an accredited venue', async () => {
      const admin = await as(t, demoEmail('operator_admin'));
      const res = await admin
        .post(`/api/v1/venues/${t.demo.ids.venueId}/association`)
        .send({ associationId: other.associationId });
      expect(res.status).to.equal(409);
      expect(res.body.code).to.equal('association_locked');
    });

    it('attaches a listed venue, then it can apply and be accredited', async () => {
      const admin = await as(t, demoEmail('operator_admin'));
      const listed = await t.db
        .knex('registry.venues')
        .where({ source: 'Hinaura', accreditation_status: 'listed' })
        .whereNotNull('insee_code')
        .first();
      expect(
        (await admin.post(`/api/v1/venues/${listed.id}/accreditation`).send({ action: 'accredit' })).body
          .code,
      ).to.equal('invalid_accreditation_transition');
      expect(
        (
          await admin
            .post(`/api/v1/venues/${listed.id}/association`)
            .send({ associationId: other.associationId })
        ).status,
      ).to.equal(200);
      const treasurer = await as(t, other.treasurer);
      expect(
        (await treasurer.post(`/api/v1/venues/${listed.id}/accreditation`).send({ action: 'apply' })).body
          .accreditationStatus,
      ).to.equal('applied');
      expect(
        (await admin.post(`/api/v1/venues/${listed.id}/accreditation`).send({ action: 'accredit' })).body
          .accreditationStatus,
      ).to.equal('accredited');
    });
  });

  describe('catalogue', () => {
    it('lists the demo catalogue in price order, for the venue agent too', async () => {
      const agent = await as(t, demoEmail('venue_agent'));
      const res = await agent.get(`/api/v1/venues/${t.demo.ids.venueId}/catalogue`);
      expect(res.status).to.equal(200);
      expect(res.body.items.map((i: { pricePasses: number }) => i.pricePasses)).to.deep.equal([1, 2, 3]);
      expect(res.body.items[0]).to.include({
        id: t.demo.ids.serviceOnePassId,
        categoryLabel: 'Maîtrise des outils numériques du quotidien',
      });
    });

    it('adds, reprices and deactivates a service; inactive ones are hidden unless asked for', async () => {
      const treasurer = await as(t, demoEmail('association_treasurer'));
      const url = `/api/v1/venues/${t.demo.ids.venueId}/catalogue`;
      const created = await treasurer.post(url).send({
        name: 'Sécurité en ligne',
        category: 'utilisation-securisee',
        pricePasses: 2,
        zeroRemainder: false,
      });
      expect(created.status).to.equal(201);
      expect(created.body).to.include({ pricePasses: 2, zeroRemainder: false, active: true });
      const repriced = await treasurer.patch(`/api/v1/catalogue/${created.body.id}`).send({ pricePasses: 1 });
      expect(repriced.body.pricePasses).to.equal(1);
      await treasurer.patch(`/api/v1/catalogue/${created.body.id}`).send({ active: false });
      expect((await treasurer.get(url)).body.items.map((i: { id: string }) => i.id)).to.not.include(
        created.body.id,
      );
      expect(
        (await treasurer.get(`${url}?includeInactive=true`)).body.items.map((i: { id: string }) => i.id),
      ).to.include(created.body.id);
      const csv = await treasurer.get(`${url}?format=csv`);
      expect(csv.text).to.include(
        'Atelier prise en main du smartphone;Maîtrise des outils numériques du quotidien;1;oui;oui',
      );
    });

    it('refuses a price that is not a whole number of passes, and an unknown category', async () => {
      const treasurer = await as(t, demoEmail('association_treasurer'));
      const url = `/api/v1/venues/${t.demo.ids.venueId}/catalogue`;
      for (const body of [
        { name: 'X', category: 'utilisation-securisee', pricePasses: 0 },
        { name: 'X', category: 'utilisation-securisee', pricePasses: 1.5 },
        { name: 'X', category: 'cours-de-cuisine', pricePasses: 1 },
      ]) {
        expect((await treasurer.post(url).send(body)).status, JSON.stringify(body)).to.equal(400);
      }
    });

    it('refuses changes by a venue agent', async () => {
      const agent = await as(t, demoEmail('venue_agent'));
      const res = await agent
        .patch(`/api/v1/catalogue/${t.demo.ids.serviceOnePassId}`)
        .send({ pricePasses: 5 });
      expect(res.status).to.equal(403);
    });
  });

  describe('lists', () => {
    it('filters the accreditation queue: applied venues accepting the pass with no association', async () => {
      const admin = await as(t, demoEmail('operator_admin'));
      const res = await admin.get('/api/v1/venues?status=applied&acceptsPass=true&unattached=true&limit=500');
      expect(res.body.items.length).to.be.greaterThan(0);
      for (const venue of res.body.items)
        expect(venue).to.include({ accreditationStatus: 'applied', associationId: null, acceptsPass: true });
    });

    it('pages venues by name without overlap and exports them as CSV', async () => {
      const admin = await as(t, demoEmail('operator_admin'));
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: request.Response = await admin.get(
          `/api/v1/venues?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
        );
        seen.push(...res.body.items.map((v: { id: string }) => v.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      const total = Number(
        (await t.db.knex('registry.venues').count<{ count: string }[]>('* as count'))[0]!.count,
      );
      expect(seen).to.have.length(total);
      expect(new Set(seen).size).to.equal(total);
      const csv = await admin.get('/api/v1/venues?format=csv');
      expect(
        csv.text
          .replace(/^\uFEFF/, '')
          .trim()
          .split('\r\n').length,
      ).to.be.greaterThan(total);
    });
  });
});
