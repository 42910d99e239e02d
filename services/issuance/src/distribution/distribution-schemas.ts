import { moneySchema } from '@pass/http';
import { z } from 'zod';

const booklet = z.number().int().min(1).max(2_000_000);

/** Pseudonymous only: letters, digits, - and _, with at least one digit, so a name cannot be typed in. */
export const beneficiaryRef = z
  .string()
  .trim()
  .regex(
    /^(?=.*\d)[A-Za-z0-9][A-Za-z0-9_-]{2,39}$/,
    'a pseudonymous reference (3 to 40 letters, digits, - or _, at least one digit), never a name',
  )
  .describe(
    'Pseudonymous beneficiary reference from the distributor’s own file, e.g. "DIAG-2026-0142". Never a name.',
  );

export const assignBody = z
  .object({ distributorId: z.uuid(), fromBooklet: booklet, toBooklet: booklet })
  .strict()
  .openapi('StockAssignment');

export const transferBody = z
  .object({
    fromDistributorId: z
      .uuid()
      .optional()
      .describe('Funder managers name it; a distributor agent moves its own stock.'),
    toDistributorId: z.uuid(),
    fromBooklet: booklet,
    toBooklet: booklet,
  })
  .strict()
  .openapi('StockTransfer');

export const returnBody = z
  .object({
    distributorId: z
      .uuid()
      .optional()
      .describe('Funder managers name it; a distributor agent returns its own stock.'),
    fromBooklet: booklet,
    toBooklet: booklet,
  })
  .strict()
  .openapi('StockReturn');

export const stockMoveResponse = z
  .object({
    batchId: z.uuid(),
    fromBooklet: z.number().int(),
    toBooklet: z.number().int(),
    booklets: z.number().int(),
    passes: z
      .number()
      .int()
      .describe('Passes that moved with the booklets: those not handed out to a beneficiary.'),
  })
  .openapi('StockMove');

export const handOutBody = z
  .object({
    batchId: z.uuid(),
    booklet: booklet
      .optional()
      .describe('Hand out a whole booklet (its passes still to hand out; it then leaves the stock)...'),
    serial: z
      .number()
      .int()
      .min(1)
      .max(2_000_000)
      .optional()
      .describe('...or a single pass, by its serial in the batch.'),
    beneficiaryRef: beneficiaryRef.optional(),
  })
  .strict()
  .refine((body) => (body.booklet === undefined) !== (body.serial === undefined), {
    message: 'give either booklet or serial',
    path: ['booklet'],
  })
  .openapi('HandOut');

export const handOutResponse = z
  .object({
    batchId: z.uuid(),
    booklet: z.number().int(),
    serials: z.array(z.number().int()),
    handedOut: z.number().int(),
    value: moneySchema,
    leftStock: z
      .boolean()
      .describe(
        'The booklet has nothing left to hand out and left the stock (always for a whole booklet; with the last pass otherwise).',
      ),
  })
  .openapi('HandOutResult');

export const bookletListQuery = z
  .object({
    fromBooklet: z.coerce.number().int().min(1).default(1),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

const bookletUsageSchema = z.object({
  booklet: z.number().int(),
  state: z.enum(['issued', 'distributed', 'started', 'finished']),
  passes: z.number().int(),
  distributed: z.number().int(),
  used: z.number().int(),
  available: z.number().int(),
  inStock: z.number().int(),
  cancelled: z.number().int(),
  expired: z.number().int(),
  holder: z
    .object({ distributorId: z.uuid(), name: z.string().nullable() })
    .nullable()
    .describe('The distributor holding it; null when with the funder or handed out (see state).'),
});

export const bookletListResponse = z
  .object({ items: z.array(bookletUsageSchema), nextFromBooklet: z.number().int().nullable() })
  .openapi('BookletPage');

export const distributionSummaryResponse = z
  .object({
    batchId: z.uuid(),
    booklets: z.object({
      issued: z.number().int(),
      distributed: z.number().int(),
      started: z.number().int(),
      finished: z.number().int(),
      total: z.number().int(),
      withDistributors: z.number().int(),
    }),
    passes: z.object({
      issued: z.number().int(),
      distributed: z.number().int(),
      available: z.number().int(),
      redeemed: z.number().int(),
      settled: z.number().int(),
      cancelled: z.number().int(),
      expired: z.number().int(),
    }),
    distributors: z.array(
      z.object({ distributorId: z.uuid(), name: z.string().nullable(), booklets: z.number().int() }),
    ),
  })
  .openapi('DistributionSummary');

export const stockResponse = z
  .object({
    distributorId: z.uuid(),
    batches: z.array(
      z.object({
        batchId: z.uuid(),
        reference: z.string(),
        status: z.string(),
        validUntil: z.string(),
        distributionStopDate: z.string(),
        booklets: z.number().int().describe('Booklets held (handed-out booklets are no longer held).'),
        ranges: z.array(z.object({ from: z.number().int(), to: z.number().int() })),
        passesInStock: z.number().int().describe('Passes of the held booklets still to hand out.'),
      }),
    ),
  })
  .openapi('DistributorStock');
