import { useState } from 'preact/hooks';
import { checkPass, type PassCheck, type PublicPassStatus } from '../../api/public-api';
import { CodeInput } from '../../components/code-input';
import { TextField } from '../../components/field';
import { Link } from '../../components/link';
import { ErrorNotice, Notice, type Tone } from '../../components/notice';
import { Page } from '../../components/page';
import { formatDate, formatMoney } from '../../lib/format';
import { formatDistance } from '../../lib/distance';
import { useAction } from '../../lib/use-api';
import { codeFeedback } from '../../lib/voucher-input';

const TONES: Readonly<Record<PublicPassStatus, Tone>> = {
  usable: 'success',
  not_yet_active: 'warning',
  not_yet_valid: 'warning',
  used: 'error',
  cancelled: 'error',
  expired: 'error',
};

/** A beneficiary (no account) checks whether a pass is genuine and usable, and where to use it. */
export function CheckPassPage() {
  const [code, setCode] = useState('');
  const [postcode, setPostcode] = useState('');
  const [result, setResult] = useState<PassCheck | undefined>(undefined);
  const feedback = codeFeedback(code);
  const { run, busy, error } = useAction(async () => {
    setResult(undefined);
    setResult(await checkPass(feedback.code ?? code, /^\d{5}$/.test(postcode) ? postcode : undefined));
  });
  const tone: Tone = result?.pass ? TONES[result.pass.status] : 'error';
  return (
    <Page
      title="Vérifier un pass"
      intro="Saisissez le code imprimé sous le QR code de votre pass. Aucun compte n’est nécessaire."
    >
      <form
        class="card narrow"
        onSubmit={(event) => {
          event.preventDefault();
          if (feedback.state === 'valid') run();
        }}
      >
        <CodeInput value={code} onValue={setCode} />
        <TextField
          label="Votre code postal (facultatif)"
          hint="Pour vous indiquer des lieux habilités près de chez vous."
          value={postcode}
          onValue={setPostcode}
          inputMode="numeric"
          autoComplete="postal-code"
          maxLength={5}
        />
        <button
          type="submit"
          class="button primary block"
          disabled={feedback.state !== 'valid' || busy}
          aria-busy={busy}
        >
          {busy ? 'Vérification…' : 'Vérifier'}
        </button>
      </form>
      <ErrorNotice error={error} what="Vérification d’un pass" />
      {result ? (
        <Notice tone={tone} title={result.message}>
          {result.pass ? (
            <dl class="facts">
              <dt>Valeur</dt>
              <dd>{formatMoney(result.pass.value)}</dd>
              <dt>Valable</dt>
              <dd>
                du {formatDate(result.pass.validFrom)} au {formatDate(result.pass.validUntil)}
                {result.pass.acceptedUntil !== result.pass.validUntil
                  ? ` (accepté jusqu’au ${formatDate(result.pass.acceptedUntil)})`
                  : ''}
              </dd>
              {result.pass.funder ? (
                <>
                  <dt>Financé par</dt>
                  <dd>{result.pass.funder}</dd>
                </>
              ) : null}
              <dt>Territoire</dt>
              <dd>{result.pass.territory}</dd>
              {result.pass.serviceCategories.length > 0 ? (
                <>
                  <dt>Pour</dt>
                  <dd>{result.pass.serviceCategories.join(', ')}</dd>
                </>
              ) : null}
            </dl>
          ) : null}
        </Notice>
      ) : null}
      {result && result.venues.length > 0 ? (
        <>
          <h2>Lieux habilités près de chez vous</h2>
          <ul class="venue-list">
            {result.venues.map((venue) => (
              <li key={venue.id} class="venue-card">
                <h3>{venue.name}</h3>
                <p>
                  {[venue.street, [venue.postcode, venue.commune].filter(Boolean).join(' ')]
                    .filter(Boolean)
                    .join(', ')}
                </p>
                {venue.distanceKm !== null ? (
                  <p class="distance">À {formatDistance(venue.distanceKm)}</p>
                ) : null}
                {venue.openingHours ? <p>Horaires : {venue.openingHours}</p> : null}
                {venue.phone ? <p>Téléphone : {venue.phone}</p> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {result?.pass?.status === 'usable' && result.venues.length === 0 ? (
        <p>
          <Link href="/lieux">Trouver un lieu où l’utiliser</Link>
        </p>
      ) : null}
    </Page>
  );
}
