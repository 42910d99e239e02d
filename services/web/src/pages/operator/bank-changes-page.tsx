import { useState } from 'preact/hooks';
import {
  BANK_CHANGE_LABELS,
  type BankChangeRequest,
  type BankChangeStatus,
  decideBankChange,
  listAssociations,
  listBankChanges,
} from '../../api/directory-api';
import { DataTable } from '../../components/data-table';
import { SelectField, TextField } from '../../components/field';
import { ErrorNotice, Loading } from '../../components/notice';
import { Page } from '../../components/page';
import { StatusBadge } from '../../components/status-badge';
import { formatDateTime } from '../../lib/format';
import { useAction, useApi, useSession } from '../../lib/use-api';

/** Four eyes: a bank change entered by one person is approved by another operator. */
export function BankChangesPage() {
  const session = useSession();
  const [status, setStatus] = useState<BankChangeStatus | ''>('pending');
  const [reason, setReason] = useState('');
  const list = useApi((signal) => listBankChanges({ status: status || undefined }, signal), [status]);
  const associations = useApi((signal) => listAssociations(signal), []);
  const nameOf = (id: string) => associations.data?.items.find((a) => a.id === id)?.name ?? id;
  const decide = useAction(async (request: BankChangeRequest, decision: 'approve' | 'reject') => {
    await decideBankChange(request.id, decision, reason.trim() || undefined);
    setReason('');
    list.reload();
  });
  return (
    <Page
      title="Changements de coordonnées bancaires"
      wide
      intro="Les virements d’une association sont suspendus tant que son changement de RIB n’est pas approuvé par un second opérateur."
    >
      <div class="card inline-form">
        <SelectField
          label="État"
          value={status}
          onValue={(v) => setStatus(v as BankChangeStatus | '')}
          options={[
            { value: '', label: 'Toutes' },
            ...Object.entries(BANK_CHANGE_LABELS).map(([value, label]) => ({ value, label })),
          ]}
        />
        <TextField label="Motif (obligatoire pour refuser)" value={reason} onValue={setReason} />
      </div>
      {list.loading && !list.data ? <Loading /> : null}
      <ErrorNotice error={list.error} what="Changements de RIB" />
      <ErrorNotice error={decide.error} />
      <DataTable<BankChangeRequest>
        caption="Demandes de changement de RIB"
        rows={list.data?.items}
        rowKey={(r) => r.id}
        empty="Aucune demande."
        columns={[
          { header: 'Association', cell: (r) => nameOf(r.associationId) },
          { header: 'Titulaire', cell: (r) => r.account.accountHolderName },
          { header: 'IBAN', cell: (r) => <span class="code-display">{r.account.iban}</span> },
          { header: 'BIC', cell: (r) => r.account.bic },
          { header: 'Demandée le', cell: (r) => formatDateTime(r.requestedAt) },
          {
            header: 'État',
            cell: (r) => (
              <StatusBadge
                label={BANK_CHANGE_LABELS[r.status]}
                tone={r.status === 'pending' ? 'warning' : r.status === 'approved' ? 'success' : 'info'}
              />
            ),
          },
          {
            header: 'Décision',
            cell: (r) =>
              r.status === 'pending' ? (
                r.requestedBy === session?.user.id ? (
                  <span class="hint">Saisie par vous : un autre opérateur doit approuver.</span>
                ) : (
                  <div class="button-row">
                    <button
                      type="button"
                      class="button primary small"
                      disabled={decide.busy}
                      onClick={() => decide.run(r, 'approve')}
                    >
                      Approuver
                    </button>
                    <button
                      type="button"
                      class="button danger small"
                      disabled={decide.busy}
                      onClick={() => decide.run(r, 'reject')}
                    >
                      Refuser
                    </button>
                  </div>
                )
              ) : (
                (r.decisionReason ?? '—')
              ),
          },
        ]}
      />
    </Page>
  );
}
