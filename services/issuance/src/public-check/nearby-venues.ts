import type { Db } from '@pass/db';
import { departementOfCode, isInTerritory } from '@pass/territory';
import type { BatchTerritory } from '@pass/vouchers';

/** A public venue (open data: name, address, hours), never who used a pass there. */
export interface NearbyVenue {
  id: string;
  name: string;
  street: string | null;
  postcode: string | null;
  commune: string | null;
  openingHours: string | null;
  phone: string | null;
  website: string | null;
  /** Straight-line distance when the caller gave a position. */
  distanceKm: number | null;
}

/** Where the person checking is, if they say: coordinates or a postcode. */
export interface CheckLocation {
  latitude?: number | undefined;
  longitude?: number | undefined;
  postcode?: string | undefined;
}

interface DbVenueRow {
  id: string;
  name: string;
  street: string | null;
  postcode: string | null;
  commune: string | null;
  insee_code: string | null;
  latitude: string | null;
  longitude: string | null;
  opening_hours: string | null;
  phone: string | null;
  website: string | null;
}

const EARTH_RADIUS_KM = 6371;

/** Great-circle distance in km (haversine). */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Accredited venues inside a batch's territory, nearest first when a position is given, else those of the
 * given postcode, then of its département, then the rest by name. Reads registry.venues in SQL (services
 * never import each other).
 */
export async function nearbyVenues(
  db: Db,
  territory: BatchTerritory,
  location: CheckLocation,
  limit = 10,
): Promise<NearbyVenue[]> {
  const query = db<DbVenueRow>('registry.venues')
    .where('accreditation_status', 'accredited')
    .whereNotNull('insee_code')
    .select(
      'id',
      'name',
      'street',
      'postcode',
      'commune',
      'insee_code',
      'latitude',
      'longitude',
      'opening_hours',
      'phone',
      'website',
    );
  // Narrow in SQL by département (cheap, may over-select); isInTerritory below decides exactly.
  const departements = [
    ...territory.departements,
    ...territory.communes.map((code) => departementOfCode(code)),
  ];
  if (departements.length > 0) {
    query.where((q) => {
      for (const departement of new Set(departements)) q.orWhere('insee_code', 'like', `${departement}%`);
    });
  }
  const rows = (await query).filter((row) => isInTerritory(territory, row.insee_code));
  const here =
    location.latitude !== undefined && location.longitude !== undefined
      ? { lat: location.latitude, lon: location.longitude }
      : undefined;
  const venues = rows.map((row) => {
    const lat = row.latitude === null ? Number.NaN : Number(row.latitude);
    const lon = row.longitude === null ? Number.NaN : Number(row.longitude);
    const distance =
      here && Number.isFinite(lat) && Number.isFinite(lon) ? distanceKm(here, { lat, lon }) : null;
    return { row, distance };
  });
  const postcode = location.postcode?.trim();
  const rank = (row: DbVenueRow): number => {
    if (!postcode) return 0;
    if (row.postcode === postcode) return 0;
    return row.postcode?.slice(0, 2) === postcode.slice(0, 2) ? 1 : 2;
  };
  venues.sort((a, b) => {
    if (here) return (a.distance ?? Number.POSITIVE_INFINITY) - (b.distance ?? Number.POSITIVE_INFINITY);
    return rank(a.row) - rank(b.row) || a.row.name.localeCompare(b.row.name, 'fr');
  });
  return venues.slice(0, limit).map(({ row, distance }) => ({
    id: row.id,
    name: row.name,
    street: row.street,
    postcode: row.postcode,
    commune: row.commune,
    openingHours: row.opening_hours,
    phone: row.phone,
    website: row.website,
    distanceKm: distance === null ? null : Math.round(distance * 10) / 10,
  }));
}
