import { useEffect, useRef, useState } from 'preact/hooks';
import { newIdempotencyKey } from '../../api/api-client';
import type { ApiError } from '../../api/problem';
import {
  checkBasket,
  type PassRefusal,
  type Redemption,
  redeem,
  undoRedemption,
} from '../../api/redemption-api';
import { type CatalogueItem, listCatalogue } from '../../api/registry-api';
import { CameraScanner } from '../../components/camera-scanner';
import { CodeInput } from '../../components/code-input';
import { Link } from '../../components/link';
import { ErrorNotice, Loading, Notice } from '../../components/notice';
import { Page } from '../../components/page';
import { formatDuration, formatMoney, formatTime } from '../../lib/format';
import { asApiError, useApi, useSession } from '../../lib/use-api';
import { codeFeedback, codeInPayload, groupCode, looksLikePayload } from '../../lib/voucher-input';

interface BasketItem {
  /** What goes to the API: the QR payload as scanned, or the canonical typed code. */
  value: string;
  /** Canonical code, to spot the same pass twice. */
  code: string;
  source: 'qr' | 'typed';
}

type Phase =
  | { kind: 'basket' }
  | { kind: 'sending' }
  | { kind: 'success'; redemption: Redemption }
  | { kind: 'refused'; error: ApiError }
  | { kind: 'pass-refused'; code: string; refusals: PassRefusal[] };

/**
 * The venue scanner, phone first: pick the service, fill a basket of N passes by camera or by hand, send
 * it once (all passes or none), then a full-screen answer in plain French, with undo while it is allowed.
 */
export function ScannerPage() {
  const session = useSession();
  const venueId = session?.user.venueId ?? undefined;
  const catalogue = useApi(
    (signal) => (venueId ? listCatalogue(venueId, signal) : Promise.resolve({ items: [] })),
    [venueId],
  );
  const services = (catalogue.data?.items ?? []).filter((item) => item.active);

  const [service, setService] = useState<CatalogueItem | undefined>(undefined);
  const [choosing, setChoosing] = useState(false);
  const [basket, setBasket] = useState<BasketItem[]>([]);
  const [mode, setMode] = useState<'camera' | 'typing'>('camera');
  const [typed, setTyped] = useState('');
  const [message, setMessage] = useState<{ tone: 'info' | 'warning'; text: string } | undefined>(undefined);
  const [phase, setPhase] = useState<Phase>({ kind: 'basket' });
  // One key per attempt: a retry after a lost answer reuses it, so the server redeems at most once.
  const attemptKey = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (!service && services.length === 1) setService(services[0]);
  }, [services, service]);

  if (!venueId) {
    return (
      <Page title="Valider des pass">
        <Notice tone="warning">
          Ce compte n’est rattaché à aucun lieu : demandez à l’opérateur de le rattacher.
        </Notice>
      </Page>
    );
  }

  const needed = service?.pricePasses ?? 1;
  const full = basket.length >= needed;

  function add(value: string, source: 'qr' | 'typed'): boolean {
    const code = source === 'qr' ? codeInPayload(value) : codeFeedback(value).code;
    if (!code) {
      setMessage({
        tone: 'warning',
        text:
          source === 'qr'
            ? 'Ce QR code n’est pas celui d’un Pass numérique.'
            : 'Le code saisi n’est pas complet ou contient une faute.',
      });
      return false;
    }
    if (basket.some((item) => item.code === code)) {
      setMessage({ tone: 'warning', text: 'Ce pass est déjà dans le panier.' });
      return false;
    }
    if (full) {
      setMessage({ tone: 'warning', text: `Le panier est complet : ce service demande ${needed} pass.` });
      return false;
    }
    attemptKey.current = undefined;
    const item: BasketItem = { value: source === 'qr' ? value.trim() : code, code, source };
    const next = [...basket, item];
    setBasket(next);
    setMessage({ tone: 'info', text: `Pass ${groupCode(code)} ajouté.` });
    if (service) precheck(service.id, next, item);
    return true;
  }

  // Looks the basket up at once, so a pass that cannot be used (already used, expired…) is refused right
  // after its scan rather than when the whole basket is sent. Without network, the final send decides.
  async function precheck(serviceId: string, items: BasketItem[], added: BasketItem) {
    try {
      const verdict = await checkBasket({ catalogueServiceId: serviceId, codes: items.map((i) => i.value) });
      const index = items.indexOf(added);
      const pass = verdict.passes.find((p) => p.index === index);
      if (pass && !pass.ok && pass.refusals.length > 0) {
        setBasket((current) => current.filter((i) => i.code !== added.code));
        setPhase({ kind: 'pass-refused', code: added.code, refusals: pass.refusals });
      }
    } catch {
      // No verdict (offline, or the check is unavailable): the pass stays in the basket.
    }
  }

  function onScan(text: string) {
    if (phase.kind !== 'basket') return;
    if (!looksLikePayload(text)) {
      setMessage({ tone: 'warning', text: 'Ce QR code n’est pas celui d’un Pass numérique.' });
      return;
    }
    add(text, 'qr');
  }

  async function send() {
    if (!service || !venueId) return;
    attemptKey.current ??= newIdempotencyKey();
    setPhase({ kind: 'sending' });
    try {
      const redemption = await redeem(
        { catalogueServiceId: service.id, codes: basket.map((item) => item.value) },
        attemptKey.current,
      );
      attemptKey.current = undefined;
      setPhase({ kind: 'success', redemption });
    } catch (err) {
      const error = asApiError(err);
      // A network failure keeps the key: « Réessayer » sends the very same attempt again.
      if (error.code !== 'network_error') attemptKey.current = undefined;
      setPhase({ kind: 'refused', error });
    }
  }

  function nextCustomer() {
    setBasket([]);
    setTyped('');
    setMessage(undefined);
    attemptKey.current = undefined;
    setPhase({ kind: 'basket' });
  }

  if (phase.kind === 'success') {
    return <SuccessScreen redemption={phase.redemption} service={service} onNext={nextCustomer} />;
  }
  if (phase.kind === 'pass-refused') {
    return (
      <PassRefusedScreen
        code={phase.code}
        refusals={phase.refusals}
        onBack={() => {
          setMessage(undefined);
          setPhase({ kind: 'basket' });
        }}
        onNext={nextCustomer}
      />
    );
  }
  if (phase.kind === 'refused') {
    return (
      <RefusalScreen
        error={phase.error}
        onRetry={phase.error.code === 'network_error' ? send : undefined}
        onBack={() => setPhase({ kind: 'basket' })}
        onNext={nextCustomer}
      />
    );
  }

  return (
    <Page title="Valider des pass">
      {catalogue.loading && !catalogue.data ? <Loading label="Chargement des services…" /> : null}
      <ErrorNotice error={catalogue.error} what="Catalogue" />
      {catalogue.data && services.length === 0 ? (
        <Notice tone="warning">
          Aucun service n’est ouvert au Pass numérique dans le catalogue de ce lieu. Le trésorier de
          l’association peut en ajouter.
        </Notice>
      ) : null}

      {service && !choosing ? (
        <div class="chosen-service">
          <p>
            Service : <strong>{service.name}</strong> — {service.pricePasses} pass
            {service.zeroRemainder ? '' : ' + reste à charge'}
          </p>
          {services.length > 1 ? (
            <button type="button" class="button secondary small" onClick={() => setChoosing(true)}>
              Changer de service
            </button>
          ) : null}
        </div>
      ) : services.length > 0 ? (
        <fieldset class="service-choice">
          <legend>Service rendu</legend>
          {services.map((item) => (
            <label key={item.id} class={service?.id === item.id ? 'choice selected' : 'choice'}>
              <input
                type="radio"
                name="service"
                value={item.id}
                checked={service?.id === item.id}
                onChange={() => {
                  setService(item);
                  setChoosing(false);
                  attemptKey.current = undefined;
                  if (basket.length > item.pricePasses) setBasket(basket.slice(0, item.pricePasses));
                }}
              />
              <span class="choice-name">{item.name}</span>
              <span class="choice-price">
                {item.pricePasses} pass
                {item.zeroRemainder ? '' : ' + reste à charge'}
              </span>
            </label>
          ))}
        </fieldset>
      ) : null}

      {service && !choosing ? (
        <>
          <fieldset class="mode-switch">
            <legend class="visually-hidden">Façon de lire le pass</legend>
            <button
              type="button"
              class={mode === 'camera' ? 'button big toggle on' : 'button big toggle'}
              aria-pressed={mode === 'camera'}
              onClick={() => setMode('camera')}
            >
              Caméra
            </button>
            <button
              type="button"
              class={mode === 'typing' ? 'button big toggle on' : 'button big toggle'}
              aria-pressed={mode === 'typing'}
              onClick={() => setMode('typing')}
            >
              Saisir le code
            </button>
          </fieldset>

          {mode === 'camera' ? (
            <CameraScanner onPayload={onScan} paused={full || phase.kind !== 'basket'} />
          ) : (
            <form
              class="typing"
              onSubmit={(event) => {
                event.preventDefault();
                if (add(typed, 'typed')) setTyped('');
              }}
            >
              <CodeInput value={typed} onValue={setTyped} autoFocus />
              <button
                type="submit"
                class="button big secondary block"
                disabled={codeFeedback(typed).state !== 'valid' || full}
              >
                Ajouter ce pass
              </button>
            </form>
          )}

          {message ? (
            <p class={`scan-message scan-${message.tone}`} role="status">
              {message.text}
            </p>
          ) : null}

          <section class="basket" aria-labelledby="basket-title">
            <h2 id="basket-title">
              Panier : {basket.length} / {needed} pass
            </h2>
            {basket.length === 0 ? <p class="hint">Aucun pass pour l’instant.</p> : null}
            <ul>
              {basket.map((item) => (
                <li key={item.code}>
                  <span class="code-display">{groupCode(item.code)}</span>
                  <span class="hint">{item.source === 'qr' ? 'QR code' : 'saisi'}</span>
                  <button
                    type="button"
                    class="button secondary small"
                    aria-label={`Retirer le pass ${groupCode(item.code)}`}
                    onClick={() => {
                      attemptKey.current = undefined;
                      setBasket(basket.filter((other) => other.code !== item.code));
                    }}
                  >
                    Retirer
                  </button>
                </li>
              ))}
            </ul>
          </section>

          <div class="sticky-actions">
            <button
              type="button"
              class="button primary huge block"
              disabled={!full || phase.kind === 'sending'}
              aria-busy={phase.kind === 'sending'}
              onClick={send}
            >
              {phase.kind === 'sending'
                ? 'Validation…'
                : full
                  ? `Valider ${needed} pass pour « ${service.name} »`
                  : `Encore ${needed - basket.length} pass à lire`}
            </button>
          </div>
        </>
      ) : null}
      <p>
        <Link href="/lieu/aujourdhui">Voir les validations du jour</Link>
      </p>
    </Page>
  );
}

function SuccessScreen(props: {
  redemption: Redemption;
  service: CatalogueItem | undefined;
  onNext: () => void;
}) {
  const { redemption } = props;
  const [undone, setUndone] = useState(false);
  const [undoError, setUndoError] = useState<ApiError | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const undoKey = useRef(newIdempotencyKey());
  const left = useCountdown(new Date(redemption.undoDeadline).getTime());
  const title = undone
    ? 'Validation annulée'
    : redemption.passCount > 1
      ? `${redemption.passCount} pass acceptés`
      : 'Pass accepté';
  return (
    <Page title={title}>
      <div class={undone ? 'outcome outcome-neutral' : 'outcome outcome-success'} role="status">
        <span class="outcome-icon" aria-hidden="true">
          {undone ? '↩' : '✓'}
        </span>
        <p class="outcome-text">
          {undone
            ? 'Les pass sont de nouveau utilisables.'
            : `${redemption.service.name ?? props.service?.name ?? 'Service'} — ${formatMoney(redemption.paid)} versés à l’association.`}
        </p>
        {!undone && redemption.remainder ? (
          <p class="outcome-detail">{redemption.remainder.message}</p>
        ) : null}
        <p class="outcome-detail">
          Enregistré à {formatTime(redemption.redeemedAt)}
          {redemption.serials.length > 0 ? ` — pass n° ${redemption.serials.join(', ')}` : ''}.
        </p>
      </div>
      <button type="button" class="button primary huge block" onClick={props.onNext}>
        Passage suivant
      </button>
      {!undone && left > 0 ? (
        <div class="undo">
          <button
            type="button"
            class="button danger block"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              setUndoError(undefined);
              try {
                await undoRedemption(redemption.id, undoKey.current);
                setUndone(true);
              } catch (err) {
                setUndoError(asApiError(err));
              } finally {
                setBusy(false);
              }
            }}
          >
            Annuler cette validation
          </button>
          <p class="hint">
            Possible encore {formatDuration(left)}, tant que le remboursement n’est pas fait.
          </p>
          <ErrorNotice error={undoError} />
        </div>
      ) : null}
    </Page>
  );
}

function PassRefusedScreen(props: {
  code: string;
  refusals: PassRefusal[];
  onBack: () => void;
  onNext: () => void;
}) {
  return (
    <Page title="Pass refusé">
      <div class="outcome outcome-refused" role="alert">
        <span class="outcome-icon" aria-hidden="true">
          ✗
        </span>
        {props.refusals.map((refusal) => (
          <p key={refusal.code} class="outcome-text">
            {refusal.message}
          </p>
        ))}
        <p class="outcome-detail">
          Pass <span class="code-display">{groupCode(props.code)}</span> retiré du panier. Rien n’a été
          débité.
        </p>
      </div>
      <button type="button" class="button primary huge block" onClick={props.onNext}>
        Passage suivant
      </button>
      <button type="button" class="button secondary big block" onClick={props.onBack}>
        Revenir au panier
      </button>
    </Page>
  );
}

function RefusalScreen(props: {
  error: ApiError;
  onRetry?: () => void;
  onBack: () => void;
  onNext: () => void;
}) {
  const offline = props.error.code === 'network_error';
  if (props.error.notAvailableYet) {
    return (
      <Page title="Bientôt disponible">
        <ErrorNotice error={props.error} what="La validation des pass" />
        <button type="button" class="button primary huge block" onClick={props.onBack}>
          Revenir au panier
        </button>
      </Page>
    );
  }
  return (
    <Page title={offline ? 'Pas de connexion' : 'Pass refusé'}>
      <div class="outcome outcome-refused" role="alert">
        <span class="outcome-icon" aria-hidden="true">
          ✗
        </span>
        <p class="outcome-text">{props.error.message}</p>
        {refusedVoucherHint(props.error)}
        {offline ? (
          <p class="outcome-detail">Rien n’a été validé. Réessayez : la même demande sera renvoyée.</p>
        ) : null}
      </div>
      {props.onRetry ? (
        <button type="button" class="button primary huge block" onClick={props.onRetry}>
          Réessayer
        </button>
      ) : null}
      <button
        type="button"
        class={props.onRetry ? 'button secondary big block' : 'button primary huge block'}
        onClick={props.onNext}
      >
        Passage suivant
      </button>
      <button type="button" class="button secondary big block" onClick={props.onBack}>
        Revenir au panier
      </button>
    </Page>
  );
}

// Which passes of the basket were refused, and why (the basket is all or nothing: none was debited).
function refusedVoucherHint(error: ApiError) {
  const passes = (
    error.problem as { passes?: { index: number; ok: boolean; serial?: string; refusals: PassRefusal[] }[] }
  ).passes;
  const refused = (passes ?? []).filter((p) => !p.ok);
  if (refused.length === 0)
    return error.status === 422 ? <p class="outcome-detail">Aucun pass n’a été débité.</p> : null;
  return (
    <>
      <ul class="outcome-detail refused-list">
        {refused.map((p) => (
          <li key={p.index}>
            Pass n° {p.index + 1} du panier{p.serial ? ` (${p.serial})` : ''} :{' '}
            {p.refusals.map((r) => r.message).join(' ')}
          </li>
        ))}
      </ul>
      <p class="outcome-detail">Aucun pass n’a été débité.</p>
    </>
  );
}

function useCountdown(deadline: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return Math.max(0, deadline - now);
}
