import type { Money } from '../lib/format';
import { api } from './client';

// Endpoints open without an account (services/issuance public-routes.ts, services/registry directory-routes.ts).

export type PublicPassStatus =
  | 'usable'
  | 'not_yet_active'
  | 'not_yet_valid'
  | 'used'
  | 'cancelled'
  | 'expired';

export interface NearbyVenue {
  id: string;
  name: string;
  street: string | null;
  postcode: string | null;
  commune: string | null;
  openingHours: string | null;
  phone: string | null;
  website: string | null;
  distanceKm: number | null;
}

export interface PassCheck {
  genuine: boolean;
  source: 'qr' | 'typed';
  reason: string | null;
  /** Already in plain French, written by the server for this very purpose. */
  message: string;
  pass: {
    value: Money;
    status: PublicPassStatus;
    validFrom: string;
    validUntil: string;
    acceptedUntil: string;
    funder: string | null;
    territory: string;
    serviceCategories: string[];
  } | null;
  venues: NearbyVenue[];
}

export interface DirectoryVenue extends NearbyVenue {
  complement: string | null;
  latitude: number | null;
  longitude: number | null;
  itinerant: boolean;
  openingHoursValid: boolean;
  accessibilityUrl: string | null;
  email: string | null;
  services: { category: string; label: string }[];
  catalogue: {
    id: string;
    name: string;
    categoryLabel: string;
    pricePasses: number;
    zeroRemainder: boolean;
  }[];
}

export interface DirectoryResult {
  match: 'postcode' | 'commune' | 'departement' | 'coordinates';
  items: DirectoryVenue[];
}

export interface Departement {
  code: string;
  name: string;
}

export interface Commune {
  code: string;
  name: string;
  departement: string;
  postcodes: string[];
}

/** Checks a typed code or a scanned payload; a postcode returns accredited venues nearby. */
export function checkPass(input: string, postcode?: string) {
  return api.post<PassCheck>(
    '/public/pass-check',
    { input, postcode: postcode || undefined },
    { anonymous: true },
  );
}

/** Accredited venues near a postcode, a commune or a point. */
export function findVenues(query: {
  lat?: number;
  lon?: number;
  commune?: string;
  postcode?: string;
  radiusKm?: number;
  category?: string;
}) {
  return api.json<DirectoryResult>('GET', '/public/venues', {
    query: { limit: 50, ...query },
    anonymous: true,
  });
}

export function listServiceCategories(signal?: AbortSignal) {
  return api.json<{ items: { slug: string; label: string }[] }>('GET', '/public/service-categories', {
    anonymous: true,
    signal,
  });
}

export function listDepartements(signal?: AbortSignal) {
  return api.json<Departement[]>('GET', '/territory/departements', { anonymous: true, signal });
}

export function searchCommunes(q: string, signal?: AbortSignal) {
  return api.json<Commune[]>('GET', '/territory/communes', {
    query: { q, limit: 15 },
    anonymous: true,
    signal,
  });
}
