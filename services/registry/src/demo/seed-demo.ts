import { readFileSync } from 'node:fs';
import { hashPassword } from '@pass/auth';
import type { AppContext, DemoBag } from '@pass/http';
import type { Knex } from 'knex';
import { VenueImportService } from '../venue-import/venue-import-service';
import {
  parseVenueOpenData,
  serviceLabel,
  type ServiceSlug,
  type VenueOpenDataParseResult,
} from '../venues-open-data';

/** Same password for every demo login: the demo runs on a laptop, never in production (DEMO_SEED=false there). */
export const DEMO_PASSWORD = 'demo-pass-numerique';

async function organisation(trx: Knex.Transaction, kind: string, name: string): Promise<string> {
  const [row] = await trx('registry.organisations').insert({ kind, name }).returning<{ id: string }[]>('id');
  return row!.id;
}

/**
 * Demo organisations and one login per role: the operator, the Ardèche département as funder, a town hall as
 * distributor, an association running an accredited venue with a small catalogue.
 */
export async function seedRegistryDemo(ctx: AppContext, demo: DemoBag): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await ctx.knex.transaction(async (trx) => {
    const operatorId = await organisation(trx, 'operator', ctx.config.operator.name);
    const funderId = await organisation(trx, 'funder', "Département de l'Ardèche");
    await trx('registry.funders').insert({
      organisation_id: funderId,
      funder_kind: 'departement',
      // Luhn-valid SIRET on the département's SIREN 220700017.
      siret: '22070001700019',
      billing_street: 'Boulevard de Vernon',
      billing_building_number: '2',
      billing_postcode: '07000',
      billing_town: 'Privas',
      upstream_fee_rate: '0.04',
      vat_rate: '0.20',
    });
    const distributorId = await organisation(trx, 'distributor', 'France Services Privas');
    await trx('registry.distributors').insert({
      organisation_id: distributorId,
      funder_id: funderId,
      postcode: '07000',
      town: 'Privas',
    });
    const associationId = await organisation(trx, 'association', 'Inforoutes de l’Ardèche');
    await trx('registry.associations').insert({
      organisation_id: associationId,
      legal_name: 'Association Inforoutes de l’Ardèche',
      rna: 'W072000123',
      street_name: 'Rue des Écoliers',
      building_number: '20',
      postcode: '07440',
      town: 'Alboussière',
      iban: 'FR7630001007941234567890185',
      bic: 'BDFEFRPPCCT',
      account_holder_name: 'ASSOCIATION INFOROUTES ARDECHE',
      bank_details_status: 'approved',
      settlement_cadence: 'monthly',
      downstream_fee_rate: '0',
    });
    const [venue] = await trx('registry.venues')
      .insert({
        association_id: associationId,
        name: 'Espace Public Numérique Alboussière',
        street: '20 rue des écoliers',
        postcode: '07440',
        commune: 'Alboussière',
        insee_code: '07007',
        latitude: '44.943285',
        longitude: '4.727694',
        opening_hours: 'Mo-Fr 09:30-12:30,13:30-17:00; We,Sa 09:30-12:30',
        opening_hours_valid: true,
        accepts_pass: true,
        accreditation_status: 'accredited',
        // The same venue is row 13 of the Hinaura open data: the demo import below updates it instead of
        // duplicating it, and keeps its association, accreditation and catalogue.
        source: 'Hinaura',
        source_id: '13',
      })
      .returning<{ id: string }[]>('id');
    const venueId = venue!.id;
    await trx('registry.accreditation_events').insert({
      venue_id: venueId,
      from_status: 'applied',
      to_status: 'accredited',
      reason: 'Démo',
    });
    const services = await trx('registry.catalogue_services')
      .insert([
        {
          venue_id: venueId,
          name: 'Atelier prise en main du smartphone',
          category: 'maitrise-outils-numeriques',
          price_passes: 1,
          zero_remainder: true,
        },
        {
          venue_id: venueId,
          name: 'Accompagnement démarches en ligne (1 h)',
          category: 'aide-demarches-administratives',
          price_passes: 2,
          zero_remainder: true,
        },
        {
          venue_id: venueId,
          name: 'Parcours découverte ordinateur (3 séances)',
          category: 'maitrise-outils-numeriques',
          price_passes: 3,
          zero_remainder: false,
        },
      ])
      .returning<{ id: string }[]>('id');

    const people = [
      {
        role: 'operator_admin',
        org: operatorId,
        email: 'admin@demo.pass-numerique.fr',
        name: 'Alice Opératrice',
        label: 'Administratrice opérateur',
        orgAdmin: true,
      },
      {
        role: 'operator_finance',
        org: operatorId,
        email: 'finance@demo.pass-numerique.fr',
        name: 'Fabrice Finance',
        label: 'Finance opérateur',
        orgAdmin: false,
      },
      {
        role: 'funder_manager',
        org: funderId,
        email: 'financeur@demo.pass-numerique.fr',
        name: 'Farida Financeuse',
        label: 'Gestionnaire financeur',
        orgAdmin: true,
      },
      {
        role: 'distributor_agent',
        org: distributorId,
        email: 'distributeur@demo.pass-numerique.fr',
        name: 'Denis Distributeur',
        label: 'Agent distributeur',
        orgAdmin: true,
      },
      {
        role: 'association_treasurer',
        org: associationId,
        email: 'tresorier@demo.pass-numerique.fr',
        name: 'Thérèse Trésorière',
        label: 'Trésorière association',
        orgAdmin: true,
      },
      {
        role: 'venue_agent',
        org: associationId,
        email: 'lieu@demo.pass-numerique.fr',
        name: 'Victor Médiateur',
        label: 'Agent du lieu (scanner)',
        orgAdmin: false,
        venue: venueId,
      },
    ];
    for (const person of people) {
      const [user] = await trx('registry.users')
        .insert({
          organisation_id: person.org,
          venue_id: person.venue ?? null,
          email: person.email,
          display_name: person.name,
          role: person.role,
          org_admin: person.orgAdmin,
          password_hash: passwordHash,
          status: 'active',
        })
        .returning<{ id: string }[]>('id');
      demo.ids[`user_${person.role}`] = user!.id;
      demo.logins.push({
        role: person.role,
        email: person.email,
        password: DEMO_PASSWORD,
        label: person.label,
      });
    }
    Object.assign(demo.ids, {
      operatorId,
      funderId,
      distributorId,
      associationId,
      venueId,
      serviceOnePassId: services[0]!.id,
      serviceTwoPassesId: services[1]!.id,
      serviceThreePassesId: services[2]!.id,
    });
  });
  await seedHinauraVenues(ctx, demo);
}

/** The real venues of the Hinaura hub (Etalab-2.0), shipped with the registry. */
export const HINAURA_FILE = new URL('../../data/hinaura-mednum-v0.csv', import.meta.url);

let hinaura: VenueOpenDataParseResult | undefined;

// Parsing the 261 rows costs about a second (the opening-hours parser is slow): once per process is enough,
// since test runs seed a fresh demo database for every test file.
function parsedHinaura(): VenueOpenDataParseResult {
  hinaura ??= parseVenueOpenData(readFileSync(HINAURA_FILE, 'utf8'), 'csv');
  return hinaura;
}

/**
 * Imports the Hinaura open data (261 venues, 91 accepting the Pass numérique) through the real importer, then
 * gives the public directory real places to show: the venues accepting the pass whose commune is known are
 * attached to a fictional demo association and accredited, with a one-line catalogue each (except those of
 * Savoie, left `applied` for the operator's accreditation queue). In real life each venue's own association
 * would be onboarded and accredited one by one.
 */
async function seedHinauraVenues(ctx: AppContext, demo: DemoBag): Promise<void> {
  const now = ctx.clock();
  const report = await new VenueImportService(ctx.knex).runParsed(
    { kind: 'system', subjectId: 'demo' },
    parsedHinaura(),
    { format: 'csv', dryRun: false },
    now,
  );
  await ctx.knex.transaction(async (trx) => {
    const networkId = await organisation(trx, 'association', 'Réseau de démonstration Auvergne-Rhône-Alpes');
    await trx('registry.associations').insert({
      organisation_id: networkId,
      legal_name: 'Association de démonstration du réseau Auvergne-Rhône-Alpes',
      rna: 'W691000017',
      street_name: 'Rue de la République',
      building_number: '1',
      postcode: '69002',
      town: 'Lyon',
      iban: 'FR7630004000031234567890143',
      bic: 'BNPAFRPPXXX',
      account_holder_name: 'RESEAU DEMO AURA',
      bank_details_status: 'approved',
      settlement_cadence: 'monthly',
      downstream_fee_rate: '0',
    });
    const venues = (await trx('registry.venues')
      .where({ source: 'Hinaura', accreditation_status: 'applied' })
      .whereNull('association_id')
      .whereNotNull('insee_code')
      // The Savoie ones stay `applied`: the operator's accreditation queue has real venues to work on.
      .whereNot('insee_code', 'like', '73%')
      .update({ association_id: networkId, accreditation_status: 'accredited', updated_at: now })
      .returning(['id', 'services'])) as { id: string; services: ServiceSlug[] }[];
    if (venues.length > 0) {
      await trx('registry.accreditation_events').insert(
        venues.map((venue) => ({
          venue_id: venue.id,
          from_status: 'applied',
          to_status: 'accredited',
          reason: 'Démo : accréditation groupée du réseau Hinaura',
          at: now,
        })),
      );
      await trx('registry.catalogue_services').insert(
        venues.map((venue) => {
          const category = venue.services[0] ?? 'aide-demarches-administratives';
          return {
            venue_id: venue.id,
            name: `Accompagnement individuel : ${serviceLabel(category).toLowerCase()}`,
            category,
            price_passes: 1,
            zero_remainder: true,
            created_at: now,
            updated_at: now,
          };
        }),
      );
    }
    demo.ids.demoNetworkAssociationId = networkId;
    demo.lines.push(
      `Open data: ${report.summary.created} Hinaura venues imported (${report.summary.acceptingPass} accept the Pass numérique, ${venues.length} accredited for the demo directory).`,
    );
  });
}
