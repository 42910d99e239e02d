import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { expect } from 'chai';
import { encodeCrockfordBase32 } from './crockford-base32';
import { buildEcPublicKeyPem, buildSigningKey } from './voucher-test-fixtures';
import {
  createKeyring,
  generateVoucherSigningKey,
  keyringToJwks,
  publicKeyToJwk,
  toVoucherPrivateKey,
} from './voucher-signing-keys';

describe('voucher signing keys', () => {
  it('generates an Ed25519 key pair as PKCS#8 and SPKI PEM', () => {
    const key = buildSigningKey({ kid: 'K2025A' });
    expect(key.kid).to.equal('K2025A');
    expect(key.privateKeyPem).to.match(/^-----BEGIN PRIVATE KEY-----/);
    expect(key.publicKeyPem).to.match(/^-----BEGIN PUBLIC KEY-----/);
    expect(createPrivateKey(key.privateKeyPem).asymmetricKeyType).to.equal('ed25519');
  });

  it('names a key by its RFC 7638 thumbprint when no kid is given', () => {
    const key = generateVoucherSigningKey();
    const { x } = createPublicKey(key.publicKeyPem).export({ format: 'jwk' });
    const thumbprint = createHash('sha256').update(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`).digest();
    expect(key.kid).to.equal(encodeCrockfordBase32(thumbprint).slice(0, 8));
    expect(generateVoucherSigningKey().kid).not.to.equal(key.kid);
  });

  it('refuses a kid that cannot travel in a QR alphanumeric payload', () => {
    for (const kid of ['', 'k1', 'K.1', 'K-1', 'A'.repeat(17)]) {
      expect(() => generateVoucherSigningKey(kid), kid).to.throw(RangeError, /key id/);
    }
  });

  it('publishes a public key as an OKP JWK with kid, use and alg', () => {
    const key = buildSigningKey({ kid: 'K1' });
    const jwk = publicKeyToJwk('K1', key.publicKeyPem);
    const raw = createPublicKey(key.publicKeyPem).export({ type: 'spki', format: 'der' }).subarray(-32);
    expect(jwk).to.deep.equal({
      kty: 'OKP',
      crv: 'Ed25519',
      x: raw.toString('base64url'),
      kid: 'K1',
      use: 'sig',
      alg: 'EdDSA',
    });
    expect(publicKeyToJwk('K1', createPublicKey(key.publicKeyPem))).to.deep.equal(jwk);
  });

  it('builds a keyring from PEM, KeyObject or JWK and serves it as a JWK Set', () => {
    const [a, b, c] = [
      buildSigningKey({ kid: 'A' }),
      buildSigningKey({ kid: 'B' }),
      buildSigningKey({ kid: 'C' }),
    ];
    const keyring = createKeyring([
      { kid: 'A', publicKey: a.publicKeyPem },
      { kid: 'B', publicKey: createPublicKey(b.publicKeyPem) },
      { kid: 'C', publicKey: publicKeyToJwk('C', c.publicKeyPem) },
    ]);
    expect(keyring.kids).to.deep.equal(['A', 'B', 'C']);
    expect(keyring.find('B')?.equals(createPublicKey(b.publicKeyPem))).to.equal(true);
    expect(keyring.find('D')).to.equal(undefined);
    expect(keyringToJwks(keyring).keys.map((jwk) => jwk.x)).to.deep.equal([
      publicKeyToJwk('A', a.publicKeyPem).x,
      publicKeyToJwk('B', b.publicKeyPem).x,
      publicKeyToJwk('C', c.publicKeyPem).x,
    ]);
  });

  it('refuses duplicate kids, private keys and keys that are not Ed25519', () => {
    const key = buildSigningKey();
    expect(() =>
      createKeyring([
        { kid: 'A', publicKey: key.publicKeyPem },
        { kid: 'A', publicKey: key.publicKeyPem },
      ]),
    ).to.throw(RangeError, /duplicate key id A/);
    expect(() => createKeyring([{ kid: 'A', publicKey: key.privateKeyPem }])).to.throw(
      TypeError,
      /not private keys/,
    );
    expect(() => createKeyring([{ kid: 'A', publicKey: createPrivateKey(key.privateKeyPem) }])).to.throw(
      TypeError,
      /got a private key/,
    );
    expect(() => createKeyring([{ kid: 'A', publicKey: buildEcPublicKeyPem() }])).to.throw(
      TypeError,
      /got ec key/,
    );
  });

  it('refuses to sign with a public key or a non-Ed25519 key', () => {
    const key = buildSigningKey();
    expect(() => toVoucherPrivateKey(createPublicKey(key.publicKeyPem))).to.throw(TypeError, /private key/);
    expect(() => toVoucherPrivateKey(buildEcPublicKeyPem())).to.throw();
  });
});
