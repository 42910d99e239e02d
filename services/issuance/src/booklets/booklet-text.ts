import { Money } from '@pass/money';
import { toWinAnsi } from './pdf-text';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Formats an ISO calendar date ("2026-12-31") the French way ("31/12/2026"); throws on anything else. */
export function formatFrenchDate(isoDate: string): string {
  const match = ISO_DATE.exec(isoDate);
  const date = match ? new Date(`${isoDate}T00:00:00Z`) : null;
  if (!match || !date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== isoDate) {
    throw new RangeError(`Not an ISO calendar date (YYYY-MM-DD): ${JSON.stringify(isoDate)}`);
  }
  return `${match[3]}/${match[2]}/${match[1]}`;
}

/** Formats a decimal-string amount ("10.00") for a PDF page: "10,00 €", spaces that Helvetica has. */
export function formatPdfAmount(amount: string): string {
  return toWinAnsi(Money.parse(amount).formatFr());
}

/** `count` times a decimal-string amount, formatted like formatPdfAmount ("100,00 €"). */
export function formatPdfTotal(amount: string, count: number): string {
  return toWinAnsi(Money.parse(amount).times(count).formatFr());
}
