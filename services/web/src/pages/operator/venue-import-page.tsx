import { useState } from 'preact/hooks';
import { importVenues, type VenueImportReport } from '../../api/directory-api';
import { importIssueMessage } from '../../api/import-issue-messages';
import { DataTable } from '../../components/data-table';
import { FileField } from '../../components/field';
import { ErrorNotice, Notice } from '../../components/notice';
import { Page } from '../../components/page';
import { StatCard } from '../../components/stat-card';
import { useAction } from '../../lib/use-api';

const OUTCOMES: Readonly<Record<string, string>> = {
  created: 'Créé',
  updated: 'Mis à jour',
  unchanged: 'Inchangé',
  rejected: 'Rejeté',
};

/** Upload an open-data venue file, read the dry-run report, then confirm the import. */
export function VenueImportPage() {
  const [file, setFile] = useState<{ name: string; text: string } | undefined>(undefined);
  const [report, setReport] = useState<VenueImportReport | undefined>(undefined);
  const dryRun = useAction(async () => {
    if (!file) return;
    setReport(await importVenues(file, false));
  });
  const apply = useAction(async () => {
    if (!file) return;
    setReport(await importVenues(file, true));
  });
  return (
    <Page
      title="Import de lieux"
      wide
      intro="Fichier du standard national des lieux de médiation numérique (schéma 0.1 avec « ; » ou 1.x avec « | »), en CSV ou JSON. Un essai à blanc montre d’abord ce qui changerait."
    >
      <form
        class="card"
        onSubmit={(event) => {
          event.preventDefault();
          dryRun.run();
        }}
      >
        <FileField
          label="Fichier des lieux"
          accept=".csv,.json,text/csv,application/json"
          required
          onFile={async (f) => {
            setReport(undefined);
            setFile(f ? { name: f.name, text: await f.text() } : undefined);
          }}
        />
        <button type="submit" class="button primary" disabled={!file || dryRun.busy}>
          {dryRun.busy ? 'Analyse…' : 'Essai à blanc'}
        </button>
      </form>
      <ErrorNotice error={dryRun.error ?? apply.error} what="Import de lieux" />
      {report ? (
        <section aria-labelledby="report-title">
          <h2 id="report-title">
            {report.dryRun ? 'Rapport de l’essai à blanc (rien n’est enregistré)' : 'Import effectué'}
          </h2>
          <p>
            Schéma {report.schemaVersion}, format {report.format.toUpperCase()}
            {report.source ? `, source « ${report.source} »` : ''}.
          </p>
          <div class="stats">
            <StatCard label="Lignes" value={report.summary.rows} />
            <StatCard label={report.dryRun ? 'À créer' : 'Créés'} value={report.summary.created} />
            <StatCard
              label={report.dryRun ? 'À mettre à jour' : 'Mis à jour'}
              value={report.summary.updated}
            />
            <StatCard label="Inchangés" value={report.summary.unchanged} />
            <StatCard label="Rejetés" value={report.summary.rejected} />
            <StatCard label="Acceptent le pass" value={report.summary.acceptingPass} />
          </div>
          {report.fileWarnings.length > 0 ? (
            <Notice tone="warning" title="Remarques sur le fichier">
              <ul>
                {report.fileWarnings.map((w) => (
                  <li key={w.code + (w.field ?? '')}>{importIssueMessage(w)}</li>
                ))}
              </ul>
            </Notice>
          ) : null}
          {report.dryRun ? (
            <Notice tone="info" title="Confirmer l’import ?">
              <p>Les lieux créés arrivent à l’état « référencé » : ils devront demander leur habilitation.</p>
              <button type="button" class="button primary" disabled={apply.busy} onClick={() => apply.run()}>
                {apply.busy ? 'Import…' : 'Confirmer l’import'}
              </button>
            </Notice>
          ) : (
            <Notice tone="success">Import enregistré.</Notice>
          )}
          <DataTable
            caption="Détail par ligne"
            rows={report.rows}
            rowKey={(r) => String(r.rowNumber)}
            columns={[
              { header: 'Ligne', cell: (r) => r.line ?? r.rowNumber, numeric: true },
              { header: 'Lieu', cell: (r) => r.name ?? '—' },
              { header: 'Résultat', cell: (r) => OUTCOMES[r.outcome] ?? r.outcome },
              { header: 'Pass', cell: (r) => (r.acceptsPass ? 'oui' : 'non') },
              { header: 'Champs modifiés', cell: (r) => r.changedFields.join(', ') || '—' },
              {
                header: 'Erreurs et avertissements',
                cell: (r) => [...r.errors, ...r.warnings].map(importIssueMessage).join(' ') || '—',
              },
            ]}
          />
        </section>
      ) : null}
    </Page>
  );
}
