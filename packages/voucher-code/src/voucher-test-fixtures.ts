// Test data builders and fast-check arbitraries shared by this package's tests (not exported by index.ts).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { VOUCHER_CODE_RANDOM_BYTES, voucherCodeFromRandomBytes } from './generate-voucher-code';
import { generateVoucherSigningKey, type VoucherSigningKey } from './voucher-signing-keys';

/** Any canonical voucher code, shrinkable through its random bytes. */
export const arbitraryVoucherCode = fc
  .uint8Array({ minLength: VOUCHER_CODE_RANDOM_BYTES, maxLength: VOUCHER_CODE_RANDOM_BYTES })
  .map(voucherCodeFromRandomBytes);

/** Any key id accepted by the payload grammar (1 to 16 digits or upper-case letters). */
export const arbitraryKid = fc.stringMatching(/^[0-9A-Z]{1,16}$/);

/** A signing key with an explicit kid unless overridden. */
export function buildSigningKey(overrides: Partial<{ kid: string }> = {}): VoucherSigningKey {
  return generateVoucherSigningKey(overrides.kid ?? 'TEST1');
}

/** The two 32-byte keys that protect stored codes, distinct unless overridden. */
export function buildSecretKeys(overrides: Partial<{ lookupKey: Buffer; encryptionKey: Buffer }> = {}) {
  return { lookupKey: randomBytes(32), encryptionKey: randomBytes(32), ...overrides };
}

/** A public key that is not Ed25519, for refusal tests. */
export function buildEcPublicKeyPem(): string {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .publicKey.export({ type: 'spki', format: 'pem' })
    .toString();
}
