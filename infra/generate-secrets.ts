import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateSecrets } from '@pass/config';

/**
 * Generates production secrets. `--dir <folder>` writes one file per secret (for `*_FILE` variables and Docker
 * secrets); without it, prints `export NAME='value'` lines for a shell.
 */
const secrets = generateSecrets();
const values: Record<string, string> = {
  JWT_PRIVATE_KEY: secrets.jwtPrivateKeyPem,
  JWT_PUBLIC_KEY: secrets.jwtPublicKeyPem,
  VOUCHER_SIGNING_KEY: secrets.voucherSigningKeyPem,
  VOUCHER_HASH_KEY: secrets.voucherHashKey,
  VOUCHER_ENCRYPTION_KEY: secrets.voucherEncryptionKey,
};
const dirIndex = process.argv.indexOf('--dir');
if (dirIndex > 0) {
  const dir = path.resolve(process.argv[dirIndex + 1] ?? 'secrets');
  mkdirSync(dir, { recursive: true });
  for (const [name, value] of Object.entries(values)) {
    const file = path.join(dir, name.toLowerCase());
    writeFileSync(file, value, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  process.stdout.write(`Wrote ${Object.keys(values).length} secret files to ${dir}\n`);
} else {
  const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;
  for (const [name, value] of Object.entries(values))
    process.stdout.write(`export ${name}=${quote(value)}\n`);
}
