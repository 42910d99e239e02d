import { MoneyError } from './money-error';

/** An ISO 4217 currency code such as 'EUR'. */
export type Currency = string;

/** The currency used everywhere unless said otherwise. */
export const DEFAULT_CURRENCY: Currency = 'EUR';

// Symbols as Intl fr-FR prints them ('€', '$US', 'CHF'), cached because building a NumberFormat is slow.
const frenchSymbols = new Map<Currency, string>();

/**
 * Checks that `code` is an ISO 4217 code known to ICU with two minor-unit digits, and returns its French
 * symbol. Money stores cents, so currencies with 0 or 3 decimals (JPY, KWD) are refused rather than
 * silently mis-scaled.
 */
export function assertCurrency(code: string): Currency {
  if (frenchSymbols.has(code)) return code;
  if (!/^[A-Z]{3}$/.test(code) || !Intl.supportedValuesOf('currency').includes(code)) {
    throw new MoneyError('invalid_currency', `Unknown ISO 4217 currency: ${JSON.stringify(code)}`);
  }
  const format = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: code });
  if (format.resolvedOptions().maximumFractionDigits !== 2) {
    throw new MoneyError('invalid_currency', `Currency ${code} does not have two decimals`);
  }
  const symbol = format.formatToParts(1).find((part) => part.type === 'currency')?.value ?? code;
  frenchSymbols.set(code, symbol);
  return code;
}

/** The symbol Intl fr-FR uses for a currency ('€' for EUR). */
export function frenchCurrencySymbol(code: Currency): string {
  assertCurrency(code);
  return frenchSymbols.get(code) ?? code;
}
