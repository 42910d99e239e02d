import { addDays, businessDate } from '@pass/vouchers';

export { addDays, businessDate };

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** Offset of a time zone from UTC at an instant, in minutes (Europe/Paris: +60 in winter, +120 in summer). */
export function timeZoneOffsetMinutes(instant: Date, timeZone: string): number {
  let format = offsetFormatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    offsetFormatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, part.value]));
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The instant a calendar day starts in a time zone. Checked twice because the offset at the guessed instant
 * may differ from the offset at midnight on a day the clocks change (Paris changes at 02:00/03:00, never at
 * midnight, but other zones do).
 */
export function startOfDay(isoDate: string, timeZone: string): Date {
  const utcMidnight = Date.parse(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(utcMidnight)) throw new RangeError(`not a date: ${isoDate}`);
  let instant = utcMidnight - timeZoneOffsetMinutes(new Date(utcMidnight), timeZone) * 60_000;
  instant = utcMidnight - timeZoneOffsetMinutes(new Date(instant), timeZone) * 60_000;
  return new Date(instant);
}

/** Day of the week of an ISO date, 0 = Sunday ... 6 = Saturday. */
export function dayOfWeek(isoDate: string): number {
  return new Date(`${isoDate}T00:00:00Z`).getUTCDay();
}

/** dd/mm/yyyy, the French way, from an ISO date. */
export function isoDateToFr(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}/${month}/${year}`;
}

/** dd/mm/yyyy of an instant in the business time zone. */
export function formatDateFr(instant: Date, timeZone: string): string {
  return isoDateToFr(businessDate(instant, timeZone));
}

/** dd/mm/yyyy hh:mm of an instant in the business time zone. */
export function formatDateTimeFr(instant: Date, timeZone: string): string {
  const minutes = timeZoneOffsetMinutes(instant, timeZone);
  const local = new Date(instant.getTime() + minutes * 60_000).toISOString();
  return `${isoDateToFr(local.slice(0, 10))} ${local.slice(11, 16)}`;
}

/** Calendar year of an ISO date. */
export function yearOf(isoDate: string): number {
  return Number(isoDate.slice(0, 4));
}

/** ISO date of the first day of the month of an ISO date. */
export function firstOfMonth(isoDate: string): string {
  return `${isoDate.slice(0, 7)}-01`;
}

/** The ISO date `days` before or after, re-exported under a clearer name for date arithmetic. */
export function shiftDate(isoDate: string, days: number): string {
  return addDays(isoDate, days);
}
