import { useState } from 'preact/hooks';
import { myStock, returnStock, type StockMove } from '../../api/issuance-api';
import { SelectField, TextField } from '../../components/field';
import { ErrorNotice, Notice } from '../../components/notice';
import { Page } from '../../components/page';
import { formatCount } from '../../lib/format';
import { useAction, useApi } from '../../lib/use-api';

/** Give unused booklets back to the funder. */
export function ReturnPage() {
  const stock = useApi((signal) => myStock(signal), []);
  const [batchId, setBatchId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [result, setResult] = useState<StockMove | undefined>(undefined);
  const batches = stock.data?.batches ?? [];
  const chosen = batchId || batches[0]?.batchId || '';
  const back = useAction(async () => {
    setResult(
      await returnStock(chosen, {
        fromBooklet: Number.parseInt(from, 10),
        toBooklet: Number.parseInt(to || from, 10),
      }),
    );
    stock.reload();
  });
  return (
    <Page
      title="Retourner des carnets"
      intro="Les carnets de votre stock reviennent au financeur. Un carnet entamé revient avec ses seuls pass non remis ; un carnet remis en entier n’est plus dans votre stock."
    >
      <ErrorNotice error={stock.error} what="Stock" />
      <form
        class="card narrow"
        onSubmit={(event) => {
          event.preventDefault();
          setResult(undefined);
          back.run();
        }}
      >
        <SelectField
          label="Commande"
          value={chosen}
          onValue={setBatchId}
          options={batches.map((b) => ({
            value: b.batchId,
            label: `${b.reference} — carnets ${b.ranges.map((r) => (r.from === r.to ? r.from : `${r.from} à ${r.to}`)).join(', ')}`,
          }))}
        />
        <TextField label="Du carnet n°" type="number" min={1} required value={from} onValue={setFrom} />
        <TextField
          label="Au carnet n°"
          type="number"
          min={1}
          value={to}
          onValue={setTo}
          hint="Laissez vide pour un seul carnet."
        />
        <ErrorNotice error={back.error} />
        <button type="submit" class="button primary big block" disabled={back.busy || !chosen || !from}>
          Retourner au financeur
        </button>
      </form>
      {result ? (
        <Notice tone="success" title="Retour enregistré">
          <p>
            {formatCount(result.booklets)} carnet{result.booklets > 1 ? 's' : ''} (
            {formatCount(result.passes)} pass) rendu{result.booklets > 1 ? 's' : ''} au financeur.
          </p>
        </Notice>
      ) : null}
    </Page>
  );
}
