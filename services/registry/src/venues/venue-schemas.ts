import { listQuerySchema, pageSchema } from '../shared/list-response';
import { z } from '../shared/openapi-zod';
import { SERVICE_SLUGS } from '../venues-open-data';
import { ACCREDITATION_ACTIONS, ACCREDITATION_STATUSES } from './venue';

const serviceSlug = z.enum(SERVICE_SLUGS as [string, ...string[]]);
const optionalText = (max: number) => z.string().trim().min(1).max(max).nullish();

const venueFieldsShape = {
  name: z.string().trim().min(1).max(200),
  street: optionalText(200),
  complement: optionalText(200),
  postcode: z.string().regex(/^\d{5}$/, 'a French postcode has 5 digits'),
  commune: z.string().trim().min(1).max(100),
  inseeCode: z
    .string()
    .regex(/^(\d{5}|2[AB]\d{3})$/, 'an INSEE commune code: 5 characters, e.g. 07186 or 2A004')
    .nullish()
    .describe('Official geographic code; resolved from postcode and commune when omitted.'),
  latitude: z.number().min(-90).max(90).nullish(),
  longitude: z.number().min(-180).max(180).nullish(),
  openingHours: z
    .string()
    .max(1000)
    .nullish()
    .describe(
      'OpenStreetMap opening_hours syntax, e.g. "Mo-Fr 09:00-12:00,14:00-17:00". Kept as text with a warning if it does not parse.',
    ),
  itinerant: z.boolean().optional().describe('A mobile stop (bus, van) rather than a fixed place.'),
  accessibilityUrl: z
    .url()
    .max(500)
    .nullish()
    .describe('acceslibre page or another accessibility description.'),
  contactName: optionalText(200),
  phone: z.string().max(40).nullish(),
  email: z.email().max(254).nullish(),
  website: z.url().max(500).nullish(),
  siret: z.string().max(30).nullish(),
  rna: z.string().max(20).nullish(),
  services: z.array(serviceSlug).max(20).optional().describe('Service slugs of the national standard.'),
  publics: z.array(z.string().max(100)).max(20).optional(),
};

export const createVenueBody = z
  .object({
    ...venueFieldsShape,
    associationId: z
      .uuid()
      .optional()
      .describe('Operators only; a treasurer creates venues of their association.'),
  })
  .strict()
  .openapi('CreateVenue');

export const updateVenueBody = z
  .object({
    ...venueFieldsShape,
    name: venueFieldsShape.name.optional(),
    postcode: venueFieldsShape.postcode.optional(),
    commune: venueFieldsShape.commune.optional(),
  })
  .strict()
  .openapi('UpdateVenue');

export const attachAssociationBody = z
  .object({ associationId: z.uuid().nullable() })
  .strict()
  .openapi('AttachVenueAssociation');

export const accreditationBody = z
  .object({
    action: z.enum(ACCREDITATION_ACTIONS),
    reason: z.string().trim().max(1000).optional().describe('Required to suspend or revoke.'),
  })
  .strict()
  .openapi('AccreditationChange');

const warningView = z.object({ code: z.string(), field: z.string().optional(), message: z.string() });

export const venueView = z
  .object({
    id: z.string(),
    associationId: z.string().nullable(),
    name: z.string(),
    street: z.string().nullable(),
    complement: z.string().nullable(),
    postcode: z.string().nullable(),
    commune: z.string().nullable(),
    inseeCode: z.string().nullable(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    openingHours: z.string().nullable(),
    openingHoursValid: z.boolean(),
    itinerant: z.boolean(),
    accessibilityUrl: z.string().nullable(),
    contactName: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    website: z.string().nullable(),
    siret: z.string().nullable(),
    rna: z.string().nullable(),
    services: z.array(z.string()),
    publics: z.array(z.string()),
    acceptsPass: z.boolean(),
    accreditationStatus: z.enum(ACCREDITATION_STATUSES),
    accreditationActions: z
      .array(z.enum(ACCREDITATION_ACTIONS))
      .describe('Transitions possible from the current status.'),
    source: z.string().nullable(),
    sourceId: z.string().nullable(),
    sourceUpdatedAt: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    warnings: z.array(warningView),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Venue');

export const venuePage = pageSchema(venueView, 'VenuePage');

export const venueListQuery = listQuerySchema
  .extend({
    status: z.enum(ACCREDITATION_STATUSES).optional(),
    associationId: z.uuid().optional(),
    acceptsPass: z.enum(['true', 'false']).optional(),
    unattached: z.enum(['true', 'false']).optional().describe('true: venues no association has taken yet.'),
    postcode: z.string().max(10).optional(),
    inseeCode: z.string().max(10).optional(),
    source: z.string().max(100).optional(),
    q: z.string().max(100).optional(),
  })
  .strict();

export const accreditationEventView = z
  .object({
    id: z.string(),
    venueId: z.string(),
    from: z.enum(ACCREDITATION_STATUSES).nullable(),
    to: z.enum(ACCREDITATION_STATUSES),
    reason: z.string().nullable(),
    actorId: z.string().nullable(),
    at: z.string(),
  })
  .openapi('AccreditationEvent');

export type CreateVenueInput = z.infer<typeof createVenueBody>;
export type UpdateVenueInput = z.infer<typeof updateVenueBody>;
export type VenueView = z.infer<typeof venueView>;
export type AccreditationEventView = z.infer<typeof accreditationEventView>;
