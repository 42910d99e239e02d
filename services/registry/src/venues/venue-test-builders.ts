import { EMPTY_DETAILS, type Venue } from './venue';

/** A venue for tests: accredited-ready (association, INSEE code), overridable. */
export function buildVenue(overrides: Partial<Venue> = {}): Venue {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    associationId: '22222222-2222-4222-8222-222222222222',
    name: 'Espace Public Numérique Alboussière',
    street: '20 rue des écoliers',
    complement: null,
    postcode: '07440',
    commune: 'Alboussière',
    inseeCode: '07007',
    latitude: 44.943285,
    longitude: 4.727694,
    openingHours: 'Mo-Fr 09:30-12:30',
    openingHoursValid: true,
    itinerant: false,
    accessibilityUrl: null,
    contactName: null,
    phone: null,
    email: null,
    website: null,
    siret: null,
    rna: null,
    services: [],
    publics: [],
    acceptsPass: true,
    details: EMPTY_DETAILS,
    warnings: [],
    accreditationStatus: 'applied',
    source: null,
    sourceId: null,
    sourceUpdatedAt: null,
    createdAt: new Date('2026-01-05T10:00:00Z'),
    updatedAt: new Date('2026-01-05T10:00:00Z'),
    ...overrides,
  };
}
