import { Money } from '@pass/money';

/** "1 234,56 €" as Intl fr-FR prints it, for PDFs and screens. */
export function euros(cents: bigint): string {
  return Money.fromCents(cents).formatFr();
}

/** "1234,56": decimal comma, no grouping, for CSV files that spreadsheets and bookkeeping tools import. */
export function frenchDecimal(cents: bigint): string {
  return Money.fromCents(cents).toFrenchDecimal();
}

/** "1234.56": the API form of an amount. */
export function decimalString(cents: bigint): string {
  return Money.fromCents(cents).toString();
}

/** `{ amount: "1234.56", currency: "EUR" }`: money in JSON. */
export function moneyJson(cents: bigint): { amount: string; currency: 'EUR' } {
  return { amount: decimalString(cents), currency: 'EUR' };
}
