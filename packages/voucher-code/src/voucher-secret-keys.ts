import { hkdfSync } from 'node:crypto';

// Keys for keeping codes in the database: one to compute the lookup hash, one to encrypt the stored copy.
// They must differ (a key used for two algorithms is a classic mistake), hence the derivation helper.

/** Length in bytes of the voucher lookup and encryption keys. */
export const VOUCHER_SECRET_KEY_LENGTH = 32;

export type VoucherSecretKeys = { lookupKey: Buffer; encryptionKey: Buffer };

/** Throws a clear error unless `key` is a Buffer of exactly 32 bytes; `name` says which key in the message. */
export function assertVoucherSecretKey(key: unknown, name: string): asserts key is Buffer {
  if (!Buffer.isBuffer(key)) {
    throw new TypeError(
      `${name} must be a Buffer of ${VOUCHER_SECRET_KEY_LENGTH} bytes (decode it from base64 first)`,
    );
  }
  if (key.length !== VOUCHER_SECRET_KEY_LENGTH) {
    throw new RangeError(
      `${name} must be exactly ${VOUCHER_SECRET_KEY_LENGTH} bytes, got ${key.length} ` +
        `(generate one with: openssl rand -base64 ${VOUCHER_SECRET_KEY_LENGTH})`,
    );
  }
}

/** Derives independent lookup and encryption keys from one 32-byte secret with HKDF-SHA256. */
export function deriveVoucherSecretKeys(secret: Buffer): VoucherSecretKeys {
  assertVoucherSecretKey(secret, 'voucher secret');
  const derive = (info: string) =>
    Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), info, VOUCHER_SECRET_KEY_LENGTH));
  return {
    lookupKey: derive('pass-numerique/voucher-lookup/v1'),
    encryptionKey: derive('pass-numerique/voucher-at-rest/v1'),
  };
}
