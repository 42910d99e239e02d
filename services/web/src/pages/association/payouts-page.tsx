import { listPayouts, type Payout, payoutsExportPath } from '../../api/settlement-api';
import { DataTable } from '../../components/data-table';
import { DownloadButton } from '../../components/download-button';
import { ErrorNotice, Loading } from '../../components/notice';
import { Page } from '../../components/page';
import { StatusBadge } from '../../components/status-badge';
import { formatDate, formatMoney } from '../../lib/format';
import { useApi, useSession } from '../../lib/use-api';
import { payoutTone } from '../operator/settlement-page';

/** The association's payouts and what the bank said about each. */
export function PayoutsPage() {
  const session = useSession();
  const payouts = useApi(
    (signal) => listPayouts({ associationId: session?.user.organisation.id }, signal),
    [session?.user.organisation.id],
  );
  return (
    <Page
      title="Virements"
      intro="Les virements de remboursement et leur état à la banque."
      actions={
        <DownloadButton path={payoutsExportPath} fileName="virements.csv">
          Exporter pour la comptabilité (CSV)
        </DownloadButton>
      }
    >
      {payouts.loading && !payouts.data ? <Loading /> : null}
      <ErrorNotice error={payouts.error} what="Virements" />
      <DataTable<Payout>
        caption="Virements"
        rows={payouts.data?.items}
        rowKey={(p) => p.id}
        empty="Aucun virement pour l’instant."
        columns={[
          { header: 'Relevé', cell: (p) => p.statementNumber },
          { header: 'Montant', cell: (p) => formatMoney(p.amount), numeric: true },
          { header: 'Date d’exécution', cell: (p) => formatDate(p.executionDate) },
          {
            header: 'État à la banque',
            cell: (p) => (
              <>
                <StatusBadge label={p.statusLabel} tone={payoutTone(p)} />
                {p.holdReasonLabel ? <span class="hint"> ({p.holdReasonLabel})</span> : null}
                {p.paidOn ? <span class="hint"> le {formatDate(p.paidOn)}</span> : null}
                {p.rejectionReason ? <span class="hint"> — motif {p.rejectionReason}</span> : null}
              </>
            ),
          },
          { header: 'Référence du virement', cell: (p) => <span class="code-display">{p.endToEndId}</span> },
        ]}
      />
    </Page>
  );
}
