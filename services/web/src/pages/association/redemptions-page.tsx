import { useState } from 'preact/hooks';
import { listRedemptions, type Redemption } from '../../api/redemption-api';
import { BarChart } from '../../components/bar-chart';
import { DataTable } from '../../components/data-table';
import { DownloadButton } from '../../components/download-button';
import { TextField } from '../../components/field';
import { ErrorNotice, Loading, Notice } from '../../components/notice';
import { Page } from '../../components/page';
import { StatCard } from '../../components/stat-card';
import { centsToAmount, formatDateTime, formatMoney, parisDate } from '../../lib/format';
import { useApi } from '../../lib/use-api';

interface VenueTotal {
  venue: string;
  redemptions: number;
  passes: number;
  cents: bigint;
}

function firstOfMonth(): string {
  return `${parisDate().slice(0, 8)}01`;
}

/** The association's redemptions over a period, totalled by venue (money summed in integer cents). */
export function AssociationRedemptionsPage() {
  const [from, setFrom] = useState(firstOfMonth());
  const [to, setTo] = useState(parisDate());
  const list = useApi(
    async (signal) => {
      const items: Redemption[] = [];
      let cursor: string | undefined;
      // A month of one association fits in a few pages; the CSV export is there for anything bigger.
      for (let page = 0; page < 10; page++) {
        const result = await listRedemptions({ from, to, status: 'live', limit: 500, cursor }, signal);
        items.push(...result.items);
        if (!result.nextCursor) return { items, complete: true };
        cursor = result.nextCursor;
      }
      return { items, complete: false };
    },
    [from, to],
  );
  const totals = byVenue(list.data?.items ?? []);
  const passes = totals.reduce((n, t) => n + t.passes, 0);
  const cents = totals.reduce((n, t) => n + t.cents, 0n);
  return (
    <Page
      title="Validations par lieu"
      wide
      actions={
        <DownloadButton
          path="/redemptions"
          fileName={`validations-${from}-${to}.csv`}
          query={{ from, to, format: 'csv' }}
        >
          Exporter en CSV
        </DownloadButton>
      }
    >
      <div class="card inline-form">
        <TextField label="Du" type="date" value={from} onValue={setFrom} />
        <TextField label="Au" type="date" value={to} onValue={setTo} />
      </div>
      {list.loading && !list.data ? <Loading /> : null}
      <ErrorNotice error={list.error} what="Validations" />
      {list.data && !list.data.complete ? (
        <Notice tone="warning">
          Période très chargée : seules les 5 000 premières validations sont comptées ici ; l’export CSV
          contient tout.
        </Notice>
      ) : null}
      <div class="stats">
        <StatCard label="Validations" value={totals.reduce((n, t) => n + t.redemptions, 0)} />
        <StatCard label="Pass" value={passes} />
        <div class="stat">
          <span class="stat-label">Valeur des pass</span>
          <span class="stat-value">{formatMoney(centsToAmount(cents))}</span>
        </div>
      </div>
      <BarChart
        title="Pass validés par lieu"
        data={totals.map((t) => ({ label: t.venue, value: t.passes }))}
        unit="Pass"
      />
      <DataTable<VenueTotal>
        caption="Totaux par lieu"
        rows={totals}
        rowKey={(t) => t.venue}
        empty="Aucune validation sur la période."
        columns={[
          { header: 'Lieu', cell: (t) => t.venue },
          { header: 'Validations', cell: (t) => t.redemptions, numeric: true },
          { header: 'Pass', cell: (t) => t.passes, numeric: true },
          { header: 'Montant', cell: (t) => formatMoney(centsToAmount(t.cents)), numeric: true },
        ]}
      />
      <DataTable<Redemption>
        caption="Détail des validations"
        rows={list.data?.items}
        rowKey={(r) => r.id}
        columns={[
          { header: 'Date', cell: (r) => formatDateTime(r.redeemedAt) },
          { header: 'Lieu', cell: (r) => r.venueName ?? r.venueId },
          { header: 'Service', cell: (r) => r.service.name ?? r.service.category },
          { header: 'Pass', cell: (r) => r.passCount, numeric: true },
          { header: 'Montant', cell: (r) => formatMoney(r.paid), numeric: true },
        ]}
      />
    </Page>
  );
}

function byVenue(items: Redemption[]): VenueTotal[] {
  const map = new Map<string, VenueTotal>();
  for (const r of items) {
    const venue = r.venueName ?? r.venueId;
    const total = map.get(venue) ?? { venue, redemptions: 0, passes: 0, cents: 0n };
    total.redemptions += 1;
    total.passes += r.passCount;
    total.cents += toCents(r.paid.amount);
    map.set(venue, total);
  }
  return [...map.values()].sort((a, b) => b.passes - a.passes);
}

/** "12.30" -> 1230n, exactly. */
function toCents(amount: string): bigint {
  const [whole = '0', fraction = ''] = amount.split('.');
  const negative = whole.startsWith('-');
  const cents = BigInt(whole.replace('-', '')) * 100n + BigInt((fraction + '00').slice(0, 2));
  return negative ? -cents : cents;
}
