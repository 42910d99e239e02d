import { expect } from 'chai';
import fc from 'fast-check';
import { CROCKFORD_ALPHABET } from './crockford-base32';
import {
  checkPartialCode,
  checkVoucherCode,
  formatVoucherCode,
  normalizeVoucherCode,
  toCanonicalVoucherCode,
  VOUCHER_CODE_LENGTH,
} from './voucher-code';
import { arbitraryVoucherCode } from './voucher-test-fixtures';

// 7K3MQX9P2D4FHR8T followed by its check symbol 4 (see the pinned vectors in check-symbol.test.ts).
const CODE = '7K3MQX9P2D4FHR8T4';

/** Same code as a person might type it: random case, separators anywhere, look-alike letters. */
const arbitraryTypedSpelling = (code: string) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: code.length, maxLength: code.length }),
      fc.array(fc.constantFrom('', '', '', ' ', '-', '  ', ' - ', '\u00a0', '\u2013'), {
        minLength: code.length + 1,
        maxLength: code.length + 1,
      }),
      fc.array(fc.boolean(), { minLength: code.length, maxLength: code.length }),
    )
    .map(([lower, separators, lookAlike]) => {
      let typed = separators[0]!;
      [...code].forEach((symbol, i) => {
        let typedSymbol = symbol;
        if (lookAlike[i] && symbol === '1') typedSymbol = i % 2 === 0 ? 'I' : 'L';
        if (lookAlike[i] && symbol === '0') typedSymbol = 'O';
        typed += (lower[i] ? typedSymbol.toLowerCase() : typedSymbol) + separators[i + 1]!;
      });
      return typed;
    });

describe('voucher code', () => {
  describe('normalizeVoucherCode', () => {
    it('upper-cases, strips spaces and hyphens and maps I, L to 1 and O to 0', () => {
      expect(normalizeVoucherCode(' 7k3m-qx9p 2d4f-hr8t - 4 ')).to.equal(CODE);
      expect(normalizeVoucherCode('ILio-0')).to.equal('11100');
    });

    it('turns any typed spelling of a code back into the canonical code', () => {
      fc.assert(
        fc.property(
          arbitraryVoucherCode.chain((code) => fc.tuple(fc.constant(code), arbitraryTypedSpelling(code))),
          ([code, typed]) => {
            expect(normalizeVoucherCode(typed)).to.equal(code);
            expect(checkVoucherCode(typed)).to.deep.equal({ ok: true, code });
          },
        ),
      );
    });

    it('is idempotent', () => {
      fc.assert(
        fc.property(fc.string(), (input) => {
          const once = normalizeVoucherCode(input);
          expect(normalizeVoucherCode(once)).to.equal(once);
        }),
      );
    });

    it('does not let non-ASCII letters pass for code symbols', () => {
      // 'ı'.toUpperCase() is 'I' and 'ſ'.toUpperCase() is 'S': they must stay foreign.
      expect(checkVoucherCode(`ı${CODE.slice(1)}`)).to.deep.equal({ ok: false, reason: 'malformed' });
      expect(normalizeVoucherCode('ſ')).to.equal('ſ');
    });
  });

  describe('checkVoucherCode', () => {
    it('accepts the display form and returns the canonical code', () => {
      expect(checkVoucherCode('7K3M-QX9P-2D4F-HR8T-4')).to.deep.equal({ ok: true, code: CODE });
    });

    it('refuses a code with a wrong check character as a typo', () => {
      expect(checkVoucherCode('7K3M-QX9P-2D4F-HR8T-5')).to.deep.equal({ ok: false, reason: 'typo' });
    });

    it('reports every single-character substitution by another alphabet symbol as a typo', () => {
      fc.assert(
        fc.property(
          arbitraryVoucherCode,
          fc.nat(VOUCHER_CODE_LENGTH - 1),
          fc.constantFrom(...CROCKFORD_ALPHABET),
          (code, position, symbol) => {
            fc.pre(code[position] !== symbol);
            const typo = code.slice(0, position) + symbol + code.slice(position + 1);
            expect(checkVoucherCode(typo)).to.deep.equal({ ok: false, reason: 'typo' });
          },
        ),
        { numRuns: 3000 },
      );
    });

    it('reports every adjacent transposition as a typo', () => {
      fc.assert(
        fc.property(arbitraryVoucherCode, fc.nat(VOUCHER_CODE_LENGTH - 2), (code, i) => {
          fc.pre(code[i] !== code[i + 1]);
          const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
          expect(checkVoucherCode(swapped)).to.deep.equal({ ok: false, reason: 'typo' });
        }),
        { numRuns: 3000 },
      );
    });

    it('calls a symbol outside the alphabet or a wrong length malformed, not a typo', () => {
      for (const input of [
        '',
        CODE.slice(1),
        `${CODE}0`,
        `U${CODE.slice(1)}`,
        `${CODE.slice(0, 8)}.${CODE.slice(9)}`,
      ]) {
        expect(checkVoucherCode(input), input).to.deep.equal({ ok: false, reason: 'malformed' });
      }
    });
  });

  describe('formatVoucherCode', () => {
    it('shows four groups of four and the check symbol apart', () => {
      expect(formatVoucherCode(CODE)).to.equal('7K3M-QX9P-2D4F-HR8T-4');
    });

    it('formats any code so that it reads back as the same code', () => {
      fc.assert(
        fc.property(arbitraryVoucherCode, (code) => {
          const shown = formatVoucherCode(code);
          expect(shown).to.match(/^([0-9A-HJKMNP-TV-Z]{4}-){4}[0-9A-HJKMNP-TV-Z]$/);
          expect(checkVoucherCode(shown)).to.deep.equal({ ok: true, code });
        }),
      );
    });

    it('refuses to format something that is not a valid code', () => {
      expect(() => formatVoucherCode('7K3M-QX9P-2D4F-HR8T-5')).to.throw(RangeError, /typo/);
      expect(() => toCanonicalVoucherCode('hello')).to.throw(RangeError, /malformed/);
    });
  });

  describe('checkPartialCode', () => {
    it('stays undecided while a valid beginning is typed', () => {
      for (let length = 0; length < VOUCHER_CODE_LENGTH; length++) {
        expect(
          checkPartialCode(formatVoucherCode(CODE).slice(0, length + Math.floor(length / 4))),
        ).to.deep.equal({
          complete: false,
          valid: null,
        });
      }
    });

    it('says valid once the last symbol completes a correct code', () => {
      expect(checkPartialCode('7k3m qx9p 2d4f hr8t 4')).to.deep.equal({ complete: true, valid: true });
    });

    it('flags a wrong check symbol as soon as the code is complete', () => {
      expect(checkPartialCode('7K3M-QX9P-2D4F-HR8T-5')).to.deep.equal({
        complete: true,
        valid: false,
        reason: 'typo',
      });
    });

    it('flags a foreign character at once, before the code is complete', () => {
      expect(checkPartialCode('7K3U')).to.deep.equal({ complete: false, valid: false, reason: 'malformed' });
    });

    it('flags too many symbols', () => {
      expect(checkPartialCode(`${CODE}0`)).to.deep.equal({
        complete: true,
        valid: false,
        reason: 'malformed',
      });
    });
  });
});
