import { addDays, businessDate, dayOfWeek, firstOfMonth, startOfDay } from '../shared/business-time';

/** How often an association is settled (registry.associations.settlement_cadence). */
export type Cadence = 'daily' | 'weekly' | 'monthly';

export const CADENCES: readonly Cadence[] = ['daily', 'weekly', 'monthly'];

/** The first day of the period of a cadence that contains an ISO date: itself, its Monday, its 1st. */
export function periodStartDate(cadence: Cadence, isoDate: string): string {
  switch (cadence) {
    case 'daily':
      return isoDate;
    case 'weekly':
      // Monday = 1; Sunday (0) belongs to the week that started six days earlier.
      return addDays(isoDate, -((dayOfWeek(isoDate) + 6) % 7));
    case 'monthly':
      return firstOfMonth(isoDate);
    default: {
      const unknown: never = cadence;
      throw new Error(`unknown cadence ${String(unknown)}`);
    }
  }
}

/** The first day of the period before the one starting on `periodStart`. */
export function previousPeriodStartDate(cadence: Cadence, periodStart: string): string {
  return periodStartDate(cadence, addDays(periodStart, -1));
}

/** What a statement covers: redemptions with redeemed_at < cutoff; periodStart is informational. */
export interface ClearingWindow {
  cutoff: Date;
  periodStart: Date;
}

/**
 * The cut-off of a scheduled run: the latest period boundary (00:00 in the business time zone on a day,
 * a Monday or a 1st, by cadence) that is at least the undo window in the past. Redemptions before it can no
 * longer be undone, and the same `asOf` always gives the same cut-off, so a resumed run rebuilds the same
 * statements. A monthly association run on 2 December at 03:00 with a 24 h window is cut at 1 December
 * 00:00: its statement holds November.
 */
export function scheduledWindow(
  cadence: Cadence,
  asOf: Date,
  undoWindowHours: number,
  timeZone: string,
): ClearingWindow {
  const latestAllowed = new Date(asOf.getTime() - undoWindowHours * 3_600_000);
  // Midnight of the day holding latestAllowed is <= latestAllowed, so the boundary is never too recent.
  const boundaryDate = periodStartDate(cadence, businessDate(latestAllowed, timeZone));
  return {
    cutoff: startOfDay(boundaryDate, timeZone),
    periodStart: startOfDay(previousPeriodStartDate(cadence, boundaryDate), timeZone),
  };
}

/**
 * The cut-off of a run asked for by operator finance: everything older than the undo window, to the second
 * (a run created at 14:03:27.500 with a 24 h window is cut at 14:03:27 the day before).
 */
export function manualCutoff(asOf: Date, undoWindowHours: number): Date {
  const cut = asOf.getTime() - undoWindowHours * 3_600_000;
  return new Date(Math.floor(cut / 1000) * 1000);
}
