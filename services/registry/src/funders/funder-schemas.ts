import { listQuerySchema, pageSchema } from '../shared/list-response';
import { z } from '../shared/openapi-zod';
import { postalAddressSchema } from '../shared/postal-address';
import { rateString } from '../shared/rates';
import { EXPIRED_PASS_POLICIES, FUNDER_KINDS } from './funder';

const contactSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    role: z.string().trim().max(200).nullish(),
    email: z.email().max(254).nullish(),
    phone: z.string().max(40).nullish(),
  })
  .strict();

const contractSchema = z
  .object({
    upstreamFeeRate: rateString
      .optional()
      .describe('Fee on face value at funding, excl. VAT, as a fraction ("0.04").'),
    vatRate: rateString.optional().describe('VAT rate applied to the fee ("0.20").'),
    expiredPassPolicy: z
      .enum(EXPIRED_PASS_POLICIES)
      .optional()
      .describe('Credit note of expired passes: refund or reuse.'),
  })
  .strict();

export const createFunderBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    kind: z.enum(FUNDER_KINDS),
    siret: z.string().max(30),
    contacts: z.array(contactSchema).max(20).default([]),
    billingAddress: postalAddressSchema,
    contract: contractSchema.default({}),
  })
  .strict()
  .openapi('CreateFunder');

export const updateFunderBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    kind: z.enum(FUNDER_KINDS).optional(),
    siret: z.string().max(30).optional(),
    contacts: z.array(contactSchema).max(20).optional(),
    billingAddress: postalAddressSchema.optional(),
    contract: contractSchema.optional(),
  })
  .strict()
  .openapi('UpdateFunder');

export const funderView = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(FUNDER_KINDS),
    siret: z.string().nullable(),
    contacts: z.array(
      z.object({
        name: z.string(),
        role: z.string().nullable(),
        email: z.string().nullable(),
        phone: z.string().nullable(),
      }),
    ),
    billingAddress: z
      .object({
        street: z.string(),
        buildingNumber: z.string().nullable(),
        postcode: z.string(),
        town: z.string(),
        country: z.string(),
      })
      .nullable(),
    contract: z.object({
      upstreamFeeRate: z.string(),
      vatRate: z.string(),
      expiredPassPolicy: z.enum(EXPIRED_PASS_POLICIES),
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Funder');

export const funderPage = pageSchema(funderView, 'FunderPage');

export const funderListQuery = listQuerySchema
  .extend({
    kind: z.enum(FUNDER_KINDS).optional(),
    q: z.string().max(100).optional().describe('Part of the name, any case.'),
  })
  .strict();

export type CreateFunderInput = z.infer<typeof createFunderBody>;
export type UpdateFunderInput = z.infer<typeof updateFunderBody>;
export type FunderView = z.infer<typeof funderView>;
