import { useEffect, useState } from 'preact/hooks';
import { newIdempotencyKey } from '../../api/api-client';
import {
  activateBatch,
  approveProof,
  assignStock,
  type Batch,
  BATCH_STATUS_LABELS,
  bookletsPdfPath,
  CANCEL_REASON_LABELS,
  type CancelReason,
  type Cancellation,
  cancelPasses,
  closeBatch,
  getBatch,
  getDistribution,
  printerCsvPath,
  proofPdfPath,
  recordFunding,
  rerenderBooklets,
  type StockMove,
  submitBatch,
} from '../../api/issuance-api';
import { listDistributors } from '../../api/directory-api';
import { DataTable } from '../../components/data-table';
import { DownloadButton } from '../../components/download-button';
import { SelectField, TextField } from '../../components/field';
import { ErrorNotice, Loading, Notice } from '../../components/notice';
import { Page } from '../../components/page';
import { ProgressBar } from '../../components/progress-bar';
import { StatCard } from '../../components/stat-card';
import { StatusBadge } from '../../components/status-badge';
import {
  formatCount,
  formatDate,
  formatDateTime,
  formatDuration,
  formatMoney,
  formatPercent,
  parisDate,
} from '../../lib/format';
import type { RouteProps } from '../../lib/route-props';
import { useAction, useApi, useSession } from '../../lib/use-api';
import { BATCH_TONES } from '../funder/orders-page';

/** One batch, for its funder (order, proof, progress, files, stock, revocation) and for operator finance (funding, activation). */
export function BatchDetailPage({ params }: RouteProps) {
  const id = params.id!;
  const session = useSession();
  const role = session?.user.role;
  const funderSide = role === 'funder_manager' || role === 'operator_admin';
  const finance = role === 'operator_finance';
  const batch = useApi((signal) => getBatch(id, signal), [id]);
  const b = batch.data;

  // While passes are generated or booklets rendered, the page follows the progress every second.
  const working =
    b !== undefined &&
    (b.generation?.state === 'pending' ||
      b.generation?.state === 'running' ||
      b.bookletsPdf?.state === 'pending' ||
      b.bookletsPdf?.state === 'running');
  useEffect(() => {
    if (!working) return;
    const timer = setInterval(batch.reload, 1000);
    return () => clearInterval(timer);
  }, [working, batch.reload]);

  const act = useAction(async (action: () => Promise<unknown>) => {
    await action();
    batch.reload();
  });

  if (!b) {
    return (
      <Page title="Commande">
        {batch.loading ? <Loading /> : null}
        <ErrorNotice error={batch.error} what="Commande" />
      </Page>
    );
  }
  return (
    <Page
      title={`Commande ${b.reference}`}
      wide
      actions={<StatusBadge label={BATCH_STATUS_LABELS[b.status]} tone={BATCH_TONES[b.status]} />}
    >
      <ErrorNotice error={act.error} />
      <div class="grid grid-2">
        <section class="card" aria-labelledby="terms-title">
          <h2 id="terms-title">Conditions</h2>
          <dl class="facts">
            <dt>Financeur</dt>
            <dd>{b.funder.name ?? '—'}</dd>
            <dt>Pass</dt>
            <dd>
              {formatCount(b.voucherCount)} pass de {formatMoney(b.faceValue)}, en{' '}
              {formatCount(b.bookletCount)} carnets de {b.bookletSize}
            </dd>
            <dt>Validité</dt>
            <dd>
              du {formatDate(b.validFrom)} au {formatDate(b.validUntil)} (acceptés jusqu’au{' '}
              {formatDate(b.lastAcceptedDate)})
            </dd>
            <dt>Fin de distribution</dt>
            <dd>{formatDate(b.distributionStopDate)}</dd>
            <dt>Territoire</dt>
            <dd>
              {b.territory.departements.length === 0 && b.territory.communes.length === 0
                ? 'Partout'
                : [
                    ...b.territory.departements.map((d) => `département ${d}`),
                    ...b.territory.communes.map((c) => `commune ${c}`),
                  ].join(', ')}
            </dd>
            <dt>Services</dt>
            <dd>{b.serviceCategories.length === 0 ? 'Tous' : b.serviceCategories.join(', ')}</dd>
            <dt>Texte imprimé</dt>
            <dd>{b.wording}</dd>
          </dl>
        </section>
        <section class="card" aria-labelledby="quote-title">
          <h2 id="quote-title">Devis et paiement</h2>
          <dl class="facts">
            <dt>Valeur faciale</dt>
            <dd>{formatMoney(b.quote.faceTotal)}</dd>
            <dt>Frais ({formatPercent(b.quote.upstreamFeeRate)} HT)</dt>
            <dd>{formatMoney(b.quote.upstreamFee)}</dd>
            <dt>TVA ({formatPercent(b.quote.vatRate)})</dt>
            <dd>{formatMoney(b.quote.vat)}</dd>
            <dt>Total</dt>
            <dd>
              <strong>{formatMoney(b.quote.total)}</strong>
            </dd>
            <dt>Paiement</dt>
            <dd>
              {b.funding
                ? `${formatMoney(b.funding.amount)} reçu le ${formatDate(b.funding.receivedOn)} (${b.funding.method === 'mandate' ? 'mandat' : 'virement'} ${b.funding.reference})`
                : 'Pas encore reçu'}
            </dd>
            <dt>Activation</dt>
            <dd>{b.activatedAt ? formatDateTime(b.activatedAt) : 'Pas encore activée'}</dd>
          </dl>
        </section>
      </div>

      {b.status === 'draft' && funderSide ? (
        <Notice tone="info" title="Brouillon">
          <p>
            Vérifiez les conditions et le devis, puis confirmez : les pass sont alors générés et la commande
            attend son paiement.
          </p>
          <div class="button-row">
            <button
              type="button"
              class="button primary"
              disabled={act.busy}
              onClick={() => act.run(() => submitBatch(id))}
            >
              Confirmer la commande
            </button>
            <button
              type="button"
              class="button danger"
              disabled={act.busy}
              onClick={() => act.run(() => closeBatch(id, 'abandonnée au brouillon'))}
            >
              Abandonner
            </button>
          </div>
        </Notice>
      ) : null}

      {b.generation ? (
        <section class="card" aria-labelledby="gen-title">
          <h2 id="gen-title">Génération des pass</h2>
          <ProgressBar
            label="Pass générés"
            value={b.generation.generated}
            max={b.generation.total}
            detail={
              b.generation.state === 'completed'
                ? `${formatCount(b.generation.total)} pass prêts`
                : b.generation.state === 'failed'
                  ? 'échec, nouvelle tentative automatique'
                  : b.generation.etaSeconds !== null
                    ? `fin estimée dans ${formatDuration(b.generation.etaSeconds * 1000)}`
                    : `${formatCount(b.generation.generated)} sur ${formatCount(b.generation.total)}`
            }
          />
        </section>
      ) : null}

      {b.status !== 'draft' && b.status !== 'closed' && funderSide ? (
        <section class="card" aria-labelledby="proof-title">
          <h2 id="proof-title">Bon à tirer et fichiers d’impression</h2>
          {b.proof.approved ? (
            <p>Bon à tirer validé le {formatDateTime(b.proof.approvedAt)}.</p>
          ) : (
            <p>
              Téléchargez l’épreuve du premier carnet, vérifiez-la, puis validez le bon à tirer : les carnets
              sont alors produits.
            </p>
          )}
          <div class="button-row">
            <DownloadButton path={proofPdfPath(id)} fileName={`${b.reference}-epreuve.pdf`}>
              Télécharger l’épreuve (PDF)
            </DownloadButton>
            {!b.proof.approved ? (
              <button
                type="button"
                class="button primary"
                disabled={act.busy}
                onClick={() => act.run(() => approveProof(id))}
              >
                Valider le bon à tirer
              </button>
            ) : null}
          </div>
          {b.bookletsPdf ? (
            b.bookletsPdf.state === 'completed' ? (
              <div class="button-row">
                <DownloadButton
                  path={bookletsPdfPath(id)}
                  fileName={`${b.reference}-carnets.pdf`}
                  class="button primary"
                >
                  Télécharger les carnets (PDF)
                </DownloadButton>
                <DownloadButton path={printerCsvPath(id)} fileName={`${b.reference}-imprimeur.csv`}>
                  Fichier imprimeur (CSV)
                </DownloadButton>
              </div>
            ) : b.bookletsPdf.state === 'failed' ? (
              <Notice tone="error">
                <p>La production du PDF des carnets a échoué.</p>
                <button
                  type="button"
                  class="button secondary"
                  onClick={() => act.run(() => rerenderBooklets(id))}
                >
                  Relancer la production
                </button>
              </Notice>
            ) : (
              <ProgressBar
                label="Production des carnets"
                value={b.bookletsPdf.renderedPasses}
                max={b.bookletsPdf.totalPasses}
              />
            )
          ) : null}
        </section>
      ) : null}

      {finance && b.status === 'awaiting_funding' ? <FundingForm batch={b} onDone={batch.reload} /> : null}

      {b.status === 'active' || b.status === 'closed' ? (
        <DistributionSection batch={b} canAssign={funderSide && b.status === 'active'} />
      ) : null}
      {funderSide && b.status === 'active' ? <RevocationForm batch={b} onDone={batch.reload} /> : null}
    </Page>
  );
}

/** Operator finance: the money received (must equal the quote), then activation. */
function FundingForm(props: { batch: Batch; onDone: () => void }) {
  const b = props.batch;
  const [amount, setAmount] = useState(b.quote.total.amount);
  const [method, setMethod] = useState<'mandate' | 'bank_transfer'>('bank_transfer');
  const [reference, setReference] = useState('');
  const [receivedOn, setReceivedOn] = useState(parisDate());
  // The same key is kept while the form is retried, so a lost answer can never record the money twice.
  const [fundingKey] = useState(newIdempotencyKey);
  const [activationKey] = useState(newIdempotencyKey);
  const fund = useAction(async () => {
    await recordFunding(
      b.id,
      { amount: { amount: amount.replace(',', '.'), currency: 'EUR' }, method, reference, receivedOn },
      fundingKey,
    );
    props.onDone();
  });
  const activate = useAction(async () => {
    await activateBatch(b.id, activationKey);
    props.onDone();
  });
  return (
    <section class="card" aria-labelledby="funding-title">
      <h2 id="funding-title">Financement et activation</h2>
      {b.funding ? (
        <>
          <p>Le paiement est enregistré. Activez la commande pour rendre les pass utilisables.</p>
          <ErrorNotice error={activate.error} />
          <button
            type="button"
            class="button primary"
            disabled={activate.busy}
            onClick={() => activate.run()}
          >
            Activer la commande
          </button>
        </>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            fund.run();
          }}
        >
          <div class="grid grid-2">
            <TextField
              label="Montant reçu (€)"
              inputMode="decimal"
              required
              value={amount}
              onValue={setAmount}
              hint={`Le devis est de ${formatMoney(b.quote.total)}.`}
            />
            <SelectField
              label="Moyen"
              value={method}
              onValue={(v) => setMethod(v as 'mandate' | 'bank_transfer')}
              options={[
                { value: 'bank_transfer', label: 'Virement' },
                { value: 'mandate', label: 'Mandat administratif' },
              ]}
            />
            <TextField
              label="Référence (n° de mandat ou de virement)"
              required
              value={reference}
              onValue={setReference}
            />
            <TextField label="Reçu le" type="date" required value={receivedOn} onValue={setReceivedOn} />
          </div>
          <ErrorNotice error={fund.error} />
          <button type="submit" class="button primary" disabled={fund.busy}>
            Enregistrer le paiement
          </button>
        </form>
      )}
    </section>
  );
}

function DistributionSection(props: { batch: Batch; canAssign: boolean }) {
  const b = props.batch;
  const summary = useApi((signal) => getDistribution(b.id, signal), [b.id]);
  const distributors = useApi((signal) => listDistributors(signal), []);
  const [distributorId, setDistributorId] = useState('');
  const [fromBooklet, setFromBooklet] = useState('1');
  const [toBooklet, setToBooklet] = useState(String(Math.min(b.bookletCount, 10)));
  const [moved, setMoved] = useState<StockMove | undefined>(undefined);
  const assign = useAction(async () => {
    setMoved(undefined);
    const move = await assignStock(b.id, {
      distributorId,
      fromBooklet: Number.parseInt(fromBooklet, 10),
      toBooklet: Number.parseInt(toBooklet, 10),
    });
    setMoved(move);
    summary.reload();
    return move;
  });
  const s = summary.data;
  return (
    <section class="card" aria-labelledby="dist-title">
      <h2 id="dist-title">Distribution et utilisation</h2>
      <ErrorNotice error={summary.error} what="Distribution" />
      {s ? (
        <>
          <div class="stats">
            <StatCard label="Pass émis" value={s.passes.issued} />
            <StatCard label="Distribués" value={s.passes.distributed} of={s.passes.issued} />
            <StatCard label="Utilisés" value={s.passes.redeemed + s.passes.settled} of={s.passes.issued} />
            <StatCard label="Remboursés" value={s.passes.settled} of={s.passes.issued} />
            <StatCard label="Annulés" value={s.passes.cancelled} of={s.passes.issued} />
            <StatCard label="Expirés" value={s.passes.expired} of={s.passes.issued} />
          </div>
          <DataTable
            caption="Stock par distributeur (carnets)"
            rows={s.distributors}
            rowKey={(d) => d.distributorId}
            empty="Aucun carnet en stock chez un distributeur."
            columns={[
              { header: 'Distributeur', cell: (d) => d.name ?? d.distributorId },
              { header: 'Carnets en stock', cell: (d) => formatCount(d.booklets), numeric: true },
            ]}
          />
          <p class="hint">
            Carnets : {formatCount(s.booklets.total)} au total, {formatCount(s.booklets.withDistributors)}{' '}
            chez des distributeurs, {formatCount(s.booklets.distributed)} remis,{' '}
            {formatCount(s.booklets.started)} entamés, {formatCount(s.booklets.finished)} terminés.
          </p>
        </>
      ) : null}
      {props.canAssign ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            assign.run();
          }}
        >
          <h3>Confier des carnets à un distributeur</h3>
          {distributors.loading && !distributors.data ? (
            <Loading label="Chargement des distributeurs…" />
          ) : distributors.data ? (
            <SelectField
              label="Distributeur"
              required
              value={distributorId}
              onValue={setDistributorId}
              placeholder="Choisir…"
              options={distributors.data.items.map((d) => ({
                value: d.id,
                label: d.town ? `${d.name} (${d.town})` : d.name,
              }))}
              hint={
                distributors.data.items.length === 0
                  ? 'Aucun distributeur rattaché à ce financeur : demandez à l’opérateur de l’enregistrer.'
                  : undefined
              }
            />
          ) : (
            <TextField
              label="Identifiant du distributeur"
              hint="La liste des distributeurs n’a pas pu être chargée : saisissez l’identifiant communiqué par l’opérateur."
              required
              value={distributorId}
              onValue={setDistributorId}
            />
          )}
          <div class="grid grid-2">
            <TextField
              label="Du carnet n°"
              type="number"
              min={1}
              max={b.bookletCount}
              required
              value={fromBooklet}
              onValue={setFromBooklet}
            />
            <TextField
              label="Au carnet n°"
              type="number"
              min={1}
              max={b.bookletCount}
              required
              value={toBooklet}
              onValue={setToBooklet}
            />
          </div>
          <ErrorNotice error={assign.error} />
          <button type="submit" class="button primary" disabled={assign.busy || !distributorId}>
            Confier ces carnets
          </button>
          {moved ? (
            <Notice tone="success">
              <p>
                {formatCount(moved.booklets)} carnet{moved.booklets > 1 ? 's' : ''} (
                {formatCount(moved.passes)} pass) confié{moved.booklets > 1 ? 's' : ''} au distributeur.
              </p>
            </Notice>
          ) : null}
        </form>
      ) : null}
    </section>
  );
}

function RevocationForm(props: { batch: Batch; onDone: () => void }) {
  const [kind, setKind] = useState<'booklet' | 'pass' | 'range' | 'code'>('booklet');
  const [first, setFirst] = useState('');
  const [last, setLast] = useState('');
  const [reason, setReason] = useState<CancelReason>('lost');
  const [note, setNote] = useState('');
  const [result, setResult] = useState<Cancellation | undefined>(undefined);
  const [key, setKey] = useState(newIdempotencyKey);
  const cancel = useAction(async () => {
    const n = (v: string) => Number.parseInt(v, 10);
    const target =
      kind === 'booklet'
        ? { kind, booklet: n(first) }
        : kind === 'pass'
          ? { kind, serial: n(first) }
          : kind === 'range'
            ? { kind, fromSerial: n(first), toSerial: n(last) }
            : { kind, code: first };
    setResult(await cancelPasses(props.batch.id, { target, reason, note: note.trim() || undefined }, key));
    setKey(newIdempotencyKey());
    props.onDone();
  });
  return (
    <section class="card" aria-labelledby="revoke-title">
      <h2 id="revoke-title">Révoquer des pass</h2>
      <p class="hint">
        Un carnet perdu ou volé : ses pass non utilisés sont annulés et leur valeur revient au financeur.
      </p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          cancel.run();
        }}
      >
        <div class="grid grid-2">
          <SelectField
            label="Quoi"
            value={kind}
            onValue={(v) => setKind(v as typeof kind)}
            options={[
              { value: 'booklet', label: 'Un carnet (par son numéro)' },
              { value: 'pass', label: 'Un pass (par son numéro de série)' },
              { value: 'range', label: 'Une suite de pass (numéros de série)' },
              { value: 'code', label: 'Un pass (par son code)' },
            ]}
          />
          <SelectField
            label="Motif"
            value={reason}
            onValue={(v) => setReason(v as CancelReason)}
            options={Object.entries(CANCEL_REASON_LABELS).map(([value, label]) => ({ value, label }))}
          />
          <TextField
            label={
              kind === 'booklet'
                ? 'Numéro du carnet'
                : kind === 'code'
                  ? 'Code du pass'
                  : kind === 'range'
                    ? 'Du numéro de série'
                    : 'Numéro de série'
            }
            required
            value={first}
            onValue={setFirst}
          />
          {kind === 'range' ? (
            <TextField label="Au numéro de série" required value={last} onValue={setLast} />
          ) : null}
          <TextField label="Remarque (facultatif)" value={note} onValue={setNote} />
        </div>
        <ErrorNotice error={cancel.error} />
        <button type="submit" class="button danger" disabled={cancel.busy || !first}>
          Révoquer
        </button>
      </form>
      {result ? (
        <Notice tone="success">
          <p>
            {formatCount(result.cancelled)} pass annulé{result.cancelled > 1 ? 's' : ''} (
            {formatMoney(result.amount)}).
          </p>
        </Notice>
      ) : null}
    </section>
  );
}
