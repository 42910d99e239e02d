import { BadRequestError } from '@pass/errors';
import { z } from 'zod';

/** Query parameters of every list: an opaque cursor and a page size. */
export const pageQuerySchema = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Encodes a keyset position (e.g. `[createdAt, id]`) as an opaque cursor. */
export function encodeCursor(position: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** Decodes a cursor made by encodeCursor; a forged or foreign cursor is a 400 `invalid_cursor`. */
export function decodeCursor(cursor: string, arity: number): string[] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === arity && value.every((v) => typeof v === 'string')) {
      return value as string[];
    }
  } catch {
    // fall through
  }
  throw new BadRequestError('invalid_cursor', 'The pagination cursor is not valid.');
}

/** Builds a page from `limit + 1` fetched rows: the extra row only says that there is a next page. */
export function toPage<T>(rows: T[], limit: number, positionOf: (row: T) => string[]): Page<T> {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  return { items, nextCursor: encodeCursor(positionOf(items[items.length - 1]!)) };
}
