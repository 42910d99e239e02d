import { useEffect, useState } from 'preact/hooks';
import {
  type BatchRequest,
  createBatch,
  type Quote,
  quoteBatch,
  type Territory,
} from '../../api/issuance-api';
import { fieldErrorsOf } from '../../api/error-messages';
import { listServiceCategories } from '../../api/public-api';
import { SelectField, TextAreaField, TextField } from '../../components/field';
import { ErrorNotice } from '../../components/notice';
import { Page } from '../../components/page';
import { TerritoryPicker } from '../../components/territory-picker';
import { formatCount, formatMoney, formatPercent, parisDate } from '../../lib/format';
import { navigate } from '../../lib/router';
import { asApiError, useAction, useApi } from '../../lib/use-api';

function endOfYear(): string {
  return `${parisDate().slice(0, 4)}-12-31`;
}

/** The order form: terms, territory, services, printed wording, with a live quote before creating the draft. */
export function NewOrderPage() {
  const categories = useApi((signal) => listServiceCategories(signal), []);
  const [bookletSize, setBookletSize] = useState<'5' | '10'>('10');
  const [bookletCount, setBookletCount] = useState('10');
  const [validFrom, setValidFrom] = useState(parisDate());
  const [validUntil, setValidUntil] = useState(endOfYear());
  const [tolerance, setTolerance] = useState('30');
  const [territory, setTerritory] = useState<Territory>({ departements: [], communes: [] });
  const [serviceCategories, setServiceCategories] = useState<string[]>([]);
  const [wording, setWording] = useState('');
  const [quote, setQuote] = useState<Quote | undefined>(undefined);
  const [quoteError, setQuoteError] = useState<string | undefined>(undefined);

  const request: BatchRequest = {
    bookletSize: bookletSize === '5' ? 5 : 10,
    bookletCount: Number.parseInt(bookletCount, 10) || 0,
    validFrom,
    validUntil,
    toleranceDays: Number.parseInt(tolerance, 10) || 0,
    territory,
    serviceCategories,
    wording: wording.trim() || 'Pass numérique',
  };
  const requestKey = JSON.stringify(request);

  // A fresh quote whenever the order changes (after a short pause), so the price is never a surprise.
  // requestKey stands for the whole request in the dependencies.
  useEffect(() => {
    if (request.bookletCount < 1) {
      setQuote(undefined);
      return;
    }
    let cancelled = false;
    const timer = setTimeout(() => {
      quoteBatch(request)
        .then((q) => {
          if (!cancelled) {
            setQuote(q);
            setQuoteError(undefined);
          }
        })
        .catch((err) => {
          if (!cancelled) {
            setQuote(undefined);
            setQuoteError(asApiError(err).message);
          }
        });
    }, 300);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [requestKey]);

  const create = useAction(async () => {
    const batch = await createBatch({ ...request, wording: wording.trim() });
    navigate(`/financeur/commandes/${batch.id}`);
  });
  const fields = create.error ? fieldErrorsOf(create.error.problem) : {};

  return (
    <Page
      title="Nouvelle commande"
      intro="Commandez des carnets de Pass numérique. La commande reste un brouillon tant que vous ne l’avez pas confirmée."
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          create.run();
        }}
      >
        <div class="card">
          <h2>Carnets</h2>
          <div class="grid grid-2">
            <SelectField
              label="Pass par carnet"
              value={bookletSize}
              onValue={(v) => setBookletSize(v as '5' | '10')}
              options={[
                { value: '5', label: '5 pass (50 €)' },
                { value: '10', label: '10 pass (100 €)' },
              ]}
              error={fields.bookletSize}
            />
            <TextField
              label="Nombre de carnets"
              type="number"
              inputMode="numeric"
              min={1}
              required
              value={bookletCount}
              onValue={setBookletCount}
              hint={`${formatCount(request.bookletCount * request.bookletSize)} pass de 10 €`}
              error={fields.bookletCount}
            />
          </div>
        </div>
        <div class="card">
          <h2>Validité</h2>
          <div class="grid grid-2">
            <TextField
              label="Valable à partir du"
              type="date"
              required
              value={validFrom}
              onValue={setValidFrom}
              error={fields.validFrom}
            />
            <TextField
              label="Valable jusqu’au"
              type="date"
              required
              value={validUntil}
              onValue={setValidUntil}
              error={fields.validUntil}
            />
            <TextField
              label="Tolérance après la fin (jours)"
              type="number"
              inputMode="numeric"
              min={0}
              max={366}
              value={tolerance}
              onValue={setTolerance}
              hint="Les pass restent acceptés ce nombre de jours après la date de fin (30 par défaut)."
              error={fields.toleranceDays}
            />
          </div>
        </div>
        <div class="card">
          <h2>Restrictions</h2>
          <TerritoryPicker value={territory} onChange={setTerritory} />
          <fieldset>
            <legend>Services financés</legend>
            <p class="hint">Sans case cochée, tous les services des lieux habilités sont acceptés.</p>
            <div class="checks">
              {(categories.data?.items ?? []).map((category) => (
                <label key={category.slug} class="check">
                  <input
                    type="checkbox"
                    checked={serviceCategories.includes(category.slug)}
                    onChange={(e) =>
                      setServiceCategories(
                        (e.currentTarget as HTMLInputElement).checked
                          ? [...serviceCategories, category.slug]
                          : serviceCategories.filter((s) => s !== category.slug),
                      )
                    }
                  />
                  {category.label}
                </label>
              ))}
            </div>
            <ErrorNotice error={categories.error} what="Catégories de services" />
          </fieldset>
        </div>
        <div class="card">
          <h2>Texte imprimé</h2>
          <TextAreaField
            label="Texte de la couverture des carnets"
            required
            value={wording}
            onValue={setWording}
            hint="Par exemple : « Offert par le Département de l’Ardèche — à utiliser dans les lieux habilités »."
            error={fields.wording}
          />
        </div>
        <section class="card" aria-labelledby="quote-title" aria-live="polite">
          <h2 id="quote-title">Devis</h2>
          {quote ? (
            <dl class="facts">
              <dt>Pass</dt>
              <dd>
                {formatCount(quote.voucherCount)} × {formatMoney(quote.faceValue)}
              </dd>
              <dt>Valeur faciale</dt>
              <dd>{formatMoney(quote.faceTotal)}</dd>
              <dt>Frais de gestion ({formatPercent(quote.upstreamFeeRate)} HT)</dt>
              <dd>{formatMoney(quote.upstreamFee)}</dd>
              <dt>TVA sur les frais ({formatPercent(quote.vatRate)})</dt>
              <dd>{formatMoney(quote.vat)}</dd>
              <dt>Total à payer</dt>
              <dd>
                <strong>{formatMoney(quote.total)}</strong>
              </dd>
            </dl>
          ) : (
            <p class="hint">{quoteError ?? 'Le devis s’affiche dès que la commande est complète.'}</p>
          )}
        </section>
        <ErrorNotice error={create.error} what="Commande" />
        <button
          type="submit"
          class="button primary big"
          disabled={create.busy || !wording.trim()}
          aria-busy={create.busy}
        >
          {create.busy ? 'Enregistrement…' : 'Enregistrer le brouillon de commande'}
        </button>
      </form>
    </Page>
  );
}
