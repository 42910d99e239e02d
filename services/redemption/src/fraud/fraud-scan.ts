import type { Db } from '@pass/db';
import { detectBookletOveruse, detectBursts, detectOutsideOpeningHours, FRAUD_RULES } from './fraud-flag';
import { openStateAt } from '@pass/opening-hours';
import type { PostgresFraudFlagStore } from './postgres-fraud-flag-store';

/**
 * The scheduled scan (every minute): reads the live redemptions of the last 90 minutes and records the
 * patterns found. Nothing is added to the redemption path; the redemptions table itself is the durable work
 * list, so a scan that did not run (Redis down, worker restarting) is caught up by the next one, and the
 * dedup keys make rescanning the same minutes harmless.
 */
export async function scanForFraud(
  db: Db,
  flags: PostgresFraudFlagStore,
  now: Date,
  timeZone: string,
): Promise<{ redemptions: number; flags: number }> {
  const since = new Date(now.getTime() - FRAUD_RULES.scanLookbackMinutes * 60_000);
  const redemptions = await flags.recentRedemptions(db, since, now);
  const found = [
    ...detectBursts(redemptions),
    ...detectBookletOveruse(redemptions, timeZone),
    ...detectOutsideOpeningHours(redemptions, openStateAt),
  ];
  await flags.record(db, found, 'replace');
  return { redemptions: redemptions.length, flags: found.length };
}
