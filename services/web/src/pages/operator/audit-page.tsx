import { useState } from 'preact/hooks';
import { type AuditRecord, searchAudit } from '../../api/directory-api';
import { DataTable } from '../../components/data-table';
import { DownloadButton } from '../../components/download-button';
import { TextField } from '../../components/field';
import { ErrorNotice, Loading } from '../../components/notice';
import { Page } from '../../components/page';
import { formatDateTime } from '../../lib/format';
import { useApi } from '../../lib/use-api';

/** The append-only audit log: who did what, when, on what. */
export function AuditPage() {
  const [action, setAction] = useState('');
  const [targetId, setTargetId] = useState('');
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const query = { action: action.trim() || undefined, targetId: targetId.trim() || undefined };
  const page = useApi((signal) => searchAudit({ ...query, cursor }, signal), [action, targetId, cursor]);
  return (
    <Page
      title="Journal d’audit"
      wide
      actions={
        <DownloadButton path="/audit" fileName="journal-audit.csv" query={{ ...query, format: 'csv' }}>
          Exporter en CSV
        </DownloadButton>
      }
    >
      <div class="card inline-form">
        <TextField
          label="Action (ex. venue.accredit)"
          type="search"
          value={action}
          onValue={(v) => {
            setAction(v);
            setCursor(undefined);
          }}
        />
        <TextField
          label="Objet (identifiant)"
          type="search"
          value={targetId}
          onValue={(v) => {
            setTargetId(v);
            setCursor(undefined);
          }}
        />
      </div>
      {page.loading && !page.data ? <Loading /> : null}
      <ErrorNotice error={page.error} what="Journal d’audit" />
      <DataTable<AuditRecord>
        caption="Événements, du plus récent au plus ancien"
        rows={page.data?.items}
        rowKey={(r) => r.id}
        columns={[
          { header: 'Date', cell: (r) => formatDateTime(r.at) },
          { header: 'Action', cell: (r) => <code>{r.action}</code> },
          { header: 'Objet', cell: (r) => `${r.targetType} ${r.targetId ?? ''}` },
          { header: 'Auteur', cell: (r) => `${r.actorRole ?? r.actorKind} ${r.actorId ?? ''}` },
          { header: 'Détail', cell: (r) => summaryText(r.summary) },
        ]}
      />
      {page.data?.nextCursor ? (
        <button
          type="button"
          class="button secondary"
          onClick={() => setCursor(page.data?.nextCursor ?? undefined)}
        >
          Événements plus anciens
        </button>
      ) : null}
    </Page>
  );
}

function summaryText(summary: Record<string, unknown>): string {
  return Object.entries(summary)
    .map(([key, value]) => `${key} : ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(' · ');
}
