import { hash } from 'node:crypto';
import type { Side } from './entry';

/** Everything about an entry that the hash chain protects. */
export interface HashableEntry {
  id: string;
  kind: string;
  reference: string;
  actor: string;
  description: string | null;
  currency: string;
  idempotencyKey: string | null;
  reversesEntryId: string | null;
  effectiveDate: string;
  /** posted_at as integer microseconds since the Unix epoch (exact, unlike a JS Date). */
  postedAtMicros: string;
  lines: HashableLine[];
}

/** A line as hashed: the account by code, so a line moved to another account id is caught too. */
export interface HashableLine {
  lineNo: number;
  account: string;
  side: Side;
  amount: string;
}

/** The previous hash of block 1. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);

/** Version tag opening every canonical entry. */
export const ENTRY_FORMAT_VERSION = 'pass-ledger-entry-v1';
const BLOCK_FORMAT_VERSION = 'pass-ledger-block-v1';

// Text fields are written `<UTF-8 byte length>:<text>` (null as `-`), so a newline or any other byte
// inside a field can never shift a boundary; ids, amounts and microseconds are plain decimal digits.
const field = (value: string): string => `${Buffer.byteLength(value, 'utf8')}:${value}`;
const nullableField = (value: string | null): string => (value === null ? '-' : field(value));

/**
 * The canonical form of an entry, one item per line: version, id, kind, reference, actor, description,
 * currency, idempotency key, reversed entry id, effective date, posted_at in microseconds, then one line
 * per entry line `<line_no> <account code field> <side> <amount>`. Sealing and verification on
 * PostgreSQL write the same bytes straight from binary COPY rows (entry-copy.ts; tests hold the two
 * together); this function documents the format, serves the other drivers and lets anyone recompute a
 * hash from an export.
 */
export function canonicalEntry(entry: HashableEntry): string {
  const items = [
    ENTRY_FORMAT_VERSION,
    entry.id,
    field(entry.kind),
    field(entry.reference),
    field(entry.actor),
    nullableField(entry.description),
    field(entry.currency),
    nullableField(entry.idempotencyKey),
    entry.reversesEntryId ?? '-',
    entry.effectiveDate,
    entry.postedAtMicros,
    ...entry.lines.map((line) => `${line.lineNo} ${field(line.account)} ${line.side} ${line.amount}`),
  ];
  return items.join('\n');
}

/** SHA-256 of a canonical entry. */
export function hashCanonical(canonical: string): Buffer {
  return hash('sha256', canonical, 'buffer');
}

/**
 * SHA-256 of a canonical entry (text or its UTF-8 bytes) as a 32-character latin1 string, one character
 * per byte. Verification compares these with the stored hashes: a short string costs far less to allocate
 * and collect than a Buffer (Node's 'binary' encoding is latin1).
 */
export function hashCanonicalLatin1(canonical: string | Uint8Array): string {
  return hash('sha256', canonical, 'binary');
}

/** SHA-256 of the canonical form of an entry. */
export function hashEntry(entry: HashableEntry): Buffer {
  return hashCanonical(canonicalEntry(entry));
}

/** SHA-256 of a block: version, block number, previous block hash, then the entry hashes in order. */
export function hashBlock(blockNo: string | bigint, prevHash: Buffer, entryHashes: Buffer): Buffer {
  const header = Buffer.from(`${BLOCK_FORMAT_VERSION}\n${String(blockNo)}\n`);
  return hash('sha256', Buffer.concat([header, prevHash, entryHashes]), 'buffer');
}
