import { type Batch, type DistributionSummary, getDistribution, listBatches } from '../../api/issuance-api';
import { getFunderDashboard } from '../../api/reporting-api';
import { BarChart } from '../../components/bar-chart';
import { DataTable } from '../../components/data-table';
import { LineChart } from '../../components/line-chart';
import { Link } from '../../components/link';
import { ErrorNotice, Loading, Notice } from '../../components/notice';
import { Page } from '../../components/page';
import { StatCard } from '../../components/stat-card';
import { formatCount, formatDate, parisDate } from '../../lib/format';
import { useApi, useSession } from '../../lib/use-api';

/** Days before the end of validity from which a batch is flagged (DESIGN §3: J-30 alert, J-15 stop). */
const ALERT_DAYS = 30;

interface BatchFigures {
  batch: Batch;
  summary: DistributionSummary;
}

/** The funder's dashboard: what was issued, handed out, started, used, expired, and what expires soon. */
export function DashboardPage() {
  const session = useSession();
  const funderId = session?.user.organisation.id ?? '';
  const figures = useApi(async (signal) => {
    const page = await listBatches({ limit: 200 }, signal);
    const live = page.items.filter((b) => b.status === 'active' || b.status === 'closed');
    const summaries = await Promise.all(live.map((b) => getDistribution(b.id, signal)));
    return live.map((batch, i) => ({ batch, summary: summaries[i]! }) satisfies BatchFigures);
  }, []);
  const breakdown = useApi((signal) => getFunderDashboard(funderId, signal), [funderId]);

  const totals = (figures.data ?? []).reduce(
    (t, { summary: s }) => ({
      issued: t.issued + s.passes.issued,
      distributed: t.distributed + s.passes.distributed,
      startedBooklets: t.startedBooklets + s.booklets.started + s.booklets.finished,
      booklets: t.booklets + s.booklets.total,
      redeemed: t.redeemed + s.passes.redeemed + s.passes.settled,
      expired: t.expired + s.passes.expired,
      cancelled: t.cancelled + s.passes.cancelled,
    }),
    { issued: 0, distributed: 0, startedBooklets: 0, booklets: 0, redeemed: 0, expired: 0, cancelled: 0 },
  );
  const today = parisDate();
  const alerts = (figures.data ?? []).filter(
    ({ batch }) =>
      batch.status === 'active' &&
      daysBetween(today, batch.validUntil) <= ALERT_DAYS &&
      daysBetween(today, batch.lastAcceptedDate) >= 0,
  );

  return (
    <Page
      title="Tableau de bord"
      wide
      actions={
        <Link href="/financeur/commandes/nouvelle" class="button primary">
          Nouvelle commande
        </Link>
      }
    >
      {figures.loading && !figures.data ? <Loading /> : null}
      <ErrorNotice error={figures.error} what="Chiffres des commandes" />
      {alerts.length > 0 ? (
        <Notice tone="warning" title="Pass bientôt expirés">
          <ul>
            {alerts.map(({ batch, summary }) => (
              <li key={batch.id}>
                <Link href={`/financeur/commandes/${batch.id}`}>{batch.reference}</Link> : fin de validité le{' '}
                {formatDate(batch.validUntil)} (dans {daysBetween(today, batch.validUntil)} jours) —{' '}
                {formatCount(summary.passes.issued)} émis, {formatCount(summary.passes.distributed)}{' '}
                distribués, {formatCount(summary.passes.issued - summary.passes.distributed)} non distribués,{' '}
                {formatCount(summary.booklets.started + summary.booklets.finished)} carnets entamés.
                Distribution bloquée à partir du {formatDate(batch.distributionStopDate)}.
              </li>
            ))}
          </ul>
        </Notice>
      ) : null}
      <h2>Vue d’ensemble (commandes actives et closes)</h2>
      <div class="stats">
        <StatCard label="Pass émis" value={totals.issued} />
        <StatCard label="Distribués" value={totals.distributed} of={totals.issued} ofLabel="des émis" />
        <StatCard
          label="Carnets entamés"
          value={totals.startedBooklets}
          of={totals.booklets}
          ofLabel="des carnets"
        />
        <StatCard label="Utilisés" value={totals.redeemed} of={totals.issued} ofLabel="des émis" />
        <StatCard label="Expirés" value={totals.expired} of={totals.issued} ofLabel="des émis" />
        <StatCard label="Annulés" value={totals.cancelled} of={totals.issued} ofLabel="des émis" />
      </div>
      <DataTable<BatchFigures>
        caption="Par commande"
        rows={figures.data}
        rowKey={(f) => f.batch.id}
        empty="Aucune commande active."
        columns={[
          {
            header: 'Commande',
            cell: (f) => <Link href={`/financeur/commandes/${f.batch.id}`}>{f.batch.reference}</Link>,
          },
          { header: 'Émis', cell: (f) => formatCount(f.summary.passes.issued), numeric: true },
          { header: 'Distribués', cell: (f) => formatCount(f.summary.passes.distributed), numeric: true },
          {
            header: 'Utilisés',
            cell: (f) => formatCount(f.summary.passes.redeemed + f.summary.passes.settled),
            numeric: true,
          },
          { header: 'Expirés', cell: (f) => formatCount(f.summary.passes.expired), numeric: true },
          { header: 'Fin de validité', cell: (f) => formatDate(f.batch.validUntil) },
        ]}
      />
      <h2>Où et pour quoi les pass sont utilisés</h2>
      <ErrorNotice error={breakdown.error} what="Répartition par lieu, commune, service et dans le temps" />
      {breakdown.data ? (
        <div class="grid grid-2">
          <BarChart
            title="Pass utilisés par lieu"
            data={breakdown.data.byVenue.map((d) => ({ label: d.label, value: d.redeemed }))}
            unit="Pass utilisés"
          />
          <BarChart
            title="Pass utilisés par commune"
            data={breakdown.data.byCommune.map((d) => ({ label: d.label, value: d.redeemed }))}
            unit="Pass utilisés"
          />
          <BarChart
            title="Pass utilisés par service"
            data={breakdown.data.byService.map((d) => ({ label: d.label, value: d.redeemed }))}
            unit="Pass utilisés"
          />
          <LineChart
            title="Évolution mensuelle"
            labels={breakdown.data.overTime.map((p) => p.period)}
            series={[
              { name: 'Distribués', values: breakdown.data.overTime.map((p) => p.distributed) },
              { name: 'Utilisés', values: breakdown.data.overTime.map((p) => p.redeemed) },
              { name: 'Expirés', values: breakdown.data.overTime.map((p) => p.expired) },
            ]}
          />
        </div>
      ) : null}
    </Page>
  );
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
