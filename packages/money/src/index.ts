export { type Currency, DEFAULT_CURRENCY } from './currency';
export { Money, type MoneyJson } from './money';
export { MoneyError, type MoneyErrorCode, MoneyParseError, RateParseError } from './money-error';
export { parsePercent, parseRate } from './rate';
export type { RoundingMode } from './rounding-mode';
