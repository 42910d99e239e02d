import type { Principal } from '@pass/auth';
import { BadRequestError } from '@pass/errors';
import { decodeCursor, encodeCursor, requireIdempotencyKey, inIdempotentTransaction } from '@pass/http';
import type { Request } from 'express';
import type { Knex } from 'knex';
import { addDays, startOfDay } from './business-time';
import { z } from './openapi-zod';

/** `from` and `to` as calendar days (inclusive) in the business time zone, both optional. */
export const dateRangeQuery = z.object({
  from: z.iso.date().optional().openapi({ description: 'First day (YYYY-MM-DD), inclusive' }),
  to: z.iso.date().optional().openapi({ description: 'Last day (YYYY-MM-DD), inclusive' }),
});

/** The instants [from, to) of an inclusive day range; open ends reach far into the past or future. */
export function instantRange(
  range: { from?: string | undefined; to?: string | undefined },
  timeZone: string,
): { from: Date; to: Date } {
  const from = range.from ? startOfDay(range.from, timeZone) : new Date('1970-01-01T00:00:00Z');
  const to = range.to ? startOfDay(addDays(range.to, 1), timeZone) : new Date('9999-12-31T00:00:00Z');
  if (from.getTime() >= to.getTime())
    throw new BadRequestError('invalid_date_range', '`from` must not be after `to`.');
  return { from, to };
}

/** Keyset cursor of (instant, id). */
export function timeCursor(cursor: string | undefined, field: 'createdAt' | 'redeemedAt' | 'issuedAt') {
  if (!cursor) return undefined;
  const [at, id] = decodeCursor(cursor, 2) as [string, string];
  const date = new Date(at);
  if (Number.isNaN(date.getTime()))
    throw new BadRequestError('invalid_cursor', 'The pagination cursor is not valid.');
  return { [field]: date, id } as Record<typeof field, Date> & { id: string };
}

/** The cursor of a page of `limit + 1` rows (null on the last page). */
export function nextCursorOf<T>(
  rows: T[],
  limit: number,
  position: (row: T) => [Date, string],
): string | null {
  if (rows.length <= limit) return null;
  const [at, id] = position(rows[limit - 1]!);
  return encodeCursor([at.toISOString(), id]);
}

/**
 * Runs a money-moving request once per Idempotency-Key (same key and body replays the answer, another body
 * is 422, a concurrent one 409), storing the answer in the same transaction as the change.
 */
export async function idempotent<T>(
  knex: Knex,
  req: Request,
  principal: Principal,
  request: unknown,
  now: Date,
  work: (trx: Knex.Transaction, key: string) => Promise<{ status: number; body: T }>,
): Promise<{ status: number; body: T; replayed: boolean }> {
  const key = requireIdempotencyKey(req.headers['idempotency-key']);
  return inIdempotentTransaction(
    knex,
    { scope: `user:${principal.subjectId}`, key, request: { path: req.path, request }, now },
    (trx) => work(trx, key),
  );
}

/** Documents the Idempotency-Key header of money-moving POSTs. */
export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(8)
    .max(255)
    .openapi({ description: 'Same key and body replays the first answer' }),
});
