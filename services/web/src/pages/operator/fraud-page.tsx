import { useState } from 'preact/hooks';
import {
  FRAUD_KIND_LABELS,
  FRAUD_STATUS_LABELS,
  type FraudFlag,
  type FraudFlagStatus,
  listFraudFlags,
  resolveFraudFlag,
} from '../../api/redemption-api';
import { DataTable } from '../../components/data-table';
import { SelectField, TextField } from '../../components/field';
import { ErrorNotice, Loading } from '../../components/notice';
import { Page } from '../../components/page';
import { StatusBadge } from '../../components/status-badge';
import { formatDateTime } from '../../lib/format';
import { useAction, useApi } from '../../lib/use-api';

/** Fraud flags raised by the redemption rules, to confirm or dismiss. */
export function FraudPage() {
  const [status, setStatus] = useState<FraudFlagStatus | ''>('open');
  const [note, setNote] = useState('');
  const flags = useApi((signal) => listFraudFlags({ status: status || undefined }, signal), [status]);
  const resolve = useAction(async (flag: FraudFlag, outcome: 'confirmed' | 'dismissed') => {
    await resolveFraudFlag(flag.id, outcome, note.trim());
    setNote('');
    flags.reload();
  });
  return (
    <Page title="Alertes fraude" wide>
      <div class="card inline-form">
        <SelectField
          label="État"
          value={status}
          onValue={(v) => setStatus(v as FraudFlagStatus | '')}
          options={[
            { value: '', label: 'Toutes' },
            ...Object.entries(FRAUD_STATUS_LABELS).map(([value, label]) => ({ value, label })),
          ]}
        />
        <TextField label="Note de décision" value={note} onValue={setNote} />
      </div>
      {flags.loading && !flags.data ? <Loading /> : null}
      <ErrorNotice error={flags.error} what="Alertes fraude" />
      <ErrorNotice error={resolve.error} />
      <DataTable<FraudFlag>
        caption="Alertes, la plus récente d’abord"
        rows={flags.data?.items}
        rowKey={(f) => f.id}
        empty="Aucune alerte."
        columns={[
          { header: 'Alerte', cell: (f) => FRAUD_KIND_LABELS[f.kind] ?? f.kind },
          { header: 'Occurrences', cell: (f) => f.occurrences, numeric: true },
          { header: 'Dernière fois', cell: (f) => formatDateTime(f.lastSeenAt) },
          { header: 'Lieu', cell: (f) => f.venueId ?? '—' },
          {
            header: 'Détail',
            cell: (f) =>
              Object.entries(f.details)
                .map(([k, v]) => `${k} : ${String(v)}`)
                .join(' · ') || '—',
          },
          {
            header: 'État',
            cell: (f) => (
              <StatusBadge
                label={FRAUD_STATUS_LABELS[f.status]}
                tone={f.status === 'open' ? 'warning' : f.status === 'confirmed' ? 'error' : 'info'}
              />
            ),
          },
          {
            header: 'Décision',
            cell: (f) =>
              f.status === 'open' ? (
                <div class="button-row">
                  <button
                    type="button"
                    class="button danger small"
                    disabled={resolve.busy}
                    onClick={() => resolve.run(f, 'confirmed')}
                  >
                    Confirmer
                  </button>
                  <button
                    type="button"
                    class="button secondary small"
                    disabled={resolve.busy}
                    onClick={() => resolve.run(f, 'dismissed')}
                  >
                    Écarter
                  </button>
                </div>
              ) : (
                (f.resolutionNote ?? '—')
              ),
          },
        ]}
      />
    </Page>
  );
}
