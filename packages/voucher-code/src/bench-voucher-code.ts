// Throughput of voucher material on this machine; prints numbers, asserts nothing.
// Run: npx tsx packages/voucher-code/src/bench-voucher-code.ts [vouchers]   (default 50000)
import { availableParallelism, cpus } from 'node:os';
import { createKeyring, generateVoucherSigningKey } from './voucher-signing-keys';
import { createVoucherMaterial } from './create-voucher-material';
import { generateVoucherCode } from './generate-voucher-code';
import { signVoucherPayloads } from './sign-voucher-payloads';
import { encryptVoucherCode } from './voucher-code-cipher';
import { voucherLookupHash } from './voucher-lookup-hash';
import { signVoucherPayload, verifyVoucherPayload } from './voucher-payload';
import { deriveVoucherSecretKeys } from './voucher-secret-keys';

const count = Number(process.argv[2] ?? 50_000);
const { lookupKey, encryptionKey } = deriveVoucherSecretKeys(Buffer.alloc(32, 1));
const signingKey = generateVoucherSigningKey('BENCH1');
const signer = { kid: signingKey.kid, privateKey: signingKey.privateKeyPem };
const keyring = createKeyring([{ kid: signingKey.kid, publicKey: signingKey.publicKeyPem }]);

function report(label: string, n: number, milliseconds: number): void {
  const perSecond = n / (milliseconds / 1000);
  const microseconds = (milliseconds * 1000) / n;
  const million = 1_000_000 / perSecond;
  console.log(
    `${label.padEnd(58)} ${Math.round(perSecond).toLocaleString('en').padStart(9)}/s ` +
      `${microseconds.toFixed(1).padStart(7)} µs each   1M in ${million.toFixed(1)} s`,
  );
}

function measure<T>(label: string, n: number, run: () => T): T {
  const start = performance.now();
  const result = run();
  report(label, n, performance.now() - start);
  return result;
}

console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores`);
console.log(`${count.toLocaleString('en')} vouchers per measurement\n`);

// Warm-up so that lazy initialisation and JIT do not count.
createVoucherMaterial(2_000, { lookupKey, encryptionKey, signer });

const codes = measure('generateVoucherCode', count, () => Array.from({ length: count }, generateVoucherCode));
measure('voucherLookupHash', count, () => codes.map((code) => voucherLookupHash(code, lookupKey)));
measure('encryptVoucherCode', count, () => codes.map((code) => encryptVoucherCode(code, encryptionKey)));
const payloads = measure('signVoucherPayload (Ed25519, PEM signer, parsed key cached)', count, () =>
  codes.map((code) => signVoucherPayload(code, signer)),
);
measure('verifyVoucherPayload (what a scanner or the server does)', count, () =>
  payloads.map((payload) => verifyVoucherPayload(payload, keyring)),
);
measure('all four per voucher, one at a time', count, () => {
  for (let i = 0; i < count; i++) {
    const code = generateVoucherCode();
    voucherLookupHash(code, lookupKey);
    encryptVoucherCode(code, encryptionKey);
    signVoucherPayload(code, signer);
  }
});
measure('createVoucherMaterial without signer (code, hash, encrypted)', count, () =>
  createVoucherMaterial(count, { lookupKey, encryptionKey }),
);
measure('createVoucherMaterial with signer', count, () =>
  createVoucherMaterial(count, { lookupKey, encryptionKey, signer }),
);
const start = performance.now();
await signVoucherPayloads(codes, signer);
report(
  `signVoucherPayloads (libuv pool, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? 4})`,
  count,
  performance.now() - start,
);
