import { getDistribution, listBatches } from '../../api/issuance-api';
import { DataTable } from '../../components/data-table';
import { Link } from '../../components/link';
import { ErrorNotice, Loading } from '../../components/notice';
import { Page } from '../../components/page';
import { formatCount } from '../../lib/format';
import { useApi } from '../../lib/use-api';

interface StockRow {
  key: string;
  distributor: string;
  batchId: string;
  reference: string;
  booklets: number;
}

/** Which distributor holds how many booklets of which batch. */
export function StocksPage() {
  const rows = useApi(async (signal) => {
    const page = await listBatches({ status: 'active', limit: 200 }, signal);
    const summaries = await Promise.all(page.items.map((b) => getDistribution(b.id, signal)));
    return page.items.flatMap((batch, i) =>
      summaries[i]!.distributors.map(
        (d): StockRow => ({
          key: `${batch.id}-${d.distributorId}`,
          distributor: d.name ?? d.distributorId,
          batchId: batch.id,
          reference: batch.reference,
          booklets: d.booklets,
        }),
      ),
    );
  }, []);
  return (
    <Page
      title="Stocks des distributeurs"
      intro="Les carnets en stock chez chaque distributeur. Un carnet remis en entier à un bénéficiaire quitte le stock ; un carnet entamé (des pass remis un à un) y reste jusqu’à son dernier pass. Le détail des pass distribués est sur la page de la commande."
    >
      {rows.loading && !rows.data ? <Loading /> : null}
      <ErrorNotice error={rows.error} what="Stocks" />
      <DataTable<StockRow>
        caption="Carnets en stock, par distributeur et par commande"
        rows={rows.data}
        rowKey={(r) => r.key}
        empty="Aucun carnet chez un distributeur. Confiez-en depuis la page d’une commande active."
        columns={[
          { header: 'Distributeur', cell: (r) => r.distributor },
          {
            header: 'Commande',
            cell: (r) => <Link href={`/financeur/commandes/${r.batchId}`}>{r.reference}</Link>,
          },
          { header: 'Carnets en stock', cell: (r) => formatCount(r.booklets), numeric: true },
        ]}
      />
    </Page>
  );
}
