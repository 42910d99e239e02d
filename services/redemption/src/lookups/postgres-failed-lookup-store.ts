import type { Db } from '@pass/db';
import { rowsOf } from '../shared/db-rows';
import { type LookupScopes, lookupWindowStart, minuteOf } from './failed-lookup-limit';

/**
 * Failed-lookup counters in PostgreSQL rather than Redis: the redemption path needs only the database, and
 * the counters are shared by every process. Writes happen only when a lookup fails (rare); the read is folded
 * into the query that loads the venue (see PostgresRedemptionStore.loadContexts).
 */
export class PostgresFailedLookupStore {
  /** Adds `count` failures to both scopes' current minute; returns the failures now inside the window. */
  async record(
    db: Db,
    scopes: LookupScopes,
    count: number,
    at: Date,
  ): Promise<{ venue: number; device: number }> {
    const rows = rowsOf<{ scope: string; failures: string }>(
      await db.raw(
        `with bumped as (
           insert into redemption.failed_lookups as f (scope, minute, failures)
           select scope, ?::timestamptz, ? from unnest(?::text[]) as scope
           on conflict (scope, minute) do update set failures = f.failures + excluded.failures
           returning scope, minute, failures
         )
         select s.scope, (coalesce((select sum(failures) from redemption.failed_lookups f
                                     where f.scope = s.scope and f.minute > ?::timestamptz and f.minute <> ?::timestamptz), 0)
                          + (select failures from bumped b where b.scope = s.scope))::text as failures
           from unnest(?::text[]) as s (scope)`,
        [
          minuteOf(at),
          count,
          [scopes.venue, scopes.device],
          lookupWindowStart(at),
          minuteOf(at),
          [scopes.venue, scopes.device],
        ],
      ),
    );
    const of = (scope: string) => Number(rows.find((row) => row.scope === scope)?.failures ?? 0);
    return { venue: of(scopes.venue), device: of(scopes.device) };
  }

  /** Deletes counters older than a day (they only matter for ten minutes). */
  async purge(db: Db, now: Date): Promise<number> {
    return db('redemption.failed_lookups')
      .where('minute', '<', new Date(now.getTime() - 86_400_000))
      .delete();
  }
}
