import { type FieldIssue, ValidationError } from '@pass/errors';
import { Money } from '@pass/money';
import { tryParseAccountCode } from './account-code';

/** Which column of the account a line moves. */
export type Side = 'debit' | 'credit';

/** One line of an entry to post: an account code, a side and a positive amount in integer cents. */
export interface LineInput {
  account: string;
  side: Side;
  amount: bigint;
}

/** An entry to post: two or more lines whose debits equal their credits, in one currency. */
export interface EntryInput {
  /** What happened, `^[a-z][a-z_]*$`; the kinds services use are listed in ENTRY_KINDS. */
  kind: string;
  /** The business object the entry comes from, e.g. `redemption:<uuid>` (FEC PieceRef). */
  reference: string;
  /** Who caused it: a user id, `job:<name>` or `system`. */
  actor: string;
  lines: readonly LineInput[];
  /** ISO 4217 code, EUR by default. */
  currency?: string;
  /** Free text for people (FEC EcritureLib); defaults to a French label of the kind in exports. */
  description?: string;
  /** Posting twice with the same key returns the first entry (see `post`). */
  idempotencyKey?: string;
  /** Accounting date `YYYY-MM-DD` (FEC EcritureDate); defaults to today in Europe/Paris. */
  effectiveDate?: string;
}

/** A stored line. */
export interface PostedLine {
  lineNo: number;
  account: string;
  side: Side;
  amount: bigint;
}

/** A stored entry as `post`, `reverse` and `getEntry` return it. Ids are decimal strings (bigint in SQL). */
export interface PostedEntry {
  id: string;
  kind: string;
  reference: string;
  actor: string;
  description: string | null;
  currency: string;
  idempotencyKey: string | null;
  reversesEntryId: string | null;
  effectiveDate: string;
  postedAt: Date;
  lines: PostedLine[];
  /** True when `post` found an earlier entry with the same idempotency key and returned it. */
  replayed: boolean;
}

/** Entry kinds used by the services. Any `^[a-z][a-z_]*$` kind is accepted; these have FEC journals. */
export const ENTRY_KINDS = Object.freeze([
  'funding_received',
  'batch_activated',
  'redemption',
  'redemption_undone',
  'payout_sent',
  'payout_rejected',
  'fee_charged',
  'expiry',
  'credit_note_refunded',
  'credit_note_used',
  'voucher_cancelled',
  'manual_adjustment',
  'reversal',
] as const);

/** One of the entry kinds the services use. */
export type KnownEntryKind = (typeof ENTRY_KINDS)[number];

const KIND = /^[a-z][a-z_]*$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_BIGINT = 2n ** 63n - 1n;
const MAX_LINES = 1000;
const MAX_TEXT = 500;

/** A debit line. */
export function debit(account: string, amount: bigint): LineInput {
  return { account, side: 'debit', amount };
}

/** A credit line. */
export function credit(account: string, amount: bigint): LineInput {
  return { account, side: 'credit', amount };
}

/** An entry input after validation, with its defaults applied. */
export interface ValidEntry {
  kind: string;
  reference: string;
  actor: string;
  description: string | null;
  currency: string;
  idempotencyKey: string | null;
  effectiveDate: string | null;
  lines: PostedLine[];
}

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

function isCurrency(value: unknown): value is string {
  if (typeof value !== 'string' || !/^[A-Z]{3}$/.test(value)) return false;
  try {
    Money.zero(value);
    return true;
  } catch {
    return false;
  }
}

function text(issues: FieldIssue[], path: string, value: unknown, required: boolean): string | null {
  if (value === undefined || value === null) {
    if (required) issues.push({ path, code: 'required', message: `${path} is required` });
    return null;
  }
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_TEXT) {
    issues.push({
      path,
      code: 'invalid_text',
      message: `${path} must be a non-blank string of at most ${MAX_TEXT}`,
    });
    return null;
  }
  return value;
}

/**
 * Checks an entry before anything touches the database: a known kind syntax, two or more lines on known
 * accounts, positive bigint amounts, debits equal to credits, one valid currency. Throws a ValidationError
 * listing every problem found.
 */
export function validateEntry(input: EntryInput): ValidEntry {
  const issues: FieldIssue[] = [];
  if (typeof input?.kind !== 'string' || !KIND.test(input.kind) || input.kind.length > 64) {
    issues.push({ path: 'kind', code: 'invalid_kind', message: 'kind must match ^[a-z][a-z_]*$' });
  }
  const reference = text(issues, 'reference', input?.reference, true);
  const actor = text(issues, 'actor', input?.actor, true);
  const description = text(issues, 'description', input?.description, false);
  const idempotencyKey = text(issues, 'idempotencyKey', input?.idempotencyKey, false);
  const currency = input?.currency ?? 'EUR';
  if (!isCurrency(currency)) {
    issues.push({ path: 'currency', code: 'invalid_currency', message: 'currency must be an ISO 4217 code' });
  }
  const effectiveDate = input?.effectiveDate ?? null;
  if (effectiveDate !== null && !isIsoDate(effectiveDate)) {
    issues.push({ path: 'effectiveDate', code: 'invalid_date', message: 'effectiveDate must be YYYY-MM-DD' });
  }

  const lines: PostedLine[] = [];
  const rawLines: readonly LineInput[] = Array.isArray(input?.lines) ? input.lines : [];
  if (rawLines.length < 2 || rawLines.length > MAX_LINES) {
    issues.push({ path: 'lines', code: 'too_few_lines', message: `an entry has 2 to ${MAX_LINES} lines` });
  }
  let debits = 0n;
  let credits = 0n;
  rawLines.forEach((line, index) => {
    const path = `lines.${index}`;
    let ok = true;
    if (!tryParseAccountCode(line?.account)) {
      issues.push({
        path: `${path}.account`,
        code: 'unknown_account',
        message: `unknown account ${line?.account}`,
      });
      ok = false;
    }
    if (line?.side !== 'debit' && line?.side !== 'credit') {
      issues.push({ path: `${path}.side`, code: 'invalid_side', message: 'side must be debit or credit' });
      ok = false;
    }
    if (typeof line?.amount !== 'bigint' || line.amount <= 0n || line.amount > MAX_BIGINT) {
      issues.push({
        path: `${path}.amount`,
        code: 'invalid_amount',
        message: 'amount must be a positive bigint number of cents',
      });
      ok = false;
    }
    if (!ok) return;
    if (line.side === 'debit') debits += line.amount;
    else credits += line.amount;
    lines.push({ lineNo: index + 1, account: line.account, side: line.side, amount: line.amount });
  });
  if (lines.length === rawLines.length && rawLines.length >= 2) {
    if (debits !== credits) {
      issues.push({
        path: 'lines',
        code: 'unbalanced_entry',
        message: `debits (${debits}) differ from credits (${credits})`,
      });
    } else if (debits > MAX_BIGINT) {
      issues.push({
        path: 'lines',
        code: 'invalid_amount',
        message: 'the entry total does not fit a bigint',
      });
    }
  }
  if (issues.length > 0) throw new ValidationError(issues, 'The ledger entry is not valid.');
  return {
    kind: input.kind,
    reference: reference!,
    actor: actor!,
    description,
    currency,
    idempotencyKey,
    effectiveDate,
    lines,
  };
}

/**
 * Whether a stored entry is the same posting as a new request with the same idempotency key: same kind,
 * reference, currency and lines (account, side, amount, in order), and the same accounting date when the
 * request names one. Actor and description are metadata and may differ on a retry.
 */
export function sameEntryContent(request: ValidEntry, stored: PostedEntry): boolean {
  if (request.kind !== stored.kind || request.reference !== stored.reference) return false;
  if (request.currency !== stored.currency) return false;
  if (request.effectiveDate !== null && request.effectiveDate !== stored.effectiveDate) return false;
  if (request.lines.length !== stored.lines.length) return false;
  return request.lines.every((line, index) => {
    const other = stored.lines[index];
    return (
      other !== undefined &&
      other.account === line.account &&
      other.side === line.side &&
      other.amount === line.amount
    );
  });
}

/** The opposite side. */
export function oppositeSide(side: Side): Side {
  return side === 'debit' ? 'credit' : 'debit';
}
