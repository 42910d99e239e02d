import { isoDate, moneySchema, pageQuerySchema } from '@pass/http';
import { BATCH_STATUSES } from '@pass/vouchers';
import { z } from 'zod';

const departementCode = z
  .string()
  .regex(/^\s*(\d{2,3}|2[abAB])\s*$/, 'a département code such as 07, 2A or 971');
const communeCode = z
  .string()
  .regex(/^\s*(\d{5}|2[abAB]\d{3})\s*$/, 'an INSEE commune code such as 07186 or 2A004');

export const territorySchema = z
  .object({
    departements: z.array(departementCode).max(120).default([]),
    communes: z.array(communeCode).max(5000).default([]),
  })
  .strict()
  .openapi('Territory');

/** The order form. Counts are only shape-checked here: business limits answer with their own codes. */
export const batchRequestBody = z
  .object({
    funderId: z
      .uuid()
      .optional()
      .describe('Operators order for a funder; funder managers order for their own.'),
    faceValue: moneySchema.default({ amount: '10.00', currency: 'EUR' }),
    bookletSize: z.union([z.literal(5), z.literal(10)]),
    bookletCount: z.number().int().min(0).max(10_000_000),
    validFrom: isoDate,
    validUntil: isoDate,
    toleranceDays: z.number().int().min(0).max(366).default(30),
    territory: territorySchema.default({ departements: [], communes: [] }),
    serviceCategories: z.array(z.string().min(1).max(80)).max(20).default([]),
    wording: z.string().trim().min(1).max(600).describe('Printed on every booklet cover.'),
  })
  .strict()
  .openapi('BatchRequest');
export type BatchRequestBody = z.infer<typeof batchRequestBody>;

const money = moneySchema;

export const quoteResponse = z
  .object({
    voucherCount: z.number().int(),
    faceValue: money,
    faceTotal: money,
    upstreamFeeRate: z.string(),
    upstreamFee: money,
    vatRate: z.string(),
    vat: money,
    total: money,
  })
  .openapi('Quote');

const generationSchema = z
  .object({
    state: z.enum(['pending', 'running', 'completed', 'failed']),
    generated: z.number().int(),
    total: z.number().int(),
    percent: z.number(),
    ratePerSecond: z.number().nullable(),
    etaSeconds: z.number().nullable(),
    attempts: z.number().int(),
    startedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    lastError: z.string().nullable(),
  })
  .openapi('GenerationProgress');
export const generationResponse = generationSchema;

export const batchResponse = z
  .object({
    id: z.uuid(),
    reference: z.string(),
    number: z.number().int(),
    funder: z.object({ id: z.uuid(), name: z.string().nullable() }),
    status: z.enum(BATCH_STATUSES),
    faceValue: money,
    bookletSize: z.number().int(),
    bookletCount: z.number().int(),
    voucherCount: z.number().int(),
    validFrom: z.string(),
    validUntil: z.string(),
    toleranceDays: z.number().int(),
    lastAcceptedDate: z.string(),
    distributionStopDate: z.string(),
    territory: z.object({ departements: z.array(z.string()), communes: z.array(z.string()) }),
    serviceCategories: z.array(z.string()),
    wording: z.string(),
    quote: z.object({
      faceTotal: money,
      upstreamFeeRate: z.string(),
      upstreamFee: money,
      vatRate: z.string(),
      vat: money,
      total: money,
    }),
    funding: z
      .object({
        amount: money,
        method: z.enum(['mandate', 'bank_transfer']),
        reference: z.string(),
        receivedOn: z.string(),
        recordedBy: z.string(),
        recordedAt: z.string(),
      })
      .nullable(),
    generation: generationSchema.nullable(),
    proof: z.object({
      approved: z.boolean(),
      approvedBy: z.string().nullable(),
      approvedAt: z.string().nullable(),
    }),
    bookletsPdf: z
      .object({
        state: z.enum(['pending', 'running', 'completed', 'failed']),
        renderedPasses: z.number().int(),
        totalPasses: z.number().int(),
        bytes: z.number().nullable(),
        completedAt: z.string().nullable(),
        lastError: z.string().nullable(),
      })
      .nullable(),
    createdAt: z.string(),
    submittedAt: z.string().nullable(),
    activatedAt: z.string().nullable(),
    closedAt: z.string().nullable(),
  })
  .openapi('Batch');

export const batchListQuery = pageQuerySchema
  .extend({ status: z.enum(BATCH_STATUSES).optional(), funderId: z.uuid().optional() })
  .strict();

export const batchListResponse = z
  .object({ items: z.array(batchResponse), nextCursor: z.string().nullable() })
  .openapi('BatchPage');

export const closeBody = z
  .object({ reason: z.string().trim().min(1).max(300).optional() })
  .strict()
  .openapi('CloseBatchRequest');

export const fundingBody = z
  .object({
    amount: moneySchema,
    method: z.enum(['mandate', 'bank_transfer']),
    reference: z.string().trim().min(1).max(140).describe('Mandate number or bank payment reference.'),
    receivedOn: isoDate.describe('Date the money was received (accounting date of the entry).'),
  })
  .strict()
  .openapi('FundingRequest');
export type FundingBody = z.infer<typeof fundingBody>;

export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(8)
    .max(255)
    .describe('Required: replaying the same key and body returns the first answer.'),
});

export const batchEventsQuery = z
  .object({
    serial: z.coerce.number().int().min(1).optional(),
    cursor: z.string().max(100).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

export const batchEventsResponse = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        kind: z.string(),
        serialFrom: z.number().int().nullable(),
        serialTo: z.number().int().nullable(),
        actor: z.string(),
        at: z.string(),
        place: z.string().nullable(),
        reason: z.string().nullable(),
        reference: z.string().nullable(),
        details: z.record(z.string(), z.unknown()),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .openapi('BatchEventPage');
