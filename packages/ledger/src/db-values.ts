/**
 * Drivers disagree on int8: pg returns a string, PGlite a number or a bigint (and dates as Date objects),
 * so queries of this package cast ids and amounts to text and these helpers read them back exactly.
 */
export function toBigint(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw new TypeError(`Not an integer from the database: ${String(value)}`);
}

/** An id or other int8 as its decimal string. */
export function toIdString(value: unknown): string {
  return toBigint(value).toString();
}

/** A nullable id. */
export function toIdOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : toIdString(value);
}

/** A timestamptz as a Date (pg and PGlite both parse it; text is accepted too). */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string') return new Date(value);
  throw new TypeError(`Not a timestamp from the database: ${String(value)}`);
}

/** A bytea as a Buffer (pg gives a Buffer, PGlite a Uint8Array). */
export function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw new TypeError('Not a bytea from the database');
}

/** Rows of a knex.raw result, whatever the driver. */
export function rowsOf<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** The columns of a ledger.entries row as the ledger's queries read them (int8 as text). */
export interface DbEntryColumns {
  id: string;
  kind: string;
  reference: string;
  actor: string;
  description: string | null;
  currency: string;
  idempotency_key: string | null;
  reverses_entry_id: string | null;
  effective_date: string;
}
