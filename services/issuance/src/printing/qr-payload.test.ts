import { randomBytes } from 'node:crypto';
import {
  createKeyring,
  generateVoucherSigningKey,
  verifyVoucherPayload,
  voucherPayloadQrSegments,
} from '@pass/voucher-code';
import { expect } from 'chai';
import QRCode from 'qrcode';
import { deriveVoucherCode } from '../generation/voucher-code-derivation';
import { bookletsToRender } from './pass-source';

// Issue #5 §3: the signed payload must fit a QR code of version 7 or less at level M in alphanumeric mode.
describe('QR payload of a printed pass', () => {
  for (const kid of ['K1', 'ZZZZ']) {
    it(`fits QR version 7 or less at level M, all alphanumeric, with kid ${kid}`, async () => {
      const key = generateVoucherSigningKey(kid);
      const seed = randomBytes(32);
      const booklets = bookletsToRender({ number: 123_456, bookletSize: 10, bookletCount: 3 }, seed, {
        kid,
        privateKey: key.privateKeyPem,
      });
      const keyring = createKeyring([{ kid, publicKey: key.publicKeyPem }]);
      let passes = 0;
      for await (const booklet of booklets) {
        for (const [slot, pass] of booklet.passes.entries()) {
          const serial = (booklet.number - 1) * 10 + slot + 1;
          const qr = QRCode.create(voucherPayloadQrSegments(pass.payload), { errorCorrectionLevel: 'M' });
          expect(qr.version).to.be.at.most(7);
          expect(qr.segments.every((segment) => segment.mode.id === 'Alphanumeric')).to.equal(true);
          expect(/^[0-9A-Z $%*+\-./:]+$/.test(pass.payload)).to.equal(true);
          // The QR carries exactly the pass's derived code, under a valid signature.
          const verified = verifyVoucherPayload(pass.payload, keyring);
          expect(verified).to.deep.include({ ok: true, code: deriveVoucherCode(seed, serial), kid });
          passes++;
        }
      }
      expect(passes).to.equal(30);
    });
  }

  it('prints the serial as <batch>-<serial> and the code in groups with its check symbol apart', async () => {
    const key = generateVoucherSigningKey('K1');
    const seed = randomBytes(32);
    const iterator = bookletsToRender({ number: 42, bookletSize: 5, bookletCount: 2 }, seed, {
      kid: 'K1',
      privateKey: key.privateKeyPem,
    });
    const first = await iterator.next();
    const second = await iterator.next();
    expect(first.done).to.equal(false);
    if (first.done || second.done) return;
    expect(first.value.number).to.equal(1);
    expect(second.value.passes[0]!.serial).to.equal('000042-0000006');
    const code = deriveVoucherCode(seed, 6);
    expect(second.value.passes[0]!.displayCode).to.equal(
      `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}-${code.slice(12, 16)}-${code.slice(16)}`,
    );
    expect((await iterator.next()).done).to.equal(true);
  });
});
