import { listQuerySchema, pageSchema } from '../shared/list-response';
import { z } from '../shared/openapi-zod';

export const createDistributorBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    funderId: z.uuid().nullish(),
    siret: z.string().max(30).nullish(),
    postcode: z
      .string()
      .regex(/^\d{5}$/, 'a French postcode has 5 digits')
      .nullish(),
    town: z.string().trim().min(1).max(100).nullish(),
  })
  .strict()
  .openapi('CreateDistributor');

export const updateDistributorBody = createDistributorBody.partial().strict().openapi('UpdateDistributor');

export const distributorView = z
  .object({
    id: z.string(),
    name: z.string(),
    funderId: z.string().nullable(),
    siret: z.string().nullable(),
    postcode: z.string().nullable(),
    town: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Distributor');

export const distributorPage = pageSchema(distributorView, 'DistributorPage');

export const distributorListQuery = listQuerySchema
  .extend({ funderId: z.uuid().optional(), q: z.string().max(100).optional() })
  .strict();

export type CreateDistributorInput = z.infer<typeof createDistributorBody>;
export type UpdateDistributorInput = z.infer<typeof updateDistributorBody>;
export type DistributorView = z.infer<typeof distributorView>;
