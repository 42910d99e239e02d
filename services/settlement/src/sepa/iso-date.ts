import { SepaError } from './sepa-error';

/** Checks a YYYY-MM-DD calendar date (2026-02-30 is refused) and returns it unchanged. */
export function checkIsoDate(value: string, field: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value ?? '');
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  // Round-tripping through Date is what rejects impossible days.
  if (!date || date.toISOString().slice(0, 10) !== value) {
    throw new SepaError('invalid_date', `${field} must be a calendar date YYYY-MM-DD`, { field });
  }
  return value;
}

/** UTC without milliseconds: an ISODateTime every bank's validator accepts. */
export function isoDateTime(date: Date, field: string): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new SepaError('invalid_date', `${field} is not a valid date`, { field });
  }
  return `${date.toISOString().slice(0, 19)}Z`;
}
