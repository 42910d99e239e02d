/** Stable codes for every refusal of the SEPA building blocks; callers branch on these, never on messages. */
export type SepaErrorCode =
  | 'no_payments'
  | 'invalid_message_id'
  | 'invalid_end_to_end_id'
  | 'duplicate_end_to_end_id'
  | 'invalid_iban'
  | 'iban_not_sepa'
  | 'invalid_bic'
  | 'invalid_country'
  | 'missing_field'
  | 'field_too_long'
  | 'invalid_amount'
  | 'amount_not_positive'
  | 'amount_too_large'
  | 'invalid_date'
  | 'invalid_reason_code'
  | 'invalid_xml'
  | 'unsupported_message';

/** Error thrown by the pain.001 and camt.054 code; `code` is stable, `details` names the offending field. */
export class SepaError extends Error {
  override readonly name = 'SepaError';

  constructor(
    readonly code: SepaErrorCode,
    message: string,
    readonly details: Readonly<Record<string, string | number>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
