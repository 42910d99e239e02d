import { createPrivateKey, sign } from 'node:crypto';
import { expect } from 'chai';
import fc from 'fast-check';
import QRCode from 'qrcode';
import { decodeCrockfordBase32, encodeCrockfordBase32 } from './crockford-base32';
import { generateVoucherCode } from './generate-voucher-code';
import {
  looksLikeVoucherPayload,
  signVoucherPayload,
  verifyVoucherPayload,
  voucherPayloadQrSegments,
} from './voucher-payload';
import { createKeyring, generateVoucherSigningKey, type VoucherSigningKey } from './voucher-signing-keys';
import { arbitraryKid, arbitraryVoucherCode, buildSigningKey } from './voucher-test-fixtures';

const QR_ALPHANUMERIC = /^[0-9A-Z $%*+\-./:]*$/;

function signer(key: VoucherSigningKey) {
  return { kid: key.kid, privateKey: key.privateKeyPem };
}

function flipSignatureBit(payload: string, bit: number): string {
  const fields = payload.split('.');
  const signature = decodeCrockfordBase32(fields[3]!, 64)!;
  signature[bit >> 3]! ^= 1 << (bit & 7);
  fields[3] = encodeCrockfordBase32(signature);
  return fields.join('.');
}

describe('signed QR payload', () => {
  const current = buildSigningKey({ kid: 'K2' });
  const previous = buildSigningKey({ kid: 'K1' });
  const keyring = createKeyring([
    { kid: 'K1', publicKey: previous.publicKeyPem },
    { kid: 'K2', publicKey: current.publicKeyPem },
  ]);
  const CODE = '7K3MQX9P2D4FHR8T4';

  it('round-trips: a signed code verifies to the same canonical code, kid and version', () => {
    fc.assert(
      fc.property(arbitraryVoucherCode, (code) => {
        const payload = signVoucherPayload(code, signer(current));
        expect(verifyVoucherPayload(payload, keyring)).to.deep.equal({
          ok: true,
          code,
          kid: 'K2',
          version: 1,
        });
      }),
      { numRuns: 50 },
    );
  });

  it('follows the grammar PN1.<kid>.<code>.<103-symbol signature>', () => {
    const payload = signVoucherPayload('7k3m-qx9p-2d4f-hr8t-4', signer(current));
    expect(payload).to.match(/^PN1\.K2\.7K3MQX9P2D4FHR8T4\.[0-9A-HJKMNP-TV-Z]{103}$/);
    expect(looksLikeVoucherPayload(payload)).to.equal(true);
  });

  it('signs the domain-separated message PASSNUM|v1|kid|code', () => {
    const payload = signVoucherPayload(CODE, signer(current));
    const expected = sign(
      null,
      Buffer.from(`PASSNUM|v1|K2|${CODE}`),
      createPrivateKey(current.privateKeyPem),
    );
    expect(payload.split('.')[3]).to.equal(encodeCrockfordBase32(expected));
  });

  it('is deterministic, so a payload can be recomputed when a booklet is printed again', () => {
    const withKeyObject = { kid: 'K2', privateKey: createPrivateKey(current.privateKeyPem) };
    expect(signVoucherPayload(CODE, signer(current))).to.equal(signVoucherPayload(CODE, withKeyObject));
  });

  it('uses only QR alphanumeric characters and fits QR version 7 at level M, for any code and kid', () => {
    // The signature length does not depend on the key, so one key serves every kid.
    const key = buildSigningKey();
    fc.assert(
      fc.property(arbitraryVoucherCode, arbitraryKid, (code, kid) => {
        const payload = signVoucherPayload(code, { kid, privateKey: key.privateKeyPem });
        expect(payload).to.match(QR_ALPHANUMERIC);
        const auto = QRCode.create(payload, { errorCorrectionLevel: 'M' });
        expect(auto.version).to.be.at.most(7);
        // The automatic segmentation may pick numeric mode for a long run of digits (a subset of
        // alphanumeric, still no byte mode); a single forced alphanumeric segment must fit as well.
        for (const segment of auto.segments) expect(['Alphanumeric', 'Numeric']).to.include(segment.mode.id);
        const forced = QRCode.create(voucherPayloadQrSegments(payload), { errorCorrectionLevel: 'M' });
        expect(forced.segments.map((segment) => segment.mode.id)).to.deep.equal(['Alphanumeric']);
        expect(forced.version).to.be.at.most(7);
      }),
      { numRuns: 150 },
    );
  });

  it('fits QR version 6 at level M with the default 8-symbol kid', () => {
    const key = generateVoucherSigningKey();
    for (let i = 0; i < 200; i++) {
      const payload = signVoucherPayload(generateVoucherCode(), signer(key));
      expect(payload).to.have.length(134);
      expect(
        QRCode.create(voucherPayloadQrSegments(payload), { errorCorrectionLevel: 'M' }).version,
      ).to.equal(6);
      expect(QRCode.create(payload, { errorCorrectionLevel: 'M' }).version).to.be.at.most(6);
    }
  });

  describe('key rotation', () => {
    it('verifies passes signed with the old key and with the new key from one keyring', () => {
      const oldPass = signVoucherPayload(CODE, signer(previous));
      const newPass = signVoucherPayload(CODE, signer(current));
      expect(verifyVoucherPayload(oldPass, keyring)).to.include({ ok: true, kid: 'K1' });
      expect(verifyVoucherPayload(newPass, keyring)).to.include({ ok: true, kid: 'K2' });
    });

    it('refuses a pass signed with a key that is not in the keyring as unknown_key', () => {
      const retired = createKeyring([{ kid: 'K2', publicKey: current.publicKeyPem }]);
      const oldPass = signVoucherPayload(CODE, signer(previous));
      expect(verifyVoucherPayload(oldPass, retired)).to.deep.equal({ ok: false, reason: 'unknown_key' });
    });

    it('refuses a pass whose kid names another key of the keyring as invalid_signature', () => {
      const forged = signVoucherPayload(CODE, { kid: 'K1', privateKey: current.privateKeyPem });
      expect(verifyVoucherPayload(forged, keyring)).to.deep.equal({ ok: false, reason: 'invalid_signature' });
    });
  });

  describe('tampering', () => {
    it('never accepts the payload text with any single bit of any character flipped', () => {
      const payload = signVoucherPayload(CODE, signer(current));
      for (let position = 0; position < payload.length; position++) {
        for (let bit = 0; bit < 7; bit++) {
          const character = String.fromCharCode(payload.charCodeAt(position) ^ (1 << bit));
          const tampered = payload.slice(0, position) + character + payload.slice(position + 1);
          expect(verifyVoucherPayload(tampered, keyring).ok, `${position}/${bit}`).to.equal(false);
        }
      }
    });

    it('refuses any flipped signature bit as invalid_signature', () => {
      const payload = signVoucherPayload(CODE, signer(current));
      for (let bit = 0; bit < 512; bit++) {
        expect(verifyVoucherPayload(flipSignatureBit(payload, bit), keyring), `bit ${bit}`).to.deep.equal({
          ok: false,
          reason: 'invalid_signature',
        });
      }
    });

    it('refuses a genuine signature moved onto another valid code as invalid_signature', () => {
      fc.assert(
        fc.property(arbitraryVoucherCode, arbitraryVoucherCode, (code, other) => {
          fc.pre(code !== other);
          const payload = signVoucherPayload(code, signer(current));
          const moved = payload.replace(code, other);
          expect(verifyVoucherPayload(moved, keyring)).to.deep.equal({
            ok: false,
            reason: 'invalid_signature',
          });
        }),
        { numRuns: 50 },
      );
    });

    it('refuses a bare signature of the code without the domain prefix', () => {
      const bare = sign(null, Buffer.from(CODE), createPrivateKey(current.privateKeyPem));
      const payload = `PN1.K2.${CODE}.${encodeCrockfordBase32(bare)}`;
      expect(verifyVoucherPayload(payload, keyring)).to.deep.equal({
        ok: false,
        reason: 'invalid_signature',
      });
    });
  });

  describe('malformed and future payloads', () => {
    let payload: string;
    let signature: string;

    before(() => {
      payload = signVoucherPayload(CODE, signer(current));
      signature = payload.split('.')[3]!;
    });

    it('refuses another payload version as unsupported_version, whatever follows', () => {
      expect(verifyVoucherPayload(payload.replace(/^PN1/, 'PN2'), keyring)).to.deep.equal({
        ok: false,
        reason: 'unsupported_version',
      });
      expect(verifyVoucherPayload('PN2.ANY.THING.ELSE.ENTIRELY', keyring)).to.deep.equal({
        ok: false,
        reason: 'unsupported_version',
      });
    });

    it('refuses payloads that break the grammar as malformed', () => {
      const cases = [
        '',
        CODE,
        payload.toLowerCase(),
        `${payload}\n`,
        `${payload}.X`,
        payload.replace('PN1', 'PNX'),
        payload.replace('PN1', 'PN01'),
        `${payload}${'0'.repeat(1000)}`,
        payload.replace('.K2.', '.k2.'),
        payload.replace('.K2.', '..'),
        payload.replace(CODE, '7K3MQX9P2D4FHR8T5'),
        payload.replace(CODE, '7K3M-QX9P-2D4F-HR8T-4'),
        payload.slice(0, -1),
        `${payload}0`,
        payload.replace(`.${signature}`, `.${signature.slice(0, -1)}Z`),
      ];
      for (const input of cases) {
        expect(verifyVoucherPayload(input, keyring), JSON.stringify(input)).to.deep.equal({
          ok: false,
          reason: 'malformed',
        });
      }
    });
  });
});
