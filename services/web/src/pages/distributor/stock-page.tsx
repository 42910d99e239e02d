import { myStock } from '../../api/issuance-api';
import { DataTable } from '../../components/data-table';
import { Link } from '../../components/link';
import { ErrorNotice, Loading } from '../../components/notice';
import { Page } from '../../components/page';
import { formatCount, formatDate, parisDate } from '../../lib/format';
import { useApi } from '../../lib/use-api';

/** The booklets a distributor holds, by batch, with the date after which they can no longer be handed out. */
export function StockPage() {
  const stock = useApi((signal) => myStock(signal), []);
  const today = parisDate();
  const batches = stock.data?.batches ?? [];
  return (
    <Page
      title="Mon stock"
      actions={
        <>
          <Link href="/distributeur/remettre" class="button primary">
            Remettre un carnet
          </Link>
          <Link href="/distributeur/retour" class="button secondary">
            Retourner des carnets
          </Link>
        </>
      }
    >
      {stock.loading && !stock.data ? <Loading /> : null}
      <ErrorNotice error={stock.error} what="Stock" />
      {stock.data ? (
        <p class="summary">
          {formatCount(batches.reduce((n, b) => n + b.passesInStock, 0))} pass à remettre, dans{' '}
          {formatCount(batches.reduce((n, b) => n + b.booklets, 0))} carnets en stock. Un carnet remis en
          entier quitte le stock ; un carnet entamé y reste avec ses pass non remis.
        </p>
      ) : null}
      <DataTable
        caption="Carnets en stock par commande"
        rows={batches}
        rowKey={(b) => b.batchId}
        empty="Aucun carnet en stock."
        columns={[
          { header: 'Commande', cell: (b) => b.reference },
          { header: 'Carnets en stock', cell: (b) => formatCount(b.booklets), numeric: true },
          {
            header: 'Numéros',
            cell: (b) =>
              b.ranges.map((r) => (r.from === r.to ? `${r.from}` : `${r.from} à ${r.to}`)).join(', '),
          },
          { header: 'Pass à remettre', cell: (b) => formatCount(b.passesInStock), numeric: true },
          {
            header: 'Remise possible jusqu’au',
            cell: (b) =>
              b.distributionStopDate <= today ? (
                <strong>Bloquée depuis le {formatDate(b.distributionStopDate)}</strong>
              ) : (
                `${formatDate(b.distributionStopDate)} (validité ${formatDate(b.validUntil)})`
              ),
          },
        ]}
      />
    </Page>
  );
}
