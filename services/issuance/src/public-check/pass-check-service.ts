import type { AppContext } from '@pass/http';
import { Money, type MoneyJson } from '@pass/money';
import {
  readVoucherInput,
  type VoucherInputRefusal,
  voucherLookupHash,
  type VoucherKeyring,
} from '@pass/voucher-code';
import {
  checkVoucherUsable,
  displayState,
  findVoucherByLookupHash,
  lastAcceptedDate,
  type VoucherWithBatch,
} from '@pass/vouchers';
import { organisationNames } from '../batches/funder-directory';
import { territoryLabel } from '../printing/booklet-batch-info';
import { type CheckLocation, type NearbyVenue, nearbyVenues } from './nearby-venues';
import { buildVoucherKeyring } from './voucher-keyring';

/** What a genuine pass can be, as a beneficiary understands it. */
export type PublicPassStatus =
  | 'usable'
  | 'not_yet_active'
  | 'not_yet_valid'
  | 'used'
  | 'cancelled'
  | 'expired';

/** Why an input is not a genuine pass. */
export type NotGenuineReason = VoucherInputRefusal | 'unknown_code';

export interface PassCheckResult {
  genuine: boolean;
  source: 'qr' | 'typed';
  reason: NotGenuineReason | null;
  /** A sentence in French for the person checking. */
  message: string;
  pass: {
    value: MoneyJson;
    status: PublicPassStatus;
    validFrom: string;
    validUntil: string;
    acceptedUntil: string;
    funder: string | null;
    territory: string;
    serviceCategories: string[];
  } | null;
  venues: NearbyVenue[];
}

const NOT_GENUINE_MESSAGES: Record<NotGenuineReason, string> = {
  typo: 'Ce code contient une erreur de saisie : vérifiez chaque caractère, y compris le dernier.',
  malformed: 'Ce texte n’est pas un code de Pass numérique.',
  invalid_signature: 'Ce QR code n’a pas été émis par l’opérateur du Pass numérique.',
  unknown_key: 'Ce QR code est signé par une clé inconnue : il n’est pas authentique ou il est trop ancien.',
  unsupported_version: 'Ce QR code a un format non reconnu.',
  unknown_code: 'Aucun Pass numérique ne correspond à ce code.',
};

const STATUS_MESSAGES: Record<PublicPassStatus, string> = {
  usable: 'Ce pass est authentique et utilisable.',
  not_yet_active: 'Ce pass est authentique mais pas encore activé par son financeur.',
  not_yet_valid: 'Ce pass est authentique mais sa période de validité n’a pas commencé.',
  used: 'Ce pass a déjà été utilisé.',
  cancelled: 'Ce pass a été annulé par son financeur.',
  expired: 'Ce pass a expiré.',
};

/** The public status of a genuine pass (never who holds it, nor where or when it was used). */
export function publicStatus(voucher: VoucherWithBatch, now: Date, timeZone: string): PublicPassStatus {
  const usability = checkVoucherUsable(voucher, now, {}, timeZone);
  if (usability.ok) return 'usable';
  switch (usability.reason) {
    case 'already_redeemed':
    case 'already_settled':
      return 'used';
    case 'cancelled':
      return 'cancelled';
    case 'expired':
      return 'expired';
    case 'not_yet_valid':
      return 'not_yet_valid';
    case 'batch_not_active':
      return displayState(voucher, voucher.batch, now, timeZone) === 'generated'
        ? 'not_yet_active'
        : 'cancelled';
    case 'outside_territory':
    case 'category_not_allowed':
      return 'usable';
    default: {
      const unknown: never = usability.reason;
      throw new Error(`unknown refusal ${String(unknown)}`);
    }
  }
}

/**
 * Public pass check (issue #5 §7): a typed code or a scanned QR payload → genuine or not, value, validity
 * and accredited venues of its territory. Typos and forged QR codes are answered without any database
 * lookup; the route is rate limited per client.
 */
export class PassCheckService {
  private readonly keyring: VoucherKeyring;

  constructor(private readonly ctx: AppContext) {
    this.keyring = buildVoucherKeyring(ctx.config.secrets);
  }

  async check(input: string, location: CheckLocation): Promise<PassCheckResult> {
    const read = readVoucherInput(input, this.keyring);
    if (!read.ok) return notGenuine(read.source, read.reason);
    const voucher = await findVoucherByLookupHash(
      this.ctx.knex,
      voucherLookupHash(read.code, this.ctx.config.secrets.voucherHashKey),
    );
    if (!voucher) return notGenuine(read.source, 'unknown_code');
    const { batch } = voucher;
    const status = publicStatus(voucher, this.ctx.clock(), this.ctx.config.businessTimezone);
    const names = await organisationNames(this.ctx.knex, [batch.funderId]);
    return {
      genuine: true,
      source: read.source,
      reason: null,
      message: STATUS_MESSAGES[status],
      pass: {
        value: Money.fromCents(batch.faceValueCents).toJSON(),
        status,
        validFrom: batch.validFrom,
        validUntil: batch.validUntil,
        acceptedUntil: lastAcceptedDate(batch),
        funder: names.get(batch.funderId) ?? null,
        territory: territoryLabel(batch.territory),
        serviceCategories: batch.serviceCategories,
      },
      venues:
        status === 'usable' || status === 'not_yet_valid'
          ? await nearbyVenues(this.ctx.knex, batch.territory, location)
          : [],
    };
  }
}

function notGenuine(source: 'qr' | 'typed', reason: NotGenuineReason): PassCheckResult {
  return { genuine: false, source, reason, message: NOT_GENUINE_MESSAGES[reason], pass: null, venues: [] };
}
