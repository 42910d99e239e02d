import { listQuerySchema, pageSchema } from '../shared/list-response';
import { z } from '../shared/openapi-zod';
import { postalAddressSchema } from '../shared/postal-address';
import { rateString } from '../shared/rates';
import { BANK_DETAILS_STATUSES, SETTLEMENT_CADENCES } from './association';

export const bankAccountBody = z
  .object({
    iban: z.string().min(1).max(50),
    bic: z.string().min(1).max(20),
    accountHolderName: z
      .string()
      .min(1)
      .max(140)
      .describe('Exactly as the bank has it (Verification of Payee).'),
  })
  .strict()
  .openapi('BankAccountInput');

export const createAssociationBody = z
  .object({
    legalName: z.string().trim().min(1).max(200),
    name: z.string().trim().min(1).max(200).optional().describe('Display name; the legal name by default.'),
    siret: z.string().max(30).nullish(),
    rna: z.string().max(20).nullish(),
    address: postalAddressSchema,
    settlementCadence: z.enum(SETTLEMENT_CADENCES).default('monthly'),
    downstreamFeeRate: rateString.default('0'),
    bankAccount: bankAccountBody
      .optional()
      .describe('Entered as a bank change request: a second operator approves it.'),
  })
  .strict()
  .openapi('CreateAssociation');

export const updateAssociationBody = z
  .object({
    legalName: z.string().trim().min(1).max(200).optional(),
    name: z.string().trim().min(1).max(200).optional(),
    siret: z.string().max(30).nullable().optional(),
    rna: z.string().max(20).nullable().optional(),
    address: postalAddressSchema.optional(),
    settlementCadence: z.enum(SETTLEMENT_CADENCES).optional(),
    downstreamFeeRate: rateString.optional(),
  })
  .strict()
  .openapi('UpdateAssociation');

export const clearFlagBody = z
  .object({ note: z.string().trim().min(1).max(500) })
  .strict()
  .openapi('ClearAssociationFlag');

const addressView = z.object({
  street: z.string(),
  buildingNumber: z.string().nullable(),
  postcode: z.string(),
  town: z.string(),
  country: z.string(),
});

export const associationView = z
  .object({
    id: z.string(),
    name: z.string(),
    legalName: z.string(),
    siret: z.string().nullable(),
    rna: z.string().nullable(),
    address: addressView,
    bankAccount: z.object({ iban: z.string(), bic: z.string(), accountHolderName: z.string() }).nullable(),
    bankDetailsStatus: z.enum(BANK_DETAILS_STATUSES),
    payoutsHeld: z.boolean(),
    payoutHoldReason: z.enum(['flagged', 'bank_change_pending', 'bank_details_missing']).nullable(),
    settlementCadence: z.enum(SETTLEMENT_CADENCES),
    downstreamFeeRate: z.string(),
    flaggedAt: z.string().nullable(),
    flagReason: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Association');

export const associationPage = pageSchema(associationView, 'AssociationPage');

export const associationListQuery = listQuerySchema
  .extend({
    q: z.string().max(100).optional(),
    bankDetailsStatus: z.enum(BANK_DETAILS_STATUSES).optional(),
    flagged: z.enum(['true', 'false']).optional(),
  })
  .strict();

export type CreateAssociationInput = z.infer<typeof createAssociationBody>;
export type UpdateAssociationInput = z.infer<typeof updateAssociationBody>;
export type AssociationView = z.infer<typeof associationView>;
