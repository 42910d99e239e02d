import { listStatements, type Statement, statementCsvPath, statementPdfPath } from '../../api/settlement-api';
import { DataTable } from '../../components/data-table';
import { DownloadButton } from '../../components/download-button';
import { ErrorNotice, Loading } from '../../components/notice';
import { Page } from '../../components/page';
import { formatDate, formatMoney } from '../../lib/format';
import { useApi, useSession } from '../../lib/use-api';

/** The association's statements: what each settlement paid, as PDF and CSV. */
export function StatementsPage() {
  const session = useSession();
  const statements = useApi(
    (signal) => listStatements({ associationId: session?.user.organisation.id }, signal),
    [session?.user.organisation.id],
  );
  return (
    <Page
      title="Relevés"
      intro="Chaque relevé liste les pass validés dans vos lieux et remboursés par un virement."
    >
      {statements.loading && !statements.data ? <Loading /> : null}
      <ErrorNotice error={statements.error} what="Relevés" />
      <DataTable<Statement>
        caption="Relevés de remboursement"
        rows={statements.data?.items}
        rowKey={(s) => s.id}
        empty="Aucun relevé pour l’instant."
        columns={[
          { header: 'Numéro', cell: (s) => s.number ?? 'brouillon' },
          { header: 'Émis le', cell: (s) => formatDate(s.issueDate) },
          {
            header: 'Période',
            cell: (s) => `${s.periodStart ? formatDate(s.periodStart) : 'début'} – ${formatDate(s.cutoff)}`,
          },
          { header: 'Pass', cell: (s) => s.voucherCount ?? '—', numeric: true },
          { header: 'Brut', cell: (s) => formatMoney(s.gross), numeric: true },
          { header: 'Frais', cell: (s) => formatMoney(s.fee), numeric: true },
          { header: 'Net versé', cell: (s) => formatMoney(s.net), numeric: true },
          {
            header: 'Télécharger',
            cell: (s) => (
              <div class="button-row">
                <DownloadButton path={statementPdfPath(s.id)} fileName={`releve-${s.number ?? s.id}.pdf`}>
                  PDF
                </DownloadButton>
                <DownloadButton path={statementCsvPath(s.id)} fileName={`releve-${s.number ?? s.id}.csv`}>
                  CSV
                </DownloadButton>
              </div>
            ),
          },
        ]}
      />
    </Page>
  );
}
