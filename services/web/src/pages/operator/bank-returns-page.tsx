import { useState } from 'preact/hooks';
import {
  type BankImportReport,
  LINE_OUTCOME_LABELS,
  listBankImports,
  uploadCamt054,
} from '../../api/settlement-api';
import { DataTable } from '../../components/data-table';
import { FileField } from '../../components/field';
import { ErrorNotice, Notice } from '../../components/notice';
import { Page } from '../../components/page';
import { formatDate, formatMoney } from '../../lib/format';
import { useAction, useApi } from '../../lib/use-api';

/** The bank's camt.054 notification: each line is matched to a payout by its end-to-end id. */
export function BankReturnsPage() {
  const [file, setFile] = useState<{ name: string; text: string } | undefined>(undefined);
  const [report, setReport] = useState<BankImportReport | undefined>(undefined);
  const imports = useApi((signal) => listBankImports(signal), []);
  const upload = useAction(async () => {
    if (!file) return;
    setReport(await uploadCamt054(file.text));
    imports.reload();
  });
  return (
    <Page
      title="Retours bancaires (camt.054)"
      wide
      intro="Déposez l’avis camt.054 de la banque : les virements reconnus passent à « payé » ou « rejeté ». Un rejet remet la somme à payer à l’association et la signale."
    >
      <form
        class="card"
        onSubmit={(event) => {
          event.preventDefault();
          upload.run();
        }}
      >
        <FileField
          label="Fichier camt.054 (XML)"
          accept=".xml,application/xml,text/xml"
          required
          onFile={async (f) => {
            setReport(undefined);
            setFile(f ? { name: f.name, text: await f.text() } : undefined);
          }}
        />
        <button type="submit" class="button primary" disabled={!file || upload.busy}>
          Déposer le fichier
        </button>
      </form>
      <ErrorNotice error={upload.error} what="Retours bancaires" />
      {report ? <ReportView report={report} /> : null}
      <ErrorNotice error={imports.error} what="Fichiers déjà importés" />
      <DataTable<BankImportReport>
        caption="Fichiers importés"
        rows={imports.data?.items}
        rowKey={(r) => r.importId}
        empty="Aucun fichier importé."
        columns={[
          { header: 'Message', cell: (r) => <span class="code-display">{r.messageId}</span> },
          { header: 'Payés', cell: (r) => r.counts.paid ?? 0, numeric: true },
          { header: 'Rejetés', cell: (r) => r.counts.rejected ?? 0, numeric: true },
          { header: 'Non reconnus', cell: (r) => r.counts.unmatched ?? 0, numeric: true },
        ]}
      />
    </Page>
  );
}

function ReportView({ report }: { report: BankImportReport }) {
  return (
    <section aria-labelledby="report-title">
      <Notice
        tone={report.counts.unmatched ? 'warning' : 'success'}
        title={report.alreadyImported ? 'Fichier déjà importé : voici son rapport' : 'Fichier traité'}
      >
        <p>
          Message {report.messageId} : {report.counts.paid ?? 0} payé(s), {report.counts.rejected ?? 0}{' '}
          rejeté(s), {report.counts.unmatched ?? 0} non reconnu(s).
        </p>
      </Notice>
      <DataTable
        caption="Lignes du fichier"
        rows={report.lines}
        rowKey={(l) => String(l.lineNo)}
        columns={[
          { header: 'Ligne', cell: (l) => l.lineNo, numeric: true },
          { header: 'Référence', cell: (l) => l.endToEndId ?? '—' },
          {
            header: 'Montant',
            cell: (l) => formatMoney({ amount: l.amount, currency: l.currency }),
            numeric: true,
          },
          { header: 'Date', cell: (l) => formatDate(l.bookingDate) },
          {
            header: 'Résultat',
            cell: (l) => `${LINE_OUTCOME_LABELS[l.outcome]}${l.reasonCode ? ` (${l.reasonCode})` : ''}`,
          },
          { header: 'Détail', cell: (l) => l.detail ?? '' },
        ]}
      />
      <h2 id="report-title" class="visually-hidden">
        Rapport d’import
      </h2>
    </section>
  );
}
