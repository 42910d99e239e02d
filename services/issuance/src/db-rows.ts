/** Rows of a knex.raw result, on pg and on PGlite (both give `{ rows }` through knex). */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] })?.rows ?? []) as T[];
}
