import { z } from '../shared/openapi-zod';
import { SERVICE_SLUGS, type ServiceSlug } from '../venues-open-data';

const category = z.enum(SERVICE_SLUGS as [ServiceSlug, ...ServiceSlug[]]);

export const directoryQuery = z
  .object({
    postcode: z
      .string()
      .regex(/^\d{5}$/, 'a French postcode has 5 digits')
      .optional(),
    commune: z.string().trim().min(2).max(100).optional().describe('Commune name or INSEE code.'),
    lat: z.coerce.number().min(-90).max(90).optional(),
    lon: z.coerce.number().min(-180).max(180).optional(),
    radiusKm: z.coerce.number().positive().max(100).default(10),
    category: category.optional().describe('Only venues offering a service of this category.'),
    limit: z.coerce.number().int().min(1).max(100).default(30),
  })
  .strict();

export const directoryVenueView = z
  .object({
    id: z.string(),
    name: z.string(),
    street: z.string().nullable(),
    complement: z.string().nullable(),
    postcode: z.string().nullable(),
    commune: z.string().nullable(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    distanceKm: z.number().nullable().describe('From the given coordinates, rounded to 0.1 km.'),
    itinerant: z.boolean(),
    openingHours: z.string().nullable(),
    openingHoursValid: z.boolean(),
    accessibilityUrl: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    website: z.string().nullable(),
    services: z.array(z.object({ category: z.string(), label: z.string() })),
    catalogue: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        category: z.string(),
        categoryLabel: z.string(),
        pricePasses: z.number().int(),
        zeroRemainder: z.boolean(),
      }),
    ),
  })
  .openapi('DirectoryVenue');

export const directoryResponse = z
  .object({
    match: z
      .enum(['postcode', 'commune', 'departement', 'coordinates'])
      .describe('How venues were found: `departement` when none was in the postcode or commune itself.'),
    items: z.array(directoryVenueView),
  })
  .openapi('DirectoryResult');

export const serviceCategoriesResponse = z
  .object({ items: z.array(z.object({ slug: z.string(), label: z.string() })) })
  .openapi('ServiceCategories');

export type DirectoryQuery = z.infer<typeof directoryQuery>;
export type DirectoryVenueView = z.infer<typeof directoryVenueView>;
export type DirectoryResponse = z.infer<typeof directoryResponse>;
