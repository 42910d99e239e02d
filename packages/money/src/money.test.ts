import { expect } from 'chai';
import { Decimal } from 'decimal.js';
import { Money } from './money';
import { MoneyError, MoneyParseError } from './money-error';

const eur = (amount: string) => Money.parse(amount);

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return error instanceof MoneyError ? error.code : `not a MoneyError: ${String(error)}`;
  }
  return undefined;
}

describe('Money', () => {
  describe('parse', () => {
    for (const [input, cents] of [
      ['10.00', 1000n],
      ['0.5', 50n],
      ['-3.10', -310n],
      ['10', 1000n],
      ['0.05', 5n],
      ['-0.00', 0n],
      ['92233720368547758.07', 2n ** 63n - 1n],
    ] as const) {
      it(`reads "${input}" as ${cents} cents`, () => {
        const money = Money.parse(input);
        expect(money.toCents()).to.equal(cents);
        expect(money.currency).to.equal('EUR');
      });
    }

    for (const input of [
      '',
      ' ',
      ' 10.00',
      '10.00 ',
      '10.001',
      '0.000',
      '1e3',
      '1E-2',
      'NaN',
      'Infinity',
      '-',
      '+1.00',
      '.5',
      '5.',
      '01.00',
      '-01',
      '1,234.00',
      '1 234.00',
      '1\u202f234,00',
      '10,00',
      '0x10',
      '١٠',
      '10 €',
      '92233720368547758.08',
    ]) {
      it(`refuses ${JSON.stringify(input)} with code invalid_amount`, () => {
        expect(() => Money.parse(input))
          .to.throw(MoneyParseError)
          .with.property('code', 'invalid_amount');
      });
    }

    it('refuses a JavaScript number smuggled past the types', () => {
      expect(codeOf(() => Money.parse(10 as unknown as string))).to.equal('invalid_amount');
    });

    it('refuses unknown currencies and currencies without two decimals', () => {
      for (const currency of ['eur', 'EURO', 'XYZ', 'JPY', 'KWD', '']) {
        expect(
          codeOf(() => Money.parse('1.00', currency)),
          currency,
        ).to.equal('invalid_currency');
      }
    });

    it('keeps another two-decimal currency', () => {
      expect(Money.parse('1.00', 'CHF').toJSON()).to.deep.equal({ amount: '1.00', currency: 'CHF' });
    });
  });

  describe('cents', () => {
    it('builds from a bigint or a database string and gives both back', () => {
      expect(Money.fromCents(123456n).toString()).to.equal('1234.56');
      expect(Money.fromCents('-5').toString()).to.equal('-0.05');
      expect(Money.fromCents('99999999999999999999999').toCentsString()).to.equal('99999999999999999999999');
      expect(Money.fromCents(-1050n).toCentsString()).to.equal('-1050');
    });

    it('refuses cent strings that are not plain integers, and numbers', () => {
      for (const input of ['', '1.5', '1e3', ' 1', '01', '+1', 'abc']) {
        expect(
          codeOf(() => Money.fromCents(input)),
          input,
        ).to.equal('invalid_amount');
      }
      expect(codeOf(() => Money.fromCents(10 as unknown as bigint))).to.equal('invalid_amount');
    });

    it('has a zero in each currency', () => {
      expect(Money.zero().toJSON()).to.deep.equal({ amount: '0.00', currency: 'EUR' });
      expect(Money.zero('USD').currency).to.equal('USD');
    });
  });

  describe('output', () => {
    it('serialises to a decimal string with its currency, never a number', () => {
      expect(JSON.stringify({ total: eur('10') })).to.equal('{"total":{"amount":"10.00","currency":"EUR"}}');
      expect(eur('-0.5').toJSON()).to.deep.equal({ amount: '-0.50', currency: 'EUR' });
    });

    for (const [input, shown] of [
      ['10.00', '10,00\u00a0€'],
      ['0.05', '0,05\u00a0€'],
      ['999.99', '999,99\u00a0€'],
      ['1234.56', '1\u202f234,56\u00a0€'],
      ['1234567.89', '1\u202f234\u202f567,89\u00a0€'],
      ['-10.00', '-10,00\u00a0€'],
      ['-0.01', '-0,01\u00a0€'],
    ] as const) {
      it(`shows ${input} in French as ${JSON.stringify(shown)}`, () => {
        expect(eur(input).formatFr()).to.equal(shown);
      });
    }

    it('uses the French symbol of other currencies', () => {
      expect(Money.parse('2.50', 'USD').formatFr()).to.equal('2,50\u00a0$US');
    });

    it('writes the FEC decimal: comma, no grouping, two decimals', () => {
      expect(eur('1234.56').toFrenchDecimal()).to.equal('1234,56');
      expect(eur('-0.05').toFrenchDecimal()).to.equal('-0,05');
      expect(eur('7').toFrenchDecimal()).to.equal('7,00');
    });

    it('gives an exact Decimal', () => {
      expect(eur('-1234.5').toDecimal().equals(new Decimal('-1234.5'))).to.equal(true);
    });

    it('refuses to act as a number in comparisons but reads as a string in templates', () => {
      const price = eur('9.00');
      expect(() => price > eur('10.00')).to.throw(TypeError);
      expect(() => +price).to.throw(TypeError);
      expect(`${price} EUR`).to.equal('9.00 EUR');
    });
  });

  describe('immutability', () => {
    it('cannot be changed in place', () => {
      const money = eur('10.00');
      expect(Object.isFrozen(money)).to.equal(true);
      expect(Reflect.set(money, 'currency', 'USD')).to.equal(false);
      expect(Reflect.set(money, 'cents', 1n)).to.equal(false);
      money.add(eur('1.00'));
      expect(money.toString()).to.equal('10.00');
    });

    it('is deep-equal only to the same amount', () => {
      expect(eur('10.00')).to.deep.equal(Money.fromCents(1000n));
      expect(eur('10.00')).not.to.deep.equal(eur('10.01'));
    });
  });

  describe('arithmetic', () => {
    it('adds, subtracts and negates', () => {
      expect(eur('10.00').add(eur('0.05')).toString()).to.equal('10.05');
      expect(eur('10.00').subtract(eur('10.05')).toString()).to.equal('-0.05');
      expect(eur('3.10').negate().toString()).to.equal('-3.10');
    });

    it('multiplies by whole numbers exactly (3 passes of 10.00)', () => {
      expect(eur('10.00').times(3n).toString()).to.equal('30.00');
      expect(eur('10.00').times(3).toString()).to.equal('30.00');
      expect(eur('10.00').times(-2).toString()).to.equal('-20.00');
      expect(codeOf(() => eur('10.00').times(1.5))).to.equal('invalid_argument');
      expect(codeOf(() => eur('10.00').times(Number.NaN))).to.equal('invalid_argument');
    });

    it('sums a list, empty lists included', () => {
      expect(Money.sum([eur('10.00'), eur('0.10'), eur('-1.00')]).toString()).to.equal('9.10');
      expect(Money.sum([]).toJSON()).to.deep.equal({ amount: '0.00', currency: 'EUR' });
      expect(Money.sum([], 'CHF').currency).to.equal('CHF');
      expect(Money.sum([Money.parse('1', 'USD')]).currency).to.equal('USD');
    });

    it('refuses to mix currencies', () => {
      const usd = Money.parse('1.00', 'USD');
      expect(codeOf(() => eur('1.00').add(usd))).to.equal('currency_mismatch');
      expect(codeOf(() => eur('1.00').subtract(usd))).to.equal('currency_mismatch');
      expect(codeOf(() => eur('1.00').compare(usd))).to.equal('currency_mismatch');
      expect(codeOf(() => Money.sum([eur('1.00'), usd]))).to.equal('currency_mismatch');
      expect(codeOf(() => Money.sum([usd], 'EUR'))).to.equal('currency_mismatch');
      expect(eur('1.00').equals(usd)).to.equal(false);
    });

    it('compares and tells the sign', () => {
      expect(eur('1.00').compare(eur('2.00'))).to.equal(-1);
      expect(eur('2.00').compare(eur('2'))).to.equal(0);
      expect(eur('-1.00').compare(eur('-2.00'))).to.equal(1);
      expect(eur('0').isZero()).to.equal(true);
      expect(eur('-0.01').isNegative()).to.equal(true);
      expect(eur('-0.01').isPositive()).to.equal(false);
      expect(eur('0.01').isPositive()).to.equal(true);
      expect(eur('0').isPositive() || eur('0').isNegative()).to.equal(false);
    });
  });

  describe('multiplyBy', () => {
    // Each row: amount, factor, then the result for half_up, half_even, down, up.
    for (const [amount, factor, halfUp, halfEven, down, up] of [
      ['0.01', '0.5', '0.01', '0.00', '0.00', '0.01'], // 0.005
      ['0.03', '0.5', '0.02', '0.02', '0.01', '0.02'], // 0.015
      ['0.05', '0.5', '0.03', '0.02', '0.02', '0.03'], // 0.025
      ['-0.01', '0.5', '-0.01', '0.00', '0.00', '-0.01'], // -0.005: modes are symmetric around zero
      ['0.01', '-0.5', '-0.01', '0.00', '0.00', '-0.01'],
      ['1234.50', '0.04', '49.38', '49.38', '49.38', '49.38'], // exact
      ['10.00', '0.0333', '0.33', '0.33', '0.33', '0.34'], // 0.333
      ['10.00', '0.0335', '0.34', '0.34', '0.33', '0.34'], // 0.335
      ['10.00', '0.0345', '0.35', '0.34', '0.34', '0.35'], // 0.345
      ['0.01', '0.0000000001', '0.00', '0.00', '0.00', '0.01'],
    ] as const) {
      it(`rounds ${amount} x ${factor} to ${halfUp} / ${halfEven} / ${down} / ${up} (half_up, half_even, down, up)`, () => {
        expect(eur(amount).multiplyBy(factor, 'half_up').toString()).to.equal(halfUp);
        expect(eur(amount).multiplyBy(factor, 'half_even').toString()).to.equal(halfEven);
        expect(eur(amount).multiplyBy(factor, 'down').toString()).to.equal(down);
        expect(eur(amount).multiplyBy(factor, 'up').toString()).to.equal(up);
      });
    }

    it('takes a Decimal factor', () => {
      expect(eur('30.00').multiplyBy(new Decimal('0.04'), 'half_up').toString()).to.equal('1.20');
    });

    it('stays exact beyond the 20 significant digits decimal.js keeps by default', () => {
      const big = Money.fromCents(12345678901234567890123n);
      expect(big.multiplyBy('1.1', 'half_up').toCents()).to.equal(13580246791358024679135n);
    });

    it('rounds once on a statement total, which can differ from rounding each line', () => {
      const lines = [eur('0.10'), eur('0.10'), eur('0.10')];
      const perLine = Money.sum(lines.map((line) => line.multiplyBy('0.05', 'half_up')));
      const once = Money.sum(lines).multiplyBy('0.05', 'half_up');
      expect(perLine.toString()).to.equal('0.03');
      expect(once.toString()).to.equal('0.02');
    });

    it('refuses malformed factors and a missing rounding mode', () => {
      for (const factor of ['', '1e2', '4%', '0,04', ' 1', 'abc', '.5']) {
        expect(
          codeOf(() => eur('1.00').multiplyBy(factor, 'half_up')),
          factor,
        ).to.equal('invalid_argument');
      }
      expect(codeOf(() => eur('1.00').multiplyBy(new Decimal(Number.NaN), 'half_up'))).to.equal(
        'invalid_argument',
      );
      expect(codeOf(() => eur('1.00').multiplyBy(new Decimal('Infinity'), 'up'))).to.equal(
        'invalid_argument',
      );
      expect(() => eur('1.00').multiplyBy('2', undefined as unknown as 'up')).to.throw(TypeError);
    });
  });

  describe('allocate', () => {
    const split = (amount: string, weights: (bigint | string)[]) =>
      eur(amount)
        .allocate(weights)
        .map((part) => part.toString());

    it('gives leftover cents to earlier parts on a tie', () => {
      expect(split('0.10', [1n, 1n, 1n])).to.deep.equal(['0.04', '0.03', '0.03']);
      expect(split('0.05', [1n, 1n])).to.deep.equal(['0.03', '0.02']);
    });

    it('gives leftover cents to the largest remainders first', () => {
      // Exact shares: 0.0333..., 0.0666...: the second part has the larger remainder.
      expect(split('0.10', [1n, 2n])).to.deep.equal(['0.03', '0.07']);
      expect(split('1.00', [3n, 3n, 1n])).to.deep.equal(['0.43', '0.43', '0.14']);
    });

    it('mirrors the split of a negative amount', () => {
      expect(split('-0.10', [1n, 1n, 1n])).to.deep.equal(['-0.04', '-0.03', '-0.03']);
    });

    it('accepts decimal and integer string weights', () => {
      expect(split('100.00', ['0.5', '0.25', '0.25'])).to.deep.equal(['50.00', '25.00', '25.00']);
      expect(split('10.00', ['1.5', 1n, '0'])).to.deep.equal(['6.00', '4.00', '0.00']);
    });

    it('splits evenly with the larger parts first', () => {
      expect(
        eur('10.00')
          .allocateEvenly(3)
          .map((part) => part.toString()),
      ).to.deep.equal(['3.34', '3.33', '3.33']);
      expect(eur('0.01').allocateEvenly(1)[0]!.toString()).to.equal('0.01');
    });

    it('refuses empty, all-zero, negative or malformed weights', () => {
      for (const weights of [[], [0n], ['0', '0.0'], [-1n, 2n], ['-1'], ['1e2'], [' 1'], ['.5']]) {
        expect(
          codeOf(() => eur('1.00').allocate(weights)),
          JSON.stringify(weights.map(String)),
        ).to.equal('invalid_argument');
      }
      for (const n of [0, -1, 1.5, Number.NaN]) {
        expect(
          codeOf(() => eur('1.00').allocateEvenly(n)),
          String(n),
        ).to.equal('invalid_argument');
      }
    });
  });
});
