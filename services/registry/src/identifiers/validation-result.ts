/** A refused identifier, with a stable reason code callers can switch on. */
export type Invalid<Reason extends string> = { ok: false; reason: Reason };

/** An accepted identifier: `value` is the normalised form to store; `Extra` carries what was learnt on the way. */
export type Valid<Extra extends object = object> = { ok: true; value: string } & Extra;

export type ValidationResult<Reason extends string, Extra extends object = object> =
  | Valid<Extra>
  | Invalid<Reason>;

// Spaces (including the no-break and narrow no-break spaces word processors insert), dots and dashes are
// how people group digits on paper; they carry no meaning in any identifier we validate.
const GROUPING = /[\s\u00a0\u202f.-]/g;

/** Removes the grouping characters people type between digits. */
export function stripGrouping(input: string): string {
  return input.replace(GROUPING, '');
}
