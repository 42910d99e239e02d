import { BadRequestError, NotFoundError } from '@pass/errors';
import { communesByPostcode, departementOfCode, findCommune, fold, searchCommunes } from '@pass/territory';
import type { Knex } from 'knex';
import type { CatalogueItem } from '../catalogue/catalogue-item';
import { PostgresCatalogueStore } from '../catalogue/postgres-catalogue-store';
import { type DbVenueRow, venueFromRow } from '../venues/postgres-venue-store';
import type { Venue } from '../venues/venue';
import { isServiceSlug, serviceLabel } from '../venues-open-data';
import type { DirectoryQuery, DirectoryResponse, DirectoryVenueView } from './directory-schemas';
import { boundingBox, haversineKm } from './geo';

type Match = DirectoryResponse['match'];

function toView(venue: Venue, catalogue: CatalogueItem[], distanceKm: number | null): DirectoryVenueView {
  return {
    id: venue.id,
    name: venue.name,
    street: venue.street,
    complement: venue.complement,
    postcode: venue.postcode,
    commune: venue.commune,
    latitude: venue.latitude,
    longitude: venue.longitude,
    distanceKm: distanceKm === null ? null : Math.round(distanceKm * 10) / 10,
    itinerant: venue.itinerant,
    openingHours: venue.openingHours,
    openingHoursValid: venue.openingHoursValid,
    accessibilityUrl: venue.accessibilityUrl,
    phone: venue.phone,
    email: venue.email,
    website: venue.website,
    services: venue.services
      .filter(isServiceSlug)
      .map((slug) => ({ category: slug, label: serviceLabel(slug) })),
    catalogue: catalogue.map((item) => ({
      id: item.id,
      name: item.name,
      category: item.category,
      categoryLabel: serviceLabel(item.category),
      pricePasses: item.pricePasses,
      zeroRemainder: item.zeroRemainder,
    })),
  };
}

/** INSEE codes a commune parameter stands for: the code itself, or every commune of that name (and its arrondissements). */
function communeCodes(text: string): string[] {
  if (/^(\d{5}|2[AB]\d{3})$/i.test(text)) return [text.toUpperCase()];
  const wanted = fold(text);
  return searchCommunes(text, 100)
    .filter((commune) => {
      const name = fold(commune.name);
      // "Paris 1er Arrondissement"… belong to Paris: venues are coded with their arrondissement.
      return name === wanted || (name.startsWith(`${wanted} `) && name.endsWith(' arrondissement'));
    })
    .map((commune) => commune.code);
}

/**
 * The public directory for beneficiaries: accredited venues near a postcode, a commune or a point, with their
 * catalogue and opening hours. Nothing about payees, identifiers or data quality leaves through it.
 */
export class DirectoryService {
  private readonly catalogue = new PostgresCatalogueStore();

  constructor(private readonly knex: Knex) {}

  async search(query: DirectoryQuery): Promise<DirectoryResponse> {
    const givenWays = [query.postcode, query.commune, query.lat ?? query.lon].filter(
      (v) => v !== undefined,
    ).length;
    if (givenWays !== 1 || (query.lat === undefined) !== (query.lon === undefined)) {
      throw new BadRequestError(
        'location_required',
        'Give exactly one of: postcode, commune, or lat and lon (with an optional radiusKm).',
      );
    }
    let match: Match;
    let found: { venue: Venue; distanceKm: number | null }[];
    if (query.lat !== undefined && query.lon !== undefined) {
      match = 'coordinates';
      found = await this.near({ latitude: query.lat, longitude: query.lon }, query.radiusKm, query);
    } else {
      const codes = query.postcode
        ? communesByPostcode(query.postcode).map((c) => c.code)
        : communeCodes(query.commune!);
      match = query.postcode ? 'postcode' : 'commune';
      found = (await this.inCommunes(codes, query.postcode, query)).map((venue) => ({
        venue,
        distanceKm: null,
      }));
      if (found.length === 0) {
        // Nothing in the commune itself: rural beneficiaries still need the nearest venues of their département.
        const departements = new Set(
          codes.map((code) => findCommune(code)?.departement ?? departementOfCode(code)),
        );
        if (departements.size === 0 && query.postcode) departements.add(departementOfCode(query.postcode));
        match = 'departement';
        found = (await this.inDepartements([...departements], query)).map((venue) => ({
          venue,
          distanceKm: null,
        }));
      }
    }
    const items = await this.withCatalogue(found.slice(0, query.limit));
    return { match, items };
  }

  async get(id: string): Promise<DirectoryVenueView> {
    const row = (await this.accredited().where('v.id', id).first()) as DbVenueRow | undefined;
    if (!row) throw new NotFoundError('venue_not_found', 'Venue not found.');
    const [view] = await this.withCatalogue([{ venue: venueFromRow(row), distanceKm: null }]);
    return view!;
  }

  private accredited(category?: string) {
    const query = this.knex('registry.venues as v')
      .where('v.accreditation_status', 'accredited')
      .select('v.*');
    if (category) {
      query.whereExists((sub) =>
        sub
          .select(this.knex.raw('1'))
          .from('registry.catalogue_services as c')
          .whereRaw('c.venue_id = v.id')
          .where({ 'c.active': true, 'c.category': category }),
      );
    }
    return query;
  }

  private async inCommunes(
    codes: string[],
    postcode: string | undefined,
    query: DirectoryQuery,
  ): Promise<Venue[]> {
    if (codes.length === 0 && !postcode) return [];
    const rows = (await this.accredited(query.category)
      .where((q) => {
        if (codes.length > 0) q.whereIn('v.insee_code', codes);
        if (postcode) q.orWhere('v.postcode', postcode);
      })
      .orderBy(['v.name', 'v.id'])
      .limit(query.limit)) as DbVenueRow[];
    return rows.map(venueFromRow);
  }

  private async inDepartements(departements: string[], query: DirectoryQuery): Promise<Venue[]> {
    if (departements.length === 0) return [];
    const rows = (await this.accredited(query.category)
      .where((q) => {
        for (const departement of departements) q.orWhereLike('v.insee_code', `${departement}%`);
      })
      .orderBy(['v.name', 'v.id'])
      .limit(query.limit)) as DbVenueRow[];
    // Overseas codes are 3 digits (971…): "97%" must not mix them up.
    return rows
      .map(venueFromRow)
      .filter((venue) => departements.includes(departementOfCode(venue.inseeCode!)));
  }

  private async near(
    center: { latitude: number; longitude: number },
    radiusKm: number,
    query: DirectoryQuery,
  ): Promise<{ venue: Venue; distanceKm: number }[]> {
    const box = boundingBox(center, radiusKm);
    const rows = (await this.accredited(query.category)
      .whereBetween('v.latitude', [box.minLatitude, box.maxLatitude])
      .whereBetween('v.longitude', [box.minLongitude, box.maxLongitude])) as DbVenueRow[];
    return rows
      .map(venueFromRow)
      .map((venue) => ({
        venue,
        distanceKm: haversineKm(center, { latitude: venue.latitude!, longitude: venue.longitude! }),
      }))
      .filter((entry) => entry.distanceKm <= radiusKm)
      .sort((a, b) => a.distanceKm - b.distanceKm || a.venue.name.localeCompare(b.venue.name));
  }

  private async withCatalogue(
    found: { venue: Venue; distanceKm: number | null }[],
  ): Promise<DirectoryVenueView[]> {
    const items = await this.catalogue.listByVenue(
      this.knex,
      found.map((entry) => entry.venue.id),
      { includeInactive: false },
    );
    return found.map((entry) =>
      toView(
        entry.venue,
        items.filter((item) => item.venueId === entry.venue.id),
        entry.distanceKm,
      ),
    );
  }
}
