import { randomBytes } from 'node:crypto';
import { computeCheckSymbol } from './check-symbol';
import { encodeCrockfordBase32 } from './crockford-base32';
import { VOUCHER_CODE_ENTROPY_BITS } from './voucher-code';

/** Bytes of CSPRNG output per code: 10 bytes are exactly the 16 data symbols (80 bits, no bit wasted). */
export const VOUCHER_CODE_RANDOM_BYTES = VOUCHER_CODE_ENTROPY_BITS / 8;

/**
 * Canonical code for 10 random bytes. Internal helper shared with the batch API and the tests; not
 * re-exported from the package so that nobody builds codes from bytes that did not come from a CSPRNG.
 */
export function voucherCodeFromRandomBytes(bytes: Uint8Array): string {
  if (bytes.length !== VOUCHER_CODE_RANDOM_BYTES) {
    throw new RangeError(`a voucher code needs exactly ${VOUCHER_CODE_RANDOM_BYTES} random bytes`);
  }
  const data = encodeCrockfordBase32(bytes);
  return data + computeCheckSymbol(data);
}

/** New canonical voucher code: 80 bits from crypto.randomBytes as 16 Crockford symbols plus a check symbol. */
export function generateVoucherCode(): string {
  return voucherCodeFromRandomBytes(randomBytes(VOUCHER_CODE_RANDOM_BYTES));
}
