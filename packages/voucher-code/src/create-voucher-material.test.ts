import { expect } from 'chai';
import { createVoucherMaterial, MAX_VOUCHER_MATERIAL_COUNT } from './create-voucher-material';
import { signVoucherPayloads } from './sign-voucher-payloads';
import { checkVoucherCode } from './voucher-code';
import { decryptVoucherCode } from './voucher-code-cipher';
import { voucherLookupHash } from './voucher-lookup-hash';
import { signVoucherPayload, verifyVoucherPayload } from './voucher-payload';
import { createKeyring } from './voucher-signing-keys';
import { buildSecretKeys, buildSigningKey } from './voucher-test-fixtures';

describe('createVoucherMaterial', () => {
  const keys = buildSecretKeys();
  const signingKey = buildSigningKey({ kid: 'K1' });
  const signer = { kid: 'K1', privateKey: signingKey.privateKeyPem };
  const keyring = createKeyring([{ kid: 'K1', publicKey: signingKey.publicKeyPem }]);

  it('gives, for each voucher, what the single-voucher functions give', () => {
    const material = createVoucherMaterial(200, { ...keys, signer });
    expect(material.codes).to.have.length(200);
    expect(new Set(material.codes).size).to.equal(200);
    material.codes.forEach((code, i) => {
      expect(checkVoucherCode(code)).to.deep.equal({ ok: true, code });
      expect(material.lookupHashes[i]!.equals(voucherLookupHash(code, keys.lookupKey))).to.equal(true);
      expect(decryptVoucherCode(material.encryptedCodes[i]!, keys.encryptionKey)).to.equal(code);
      expect(material.payloads![i]).to.equal(signVoucherPayload(code, signer));
      expect(verifyVoucherPayload(material.payloads![i]!, keyring)).to.include({ ok: true, code });
    });
  });

  it('uses a fresh nonce for every encrypted copy', () => {
    const { encryptedCodes } = createVoucherMaterial(500, keys);
    expect(
      new Set(encryptedCodes.map((encrypted) => encrypted.subarray(1, 13).toString('hex'))).size,
    ).to.equal(500);
  });

  it('leaves payloads out when no signer is given', () => {
    const material = createVoucherMaterial(3, keys);
    expect(material).to.have.all.keys('codes', 'lookupHashes', 'encryptedCodes');
    expect(createVoucherMaterial(0, keys).codes).to.deep.equal([]);
  });

  it('refuses one key for both lookup and encryption', () => {
    expect(() =>
      createVoucherMaterial(1, { lookupKey: keys.lookupKey, encryptionKey: Buffer.from(keys.lookupKey) }),
    ).to.throw(RangeError, /must differ/);
  });

  it('refuses a count that is not a whole number within bounds', () => {
    for (const count of [-1, 1.5, Number.NaN, MAX_VOUCHER_MATERIAL_COUNT + 1]) {
      expect(() => createVoucherMaterial(count, keys), String(count)).to.throw(RangeError, /voucher count/);
    }
  });
});

describe('signVoucherPayloads', () => {
  const signingKey = buildSigningKey({ kid: 'K1' });
  const signer = { kid: 'K1', privateKey: signingKey.privateKeyPem };

  it('signs many codes off the main thread, in order, exactly as signVoucherPayload does', async () => {
    const { codes } = createVoucherMaterial(300, buildSecretKeys());
    const payloads = await signVoucherPayloads(codes, signer, { concurrency: 7 });
    expect(payloads).to.deep.equal(codes.map((code) => signVoucherPayload(code, signer)));
    expect(await signVoucherPayloads([], signer)).to.deep.equal([]);
  });

  it('refuses an invalid code before signing anything', async () => {
    let error: unknown;
    await signVoucherPayloads(['7K3MQX9P2D4FHR8T5'], signer).catch((caught: unknown) => {
      error = caught;
    });
    expect(error).to.be.instanceOf(RangeError);
  });
});
