import { moneySchema } from '@pass/http';
import { CANCEL_REASONS } from '@pass/vouchers';
import { z } from 'zod';

const serial = z.number().int().min(1).max(2_000_000);

export const cancellationBody = z
  .object({
    target: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('pass'), serial }).strict(),
      z.object({ kind: z.literal('booklet'), booklet: z.number().int().min(1).max(2_000_000) }).strict(),
      z.object({ kind: z.literal('range'), fromSerial: serial, toSerial: serial }).strict(),
      z.object({ kind: z.literal('code'), code: z.string().min(1).max(100) }).strict(),
    ]),
    reason: z.enum(CANCEL_REASONS),
    note: z.string().trim().min(1).max(500).optional(),
  })
  .strict()
  .openapi('CancellationRequest');
export type CancellationBody = z.infer<typeof cancellationBody>;

export const cancellationResponse = z
  .object({
    id: z.uuid(),
    batchId: z.uuid(),
    reason: z.enum(CANCEL_REASONS),
    cancelled: z.number().int(),
    ranges: z.array(z.object({ from: z.number().int(), to: z.number().int() })),
    amount: moneySchema,
    ledgerEntryId: z.string().nullable(),
  })
  .openapi('Cancellation');
