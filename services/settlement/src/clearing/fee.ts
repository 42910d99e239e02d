import { Money, parseRate } from '@pass/money';

/**
 * The downstream fee of a statement: gross x rate, rounded half-up to the cent once, on the statement total
 * (DESIGN §4: never per line; three lines of 0.10 € at 5 % owe 0.02 €, not 3 x 0.01 €). The rate is the
 * contract's, a fraction between 0 and 1 ("0.015" for 1.5 %), as registry.associations stores it.
 */
export function statementFee(grossCents: bigint, rate: string): bigint {
  if (grossCents < 0n) throw new RangeError('a statement total is never negative');
  return Money.fromCents(grossCents)
    .multiplyBy(parseRate(normaliseRate(rate)), 'half_up')
    .toCents();
}

/** numeric(7,6) comes back as "0.015000"; parseRate accepts it, but "1.000000" and "0" are fine too. */
export function normaliseRate(rate: string): string {
  const trimmed = rate.trim();
  if (!trimmed.includes('.')) return trimmed;
  const stripped = trimmed.replace(/0+$/, '').replace(/\.$/, '');
  return stripped === '' ? '0' : stripped;
}

/** A rate as French people read it: "1,5 %". */
export function formatRateFr(rate: string): string {
  const normal = normaliseRate(rate);
  const [units = '0', decimals = ''] = normal.split('.');
  // x100 by moving the decimal point, so no float ever touches the rate.
  const padded = decimals.padEnd(2, '0');
  const percentUnits = String(BigInt(units + padded.slice(0, 2)));
  const percentDecimals = padded.slice(2).replace(/0+$/, '');
  return `${percentUnits}${percentDecimals ? `,${percentDecimals}` : ''}\u00a0%`;
}
