import { addDays, dayOfWeek } from './business-time';

/** Easter Sunday of a Gregorian year (anonymous Gregorian algorithm, "Meeus/Jones/Butcher"). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Whether SEPA credit transfers settle on that day: TARGET2 is closed on weekends, 1 January, Good Friday,
 * Easter Monday, 1 May, 25 and 26 December. French public holidays (14 July...) are not TARGET closing days.
 */
export function isTargetBusinessDay(isoDate: string): boolean {
  const weekday = dayOfWeek(isoDate);
  if (weekday === 0 || weekday === 6) return false;
  const monthDay = isoDate.slice(5);
  if (monthDay === '01-01' || monthDay === '05-01' || monthDay === '12-25' || monthDay === '12-26')
    return false;
  const easter = easterSunday(Number(isoDate.slice(0, 4)));
  return isoDate !== addDays(easter, -2) && isoDate !== addDays(easter, 1);
}

/** The first TARGET business day strictly after an ISO date: the execution date asked of the bank. */
export function nextTargetBusinessDay(isoDate: string): string {
  let day = addDays(isoDate, 1);
  while (!isTargetBusinessDay(day)) day = addDays(day, 1);
  return day;
}
