import { randomBytes } from 'node:crypto';
import { checkVoucherCode, computeCheckSymbol, encodeCrockfordBase32 } from '@pass/voucher-code';
import { expect } from 'chai';
import fc from 'fast-check';
import {
  CODE_LENGTH,
  deriveCodeBlocks,
  deriveVoucherCode,
  deriveVoucherCodes,
  writeCodeAscii,
} from './voucher-code-derivation';

const seedArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes));
const serialArb = fc.integer({ min: 1, max: 2_000_000 });

describe('voucher code derivation', () => {
  it('gives valid canonical codes: 16 Crockford symbols and a correct check symbol', () => {
    fc.assert(
      fc.property(seedArb, serialArb, (seed, serial) => {
        const code = deriveVoucherCode(seed, serial);
        expect(checkVoucherCode(code)).to.deep.equal({ ok: true, code });
      }),
    );
  });

  it('derives the same code for the same seed and serial (a retried job writes identical codes)', () => {
    const seed = randomBytes(32);
    expect(deriveVoucherCode(seed, 12_345)).to.equal(deriveVoucherCode(Buffer.from(seed), 12_345));
  });

  it('derives a range equal to the codes of each serial taken one by one', () => {
    fc.assert(
      fc.property(seedArb, serialArb, fc.integer({ min: 1, max: 40 }), (seed, from, count) => {
        const range = deriveVoucherCodes(seed, from, count);
        expect(range).to.have.length(count);
        range.forEach((code, i) => {
          expect(code).to.equal(deriveVoucherCode(seed, from + i));
        });
      }),
      { numRuns: 50 },
    );
  });

  it('writes the same ASCII bytes on the hot path as the reference encoders of @pass/voucher-code', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 10, maxLength: 10 }), (bytes) => {
        const blocks = new Uint8Array(16);
        blocks.set(bytes);
        const ascii = new Uint8Array(CODE_LENGTH);
        writeCodeAscii(blocks, 0, ascii);
        const data = encodeCrockfordBase32(bytes);
        expect(Buffer.from(ascii).toString('latin1')).to.equal(data + computeCheckSymbol(data));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives different codes to different serials and to different seeds', () => {
    const seed = randomBytes(32);
    const codes = deriveVoucherCodes(seed, 1, 20_000);
    expect(new Set(codes).size).to.equal(20_000);
    expect(deriveVoucherCode(randomBytes(32), 1)).to.not.equal(codes[0]);
  });

  it('uses all 80 bits: every bit of the derived bytes takes both values over a batch', () => {
    const blocks = deriveCodeBlocks(randomBytes(32), 1, 5000);
    const seenOne = new Uint8Array(10);
    const seenZero = new Uint8Array(10);
    for (let i = 0; i < 5000; i++) {
      for (let b = 0; b < 10; b++) {
        seenOne[b]! |= blocks[16 * i + b]!;
        seenZero[b]! |= ~blocks[16 * i + b]! & 0xff;
      }
    }
    expect([...seenOne]).to.deep.equal(Array(10).fill(0xff));
    expect([...seenZero]).to.deep.equal(Array(10).fill(0xff));
  });

  it('refuses serial 0 (serials start at 1)', () => {
    expect(() => deriveVoucherCode(randomBytes(32), 0)).to.throw(RangeError);
  });
});
