import { createHmac, randomBytes } from 'node:crypto';
import { VOUCHER_CODE_RANDOM_BYTES, voucherCodeFromRandomBytes } from './generate-voucher-code';
import {
  ENCRYPTED_VOUCHER_CODE_LENGTH,
  encryptCanonicalVoucherCodeInto,
  VOUCHER_CODE_NONCE_LENGTH,
} from './voucher-code-cipher';
import { signCanonicalVoucherPayload } from './voucher-payload';
import { assertVoucherSecretKey } from './voucher-secret-keys';
import { assertKid, toVoucherPrivateKey, type VoucherSigner } from './voucher-signing-keys';

/** Largest batch one call produces; callers chunk bigger orders (one chunk per database transaction). */
export const MAX_VOUCHER_MATERIAL_COUNT = 1_000_000;

export type VoucherMaterialKeys = {
  lookupKey: Buffer;
  encryptionKey: Buffer;
  /** Optional: payloads are deterministic, so they can also be computed later, when booklets are rendered. */
  signer?: VoucherSigner;
};

export type VoucherMaterial = {
  /** Canonical codes, to hand to the printer and never to store in clear. */
  codes: string[];
  /** voucherLookupHash of each code, same order. */
  lookupHashes: Buffer[];
  /** encryptVoucherCode of each code, same order; views into one shared allocation. */
  encryptedCodes: Buffer[];
  /** signVoucherPayload of each code when a signer was given. */
  payloads?: string[];
};

/**
 * Generates `count` vouchers at once: codes, lookup hashes, encrypted copies and optionally signed payloads,
 * equal to calling the single-voucher functions in a loop but faster: two CSPRNG calls in all, keys
 * checked once, one allocation for the ciphertexts. Codes are not de-duplicated here (a collision among
 * 10^6 codes of 80 bits has probability about 4e-13); the unique index on the lookup hash is the guard.
 */
export function createVoucherMaterial(count: number, keys: VoucherMaterialKeys): VoucherMaterial {
  if (!Number.isSafeInteger(count) || count < 0 || count > MAX_VOUCHER_MATERIAL_COUNT) {
    throw new RangeError(
      `voucher count must be an integer from 0 to ${MAX_VOUCHER_MATERIAL_COUNT}, got ${count}`,
    );
  }
  const { lookupKey, encryptionKey, signer } = keys;
  assertVoucherSecretKey(lookupKey, 'voucher lookup key');
  assertVoucherSecretKey(encryptionKey, 'voucher encryption key');
  if (lookupKey.equals(encryptionKey)) {
    throw new RangeError('voucher lookup and encryption keys must differ (see deriveVoucherSecretKeys)');
  }
  if (signer) assertKid(signer.kid);
  const signingKey = signer && toVoucherPrivateKey(signer.privateKey);

  const random = randomBytes(count * VOUCHER_CODE_RANDOM_BYTES);
  const nonces = randomBytes(count * VOUCHER_CODE_NONCE_LENGTH);
  const ciphertexts = Buffer.allocUnsafe(count * ENCRYPTED_VOUCHER_CODE_LENGTH);
  const codes = new Array<string>(count);
  const lookupHashes = new Array<Buffer>(count);
  const encryptedCodes = new Array<Buffer>(count);
  const payloads = signer ? new Array<string>(count) : undefined;

  for (let i = 0; i < count; i++) {
    const code = voucherCodeFromRandomBytes(
      random.subarray(i * VOUCHER_CODE_RANDOM_BYTES, (i + 1) * VOUCHER_CODE_RANDOM_BYTES),
    );
    codes[i] = code;
    lookupHashes[i] = createHmac('sha256', lookupKey).update(code, 'latin1').digest();
    encryptedCodes[i] = encryptCanonicalVoucherCodeInto(
      code,
      encryptionKey,
      nonces.subarray(i * VOUCHER_CODE_NONCE_LENGTH, (i + 1) * VOUCHER_CODE_NONCE_LENGTH),
      ciphertexts.subarray(i * ENCRYPTED_VOUCHER_CODE_LENGTH, (i + 1) * ENCRYPTED_VOUCHER_CODE_LENGTH),
    );
    if (payloads && signingKey && signer)
      payloads[i] = signCanonicalVoucherPayload(code, signer.kid, signingKey);
  }
  return payloads
    ? { codes, lookupHashes, encryptedCodes, payloads }
    : { codes, lookupHashes, encryptedCodes };
}
