import { SepaError } from './sepa-error';
import { isSepaIdentifier } from './sepa-text';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COMPACT_UUID = /^[0-9a-f]{32}$/;

/**
 * Maps a payout id to the EndToEndId sent to the bank and returned in camt.054. A UUID (36 characters, one
 * over the 35 allowed) loses its hyphens and is lower-cased; any other id must already be a valid SEPA
 * identifier and is kept as is, so the mapping can be reversed with `payoutIdFromEndToEndId`.
 */
export function endToEndIdFromPayoutId(payoutId: string): string {
  if (UUID.test(payoutId)) return payoutId.replaceAll('-', '').toLowerCase();
  // A non-UUID id of 32 hex digits would read back as a UUID: refuse it to keep the mapping reversible.
  if (!isSepaIdentifier(payoutId) || COMPACT_UUID.test(payoutId.toLowerCase())) {
    throw new SepaError(
      'invalid_end_to_end_id',
      'payout id is neither a UUID nor a 1-35 character SEPA identifier (no space, no leading, trailing or double /)',
      { payoutId },
    );
  }
  return payoutId;
}

/** Reverses `endToEndIdFromPayoutId`: 32 hex digits become a hyphenated UUID again, other ids are kept. */
export function payoutIdFromEndToEndId(endToEndId: string): string {
  const id = endToEndId.trim();
  // Banks may upper-case references on the way back; UUIDs are compared in lower case.
  const lower = id.toLowerCase();
  if (!COMPACT_UUID.test(lower)) return id;
  return `${lower.slice(0, 8)}-${lower.slice(8, 12)}-${lower.slice(12, 16)}-${lower.slice(16, 20)}-${lower.slice(20)}`;
}
