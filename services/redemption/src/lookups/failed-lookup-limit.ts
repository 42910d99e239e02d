import type { Principal } from '@pass/auth';

/**
 * Guessing codes is the only way to steal value from the outside: 80 random bits make it hopeless unless
 * guesses are free, so lookups that match no pass are counted per device (or user) and per venue, and a
 * scope over its limit may not look codes up until its window has passed. Typos and bad signatures are
 * caught before any lookup and do not count.
 */
export const FAILED_LOOKUP_POLICY = Object.freeze({
  windowMinutes: 10,
  /** One scanner or one person: a few honest typing mistakes that still pass the check character. */
  maxPerDevice: 10,
  /** A whole venue (several scanners). */
  maxPerVenue: 30,
});

/** The counters a principal's lookups go to: `venue:<id>` and `device:<id>` (or `user:<id>` for people). */
export interface LookupScopes {
  venue: string;
  device: string;
}

/** Counter keys of a venue agent or scanner. */
export function lookupScopesOf(principal: Principal, venueId: string): LookupScopes {
  return {
    venue: `venue:${venueId}`,
    device: principal.kind === 'device' ? `device:${principal.subjectId}` : `user:${principal.subjectId}`,
  };
}

export type LookupAllowance =
  | { ok: true }
  | { ok: false; scope: 'venue' | 'device'; retryAfterSeconds: number };

/** Whether a scope may look codes up, given its failures inside the window. */
export function lookupAllowance(failures: { venue: number; device: number }): LookupAllowance {
  // Counters are per minute: the oldest one leaves the window within a minute at most.
  if (failures.device >= FAILED_LOOKUP_POLICY.maxPerDevice)
    return { ok: false, scope: 'device', retryAfterSeconds: 60 };
  if (failures.venue >= FAILED_LOOKUP_POLICY.maxPerVenue)
    return { ok: false, scope: 'venue', retryAfterSeconds: 60 };
  return { ok: true };
}

/** Start of the counting window. */
export function lookupWindowStart(now: Date): Date {
  return new Date(now.getTime() - FAILED_LOOKUP_POLICY.windowMinutes * 60_000);
}

/** The per-minute bucket of an instant. */
export function minuteOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 60_000) * 60_000);
}
