import { expect } from 'chai';
import fc from 'fast-check';
import {
  checkWeight,
  computeCheckSymbol,
  hasValidCheckSymbol,
  MAX_CHECKED_DATA_LENGTH,
} from './check-symbol';
import { CROCKFORD_ALPHABET } from './crockford-base32';
import { arbitraryVoucherCode } from './voucher-test-fixtures';

function substitute(code: string, position: number, symbol: string): string {
  return code.slice(0, position) + symbol + code.slice(position + 1);
}

function swap(code: string, i: number, j: number): string {
  const symbols = [...code];
  [symbols[i], symbols[j]] = [symbols[j]!, symbols[i]!];
  return symbols.join('');
}

describe('check symbol (parity over GF(32))', () => {
  it('gives the 31 symbol positions pairwise different weights (x^5 + x^2 + 1 is primitive)', () => {
    const weights = Array.from({ length: 31 }, (_, k) => checkWeight(k));
    expect(new Set(weights).size).to.equal(31);
    expect(weights).not.to.include(0);
    expect(checkWeight(31)).to.equal(1);
  });

  it('keeps the check symbols of codes already printed (pinned vectors)', () => {
    // Computed independently from the definition sum(alpha^(n-i) * s_i) = 0; changing the polynomial or
    // the weights would invalidate every booklet in circulation.
    expect(computeCheckSymbol('0000000000000000')).to.equal('0');
    expect(computeCheckSymbol('0000000000000001')).to.equal('2');
    expect(computeCheckSymbol('1000000000000000')).to.equal('V');
    expect(computeCheckSymbol('7K3MQX9P2D4FHR8T')).to.equal('4');
    expect(computeCheckSymbol('ZZZZZZZZZZZZZZZZ')).to.equal('M');
  });

  it('accepts data followed by its own check symbol, for any length it covers', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-HJKMNP-TV-Z]{0,30}$/), (data) => {
        expect(hasValidCheckSymbol(data + computeCheckSymbol(data))).to.equal(true);
      }),
    );
  });

  it('catches every single-symbol substitution, at every position including the check symbol', () => {
    fc.assert(
      fc.property(arbitraryVoucherCode, (code) => {
        for (let position = 0; position < code.length; position++) {
          for (const symbol of CROCKFORD_ALPHABET) {
            if (symbol === code[position]) continue;
            expect(
              hasValidCheckSymbol(substitute(code, position, symbol)),
              `${code} @${position}=${symbol}`,
            ).to.equal(false);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('catches every adjacent transposition, including data and check symbol swapped', () => {
    fc.assert(
      fc.property(arbitraryVoucherCode, (code) => {
        for (let i = 0; i + 1 < code.length; i++) {
          if (code[i] === code[i + 1]) continue;
          expect(hasValidCheckSymbol(swap(code, i, i + 1)), `${code} swap ${i}`).to.equal(false);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('catches transpositions of non-adjacent symbols too', () => {
    fc.assert(
      fc.property(arbitraryVoucherCode, fc.nat(16), fc.nat(16), (code, i, j) => {
        fc.pre(code[i] !== code[j]);
        expect(hasValidCheckSymbol(swap(code, i, j))).to.equal(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses to protect more symbols than the guarantees hold for', () => {
    expect(() => computeCheckSymbol('0'.repeat(MAX_CHECKED_DATA_LENGTH + 1))).to.throw(RangeError);
    expect(() => computeCheckSymbol('0I')).to.throw(RangeError);
  });
});
