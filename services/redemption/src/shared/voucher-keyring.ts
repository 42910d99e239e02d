import { createPublicKey } from 'node:crypto';
import type { Config } from '@pass/config';
import { createKeyring, type VoucherKeyring } from '@pass/voucher-code';

/**
 * The public keys that verify scanned QR payloads: the current signing key's public half and the retired
 * keys still listed in configuration (passes printed with them stay valid until they expire).
 */
export function voucherKeyringOf(config: Pick<Config, 'secrets'>): VoucherKeyring {
  const { voucherSigningKeyPem, voucherSigningKid, voucherRetiredPublicKeys } = config.secrets;
  const current = createPublicKey(voucherSigningKeyPem).export({ type: 'spki', format: 'pem' }).toString();
  return createKeyring([
    { kid: voucherSigningKid, publicKey: current },
    ...voucherRetiredPublicKeys
      .filter((key) => key.kid !== voucherSigningKid)
      .map((key) => ({ kid: key.kid, publicKey: key.publicKeyPem })),
  ]);
}
