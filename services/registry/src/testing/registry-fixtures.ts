import type { Role } from '@pass/auth';
import type { Knex } from 'knex';
import request from 'supertest';
import { insertUser, type TestApp } from '../../../../test/support/app';

/** Rows for tests, inserted directly (what the API would create), with overrides. */
export async function insertOrganisation(knex: Knex, kind: string, name: string): Promise<string> {
  const [row] = await knex('registry.organisations').insert({ kind, name }).returning<{ id: string }[]>('id');
  return row!.id;
}

export async function insertFunder(knex: Knex, name = 'Département de la Drôme'): Promise<string> {
  const id = await insertOrganisation(knex, 'funder', name);
  await knex('registry.funders').insert({ organisation_id: id, funder_kind: 'departement' });
  return id;
}

export async function insertDistributor(knex: Knex, name = 'Mairie de Valence'): Promise<string> {
  const id = await insertOrganisation(knex, 'distributor', name);
  await knex('registry.distributors').insert({ organisation_id: id, postcode: '26000', town: 'Valence' });
  return id;
}

export async function insertAssociation(
  knex: Knex,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const id = await insertOrganisation(
    knex,
    'association',
    String(overrides.legal_name ?? 'Association Numérique Drôme'),
  );
  await knex('registry.associations').insert({
    organisation_id: id,
    legal_name: 'Association Numérique Drôme',
    rna: 'W263000123',
    street_name: 'Avenue Victor Hugo',
    building_number: '12',
    postcode: '26000',
    town: 'Valence',
    ...overrides,
  });
  return id;
}

export async function insertVenue(knex: Knex, overrides: Record<string, unknown> = {}): Promise<string> {
  const [row] = await knex('registry.venues')
    .insert({
      name: 'Médiathèque de Valence',
      street: '1 place Charles Huguenel',
      postcode: '26000',
      commune: 'Valence',
      insee_code: '26362',
      latitude: '44.933393',
      longitude: '4.892360',
      accreditation_status: 'applied',
      accepts_pass: true,
      ...overrides,
    })
    .returning<{ id: string }[]>('id');
  return row!.id;
}

export interface OtherTenants {
  funderId: string;
  funderManager: string;
  distributorId: string;
  distributorAgent: string;
  associationId: string;
  treasurer: string;
  venueId: string;
  venueAgent: string;
  /** A second venue of the demo association, with its own agent: the demo venue agent must not see it. */
  siblingVenueId: string;
  siblingVenueAgent: string;
}

let counter = 0;

/** A second tenant of every kind, with one login each, beside the demo's. */
export async function createOtherTenants(t: TestApp): Promise<OtherTenants> {
  const knex = t.db.knex;
  const tag = `${process.pid}-${++counter}`;
  const funderId = await insertFunder(knex);
  const distributorId = await insertDistributor(knex);
  const associationId = await insertAssociation(knex, {
    iban: 'FR7630006000011234567890189',
    bic: 'AGRIFRPPXXX',
    account_holder_name: 'ASSO NUM DROME',
    bank_details_status: 'approved',
  });
  const venueId = await insertVenue(knex, {
    association_id: associationId,
    accreditation_status: 'accredited',
  });
  const siblingVenueId = await insertVenue(knex, {
    association_id: t.demo.ids.associationId,
    name: 'Point numérique de Privas',
    postcode: '07000',
    commune: 'Privas',
    insee_code: '07186',
    latitude: '44.735300',
    longitude: '4.599200',
  });
  const user = async (organisationId: string, role: Role, local: string, venue?: string) => {
    const email = `${local}-${tag}@autre.example.fr`;
    await insertUser(t, { organisationId, role, email, venueId: venue, orgAdmin: role !== 'venue_agent' });
    return email;
  };
  return {
    funderId,
    funderManager: await user(funderId, 'funder_manager', 'financeur'),
    distributorId,
    distributorAgent: await user(distributorId, 'distributor_agent', 'distributeur'),
    associationId,
    treasurer: await user(associationId, 'association_treasurer', 'tresorier'),
    venueId,
    venueAgent: await user(associationId, 'venue_agent', 'lieu', venueId),
    siblingVenueId,
    siblingVenueAgent: await user(t.demo.ids.associationId!, 'venue_agent', 'lieu-voisin', siblingVenueId),
  };
}

/** A supertest agent call with the bearer token of a login. */
export async function as(t: TestApp, email: string) {
  const token = await t.login(email);
  const app = t.app;
  return {
    get: (url: string) => request(app).get(url).set('Authorization', `Bearer ${token}`),
    post: (url: string) => request(app).post(url).set('Authorization', `Bearer ${token}`),
    patch: (url: string) => request(app).patch(url).set('Authorization', `Bearer ${token}`),
  };
}
