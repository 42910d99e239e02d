import type { Query } from './api-client';
import { api } from './client';

// Registry endpoints (services/registry/src/**/*-routes.ts).

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type AccreditationStatus = 'listed' | 'applied' | 'accredited' | 'suspended' | 'revoked';

export interface Venue {
  id: string;
  associationId: string | null;
  name: string;
  street: string | null;
  postcode: string | null;
  commune: string | null;
  inseeCode: string | null;
  latitude: number | null;
  longitude: number | null;
  openingHours: string | null;
  itinerant: boolean;
  phone: string | null;
  email: string | null;
  website: string | null;
  services: string[];
  acceptsPass: boolean;
  accreditationStatus: AccreditationStatus;
  accreditationActions: string[];
  source: string | null;
  warnings: { code: string; field?: string; message: string }[];
  createdAt: string;
}

export interface CatalogueItem {
  id: string;
  venueId: string;
  name: string;
  category: string;
  categoryLabel: string;
  pricePasses: number;
  zeroRemainder: boolean;
  active: boolean;
}

export const ACCREDITATION_LABELS: Readonly<Record<AccreditationStatus, string>> = {
  listed: 'Référencé',
  applied: 'Demande déposée',
  accredited: 'Habilité',
  suspended: 'Suspendu',
  revoked: 'Habilitation retirée',
};

export const ACCREDITATION_ACTION_LABELS: Readonly<Record<string, string>> = {
  apply: 'Déposer la demande',
  accredit: 'Habiliter',
  suspend: 'Suspendre',
  reinstate: 'Rétablir',
  revoke: 'Retirer l’habilitation',
};

export function listVenues(query: Query, signal?: AbortSignal) {
  return api.get<Page<Venue>>('/venues', query, signal);
}

export function getVenue(id: string, signal?: AbortSignal) {
  return api.get<Venue>(`/venues/${encodeURIComponent(id)}`, undefined, signal);
}

export function changeAccreditation(id: string, action: string, reason?: string) {
  return api.post<Venue>(`/venues/${encodeURIComponent(id)}/accreditation`, {
    action,
    reason: reason || undefined,
  });
}

export function listCatalogue(venueId: string, signal?: AbortSignal) {
  return api.get<{ items: CatalogueItem[] }>(
    `/venues/${encodeURIComponent(venueId)}/catalogue`,
    undefined,
    signal,
  );
}
