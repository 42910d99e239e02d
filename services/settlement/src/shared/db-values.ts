/** Rows of a knex.raw result, on pg and PGlite alike. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] })?.rows ?? []) as T[];
}

/** An int8 from a driver (text on pg, text with our PGlite parsers; a bigint or safe number tolerated). */
export function toBigint(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw new TypeError(`Not an integer from the database: ${String(value)}`);
}

/** A nullable int8. */
export function toBigintOrNull(value: unknown): bigint | null {
  return value === null || value === undefined ? null : toBigint(value);
}

/** A timestamptz as a Date. */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string') return new Date(value);
  throw new TypeError(`Not a timestamp from the database: ${String(value)}`);
}

/** A nullable timestamptz. */
export function toDateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : toDate(value);
}

/** A jsonb column (pg parses it, some paths hand back text). */
export function toJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** A date column as ISO text (our parsers keep `date` as text; a Date is tolerated). */
export function toIsoDate(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}
