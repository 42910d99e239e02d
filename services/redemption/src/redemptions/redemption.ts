import { AppError } from '@pass/errors';
import { Money } from '@pass/money';
import {
  CANCEL_REASON_LABELS,
  type CancelReason,
  lastAcceptedDate,
  serialLabel,
  type VoucherRefusal,
  type VoucherWithBatch,
} from '@pass/vouchers';
import { voucherRefusals } from '../shared/redemption-transitions';

/** Stable codes of a refused pass or basket (issue #6); clients branch on them, people read `message`. */
export const REFUSAL_CODES = [
  'unknown_code',
  'typo',
  'invalid_signature',
  'not_active',
  'cancelled',
  'expired',
  'not_yet_valid',
  'already_redeemed',
  'outside_territory',
  'service_not_allowed',
  'venue_not_accredited',
  'wrong_count',
  'duplicate_pass',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

/** The venue as a redemption needs it (registry.venues, read in SQL). */
export interface VenueTerms {
  id: string;
  name: string;
  associationId: string | null;
  accreditationStatus: string;
  inseeCode: string | null;
}

/** A catalogue service of the venue (registry.catalogue_services). */
export interface ServiceTerms {
  id: string;
  venueId: string;
  name: string;
  category: string;
  pricePasses: number;
  zeroRemainder: boolean;
  active: boolean;
}

/** Where and when a pass was used, shown only to the association that redeemed it. */
export interface UsedAt {
  redeemedAt: Date;
  venueId: string;
  venueName: string;
  associationId: string;
}

/** What one entry of the basket turned out to be, once parsed and looked up. */
export type PassReading =
  | { kind: 'unreadable'; refusal: 'typo' | 'invalid_signature'; cause: string }
  | { kind: 'duplicate' }
  | { kind: 'unknown' }
  | { kind: 'found'; voucher: VoucherWithBatch; usedAt?: UsedAt | undefined };

export interface PassRefusal {
  code: RefusalCode;
  /** French, for the agent's screen. */
  message: string;
  /** Only for already_redeemed at the caller's own association. */
  redeemedAt?: string;
  venueName?: string;
}

export interface PassVerdict {
  index: number;
  ok: boolean;
  /** Printed serial (lot-serial) of a pass that was found. */
  serial?: string;
  faceValue?: Money;
  refusals: PassRefusal[];
}

export type BasketVerdict =
  | { ok: true; vouchers: VoucherWithBatch[]; amount: Money; passes: PassVerdict[] }
  | { ok: false; code: RefusalCode; refusals: PassRefusal[]; passes: PassVerdict[] };

const PARIS_DATE_TIME = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  dateStyle: 'short',
  timeStyle: 'short',
});

/** French wording of a refusal, as the scanner screen shows it. */
export function refusalMessage(
  code: RefusalCode,
  facts: { expected?: number; got?: number; cancelReason?: string | null; usedAt?: UsedAt } = {},
): string {
  switch (code) {
    case 'unknown_code':
      return 'Code inconnu : vérifiez la saisie ou scannez le QR code.';
    case 'typo':
      return 'Erreur de saisie : la clé de contrôle ne correspond pas. Vérifiez le code.';
    case 'invalid_signature':
      return 'QR code non reconnu : ce pass n’a pas été émis par l’opérateur. Saisissez le code à la main.';
    case 'not_active':
      return 'Pass pas encore activé par son financeur.';
    case 'cancelled': {
      const label = facts.cancelReason ? CANCEL_REASON_LABELS[facts.cancelReason as CancelReason] : undefined;
      return label ? `Pass annulé (${label}).` : 'Pass annulé.';
    }
    case 'expired':
      return 'Pass expiré.';
    case 'not_yet_valid':
      return 'Pass pas encore valable.';
    case 'already_redeemed':
      return facts.usedAt
        ? `Pass déjà utilisé le ${PARIS_DATE_TIME.format(facts.usedAt.redeemedAt)} à ${facts.usedAt.venueName}.`
        : 'Pass déjà utilisé.';
    case 'outside_territory':
      return 'Pass non valable sur le territoire de ce lieu.';
    case 'service_not_allowed':
      return 'Ce service n’est pas couvert par ce pass.';
    case 'venue_not_accredited':
      return 'Ce lieu n’est pas habilité à accepter les pass.';
    case 'wrong_count':
      return `Ce service se paie avec ${facts.expected} pass : ${facts.got} présenté${(facts.got ?? 0) > 1 ? 's' : ''}.`;
    case 'duplicate_pass':
      return 'Ce pass figure deux fois dans le panier.';
    default: {
      const unknown: never = code;
      throw new Error(`unknown refusal code ${String(unknown)}`);
    }
  }
}

/** Maps a refusal of the vouchers package to our stable code. */
export function refusalOfVoucher(reason: VoucherRefusal): RefusalCode {
  switch (reason) {
    case 'cancelled':
    case 'expired':
    case 'not_yet_valid':
    case 'outside_territory':
    case 'already_redeemed':
      return reason;
    // A settled pass was redeemed earlier: the agent needs no other word for it.
    case 'already_settled':
      return 'already_redeemed';
    case 'batch_not_active':
      return 'not_active';
    case 'category_not_allowed':
      return 'service_not_allowed';
    default: {
      const unknown: never = reason;
      throw new Error(`unknown voucher refusal ${String(unknown)}`);
    }
  }
}

function refusal(code: RefusalCode, facts: Parameters<typeof refusalMessage>[1] = {}): PassRefusal {
  return { code, message: refusalMessage(code, facts) };
}

function alreadyRedeemed(usedAt: UsedAt | undefined, callerAssociationId: string): PassRefusal {
  // Date and venue are the redeeming association's business; anyone else only learns the pass was used.
  if (!usedAt || usedAt.associationId !== callerAssociationId) return refusal('already_redeemed');
  return {
    ...refusal('already_redeemed', { usedAt }),
    redeemedAt: usedAt.redeemedAt.toISOString(),
    venueName: usedAt.venueName,
  };
}

/** The refusals of one pass at this venue, for this service, now. */
export function evaluatePass(
  reading: PassReading,
  index: number,
  terms: {
    venue: VenueTerms;
    service: ServiceTerms;
    now: Date;
    timeZone: string;
    callerAssociationId: string;
  },
): PassVerdict {
  switch (reading.kind) {
    case 'unreadable':
      return { index, ok: false, refusals: [refusal(reading.refusal)] };
    case 'duplicate':
      return { index, ok: false, refusals: [refusal('duplicate_pass')] };
    case 'unknown':
      return { index, ok: false, refusals: [refusal('unknown_code')] };
    case 'found': {
      const { voucher } = reading;
      const reasons = voucherRefusals(
        voucher,
        terms.now,
        { venueInseeCode: terms.venue.inseeCode, serviceCategory: terms.service.category },
        terms.timeZone,
      );
      const refusals = reasons.map((reason) => {
        const code = refusalOfVoucher(reason);
        if (code === 'already_redeemed') return alreadyRedeemed(reading.usedAt, terms.callerAssociationId);
        return refusal(code, { cancelReason: voucher.statusReason });
      });
      return {
        index,
        ok: refusals.length === 0,
        serial: serialLabel(voucher.batch.number, voucher.serial),
        faceValue: Money.fromCents(voucher.batch.faceValueCents, voucher.batch.currency),
        refusals,
      };
    }
    default: {
      const unknown: never = reading;
      throw new Error(`unknown reading ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * Every check of DESIGN §3 on a basket: the venue is accredited, the basket holds exactly the service's
 * price in passes, and each pass is authentic, known, active, inside its validity, not cancelled, not used,
 * valid in the venue's territory and for the service's category. All or nothing: one refusal refuses the
 * basket. The basket's code is the venue's, then the count's, then the first refused pass's.
 */
export function evaluateBasket(input: {
  venue: VenueTerms;
  service: ServiceTerms;
  readings: readonly PassReading[];
  now: Date;
  timeZone: string;
  callerAssociationId: string;
}): BasketVerdict {
  const { venue, service, readings } = input;
  const passes = readings.map((reading, index) => evaluatePass(reading, index, input));
  const refusals: PassRefusal[] = [];
  if (venue.accreditationStatus !== 'accredited' || !venue.associationId) {
    refusals.push(refusal('venue_not_accredited'));
  }
  if (readings.length !== service.pricePasses) {
    refusals.push(refusal('wrong_count', { expected: service.pricePasses, got: readings.length }));
  }
  const firstRefusedPass = passes.find((pass) => !pass.ok);
  const code = refusals[0]?.code ?? firstRefusedPass?.refusals[0]?.code;
  if (code) return { ok: false, code, refusals, passes };
  const vouchers = readings.map((reading) => (reading as Extract<PassReading, { kind: 'found' }>).voucher);
  const amount = Money.sum(
    vouchers.map((voucher) => Money.fromCents(voucher.batch.faceValueCents, voucher.batch.currency)),
  );
  return { ok: true, vouchers, amount, passes };
}

/** What the beneficiary still owes beyond the passes: nothing, or an amount to agree with the venue. */
export interface Remainder {
  kind: 'zero' | 'to_agree_with_venue';
  message: string;
}

/** The catalogue says whether the passes pay the whole service; when not, the venue sets the rest itself. */
export function remainderOf(service: Pick<ServiceTerms, 'zeroRemainder'>): Remainder {
  return service.zeroRemainder
    ? { kind: 'zero', message: 'Rien à payer en plus des pass.' }
    : { kind: 'to_agree_with_venue', message: 'Un reste à charge éventuel est à convenir avec le lieu.' };
}

/** Ledger lines of a redemption: one debit per funder of the basket (its passes' face values), one credit. */
export function fundersShare(vouchers: readonly VoucherWithBatch[]): Map<string, bigint> {
  const byFunder = new Map<string, bigint>();
  for (const voucher of vouchers) {
    const { funderId, faceValueCents } = voucher.batch;
    byFunder.set(funderId, (byFunder.get(funderId) ?? 0n) + faceValueCents);
  }
  // Sorted so the same basket always posts the same lines (stable ledger content, stable tests).
  return new Map([...byFunder].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Until when a redemption can be undone. */
export function undoDeadline(redeemedAt: Date, undoWindowHours: number): Date {
  return new Date(redeemedAt.getTime() + undoWindowHours * 3_600_000);
}

/** Why an undo is refused. */
export type UndoRefusal = 'already_undone' | 'undo_window_expired' | 'undo_not_allowed';

/** Who may undo what, and until when: the redeeming venue or an operator, inside the window, once. */
export function checkUndo(
  redemption: { status: 'live' | 'undone'; venueId: string; redeemedAt: Date },
  actor: { operator: boolean; venueId: string | undefined },
  now: Date,
  undoWindowHours: number,
): { ok: true } | { ok: false; reason: UndoRefusal } {
  if (!actor.operator && actor.venueId !== redemption.venueId)
    return { ok: false, reason: 'undo_not_allowed' };
  if (redemption.status === 'undone') return { ok: false, reason: 'already_undone' };
  if (now.getTime() > undoDeadline(redemption.redeemedAt, undoWindowHours).getTime()) {
    return { ok: false, reason: 'undo_window_expired' };
  }
  return { ok: true };
}

/** French wording of an undo refusal. */
export function undoRefusalMessage(reason: UndoRefusal | 'already_settled'): string {
  switch (reason) {
    case 'already_undone':
      return 'Cet encaissement a déjà été annulé.';
    case 'undo_window_expired':
      return 'Le délai d’annulation est dépassé.';
    case 'undo_not_allowed':
      return 'Seul le lieu qui a encaissé, ou l’opérateur, peut annuler.';
    case 'already_settled':
      return 'Cet encaissement a déjà été réglé à l’association : il ne peut plus être annulé.';
    default: {
      const unknown: never = reason;
      throw new Error(`unknown undo refusal ${String(unknown)}`);
    }
  }
}

/** A refused basket: 422 with the stable code, the basket's refusals and every pass's verdict. */
export class RedemptionRefusedError extends AppError {
  readonly verdict: Extract<BasketVerdict, { ok: false }>;
  constructor(verdict: Extract<BasketVerdict, { ok: false }>) {
    super(422, verdict.code, `The redemption is refused: ${verdict.code}.`, {
      details: {
        message: (verdict.refusals[0] ?? verdict.passes.find((p) => !p.ok)?.refusals[0])?.message,
        refusals: verdict.refusals,
        passes: verdict.passes.map(passToJson),
      },
    });
    this.verdict = verdict;
  }
}

/** JSON of a pass verdict (Money as its JSON form). */
export function passToJson(pass: PassVerdict) {
  return {
    index: pass.index,
    ok: pass.ok,
    ...(pass.serial ? { serial: pass.serial } : {}),
    ...(pass.faceValue ? { faceValue: pass.faceValue.toJSON() } : {}),
    refusals: pass.refusals,
  };
}

/** The last date a pass is accepted, for the check answer. */
export function acceptedUntil(voucher: VoucherWithBatch): string {
  return lastAcceptedDate(voucher.batch);
}
