import { expect } from 'chai';
import { decodeCrockfordBase32 } from './crockford-base32';
import {
  generateVoucherCode,
  VOUCHER_CODE_RANDOM_BYTES,
  voucherCodeFromRandomBytes,
} from './generate-voucher-code';
import {
  checkVoucherCode,
  VOUCHER_CODE_DATA_LENGTH,
  VOUCHER_CODE_ENTROPY_BITS,
  VOUCHER_CODE_LENGTH,
} from './voucher-code';

describe('generateVoucherCode', () => {
  const sample = Array.from({ length: 20_000 }, generateVoucherCode);

  it('carries at least 80 random bits in 16 data symbols plus one check symbol', () => {
    expect(VOUCHER_CODE_ENTROPY_BITS).to.be.at.least(80);
    expect(VOUCHER_CODE_DATA_LENGTH * Math.log2(32)).to.be.at.least(80);
    for (const code of sample.slice(0, 100)) expect(code).to.have.length(VOUCHER_CODE_LENGTH);
  });

  it('produces canonical codes that pass their own check', () => {
    for (const code of sample) expect(checkVoucherCode(code)).to.deep.equal({ ok: true, code });
  });

  it('varies every one of the 80 data bits', () => {
    const seenOne = new Uint8Array(VOUCHER_CODE_RANDOM_BYTES);
    const seenZero = new Uint8Array(VOUCHER_CODE_RANDOM_BYTES);
    for (const code of sample.slice(0, 2000)) {
      const bytes = decodeCrockfordBase32(
        code.slice(0, VOUCHER_CODE_DATA_LENGTH),
        VOUCHER_CODE_RANDOM_BYTES,
      )!;
      bytes.forEach((byte, i) => {
        seenOne[i]! |= byte;
        seenZero[i]! |= ~byte & 0xff;
      });
    }
    expect([...seenOne]).to.deep.equal(Array(VOUCHER_CODE_RANDOM_BYTES).fill(0xff));
    expect([...seenZero]).to.deep.equal(Array(VOUCHER_CODE_RANDOM_BYTES).fill(0xff));
  });

  it('uses every symbol at every data position', () => {
    for (let position = 0; position < VOUCHER_CODE_DATA_LENGTH; position++) {
      // 20,000 draws: a given symbol is missing from a position with probability (31/32)^20000, about 1e-276.
      expect(new Set(sample.map((code) => code[position])).size, `position ${position}`).to.equal(32);
    }
  });

  it('does not repeat itself', () => {
    expect(new Set(sample).size).to.equal(sample.length);
  });

  it('builds codes only from exactly 10 random bytes', () => {
    expect(() => voucherCodeFromRandomBytes(new Uint8Array(9))).to.throw(RangeError);
    expect(() => voucherCodeFromRandomBytes(new Uint8Array(11))).to.throw(RangeError);
    expect(voucherCodeFromRandomBytes(new Uint8Array(10))).to.equal('00000000000000000');
  });
});
