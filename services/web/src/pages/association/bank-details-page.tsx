import {
  BANK_CHANGE_LABELS,
  decideBankChange,
  getAssociation,
  listAssociationBankChanges,
  requestBankChange,
} from '../../api/directory-api';
import { DataTable } from '../../components/data-table';
import { BankAccountFields, useBankAccountForm } from '../../components/bank-account-fields';
import { ErrorNotice, Loading, Notice } from '../../components/notice';
import { Page } from '../../components/page';
import { StatusBadge } from '../../components/status-badge';
import { formatDateTime } from '../../lib/format';
import { useAction, useApi, useSession } from '../../lib/use-api';

/** The association's bank account, and a change request that the operator approves (four eyes). */
export function BankDetailsPage() {
  const session = useSession();
  const associationId = session?.user.organisation.id ?? '';
  const association = useApi((signal) => getAssociation(associationId, signal), [associationId]);
  const requests = useApi((signal) => listAssociationBankChanges(associationId, signal), [associationId]);
  const form = useBankAccountForm();
  const submit = useAction(async () => {
    const account = form.submission();
    if (!account) return;
    await requestBankChange(associationId, account);
    form.reset();
    requests.reload();
    association.reload();
  });
  const cancel = useAction(async (id: string) => {
    await decideBankChange(id, 'cancel');
    requests.reload();
  });
  const account = association.data?.bankAccount;
  const pending = requests.data?.items.find((r) => r.status === 'pending');
  return (
    <Page title="Coordonnées bancaires">
      {association.loading && !association.data ? <Loading /> : null}
      <ErrorNotice error={association.error} what="Association" />
      <section class="card" aria-labelledby="current-title">
        <h2 id="current-title">Compte de remboursement</h2>
        {account ? (
          <dl class="facts">
            <dt>Titulaire</dt>
            <dd>{account.accountHolderName}</dd>
            <dt>IBAN</dt>
            <dd class="code-display">{account.iban}</dd>
            <dt>BIC</dt>
            <dd>{account.bic}</dd>
          </dl>
        ) : (
          <p>Aucun compte enregistré : les virements sont suspendus.</p>
        )}
        {association.data?.payoutsHeld ? (
          <Notice tone="warning">
            Les virements sont suspendus jusqu’à la validation du compte par l’opérateur.
          </Notice>
        ) : null}
      </section>
      {pending ? (
        <Notice tone="info" title="Demande en attente">
          <p>
            Nouveau compte {pending.account.iban} au nom de {pending.account.accountHolderName}, demandé le{' '}
            {formatDateTime(pending.requestedAt)}. Un opérateur doit l’approuver.
          </p>
          <button
            type="button"
            class="button secondary"
            disabled={cancel.busy}
            onClick={() => cancel.run(pending.id)}
          >
            Retirer la demande
          </button>
          <ErrorNotice error={cancel.error} />
        </Notice>
      ) : (
        <form
          class="card"
          onSubmit={(event) => {
            event.preventDefault();
            submit.run();
          }}
        >
          <h2>Demander un changement de compte</h2>
          <p class="hint">
            Pour votre sécurité, un opérateur vérifie et approuve chaque changement ; les virements attendent
            son approbation.
          </p>
          <BankAccountFields form={form} serverError={submit.error} />
          <ErrorNotice error={submit.error} />
          <button type="submit" class="button primary" disabled={submit.busy}>
            Envoyer la demande
          </button>
        </form>
      )}
      <DataTable
        caption="Historique des demandes"
        rows={requests.data?.items}
        rowKey={(r) => r.id}
        empty="Aucune demande."
        columns={[
          { header: 'Demandée le', cell: (r) => formatDateTime(r.requestedAt) },
          { header: 'IBAN', cell: (r) => r.account.iban },
          {
            header: 'État',
            cell: (r) => (
              <StatusBadge
                label={BANK_CHANGE_LABELS[r.status]}
                tone={r.status === 'approved' ? 'success' : r.status === 'pending' ? 'warning' : 'info'}
              />
            ),
          },
          { header: 'Motif', cell: (r) => r.decisionReason ?? '—' },
        ]}
      />
    </Page>
  );
}
