import { type Page, pageQuerySchema, sendCsv, toCsv } from '@pass/http';
import type { Response } from 'express';
import { z } from './openapi-zod';

/**
 * Every list answers JSON pages (`cursor`, `limit`) or, with `?format=csv`, one CSV file of every matching row
 * (no pagination, at most CSV_EXPORT_MAX_ROWS rows).
 */
export const listQuerySchema = pageQuerySchema.extend({
  format: z.enum(['json', 'csv']).default('json'),
});

/** Upper bound of a CSV export, so one request cannot read a whole table into memory. */
export const CSV_EXPORT_MAX_ROWS = 50_000;

/** What a list method is asked for: one page, or everything for a CSV file. */
export type PageRequest = { limit: number; cursor?: string | undefined } | 'all';

/** The page request of a parsed list query. */
export function pageRequestOf(query: {
  format: 'json' | 'csv';
  limit: number;
  cursor?: string | undefined;
}): PageRequest {
  return query.format === 'csv' ? 'all' : { limit: query.limit, cursor: query.cursor };
}

/** A JSON page schema for the OpenAPI document. */
export function pageSchema<T extends z.ZodType>(item: T, name: string) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() }).openapi(name);
}

export interface CsvColumns<T> {
  fileName: string;
  header: string[];
  row(item: T): (string | null | undefined)[];
}

/** Sends the page as JSON (returned) or as a CSV download (sent here, returns undefined). */
export function respondList<T, V>(
  res: Response,
  format: 'json' | 'csv',
  page: Page<T>,
  view: (item: T) => V,
  csv: CsvColumns<T>,
): Page<V> | undefined {
  if (format === 'csv') {
    sendCsv(res, csv.fileName, toCsv(csv.header, page.items.map(csv.row)));
    return undefined;
  }
  return { items: page.items.map(view), nextCursor: page.nextCursor };
}
