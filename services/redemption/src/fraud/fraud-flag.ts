import { businessDate } from '@pass/vouchers';
import type { OpenState } from '@pass/opening-hours';

/** Patterns an operator should look at. A flag never blocks anything: it is a note for review. */
export const FRAUD_FLAG_KINDS = [
  'booklet_overuse',
  'pass_at_two_venues',
  'outside_opening_hours',
  'burst',
  'repeated_failed_lookups',
] as const;
export type FraudFlagKind = (typeof FRAUD_FLAG_KINDS)[number];

export const FRAUD_FLAG_STATUSES = ['open', 'confirmed', 'dismissed'] as const;
export type FraudFlagStatus = (typeof FRAUD_FLAG_STATUSES)[number];

/** Thresholds of the detection rules (tuned on nothing yet: change them with the operators' feedback). */
export const FRAUD_RULES = Object.freeze({
  /** More redemptions than this at one venue within one 10-minute window is a burst. */
  burstMaxRedemptions: 30,
  burstWindowMinutes: 10,
  /** Passes of one booklet used at one venue within this many minutes, beyond the highest price paid, flag. */
  bookletWindowMinutes: 60,
  /** How far back each scan looks (covers the longest window, with a margin for late commits). */
  scanLookbackMinutes: 90,
});

/** A flag to record; `dedupKey` makes recording it twice a no-op (or a counted repeat). */
export interface FlagCandidate {
  kind: FraudFlagKind;
  dedupKey: string;
  venueId?: string | undefined;
  associationId?: string | undefined;
  voucherId?: string | undefined;
  redemptionId?: string | undefined;
  details: Record<string, unknown>;
  seenAt: Date;
}

/** A redemption as the scan reads it. */
export interface ScannedRedemption {
  id: string;
  venueId: string;
  associationId: string;
  redeemedAt: Date;
  pricePasses: number;
  openingHours: string | null;
  passes: { voucherId: string; batchId: string; booklet: number }[];
}

/** More than `burstMaxRedemptions` redemptions at one venue inside one fixed window. */
export function detectBursts(redemptions: readonly ScannedRedemption[]): FlagCandidate[] {
  const windowMs = FRAUD_RULES.burstWindowMinutes * 60_000;
  const groups = new Map<string, ScannedRedemption[]>();
  for (const r of redemptions) {
    const window = Math.floor(r.redeemedAt.getTime() / windowMs) * windowMs;
    const key = `${r.venueId}|${window}`;
    const list = groups.get(key) ?? [];
    list.push(r);
    groups.set(key, list);
  }
  const flags: FlagCandidate[] = [];
  for (const [key, list] of groups) {
    if (list.length <= FRAUD_RULES.burstMaxRedemptions) continue;
    const [venueId, window] = key.split('|') as [string, string];
    const windowStart = new Date(Number(window));
    flags.push({
      kind: 'burst',
      dedupKey: `burst:${venueId}:${windowStart.toISOString()}`,
      venueId,
      associationId: list[0]!.associationId,
      details: {
        windowStart: windowStart.toISOString(),
        windowMinutes: FRAUD_RULES.burstWindowMinutes,
        redemptions: list.length,
        passes: list.reduce((n, r) => n + r.passes.length, 0),
      },
      seenAt: maxDate(list.map((r) => r.redeemedAt)),
    });
  }
  return flags;
}

/**
 * Several passes of one booklet used at one venue within the window, beyond the catalogue price: e.g. a
 * one-pass workshop paid three times in ten minutes from the same booklet. One flag per venue, booklet and
 * day, whatever the number of scans that see it.
 */
export function detectBookletOveruse(
  redemptions: readonly ScannedRedemption[],
  timeZone: string,
): FlagCandidate[] {
  const windowMs = FRAUD_RULES.bookletWindowMinutes * 60_000;
  const uses = new Map<string, { redemption: ScannedRedemption; passes: number }[]>();
  for (const r of redemptions) {
    const perBooklet = new Map<string, number>();
    for (const pass of r.passes) {
      const key = `${r.venueId}|${pass.batchId}|${pass.booklet}`;
      perBooklet.set(key, (perBooklet.get(key) ?? 0) + 1);
    }
    for (const [key, passes] of perBooklet) {
      const list = uses.get(key) ?? [];
      list.push({ redemption: r, passes });
      uses.set(key, list);
    }
  }
  const flags = new Map<string, FlagCandidate>();
  for (const [key, list] of uses) {
    if (list.length < 2) continue;
    list.sort((a, b) => a.redemption.redeemedAt.getTime() - b.redemption.redeemedAt.getTime());
    const [venueId, batchId, booklet] = key.split('|') as [string, string, string];
    for (let end = 0; end < list.length; end++) {
      const last = list[end]!.redemption.redeemedAt.getTime();
      const inWindow = list.filter(
        (use, i) => i <= end && last - use.redemption.redeemedAt.getTime() <= windowMs,
      );
      const passes = inWindow.reduce((n, use) => n + use.passes, 0);
      const maxPrice = Math.max(...inWindow.map((use) => use.redemption.pricePasses));
      if (inWindow.length < 2 || passes <= maxPrice) continue;
      const day = businessDate(inWindow[0]!.redemption.redeemedAt, timeZone);
      const dedupKey = `booklet_overuse:${venueId}:${batchId}:${booklet}:${day}`;
      const previous = flags.get(dedupKey);
      if (previous && (previous.details.passes as number) >= passes) continue;
      flags.set(dedupKey, {
        kind: 'booklet_overuse',
        dedupKey,
        venueId,
        associationId: list[end]!.redemption.associationId,
        details: {
          batchId,
          booklet: Number(booklet),
          passes,
          highestPrice: maxPrice,
          windowMinutes: FRAUD_RULES.bookletWindowMinutes,
          redemptionIds: inWindow.map((use) => use.redemption.id),
        },
        seenAt: new Date(last),
      });
    }
  }
  return [...flags.values()];
}

/** A redemption at a time the venue's published opening hours say it is closed. */
export function detectOutsideOpeningHours(
  redemptions: readonly ScannedRedemption[],
  openStateAt: (openingHours: string | null, at: Date) => OpenState,
): FlagCandidate[] {
  return redemptions
    .filter((r) => openStateAt(r.openingHours, r.redeemedAt) === 'closed')
    .map((r) => ({
      kind: 'outside_opening_hours' as const,
      dedupKey: `outside_opening_hours:${r.id}`,
      venueId: r.venueId,
      associationId: r.associationId,
      redemptionId: r.id,
      details: { redeemedAt: r.redeemedAt.toISOString(), openingHours: r.openingHours },
      seenAt: r.redeemedAt,
    }));
}

/** A pass refused as already used at a venue other than the one that redeemed it. */
export function passAtTwoVenues(input: {
  voucherId: string;
  triedAtVenueId: string;
  redeemedAtVenueId: string;
  redemptionAssociationId: string;
  triedByAssociationId: string;
  at: Date;
}): FlagCandidate | undefined {
  if (input.triedAtVenueId === input.redeemedAtVenueId) return undefined;
  return {
    kind: 'pass_at_two_venues',
    dedupKey: `pass_at_two_venues:${input.voucherId}:${input.triedAtVenueId}`,
    venueId: input.triedAtVenueId,
    associationId: input.triedByAssociationId,
    voucherId: input.voucherId,
    details: {
      redeemedAtVenueId: input.redeemedAtVenueId,
      redemptionAssociationId: input.redemptionAssociationId,
    },
    seenAt: input.at,
  };
}

function maxDate(dates: readonly Date[]): Date {
  return new Date(Math.max(...dates.map((d) => d.getTime())));
}
