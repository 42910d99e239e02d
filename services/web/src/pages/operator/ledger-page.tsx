import { useState } from 'preact/hooks';
import { reconcile, verifyLedgerChain } from '../../api/settlement-api';
import { TextField } from '../../components/field';
import { ErrorNotice, Loading, Notice } from '../../components/notice';
import { Page } from '../../components/page';
import { parisDate } from '../../lib/format';
import { useAction, useApi } from '../../lib/use-api';

/** Reconciliation of redemptions, statements, payouts and passes with the ledger, and the hash-chain check. */
export function LedgerPage() {
  const [from, setFrom] = useState(`${parisDate().slice(0, 8)}01`);
  const [to, setTo] = useState(parisDate());
  const check = useApi((signal) => reconcile({ from, to }, signal), [from, to]);
  const [verified, setVerified] = useState<Record<string, unknown> | undefined>(undefined);
  const verify = useAction(async () => setVerified(await verifyLedgerChain()));
  const ok = check.data ? isOk(check.data) : undefined;
  return (
    <Page
      title="Grand livre"
      wide
      intro="Les validations, relevés, virements et pass doivent concorder avec les écritures du grand livre en partie double ; la chaîne d’empreintes rend toute modification visible."
    >
      <section class="card" aria-labelledby="check-title">
        <h2 id="check-title">Rapprochement sur une période</h2>
        <div class="inline-form">
          <TextField label="Du" type="date" value={from} onValue={setFrom} />
          <TextField label="Au" type="date" value={to} onValue={setTo} />
        </div>
        {check.loading && !check.data ? <Loading /> : null}
        <ErrorNotice error={check.error} what="Rapprochement" />
        {check.data ? (
          <Notice
            tone={ok === false ? 'error' : 'success'}
            title={ok === false ? 'Écart détecté' : 'Tout concorde'}
          >
            <pre class="report">{JSON.stringify(check.data, null, 2)}</pre>
          </Notice>
        ) : null}
      </section>
      <section class="card" aria-labelledby="verify-title">
        <h2 id="verify-title">Vérification de la chaîne d’empreintes</h2>
        <ErrorNotice error={verify.error} what="Vérification de la chaîne" />
        {verified ? (
          <Notice tone={isOk(verified) === false ? 'error' : 'success'} title="Résultat de la vérification">
            <pre class="report">{JSON.stringify(verified, null, 2)}</pre>
          </Notice>
        ) : null}
        <button type="button" class="button primary" disabled={verify.busy} onClick={() => verify.run()}>
          {verify.busy ? 'Vérification…' : 'Vérifier la chaîne'}
        </button>
      </section>
    </Page>
  );
}

/** The reports say `ok: true|false` at the top; anything else is shown as is. */
function isOk(report: Record<string, unknown>): boolean | undefined {
  return typeof report.ok === 'boolean' ? report.ok : undefined;
}
