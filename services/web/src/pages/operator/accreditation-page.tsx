import { useState } from 'preact/hooks';
import {
  ACCREDITATION_ACTION_LABELS,
  ACCREDITATION_LABELS,
  type AccreditationStatus,
  changeAccreditation,
  listVenues,
  type Venue,
} from '../../api/registry-api';
import { clientError } from '../../api/problem';
import { DataTable } from '../../components/data-table';
import { SelectField, TextField } from '../../components/field';
import { ErrorNotice, Loading } from '../../components/notice';
import { Page } from '../../components/page';
import { StatusBadge } from '../../components/status-badge';
import { formatDate } from '../../lib/format';
import { useAction, useApi } from '../../lib/use-api';

const NEEDS_REASON = new Set(['suspend', 'revoke']);

/** The accreditation queue (venues that applied) and every other status on demand. */
export function AccreditationPage() {
  const [status, setStatus] = useState<AccreditationStatus | ''>('applied');
  const [q, setQ] = useState('');
  const [reason, setReason] = useState('');
  const venues = useApi(
    (signal) => listVenues({ status: status || undefined, q: q.trim() || undefined, limit: 200 }, signal),
    [status, q],
  );
  const act = useAction(async (venue: Venue, action: string) => {
    if (NEEDS_REASON.has(action) && !reason.trim())
      throw clientError('Indiquez un motif pour suspendre ou retirer une habilitation.');
    await changeAccreditation(venue.id, action, NEEDS_REASON.has(action) ? reason.trim() : undefined);
    setReason('');
    venues.reload();
  });
  return (
    <Page
      title="Habilitations des lieux"
      wide
      intro="Les lieux qui ont déposé une demande d’habilitation, et l’état de tous les autres."
    >
      <div class="card inline-form">
        <SelectField
          label="État"
          value={status}
          onValue={(v) => setStatus(v as AccreditationStatus | '')}
          options={[
            { value: '', label: 'Tous' },
            ...Object.entries(ACCREDITATION_LABELS).map(([value, label]) => ({ value, label })),
          ]}
        />
        <TextField label="Rechercher (nom, commune)" type="search" value={q} onValue={setQ} />
        <TextField
          label="Motif (pour suspendre ou retirer)"
          value={reason}
          onValue={setReason}
          hint="Obligatoire pour une suspension ou un retrait ; il est conservé dans l’historique."
        />
      </div>
      {venues.loading && !venues.data ? <Loading /> : null}
      <ErrorNotice error={venues.error} what="Lieux" />
      <ErrorNotice error={act.error} />
      <DataTable<Venue>
        caption={status ? `Lieux : ${ACCREDITATION_LABELS[status].toLowerCase()}` : 'Tous les lieux'}
        rows={venues.data?.items}
        rowKey={(v) => v.id}
        empty="Aucun lieu dans cet état."
        columns={[
          { header: 'Lieu', cell: (v) => v.name },
          { header: 'Commune', cell: (v) => [v.postcode, v.commune].filter(Boolean).join(' ') || '—' },
          { header: 'Association', cell: (v) => (v.associationId ? 'rattaché' : 'non rattaché') },
          { header: 'Accepte le pass', cell: (v) => (v.acceptsPass ? 'oui' : 'non') },
          {
            header: 'État',
            cell: (v) => (
              <StatusBadge
                label={ACCREDITATION_LABELS[v.accreditationStatus]}
                tone={
                  v.accreditationStatus === 'accredited'
                    ? 'success'
                    : v.accreditationStatus === 'applied'
                      ? 'warning'
                      : 'info'
                }
              />
            ),
          },
          { header: 'Depuis', cell: (v) => formatDate(v.createdAt) },
          {
            header: 'Actions',
            cell: (v) => (
              <div class="button-row">
                {v.accreditationActions
                  .filter((a) => a !== 'apply')
                  .map((action) => (
                    <button
                      key={action}
                      type="button"
                      class={NEEDS_REASON.has(action) ? 'button danger small' : 'button secondary small'}
                      disabled={act.busy}
                      aria-label={`${ACCREDITATION_ACTION_LABELS[action] ?? action} : ${v.name}`}
                      onClick={() => act.run(v, action)}
                    >
                      {ACCREDITATION_ACTION_LABELS[action] ?? action}
                    </button>
                  ))}
              </div>
            ),
          },
        ]}
      />
    </Page>
  );
}
