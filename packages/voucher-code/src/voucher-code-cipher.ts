import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { isCanonicalVoucherCode, toCanonicalVoucherCode, VOUCHER_CODE_LENGTH } from './voucher-code';
import { assertVoucherSecretKey } from './voucher-secret-keys';

// Stored copy of a code (needed to print booklets again or re-key the lookup hash), encrypted with
// AES-256-GCM. Layout: version (1 byte) || nonce (12) || tag (16) || ciphertext (17) = 46 bytes.
// The version byte is authenticated as associated data, so it cannot be swapped without detection.
// Random 96-bit nonces stay safe for up to 2^32 encryptions per key (NIST SP 800-38D), far beyond the
// number of vouchers one key will ever protect; rotate the key well before that.

const FORMAT_VERSION = 1;
/** Bytes of random nonce in an encrypted voucher code. */
export const VOUCHER_CODE_NONCE_LENGTH = 12;
const NONCE_LENGTH = VOUCHER_CODE_NONCE_LENGTH;
const TAG_LENGTH = 16;
const HEADER_LENGTH = 1 + NONCE_LENGTH + TAG_LENGTH;
/** Length in bytes of an encrypted voucher code in format version 1. */
export const ENCRYPTED_VOUCHER_CODE_LENGTH = HEADER_LENGTH + VOUCHER_CODE_LENGTH;
const VERSION_AAD = Buffer.from([FORMAT_VERSION]);

/**
 * Encrypts a canonical code with a caller-supplied nonce into `out` (46 bytes). Shared with the batch API,
 * which draws every nonce in one CSPRNG call and writes every result into one allocation.
 */
export function encryptCanonicalVoucherCodeInto(
  code: string,
  key: Buffer,
  nonce: Uint8Array,
  out: Buffer,
): Buffer {
  out[0] = FORMAT_VERSION;
  out.set(nonce, 1);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_LENGTH });
  cipher.setAAD(VERSION_AAD);
  out.set(cipher.update(code, 'latin1'), HEADER_LENGTH);
  cipher.final();
  out.set(cipher.getAuthTag(), 1 + NONCE_LENGTH);
  return out;
}

/** Encrypts a voucher code for storage (AES-256-GCM, random nonce, versioned 46-byte Buffer). */
export function encryptVoucherCode(code: string, key: Buffer): Buffer {
  assertVoucherSecretKey(key, 'voucher encryption key');
  const out = Buffer.allocUnsafe(ENCRYPTED_VOUCHER_CODE_LENGTH);
  return encryptCanonicalVoucherCodeInto(toCanonicalVoucherCode(code), key, randomBytes(NONCE_LENGTH), out);
}

/** Decrypts a stored voucher code; throws if the data was altered, the key is wrong or the version unknown. */
export function decryptVoucherCode(encrypted: Buffer, key: Buffer): string {
  assertVoucherSecretKey(key, 'voucher encryption key');
  if (!Buffer.isBuffer(encrypted) || encrypted.length < 1) {
    throw new TypeError('encrypted voucher code must be a non-empty Buffer');
  }
  if (encrypted[0] !== FORMAT_VERSION) {
    throw new Error(`unsupported encrypted voucher code version ${encrypted[0]}`);
  }
  if (encrypted.length !== ENCRYPTED_VOUCHER_CODE_LENGTH) {
    throw new Error(
      `encrypted voucher code must be ${ENCRYPTED_VOUCHER_CODE_LENGTH} bytes, got ${encrypted.length}`,
    );
  }
  const decipher = createDecipheriv('aes-256-gcm', key, encrypted.subarray(1, 1 + NONCE_LENGTH), {
    authTagLength: TAG_LENGTH,
  });
  decipher.setAAD(VERSION_AAD);
  decipher.setAuthTag(encrypted.subarray(1 + NONCE_LENGTH, HEADER_LENGTH));
  let code: string;
  try {
    code = decipher.update(encrypted.subarray(HEADER_LENGTH)).toString('latin1');
    decipher.final();
  } catch (cause) {
    throw new Error('encrypted voucher code failed authentication (altered data or wrong key)', { cause });
  }
  // Authentic yet not a code would mean a bug at encryption time: refuse rather than hand it on.
  if (!isCanonicalVoucherCode(code)) throw new Error('decrypted data is not a canonical voucher code');
  return code;
}
