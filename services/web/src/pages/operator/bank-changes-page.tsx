import { useState } from 'preact/hooks';
import {
  BANK_CHANGE_LABELS,
  type BankChangeRequest,
  type BankChangeStatus,
  decideBankChange,
  listAssociations,
  listBankChanges,
  requestBankChange,
} from '../../api/directory-api';
import { BankAccountFields, useBankAccountForm } from '../../components/bank-account-fields';
import { DataTable } from '../../components/data-table';
import { SelectField, TextField } from '../../components/field';
import { ErrorNotice, Loading, Notice } from '../../components/notice';
import { Page } from '../../components/page';
import { StatusBadge } from '../../components/status-badge';
import { formatDateTime } from '../../lib/format';
import { useAction, useApi, useSession } from '../../lib/use-api';

/**
 * Four eyes: a bank change entered by one person (an operator here, on the association's word, or the
 * association's treasurer) is approved by another operator.
 */
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
  const [associationId, setAssociationId] = useState('');
  const [entered, setEntered] = useState<BankChangeRequest | undefined>(undefined);
  const form = useBankAccountForm();
  const enter = useAction(async () => {
    const account = form.submission();
    if (!account || !associationId) return;
    setEntered(await requestBankChange(associationId, account));
    form.reset();
    list.reload();
  });
  return (
    <Page
      title="Changements de coordonnées bancaires"
      wide
      intro="Les virements d’une association sont suspendus tant que son changement de RIB n’est pas approuvé par un second opérateur."
    >
      <form
        class="card"
        aria-labelledby="enter-bank-change-title"
        onSubmit={(event) => {
          event.preventDefault();
          setEntered(undefined);
          enter.run();
        }}
      >
        <h2 id="enter-bank-change-title">Saisir un changement de RIB</h2>
        <p class="hint">
          Le nouveau compte reste en attente, et les virements de l’association suspendus, jusqu’à son
          approbation par un autre opérateur que vous.
        </p>
        <SelectField
          label="Association"
          required
          value={associationId}
          onValue={setAssociationId}
          placeholder="Choisir…"
          options={(associations.data?.items ?? []).map((a) => ({ value: a.id, label: a.name }))}
        />
        <ErrorNotice error={associations.error} what="Associations" />
        <BankAccountFields form={form} serverError={enter.error} />
        <ErrorNotice error={enter.error} />
        <button type="submit" class="button primary" disabled={enter.busy || !associationId}>
          Enregistrer le changement
        </button>
        {entered ? (
          <Notice tone="success" title="Changement enregistré">
            <p>
              Nouveau compte de {nameOf(entered.associationId)} au nom de {entered.account.accountHolderName}{' '}
              : un autre opérateur doit maintenant l’approuver.
            </p>
          </Notice>
        ) : null}
      </form>
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
            // The buttons stay on one's own entries too: the server refuses the approval (four eyes) and
            // says why, while a rejection or a correction by its author remains possible.
            cell: (r) =>
              r.status === 'pending' ? (
                <div class="button-row">
                  {r.requestedBy === session?.user.id ? (
                    <span class="hint">Saisie par vous : un autre opérateur doit approuver.</span>
                  ) : null}
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
              ) : (
                (r.decisionReason ?? '—')
              ),
          },
        ]}
      />
    </Page>
  );
}
