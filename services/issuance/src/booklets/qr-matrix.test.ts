import { expect } from 'chai';
import fc from 'fast-check';
import QRCode from 'qrcode';
import { buildPayload } from './booklet-test-data';
import { createQrMatrix, formatInfoBits } from './qr-matrix';

const ALPHANUMERIC_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:'.split('');
const LEVEL_M = 0b00;
const LEVEL_L = 0b01;

// The reference: qrcode itself, choosing the mask by the standard penalty rules.
function referenceSymbol(payload: string) {
  const segments = /^[0-9A-Z $%*+\-./:]*$/.test(payload)
    ? [{ data: payload, mode: 'alphanumeric' as const }]
    : payload;
  return QRCode.create(segments, { errorCorrectionLevel: 'M' });
}

function expectSameSymbol(payload: string): void {
  const reference = referenceSymbol(payload);
  const matrix = createQrMatrix(payload);
  expect(matrix.size, 'size').to.equal(reference.modules.size);
  expect(matrix.maskPattern, 'mask pattern').to.equal(reference.maskPattern);
  expect(Buffer.from(matrix.modules).equals(Buffer.from(reference.modules.data)), 'modules').to.equal(true);
}

describe('createQrMatrix', () => {
  it('builds the very symbol qrcode builds for our 128-character pass payloads (version 6)', () => {
    for (let i = 0; i < 40; i++) expectSameSymbol(buildPayload());
    expect(createQrMatrix(buildPayload()).version).to.equal(6);
  });

  it('picks the same mask as qrcode for alphanumeric payloads of any length, hence any version', () => {
    // Lengths drawn uniformly: fast-check's default sizes would stay below version 3, and from version 14
    // on (a 73-module side) a line spans four of the 32-bit words the penalty is computed on.
    const alphanumeric = fc
      .integer({ min: 1, max: 1000 })
      .chain((length) =>
        fc.array(fc.constantFrom(...ALPHANUMERIC_CHARS), { minLength: length, maxLength: length }),
      );
    fc.assert(
      fc.property(alphanumeric, (chars) => {
        expectSameSymbol(chars.join(''));
      }),
      { numRuns: 60 },
    );
  });

  it('keeps qrcode automatic segmentation for payloads outside alphanumeric mode', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200, size: 'max' }), (payload) => {
        fc.pre(!/^[0-9A-Z $%*+\-./:]*$/.test(payload));
        expectSameSymbol(payload);
      }),
      { numRuns: 40 },
    );
  });

  it('refuses a payload too long for any QR version, as qrcode does', () => {
    expect(() => createQrMatrix('A'.repeat(4000))).to.throw(/too big/);
  });
});

describe('formatInfoBits', () => {
  it('gives the format information of ISO/IEC 18004 table C.1', () => {
    expect(formatInfoBits(LEVEL_M, 0).toString(2).padStart(15, '0')).to.equal('101010000010010');
    expect(formatInfoBits(LEVEL_M, 5).toString(2).padStart(15, '0')).to.equal('100000011001110');
    expect(formatInfoBits(LEVEL_L, 0).toString(2).padStart(15, '0')).to.equal('111011111000100');
  });
});
