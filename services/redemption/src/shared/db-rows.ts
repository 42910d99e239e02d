/** Rows of a knex.raw result: `{ rows }` on pg and through knex-pglite alike. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] })?.rows ?? []) as T[];
}

/** A timestamptz column as a Date (pg gives a Date, some paths an ISO string). */
export function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

/** A nullable timestamptz column. */
export function toDateOrNull(value: Date | string | null | undefined): Date | null {
  return value === null || value === undefined ? null : toDate(value);
}
