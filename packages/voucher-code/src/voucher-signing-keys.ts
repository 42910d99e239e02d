import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { encodeCrockfordBase32 } from './crockford-base32';

// Ed25519 keys that sign the QR payload. Each key has a short key id (kid) carried in every payload so a
// scanner picks the right public key, which is what makes rotation possible: sign new booklets with a new
// key while the keyring still holds the old public key for passes already printed.

/** Key ids: 1 to 16 digits or upper-case letters, because they travel inside the QR alphanumeric payload. */
export const KID_PATTERN = /^[0-9A-Z]{1,16}$/;

export type VoucherSigningKey = { kid: string; privateKeyPem: string; publicKeyPem: string };

export type VoucherSigner = { kid: string; privateKey: KeyObject | string };

/** Public key as served at /api/v1/keys (RFC 8037 OKP key). */
export type VoucherPublicJwk = {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  use: 'sig';
  alg: 'EdDSA';
};

export type VoucherPublicKeyInput = KeyObject | string | VoucherPublicJwk;

/** Public keys by kid, used to verify payloads offline; old and new keys side by side during rotation. */
export type VoucherKeyring = {
  readonly kids: readonly string[];
  find(kid: string): KeyObject | undefined;
};

/** Throws unless `kid` matches KID_PATTERN. */
export function assertKid(kid: string): void {
  if (typeof kid !== 'string' || !KID_PATTERN.test(kid)) {
    throw new RangeError(`key id must be 1 to 16 digits or upper-case letters, got ${JSON.stringify(kid)}`);
  }
}

function assertEd25519(key: KeyObject, expected: 'public' | 'private'): KeyObject {
  if (key.type !== expected)
    throw new TypeError(`expected an Ed25519 ${expected} key, got a ${key.type} key`);
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new TypeError(
      `expected an Ed25519 ${expected} key, got ${key.asymmetricKeyType ?? 'an unknown'} key`,
    );
  }
  return key;
}

/** Public KeyObject from PEM, KeyObject or JWK; refuses private keys, which have no place in a keyring. */
export function toVoucherPublicKey(input: VoucherPublicKeyInput): KeyObject {
  if (typeof input === 'string') {
    if (input.includes('PRIVATE KEY')) throw new TypeError('a keyring takes public keys, not private keys');
    return assertEd25519(createPublicKey(input), 'public');
  }
  if ('kty' in input) {
    return assertEd25519(
      createPublicKey({ key: { kty: input.kty, crv: input.crv, x: input.x }, format: 'jwk' }),
      'public',
    );
  }
  return assertEd25519(input, 'public');
}

// Parsing a PEM costs more than an Ed25519 signature; callers that pass PEM strings per voucher would pay
// it every time, so parsed keys are remembered (a handful of keys at most in a process).
const privateKeyCache = new Map<string, KeyObject>();
const PRIVATE_KEY_CACHE_LIMIT = 16;

/** Private KeyObject from PEM or KeyObject, checked to be Ed25519. */
export function toVoucherPrivateKey(input: KeyObject | string): KeyObject {
  if (typeof input !== 'string') return assertEd25519(input, 'private');
  const cached = privateKeyCache.get(input);
  if (cached) return cached;
  const key = assertEd25519(createPrivateKey(input), 'private');
  if (privateKeyCache.size >= PRIVATE_KEY_CACHE_LIMIT) privateKeyCache.clear();
  privateKeyCache.set(input, key);
  return key;
}

/** RFC 8037 public JWK for one kid, to publish at /api/v1/keys. */
export function publicKeyToJwk(kid: string, publicKey: VoucherPublicKeyInput): VoucherPublicJwk {
  assertKid(kid);
  const jwk = toVoucherPublicKey(publicKey).export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new TypeError('Ed25519 key without x coordinate');
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid, use: 'sig', alg: 'EdDSA' };
}

/** Default kid: the first 8 Crockford symbols (40 bits) of the key's RFC 7638 JWK thumbprint. */
function thumbprintKid(publicKey: KeyObject): string {
  const { x } = publicKey.export({ format: 'jwk' });
  // RFC 7638: required members only, in lexicographic order, no whitespace.
  const canonical = JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x });
  return encodeCrockfordBase32(createHash('sha256').update(canonical).digest()).slice(0, 8);
}

/** New Ed25519 signing key as PEM (PKCS#8 private, SPKI public); the kid defaults to a key thumbprint. */
export function generateVoucherSigningKey(kid?: string): VoucherSigningKey {
  if (kid !== undefined) assertKid(kid);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    kid: kid ?? thumbprintKid(publicKey),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Keyring of public keys by kid; throws on a bad kid, a duplicate kid or a key that is not Ed25519 public. */
export function createKeyring(
  keys: readonly { kid: string; publicKey: VoucherPublicKeyInput }[],
): VoucherKeyring {
  const byKid = new Map<string, KeyObject>();
  for (const { kid, publicKey } of keys) {
    assertKid(kid);
    if (byKid.has(kid)) throw new RangeError(`duplicate key id ${kid} in voucher keyring`);
    byKid.set(kid, toVoucherPublicKey(publicKey));
  }
  const kids = Object.freeze([...byKid.keys()]);
  return Object.freeze({ kids, find: (kid: string) => byKid.get(kid) });
}

/** JWK Set of every key in the keyring, the body of GET /api/v1/keys. */
export function keyringToJwks(keyring: VoucherKeyring): { keys: VoucherPublicJwk[] } {
  return { keys: keyring.kids.map((kid) => publicKeyToJwk(kid, keyring.find(kid)!)) };
}
