import { createPublicKey } from 'node:crypto';
import type { Secrets } from '@pass/config';
import { createKeyring, type VoucherKeyring } from '@pass/voucher-code';

/**
 * Public keys scanners verify QR payloads with: the current signing key (derived from the private PEM) and
 * every retired key from VOUCHER_RETIRED_PUBLIC_KEYS, so passes printed before a rotation keep verifying.
 */
export function buildVoucherKeyring(secrets: Secrets): VoucherKeyring {
  if (secrets.voucherRetiredPublicKeys.some((key) => key.kid === secrets.voucherSigningKid)) {
    // Two keys under one kid would make half the passes fail to verify: refuse to start instead.
    throw new Error(
      `VOUCHER_RETIRED_PUBLIC_KEYS holds the current key id ${secrets.voucherSigningKid}: give the new key a new VOUCHER_SIGNING_KID`,
    );
  }
  return createKeyring([
    { kid: secrets.voucherSigningKid, publicKey: createPublicKey(secrets.voucherSigningKeyPem) },
    ...secrets.voucherRetiredPublicKeys.map((key) => ({ kid: key.kid, publicKey: key.publicKeyPem })),
  ]);
}
