import { useState } from 'preact/hooks';
import { handOut, type HandOutResult, myStock } from '../../api/issuance-api';
import { fieldErrorsOf } from '../../api/error-messages';
import { SelectField, TextField } from '../../components/field';
import { ErrorNotice, Notice } from '../../components/notice';
import { Page } from '../../components/page';
import { formatCount, formatMoney } from '../../lib/format';
import { useAction, useApi } from '../../lib/use-api';

/** Hand a booklet (or a single pass) to a beneficiary, with an optional pseudonymous reference, never a name. */
export function HandOutPage() {
  const stock = useApi((signal) => myStock(signal), []);
  const [batchId, setBatchId] = useState('');
  const [what, setWhat] = useState<'booklet' | 'serial'>('booklet');
  const [number, setNumber] = useState('');
  const [ref, setRef] = useState('');
  const [result, setResult] = useState<HandOutResult | undefined>(undefined);
  const batches = stock.data?.batches ?? [];
  const chosen = batchId || batches[0]?.batchId || '';
  const give = useAction(async () => {
    const n = Number.parseInt(number, 10);
    setResult(
      await handOut({
        batchId: chosen,
        ...(what === 'booklet' ? { booklet: n } : { serial: n }),
        beneficiaryRef: ref.trim() || undefined,
      }),
    );
    setNumber('');
    setRef('');
    stock.reload();
  });
  const fields = give.error ? fieldErrorsOf(give.error.problem) : {};
  return (
    <Page
      title="Remettre un carnet"
      intro="Après le diagnostic, remettez un carnet entier (ou un pass) au bénéficiaire."
    >
      <ErrorNotice error={stock.error} what="Stock" />
      <form
        class="card narrow"
        onSubmit={(event) => {
          event.preventDefault();
          setResult(undefined);
          give.run();
        }}
      >
        <SelectField
          label="Commande"
          value={chosen}
          onValue={setBatchId}
          options={batches.map((b) => ({
            value: b.batchId,
            label: `${b.reference} — ${formatCount(b.booklets)} carnets en stock`,
          }))}
          placeholder={batches.length === 0 ? 'Aucun carnet en stock' : undefined}
        />
        <SelectField
          label="Remettre"
          value={what}
          onValue={(v) => setWhat(v as 'booklet' | 'serial')}
          options={[
            { value: 'booklet', label: 'Un carnet entier' },
            { value: 'serial', label: 'Un seul pass' },
          ]}
        />
        <TextField
          label={what === 'booklet' ? 'Numéro du carnet' : 'Numéro de série du pass'}
          type="number"
          inputMode="numeric"
          min={1}
          required
          value={number}
          onValue={setNumber}
          error={fields.booklet ?? fields.serial}
        />
        <TextField
          label="Référence du bénéficiaire (facultatif)"
          hint="Un numéro de dossier de votre structure, par exemple DIAG-2026-0142. Jamais de nom."
          value={ref}
          onValue={setRef}
          error={fields.beneficiaryRef}
        />
        <ErrorNotice error={give.error} />
        <button type="submit" class="button primary big block" disabled={give.busy || !chosen || !number}>
          Enregistrer la remise
        </button>
      </form>
      {result ? (
        <Notice tone="success" title="Remise enregistrée">
          <p>
            Carnet n° {result.booklet} : {formatCount(result.handedOut)} pass remis (
            {formatMoney(result.value)}).
          </p>
          <p>
            {result.leftStock
              ? 'Le carnet quitte votre stock.'
              : 'Le carnet reste dans votre stock avec ses pass non remis.'}
          </p>
        </Notice>
      ) : null}
    </Page>
  );
}
