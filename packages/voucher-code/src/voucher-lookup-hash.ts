import { createHmac } from 'node:crypto';
import { toCanonicalVoucherCode } from './voucher-code';
import { assertVoucherSecretKey } from './voucher-secret-keys';

/**
 * HMAC-SHA256 (32 bytes) of the canonical code under a key from configuration: the database stores and
 * indexes this instead of the code, so a dump without the key neither reveals nor lets anyone test codes.
 * Accepts any spelling checkVoucherCode accepts; throws on an invalid code or a wrong key.
 */
export function voucherLookupHash(code: string, key: Buffer): Buffer {
  assertVoucherSecretKey(key, 'voucher lookup key');
  return createHmac('sha256', key).update(toCanonicalVoucherCode(code), 'latin1').digest();
}
