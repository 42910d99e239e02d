import { decodeCursor, type Page, toPage } from '@pass/http';
import type { Knex } from 'knex';
import { CSV_EXPORT_MAX_ROWS, type PageRequest } from './list-response';

/**
 * Runs a list query one keyset page at a time, ordered by `(sortColumn, idColumn)` ascending: stable under
 * concurrent inserts, unlike offsets. `page === 'all'` fetches every row up to the CSV export bound.
 */
export async function fetchKeysetPage<Row>(
  query: Knex.QueryBuilder,
  page: PageRequest,
  columns: { sort: string; id: string },
  positionOf: (row: Row) => [string, string],
): Promise<Page<Row>> {
  query.orderBy([columns.sort, columns.id]);
  if (page === 'all') {
    const rows = (await query.limit(CSV_EXPORT_MAX_ROWS)) as Row[];
    return { items: rows, nextCursor: null };
  }
  if (page.cursor) {
    const [sort, id] = decodeCursor(page.cursor, 2) as [string, string];
    query.whereRaw('(??, ??) > (?, ?)', [columns.sort, columns.id, sort, id]);
  }
  const rows = (await query.limit(page.limit + 1)) as Row[];
  return toPage(rows, page.limit, positionOf);
}
