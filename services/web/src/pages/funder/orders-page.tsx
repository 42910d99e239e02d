import { BATCH_STATUS_LABELS, type Batch, type BatchStatus, listBatches } from '../../api/issuance-api';
import { DataTable } from '../../components/data-table';
import { Link } from '../../components/link';
import { ErrorNotice, Loading } from '../../components/notice';
import { Page } from '../../components/page';
import { StatusBadge } from '../../components/status-badge';
import type { Tone } from '../../components/notice';
import { formatCount, formatDate, formatMoney } from '../../lib/format';
import { useApi } from '../../lib/use-api';

export const BATCH_TONES: Readonly<Record<BatchStatus, Tone>> = {
  draft: 'info',
  awaiting_funding: 'warning',
  active: 'success',
  closed: 'info',
};

/** The batches a funder ordered (operators: every funder's), newest first. */
export function OrdersPage(props: { base?: string; title?: string; status?: BatchStatus }) {
  const base = props.base ?? '/financeur/commandes';
  const list = useApi((signal) => listBatches({ limit: 100, status: props.status }, signal), [props.status]);
  return (
    <Page
      title={props.title ?? 'Commandes'}
      actions={
        base.startsWith('/financeur') ? (
          <Link href="/financeur/commandes/nouvelle" class="button primary">
            Nouvelle commande
          </Link>
        ) : null
      }
    >
      {list.loading && !list.data ? <Loading /> : null}
      <ErrorNotice error={list.error} what="Commandes" />
      <DataTable<Batch>
        caption="Commandes de pass"
        rows={list.data?.items}
        rowKey={(b) => b.id}
        empty="Aucune commande pour l’instant."
        columns={[
          { header: 'Référence', cell: (b) => <Link href={`${base}/${b.id}`}>{b.reference}</Link> },
          { header: 'Financeur', cell: (b) => b.funder.name ?? '—' },
          {
            header: 'État',
            cell: (b) => <StatusBadge label={BATCH_STATUS_LABELS[b.status]} tone={BATCH_TONES[b.status]} />,
          },
          { header: 'Pass', cell: (b) => formatCount(b.voucherCount), numeric: true },
          { header: 'Montant', cell: (b) => formatMoney(b.quote.total), numeric: true },
          { header: 'Valable jusqu’au', cell: (b) => formatDate(b.validUntil) },
          { header: 'Créée le', cell: (b) => formatDate(b.createdAt) },
        ]}
      />
    </Page>
  );
}
