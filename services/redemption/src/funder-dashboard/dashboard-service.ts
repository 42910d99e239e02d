import { assertSameOrganisation, type Principal } from '@pass/auth';
import { NotFoundError } from '@pass/errors';
import type { Knex } from 'knex';

/** Pass counts (never money) a funder follows on its dashboard. */
export interface FunderDashboard {
  byVenue: { label: string; redeemed: number }[];
  byCommune: { label: string; redeemed: number }[];
  byService: { label: string; redeemed: number }[];
  overTime: { period: string; distributed: number; redeemed: number; expired: number }[];
}

const TOP = 20;
const MONTHS = 12;

// Passes redeemed and not undone (a settled redemption keeps `live`), with the venue and catalogue service
// read from the registry's tables: reporting only, no foreign key crosses contexts.
const REDEEMED = `
  from redemption.redemption_vouchers rv
  join redemption.redemptions r on r.id = rv.redemption_id
  left join registry.venues v on v.id = r.venue_id
  left join registry.catalogue_services cs on cs.id = r.catalogue_service_id
  where rv.funder_id = ? and rv.live`;

interface LabelRow {
  label: string;
  redeemed: number;
}

export class FunderDashboardService {
  constructor(
    private readonly knex: Knex,
    private readonly clock: () => Date,
    private readonly timeZone: string,
  ) {}

  /** The funder's breakdowns; another funder's id answers 404 (operators see every funder). */
  async get(principal: Principal, funderId: string): Promise<FunderDashboard> {
    assertSameOrganisation(principal, funderId);
    const funder = await this.knex('registry.organisations')
      .where({ id: funderId, kind: 'funder' })
      .first('id');
    if (!funder) throw new NotFoundError('funder_not_found', 'Funder not found.');
    const [byVenue, byCommune, byService, overTime] = await Promise.all([
      this.top('r.venue_id, v.name', "coalesce(v.name, 'Lieu inconnu')", funderId),
      this.top('v.commune', "coalesce(v.commune, 'Commune inconnue')", funderId),
      this.top('cs.name, r.service_category', 'coalesce(cs.name, r.service_category)', funderId),
      this.overTime(funderId),
    ]);
    return { byVenue, byCommune, byService, overTime };
  }

  private async top(groupBy: string, label: string, funderId: string): Promise<LabelRow[]> {
    const result = await this.knex.raw<{ rows: LabelRow[] }>(
      `select ${label} as label, count(*)::int as redeemed ${REDEEMED}
       group by ${groupBy} order by redeemed desc, label limit ${TOP}`,
      [funderId],
    );
    return result.rows.map((row) => ({ label: row.label, redeemed: Number(row.redeemed) }));
  }

  // Months are calendar months in the business time zone, the last twelve including the current one, each
  // listed even when empty so a chart has no gaps.
  private async overTime(funderId: string): Promise<FunderDashboard['overTime']> {
    const result = await this.knex.raw<{
      rows: { period: string; distributed: number; redeemed: number; expired: number }[];
    }>(
      `with bounds as (
         select date_trunc('month', ?::timestamptz at time zone ?) as last_month, ?::text as tz
       ),
       months as (
         select generate_series(last_month - interval '${MONTHS - 1} months', last_month, interval '1 month') as m
         from bounds
       ),
       distributed as (
         select date_trunc('month', vv.distributed_at at time zone bounds.tz) as m, count(*)::int as n
         from vouchers.vouchers vv join vouchers.batches b on b.id = vv.batch_id, bounds
         where b.funder_id = ? and vv.distributed_at is not null
         group by 1
       ),
       redeemed as (
         select date_trunc('month', r.redeemed_at at time zone bounds.tz) as m, count(*)::int as n
         from redemption.redemption_vouchers rv join redemption.redemptions r on r.id = rv.redemption_id, bounds
         where rv.funder_id = ? and rv.live
         group by 1
       ),
       expired as (
         select date_trunc('month', vv.status_changed_at at time zone bounds.tz) as m, count(*)::int as n
         from vouchers.vouchers vv join vouchers.batches b on b.id = vv.batch_id, bounds
         where b.funder_id = ? and vv.status = 'expired' and vv.status_changed_at is not null
         group by 1
       )
       select to_char(months.m, 'YYYY-MM') as period,
              coalesce(d.n, 0) as distributed, coalesce(r.n, 0) as redeemed, coalesce(e.n, 0) as expired
       from months
       left join distributed d on d.m = months.m
       left join redeemed r on r.m = months.m
       left join expired e on e.m = months.m
       order by months.m`,
      [this.clock().toISOString(), this.timeZone, this.timeZone, funderId, funderId, funderId],
    );
    return result.rows.map((row) => ({
      period: row.period,
      distributed: Number(row.distributed),
      redeemed: Number(row.redeemed),
      expired: Number(row.expired),
    }));
  }
}
