import { expect } from 'chai';
import { parseVoucherInput, readVoucherInput } from './parse-voucher-input';
import { signVoucherPayload } from './voucher-payload';
import { createKeyring } from './voucher-signing-keys';
import { buildSigningKey } from './voucher-test-fixtures';

describe('parseVoucherInput / readVoucherInput', () => {
  const key = buildSigningKey({ kid: 'K1' });
  const keyring = createKeyring([{ kid: 'K1', publicKey: key.publicKeyPem }]);
  const CODE = '7K3MQX9P2D4FHR8T4';
  let payload: string;

  before(() => {
    payload = signVoucherPayload(CODE, { kid: 'K1', privateKey: key.privateKeyPem });
  });

  it('recognises a scanned payload, ignoring the newline a scanner may add', () => {
    expect(parseVoucherInput(`${payload}\r\n`)).to.deep.equal({ kind: 'payload', payload });
  });

  it('treats anything else as a typed code and checks it', () => {
    expect(parseVoucherInput('7k3m qx9p 2d4f hr8t 4')).to.deep.equal({
      kind: 'code',
      check: { ok: true, code: CODE },
    });
    expect(parseVoucherInput('7K3M-QX9P-2D4F-HR8T-5')).to.deep.equal({
      kind: 'code',
      check: { ok: false, reason: 'typo' },
    });
  });

  it('does not mistake a code beginning with PN for a payload', () => {
    expect(parseVoucherInput('PN12-QX9P-2D4F-HR8T-4').kind).to.equal('code');
  });

  it('reads a genuine QR payload to its code and kid', () => {
    expect(readVoucherInput(payload, keyring)).to.deep.equal({
      ok: true,
      code: CODE,
      source: 'qr',
      kid: 'K1',
    });
  });

  it('reads a typed code to the same canonical code', () => {
    expect(readVoucherInput('7K3M-QX9P-2D4F-HR8T-4', keyring)).to.deep.equal({
      ok: true,
      code: CODE,
      source: 'typed',
    });
  });

  it('passes on why a payload or a typed code is refused', () => {
    const other = createKeyring([{ kid: 'K9', publicKey: buildSigningKey().publicKeyPem }]);
    expect(readVoucherInput(payload, other)).to.deep.equal({
      ok: false,
      source: 'qr',
      reason: 'unknown_key',
    });
    expect(readVoucherInput('7K3M-QX9P', keyring)).to.deep.equal({
      ok: false,
      source: 'typed',
      reason: 'malformed',
    });
  });
});
