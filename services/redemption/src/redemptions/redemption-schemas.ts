import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { isoDate, moneySchema, pageQuerySchema } from '@pass/http';
import { z } from 'zod';
import { REFUSAL_CODES } from './redemption';

// Schemas call `.openapi(...)` when their module loads: the extension must run first, whatever the import order.
extendZodWithOpenApi(z);

/** Most catalogue services cost one to three passes; twenty leaves room without letting a body grow large. */
export const MAX_PASSES_PER_BASKET = 20;

export const basketSchema = z
  .object({
    catalogueServiceId: z.uuid().describe('The catalogue service of the caller’s venue being paid.'),
    codes: z
      .array(z.string().min(1).max(200))
      .min(1)
      .max(MAX_PASSES_PER_BASKET)
      .describe(
        'Typed codes (any spelling: spaces, dashes, lower case) or scanned QR payloads, one per pass.',
      ),
  })
  .strict()
  .openapi('RedemptionBasket');
export type BasketRequest = z.infer<typeof basketSchema>;

export const undoSchema = z
  .object({ reason: z.string().trim().min(1).max(500).optional().describe('Why the redemption is undone.') })
  .strict()
  .openapi('RedemptionUndo');

export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .describe('8 to 255 visible ASCII characters; a new one per basket (e.g. a UUID).'),
});

const passRefusalSchema = z
  .object({
    code: z.enum(REFUSAL_CODES),
    message: z.string().describe('French, for the agent’s screen.'),
    redeemedAt: z.iso.datetime().optional().describe('Only to the association that redeemed the pass.'),
    venueName: z.string().optional().describe('Only to the association that redeemed the pass.'),
  })
  .openapi('PassRefusal');

const passVerdictSchema = z
  .object({
    index: z.number().int().describe('Position in `codes`.'),
    ok: z.boolean(),
    serial: z.string().optional().describe('Printed serial (lot-serial) of a pass that was found.'),
    faceValue: moneySchema.optional(),
    refusals: z.array(passRefusalSchema),
  })
  .openapi('PassVerdict');

const remainderSchema = z
  .object({
    kind: z.enum(['zero', 'to_agree_with_venue']),
    message: z.string().describe('French.'),
  })
  .openapi('BeneficiaryRemainder');

const serviceSchema = z
  .object({ id: z.uuid(), name: z.string(), category: z.string(), pricePasses: z.number().int() })
  .openapi('RedeemedService');

export const checkResponseSchema = z
  .object({
    ok: z.boolean(),
    code: z.enum(REFUSAL_CODES).optional().describe('The basket’s refusal code when not ok.'),
    refusals: z.array(passRefusalSchema).describe('Refusals of the basket itself (venue, count).'),
    passes: z.array(passVerdictSchema),
    service: serviceSchema,
    amount: moneySchema.optional().describe('What the venue would be paid, when ok.'),
    remainder: remainderSchema,
  })
  .openapi('RedemptionCheck');

export const redemptionResponseSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(['live', 'undone']),
    venueId: z.uuid(),
    venueName: z.string().nullable(),
    service: serviceSchema.extend({ name: z.string().nullable() }),
    passCount: z.number().int(),
    paid: moneySchema.describe('Face value of the passes: what the association will be paid.'),
    remainder: remainderSchema.optional(),
    serials: z.array(z.string()),
    redeemedAt: z.iso.datetime(),
    redeemedBy: z.string(),
    undoDeadline: z.iso.datetime(),
    undoneAt: z.iso.datetime().nullable(),
    undoneBy: z.string().nullable(),
  })
  .openapi('Redemption');

export const listQuerySchema = pageQuerySchema
  .extend({
    date: isoDate.optional().describe('Business day (Europe/Paris); today by default.'),
    from: isoDate.optional().describe('First day of a range (with `to`), instead of `date`.'),
    to: isoDate.optional().describe('Last day of a range, inclusive.'),
    venueId: z.uuid().optional(),
    status: z.enum(['live', 'undone']).optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict();
export type ListQuery = z.infer<typeof listQuerySchema>;

export const listResponseSchema = z
  .object({ items: z.array(redemptionResponseSchema), nextCursor: z.string().nullable() })
  .openapi('RedemptionPage');
