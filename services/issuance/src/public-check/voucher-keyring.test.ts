import { buildTestConfig } from '@pass/config';
import {
  generateVoucherSigningKey,
  keyringToJwks,
  signVoucherPayload,
  verifyVoucherPayload,
} from '@pass/voucher-code';
import { expect } from 'chai';
import { deriveVoucherCode } from '../generation/voucher-code-derivation';
import { buildVoucherKeyring } from './voucher-keyring';

describe('voucher keyring and key rotation', () => {
  const code = deriveVoucherCode(Buffer.alloc(32, 1), 1);

  it('verifies passes signed with the current key, whose public key it derives from the private one', () => {
    const { secrets } = buildTestConfig();
    const keyring = buildVoucherKeyring(secrets);
    const payload = signVoucherPayload(code, {
      kid: secrets.voucherSigningKid,
      privateKey: secrets.voucherSigningKeyPem,
    });
    expect(verifyVoucherPayload(payload, keyring)).to.deep.include({ ok: true, code });
    expect(keyringToJwks(keyring).keys.map((key) => key.kid)).to.deep.equal([secrets.voucherSigningKid]);
  });

  it('keeps verifying passes printed with a retired key after a rotation, and nothing signed with an unknown one', () => {
    const old = generateVoucherSigningKey('K1');
    const printedBefore = signVoucherPayload(code, { kid: 'K1', privateKey: old.privateKeyPem });
    const { secrets } = buildTestConfig();
    const rotated = {
      ...secrets,
      voucherSigningKid: 'K2',
      voucherRetiredPublicKeys: [{ kid: 'K1', publicKeyPem: old.publicKeyPem }],
    };
    const keyring = buildVoucherKeyring(rotated);
    expect(keyring.kids).to.deep.equal(['K2', 'K1']);
    expect(verifyVoucherPayload(printedBefore, keyring)).to.deep.include({ ok: true, kid: 'K1' });
    const printedAfter = signVoucherPayload(code, { kid: 'K2', privateKey: rotated.voucherSigningKeyPem });
    expect(verifyVoucherPayload(printedAfter, keyring)).to.deep.include({ ok: true, kid: 'K2' });
    const stranger = signVoucherPayload(code, {
      kid: 'K3',
      privateKey: generateVoucherSigningKey().privateKeyPem,
    });
    expect(verifyVoucherPayload(stranger, keyring)).to.deep.equal({ ok: false, reason: 'unknown_key' });
    // Once the old key is removed, its passes no longer verify offline (their typed code still works).
    expect(
      verifyVoucherPayload(printedBefore, buildVoucherKeyring({ ...rotated, voucherRetiredPublicKeys: [] })),
    ).to.deep.equal({
      ok: false,
      reason: 'unknown_key',
    });
  });

  it('refuses a retired key under the current kid (a rotation must change the kid)', () => {
    const { secrets } = buildTestConfig();
    expect(() =>
      buildVoucherKeyring({
        ...secrets,
        voucherRetiredPublicKeys: [
          { kid: secrets.voucherSigningKid, publicKeyPem: generateVoucherSigningKey().publicKeyPem },
        ],
      }),
    ).to.throw(/current key id/);
  });
});
