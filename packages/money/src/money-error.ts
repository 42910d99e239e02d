/** Stable codes callers branch on (never on the message text). */
export type MoneyErrorCode =
  | 'invalid_amount'
  | 'invalid_rate'
  | 'invalid_currency'
  | 'currency_mismatch'
  | 'invalid_argument';

/** Base error of this package; `code` is stable and safe to send to API clients. */
export class MoneyError extends Error {
  readonly code: MoneyErrorCode;

  constructor(code: MoneyErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** An amount string or cent count that is not a strict decimal amount. */
export class MoneyParseError extends MoneyError {
  declare readonly code: 'invalid_amount';

  constructor(message: string) {
    super('invalid_amount', message);
  }
}

/** A rate or percentage that is malformed or outside [0, 1] (or [0, 100] for a percentage). */
export class RateParseError extends MoneyError {
  declare readonly code: 'invalid_rate';

  constructor(message: string) {
    super('invalid_rate', message);
  }
}
