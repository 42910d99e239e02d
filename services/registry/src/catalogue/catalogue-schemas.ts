import { z } from '../shared/openapi-zod';
import { SERVICE_SLUGS, type ServiceSlug } from '../venues-open-data';

const category = z.enum(SERVICE_SLUGS as [ServiceSlug, ...ServiceSlug[]]);

export const createCatalogueItemBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    category: category.describe('Service slug of the national standard (see /public/service-categories).'),
    pricePasses: z.number().int().min(1).max(100).describe('Price in passes (whole number, at least 1).'),
    zeroRemainder: z
      .boolean()
      .default(true)
      .describe('True when the beneficiary pays nothing beyond the passes.'),
  })
  .strict()
  .openapi('CreateCatalogueItem');

export const updateCatalogueItemBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    category: category.optional(),
    pricePasses: z.number().int().min(1).max(100).optional(),
    zeroRemainder: z.boolean().optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .openapi('UpdateCatalogueItem');

export const catalogueItemView = z
  .object({
    id: z.string(),
    venueId: z.string(),
    name: z.string(),
    category: category,
    categoryLabel: z.string(),
    pricePasses: z.number().int(),
    zeroRemainder: z.boolean(),
    active: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('CatalogueItem');

export const catalogueListQuery = z
  .object({
    includeInactive: z.enum(['true', 'false']).default('false'),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict();

export type CreateCatalogueItemInput = z.infer<typeof createCatalogueItemBody>;
export type UpdateCatalogueItemInput = z.infer<typeof updateCatalogueItemBody>;
export type CatalogueItemView = z.infer<typeof catalogueItemView>;
