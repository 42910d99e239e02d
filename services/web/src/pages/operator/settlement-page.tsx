import { useEffect, useState } from 'preact/hooks';
import { newIdempotencyKey } from '../../api/api-client';
import { listAssociations } from '../../api/directory-api';
import {
  confirmPayout,
  listPayoutFiles,
  listPayouts,
  listRuns,
  listStatements,
  type Payout,
  type PayoutFile,
  payoutFilePath,
  RUN_STATUS_LABELS,
  type SettlementRun,
  type Statement,
  startRun,
  statementPdfPath,
} from '../../api/settlement-api';
import { DataTable } from '../../components/data-table';
import { DownloadButton } from '../../components/download-button';
import { SelectField, TextField } from '../../components/field';
import { ErrorNotice, Loading, Notice } from '../../components/notice';
import { Page } from '../../components/page';
import { StatusBadge } from '../../components/status-badge';
import { centsToAmount, formatDate, formatDateTime, formatMoney, parisDate } from '../../lib/format';
import { useAction, useApi, useSession } from '../../lib/use-api';

/** Operator finance: run a clearing, read what it issued, hand the pain.001 file to the bank, confirm payouts. */
export function SettlementPage() {
  const session = useSession();
  const finance = session?.user.role === 'operator_finance';
  const associations = useApi((signal) => listAssociations(signal), []);
  const runs = useApi((signal) => listRuns(signal), []);
  const statements = useApi((signal) => listStatements({}, signal), []);
  const payouts = useApi((signal) => listPayouts({}, signal), []);
  const files = useApi(
    (signal) => (finance ? listPayoutFiles(signal) : Promise.resolve(undefined)),
    [finance],
  );
  const [associationId, setAssociationId] = useState('');
  const [rejectCode, setRejectCode] = useState('AC01');
  // One key per run request: a double click or a retry after a lost answer starts one run, not two.
  const [runKey, setRunKey] = useState(newIdempotencyKey);
  const nameOf = (id: string) => associations.data?.items.find((a) => a.id === id)?.name ?? id;
  const reloadAll = () => {
    runs.reload();
    statements.reload();
    payouts.reload();
    files.reload();
  };

  // A run works in the background: the page follows it until it is done.
  const running = (runs.data?.items ?? []).some((r) => r.status === 'pending' || r.status === 'running');
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(reloadAll, 1500);
    return () => clearInterval(timer);
  });

  const run = useAction(async () => {
    await startRun({ associationId: associationId || undefined }, runKey);
    setRunKey(newIdempotencyKey());
    reloadAll();
  });
  const confirm = useAction(async (payout: Payout, outcome: 'paid' | 'rejected') => {
    await confirmPayout(
      payout.id,
      outcome === 'paid'
        ? { outcome, paidOn: parisDate() }
        : { outcome, reasonCode: rejectCode.trim().toUpperCase() },
      newIdempotencyKey(),
    );
    payouts.reload();
  });

  return (
    <Page
      title="Règlements"
      wide
      intro="Un règlement prend toutes les validations sorties du délai d’annulation et pas encore réglées, émet un relevé par association et prépare les virements."
    >
      {finance ? (
        <form
          class="card"
          onSubmit={(event) => {
            event.preventDefault();
            run.run();
          }}
        >
          <h2>Lancer un règlement</h2>
          <SelectField
            label="Association"
            value={associationId}
            onValue={setAssociationId}
            options={[
              { value: '', label: 'Toutes les associations' },
              ...(associations.data?.items ?? []).map((a) => ({ value: a.id, label: a.name })),
            ]}
          />
          <ErrorNotice error={run.error} what="Règlement" />
          <button
            type="submit"
            class="button primary"
            disabled={run.busy || running}
            aria-busy={run.busy || running}
          >
            {running ? 'Règlement en cours…' : 'Lancer le règlement'}
          </button>
        </form>
      ) : (
        <Notice>
          Seule l’équipe finances de l’opérateur lance les règlements et confirme les virements.
        </Notice>
      )}

      {runs.loading && !runs.data ? <Loading /> : null}
      <ErrorNotice error={runs.error} what="Règlements" />
      <DataTable<SettlementRun>
        caption="Règlements, du plus récent au plus ancien"
        rows={runs.data?.items}
        rowKey={(r) => r.id}
        empty="Aucun règlement pour l’instant."
        columns={[
          { header: 'Demandé le', cell: (r) => formatDateTime(r.createdAt) },
          { header: 'Type', cell: (r) => (r.trigger === 'manual' ? 'Manuel' : 'Planifié') },
          { header: 'Association', cell: (r) => (r.associationId ? nameOf(r.associationId) : 'Toutes') },
          {
            header: 'État',
            cell: (r) => (
              <StatusBadge
                label={RUN_STATUS_LABELS[r.status]}
                tone={r.status === 'completed' ? 'success' : r.status === 'failed' ? 'error' : 'warning'}
              />
            ),
          },
          { header: 'Relevés émis', cell: (r) => r.summary?.statementsIssued?.length ?? '—', numeric: true },
          { header: 'Virements', cell: (r) => r.summary?.payoutsCreated ?? '—', numeric: true },
          { header: 'Suspendus', cell: (r) => r.summary?.held?.length ?? '—', numeric: true },
          {
            header: 'Net',
            cell: (r) =>
              r.summary?.statementsIssued
                ? formatMoney(
                    centsToAmount(
                      r.summary.statementsIssued.reduce((sum, s) => sum + BigInt(s.netCents), 0n),
                    ),
                  )
                : '—',
            numeric: true,
          },
          { header: 'Erreur', cell: (r) => r.lastError ?? '' },
        ]}
      />

      <ErrorNotice error={statements.error} what="Relevés" />
      <DataTable<Statement>
        caption="Relevés émis"
        rows={statements.data?.items}
        rowKey={(s) => s.id}
        empty="Aucun relevé."
        columns={[
          { header: 'Numéro', cell: (s) => s.number ?? 'brouillon' },
          { header: 'Association', cell: (s) => s.associationName ?? nameOf(s.associationId) },
          { header: 'Période', cell: (s) => s.period },
          { header: 'Pass', cell: (s) => s.voucherCount, numeric: true },
          { header: 'Net', cell: (s) => formatMoney(s.net), numeric: true },
          { header: 'Virement', cell: (s) => s.payout?.statusLabel ?? '—' },
          {
            header: 'Document',
            cell: (s) => (
              <DownloadButton path={statementPdfPath(s.id)} fileName={`releve-${s.number ?? s.id}.pdf`}>
                PDF
              </DownloadButton>
            ),
          },
        ]}
      />

      {finance ? (
        <DataTable<PayoutFile>
          caption="Fichiers de virements SEPA (pain.001) à remettre à la banque"
          rows={files.data?.items}
          rowKey={(f) => f.id}
          empty="Aucun fichier."
          columns={[
            { header: 'Message', cell: (f) => <span class="code-display">{f.messageId}</span> },
            { header: 'Exécution', cell: (f) => formatDate(f.executionDate) },
            { header: 'Virements', cell: (f) => f.paymentCount, numeric: true },
            { header: 'Total', cell: (f) => formatMoney(f.controlSum), numeric: true },
            {
              header: 'Fichier',
              cell: (f) => (
                <DownloadButton path={payoutFilePath(f.id)} fileName={`${f.messageId}.xml`}>
                  XML
                </DownloadButton>
              ),
            },
          ]}
        />
      ) : null}

      <section class="card" aria-labelledby="payouts-title">
        <h2 id="payouts-title">Virements aux associations</h2>
        <p class="hint">
          La banque confirme normalement par un relevé camt.054 (page « Retours bancaires »). Sans relevé,
          confirmez à la main.
        </p>
        {finance ? (
          <TextField
            label="Motif ISO d’un rejet (ex. AC01 : compte erroné)"
            value={rejectCode}
            onValue={setRejectCode}
            maxLength={4}
          />
        ) : null}
        <ErrorNotice error={payouts.error} what="Virements" />
        <ErrorNotice error={confirm.error} />
        <DataTable<Payout>
          caption="Virements"
          rows={payouts.data?.items}
          rowKey={(p) => p.id}
          empty="Aucun virement."
          columns={[
            { header: 'Association', cell: (p) => p.associationName },
            { header: 'Relevé', cell: (p) => p.statementNumber },
            { header: 'Montant', cell: (p) => formatMoney(p.amount), numeric: true },
            {
              header: 'État',
              cell: (p) => (
                <>
                  <StatusBadge label={p.statusLabel} tone={payoutTone(p)} />
                  {p.holdReasonLabel ? <span class="hint"> ({p.holdReasonLabel})</span> : null}
                  {p.rejectionReason ? <span class="hint"> — motif {p.rejectionReason}</span> : null}
                </>
              ),
            },
            {
              header: 'Confirmation manuelle',
              cell: (p) =>
                finance && p.status === 'exported' ? (
                  <div class="button-row">
                    <button
                      type="button"
                      class="button secondary small"
                      disabled={confirm.busy}
                      onClick={() => confirm.run(p, 'paid')}
                    >
                      Payé
                    </button>
                    <button
                      type="button"
                      class="button danger small"
                      disabled={confirm.busy}
                      onClick={() => confirm.run(p, 'rejected')}
                    >
                      Rejeté
                    </button>
                  </div>
                ) : null,
            },
          ]}
        />
      </section>
    </Page>
  );
}

export function payoutTone(p: Pick<Payout, 'status'>): 'success' | 'error' | 'warning' {
  if (p.status === 'paid') return 'success';
  if (p.status === 'rejected' || p.status === 'held') return 'error';
  return 'warning';
}
