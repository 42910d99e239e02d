import type { Db } from '@pass/db';
import type { Knex } from 'knex';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { rowsOf } from './db-values';
import { ENTRY_FORMAT_VERSION, hashCanonicalLatin1 } from './entry-hash';

/** Ids (decimal) and SHA-256 hashes (32-character latin1 strings) of consecutive entries, in id order. */
export interface EntryHashes {
  ids: string[];
  hashes: string[];
}

/**
 * Account codes by account id, as the canonical field `<byte length>:<code>`, filled on demand and kept
 * for one verification or sealing run (accounts are append-only; a renamed or deleted one is read as it
 * is now, so it fails the hash).
 */
export type AccountFields = Map<number, Buffer>;

const UNKNOWN_ACCOUNT = Buffer.from('8:#unknown');

// Plain columns, read as binary COPY: no text is built by the server (formatting dates, numbers and
// length prefixes in SQL cost it more than all the rest), and the client hashes straight from the bytes
// received, with no object or string per row. COPY takes no parameters: the bounds are bigint literals.
const entriesCopySql = (after: bigint, through: bigint) => `
  copy (select e.id, e.kind, e.reference, e.actor, e.description, e.currency, e.idempotency_key,
               e.reverses_entry_id, e.effective_date, e.posted_at
          from ledger.entries e
         where e.id > ${after}::bigint and e.id <= ${through}::bigint
         order by e.id) to stdout (format binary)`;
const linesCopySql = (after: bigint, through: bigint) => `
  copy (select l.entry_id, l.line_no, l.account_id, l.side, l.amount_cents
          from ledger.lines l
         where l.entry_id > ${after}::bigint and l.entry_id <= ${through}::bigint
         order by l.entry_id, l.line_no) to stdout (format binary)`;

interface PoolClient {
  acquireConnection(): Promise<pg.Client>;
  releaseConnection(connection: pg.Client): Promise<void>;
}

/** True when `db` runs on node-postgres (binary COPY available), false on PGlite. */
export function usesNodePostgres(db: Db): boolean {
  return (db.client as { config?: { client?: unknown } }).config?.client === 'pg';
}

/**
 * Runs a COPY TO STDOUT on a connection of the pool, or on the transaction's own connection (knex hands
 * that one out to a transaction). node-postgres reads text as UTF-8, so text columns arrive as UTF-8.
 */
async function copyOut(db: Db, sql: string): Promise<Buffer> {
  const client = db.client as unknown as PoolClient;
  const connection = await client.acquireConnection();
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of connection.query(copyTo(sql))) chunks.push(chunk as Buffer);
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  } finally {
    await client.releaseConnection(connection);
  }
}

const COPY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** Offset of the first row of a binary COPY (after the signature, flags and header extension). */
function firstRow(data: Buffer): number {
  if (data.length < 21 || !data.subarray(0, 11).equals(COPY_SIGNATURE)) {
    throw new Error('ledger: unexpected binary COPY header');
  }
  return 19 + i32(data, 15);
}

// Big-endian reads without the argument checks of Buffer#readInt32BE (offsets come from the rows
// themselves; past the end they read zeros, which fail the field-count check of the next row).
const i32 = (data: Buffer, at: number): number =>
  (data[at]! << 24) | (data[at + 1]! << 16) | (data[at + 2]! << 8) | data[at + 3]!;
const u32 = (data: Buffer, at: number): number => i32(data, at) >>> 0;
const i16 = (data: Buffer, at: number): number => ((data[at]! << 24) | (data[at + 1]! << 16)) >> 16;

function badRow(): never {
  throw new Error('ledger: unexpected binary COPY row (has the ledger schema changed?)');
}

/**
 * The length of a fixed-size field at `at`: `size`, or 0 for null (only possible if someone dropped a NOT
 * NULL constraint: the field is then left out of the canonical form, which no longer matches its hash).
 */
function fixedLength(data: Buffer, at: number, size: number): number {
  const length = i32(data, at);
  if (length === -1) return 0;
  if (length !== size) badRow();
  return size;
}

/** An int8 of a binary row as a number, exact below 2^53 (entry and account ids). */
function readId(data: Buffer, at: number): number {
  const high = i32(data, at);
  if (high < 0 || high >= 0x200000) throw new Error('ledger: id beyond 2^53');
  return high * 0x100000000 + u32(data, at + 4);
}

/** Skips the fields of a binary COPY row until field `index` (0-based); returns where its length is. */
function fieldAt(data: Buffer, rowStart: number, index: number): number {
  let at = rowStart + 2;
  for (let field = 0; field < index; field++) {
    const length = i32(data, at);
    at += 4 + Math.max(length, 0);
  }
  return at;
}

/** Account ids used by the lines of a binary COPY that `fields` does not know yet. */
function unknownAccountIds(lines: Buffer, fields: AccountFields): number[] {
  const missing = new Set<number>();
  let at = firstRow(lines);
  while (i16(lines, at) !== -1) {
    if (i16(lines, at) !== 5) badRow();
    const accountAt = fieldAt(lines, at, 2);
    if (i32(lines, accountAt) === 8) {
      const id = readId(lines, accountAt + 4);
      if (!fields.has(id)) missing.add(id);
    }
    at = fieldAt(lines, at, 5);
  }
  return [...missing];
}

async function loadAccountFields(db: Db, ids: number[], fields: AccountFields): Promise<void> {
  if (ids.length === 0) return;
  const rows = rowsOf<{ id: string; code: string }>(
    await db.raw('select a.id::text as id, a.code from ledger.accounts a where a.id = any(?::bigint[])', [
      ids.map(String),
    ]),
  );
  for (const row of rows) {
    const code = Buffer.from(row.code, 'utf8');
    fields.set(Number(row.id), Buffer.concat([Buffer.from(`${code.length}:`), code]));
  }
  // A line on an account that does not exist hashes as `#unknown`, so it fails.
  for (const id of ids) if (!fields.has(id)) fields.set(id, UNKNOWN_ACCOUNT);
}

/**
 * Ids and hashes of the entries with after < id <= through, read with two binary COPYs (entries, lines)
 * at once on two pooled connections (one after the other inside a transaction).
 */
export async function copyEntryHashes(
  db: Db,
  after: bigint,
  through: bigint,
  accountFields: AccountFields,
): Promise<EntryHashes> {
  let entries: Buffer;
  let lines: Buffer;
  if ((db as Knex.Transaction).isTransaction) {
    entries = await copyOut(db, entriesCopySql(after, through));
    lines = await copyOut(db, linesCopySql(after, through));
  } else {
    [entries, lines] = await Promise.all([
      copyOut(db, entriesCopySql(after, through)),
      copyOut(db, linesCopySql(after, through)),
    ]);
  }
  await loadAccountFields(db, unknownAccountIds(lines, accountFields), accountFields);
  return new CanonicalWriter(accountFields).hashAll(entries, lines);
}

const VERSION_LINE = Buffer.from(`${ENTRY_FORMAT_VERSION}\n`);
const NEWLINE = 0x0a;
const DASH = 0x2d;
const COLON = 0x3a;
const SPACE = 0x20;
const ZERO = 0x30;
/** PostgreSQL dates count days from 2000-01-01, timestamps microseconds from 2000-01-01 UTC. */
const POSTGRES_EPOCH_DAYS = 10_957;
const POSTGRES_EPOCH_MICROS = 946_684_800_000_000;

/**
 * Writes the canonical form of each entry (exactly `canonicalEntry` of entry-hash.ts, byte for byte)
 * from the binary rows into one reused buffer, and hashes it.
 */
class CanonicalWriter {
  // Starts with the version line, written once: every entry begins with it.
  private out = Buffer.allocUnsafe(64 * 1024);
  private at = VERSION_LINE.copy(this.out, 0);

  constructor(private readonly accountFields: AccountFields) {}

  hashAll(entries: Buffer, lines: Buffer): EntryHashes {
    const ids: string[] = [];
    const hashes: string[] = [];
    let line = firstRow(lines);
    let lineEntry = this.rowEntryId(lines, line);
    let row = firstRow(entries);
    for (;;) {
      const fields = i16(entries, row);
      if (fields === -1) break;
      if (fields !== 10 || i32(entries, row + 2) !== 8) badRow();
      const id = readId(entries, row + 6);
      // Lines of an entry that is gone are skipped: the chain then finds that entry missing.
      while (lineEntry !== -1 && lineEntry < id) {
        line = fieldAt(lines, line, 5);
        lineEntry = this.rowEntryId(lines, line);
      }
      this.at = VERSION_LINE.length;
      row = this.writeHeader(entries, row, id);
      while (lineEntry === id) {
        line = this.writeLine(lines, line);
        lineEntry = this.rowEntryId(lines, line);
      }
      ids.push(String(id));
      hashes.push(hashCanonicalLatin1(this.out.subarray(0, this.at)));
    }
    return { ids, hashes };
  }

  /** The entry id of the line row at `at`, or -1 after the last row. */
  private rowEntryId(lines: Buffer, at: number): number {
    const fields = i16(lines, at);
    if (fields === -1) return -1;
    if (fields !== 5 || i32(lines, at + 2) !== 8) badRow();
    return readId(lines, at + 6);
  }

  /** Version, id, kind, reference, actor, description, currency, key, reversed id, date, posted_at. */
  private writeHeader(data: Buffer, row: number, id: number): number {
    let at = row + 14; // field count, id length and id
    this.reserve(24);
    this.writeNumber(id);
    // Kind, reference, actor, description, currency, idempotency key: `<byte length>:<text>`, null as `-`.
    for (let field = 1; field <= 6; field++) {
      const length = i32(data, at);
      at += 4;
      this.reserve(Math.max(length, 0) + 24);
      this.out[this.at++] = NEWLINE;
      if (length < 0) {
        this.out[this.at++] = DASH;
        continue;
      }
      this.writeNumber(length);
      this.out[this.at++] = COLON;
      this.copyBytes(data, at, at + length);
      at += length;
    }
    this.reserve(96);
    this.out[this.at++] = NEWLINE;
    at = this.writeInt64Field(data, at, 0, true);
    this.out[this.at++] = NEWLINE;
    const dateLength = fixedLength(data, at, 4);
    if (dateLength === 4) this.writeDate(i32(data, at + 4));
    at += 4 + dateLength;
    this.out[this.at++] = NEWLINE;
    return this.writeInt64Field(data, at, POSTGRES_EPOCH_MICROS, false);
  }

  /** `\n<line_no> <length>:<account code> <side> <amount>`; returns the next row. */
  private writeLine(data: Buffer, row: number): number {
    let at = row + 14;
    this.reserve(40);
    this.out[this.at++] = NEWLINE;
    const lineNoLength = fixedLength(data, at, 2);
    if (lineNoLength === 2) this.writeNumber(i16(data, at + 4));
    at += 4 + lineNoLength;
    this.out[this.at++] = SPACE;
    const accountLength = fixedLength(data, at, 8);
    const account =
      (accountLength === 8 ? this.accountFields.get(readId(data, at + 4)) : undefined) ?? UNKNOWN_ACCOUNT;
    at += 4 + accountLength;
    const sideLength = i32(data, at);
    at += 4;
    this.reserve(account.length + Math.max(sideLength, 0) + 40);
    this.copyBytes(account, 0, account.length);
    this.out[this.at++] = SPACE;
    if (sideLength > 0) {
      this.copyBytes(data, at, at + sideLength);
      at += sideLength;
    }
    this.out[this.at++] = SPACE;
    return this.writeAmountField(data, at);
  }

  /** The line's amount (int8 cents) in decimal, through bigint: money never becomes a JS number. */
  private writeAmountField(data: Buffer, at: number): number {
    if (fixedLength(data, at, 8) === 0) return at + 4;
    this.at += this.out.write(data.readBigInt64BE(at + 4).toString(), this.at, 'latin1');
    return at + 12;
  }

  /** An int8 field plus `offset` in decimal (`-` for null when `dashForNull`); returns the next field. */
  private writeInt64Field(data: Buffer, at: number, offset: number, dashForNull: boolean): number {
    if (fixedLength(data, at, 8) === 0) {
      if (dashForNull) this.out[this.at++] = DASH;
      return at + 4;
    }
    const high = i32(data, at + 4);
    if (high > -0x100000 && high < 0x100000) {
      this.writeNumber(high * 0x100000000 + u32(data, at + 8) + offset);
    } else {
      // Far from any real id or timestamp: exact through BigInt.
      const value = data.readBigInt64BE(at + 4) + BigInt(offset);
      this.at += this.out.write(value.toString(), this.at, 'latin1');
    }
    return at + 12;
  }

  /** Copies bytes to the output; a plain loop for short runs, cheaper than a native call. */
  private copyBytes(source: Buffer, start: number, end: number): void {
    if (end - start > 64) {
      this.at += source.copy(this.out, this.at, start, end);
      return;
    }
    const out = this.out;
    let at = this.at;
    for (let from = start; from < end; from++) out[at++] = source[from]!;
    this.at = at;
  }

  private reserve(bytes: number): void {
    if (this.at + bytes <= this.out.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.at + bytes));
    this.out.copy(grown, 0, 0, this.at);
    this.out = grown;
  }

  /** A safe integer in decimal (a minus sign when negative): ids, lengths, line numbers, years, never money. */
  private writeNumber(value: number): void {
    const out = this.out;
    let n = value;
    if (n < 0) {
      out[this.at++] = DASH;
      n = -n;
    }
    let digits = 1;
    for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    let at = this.at + digits;
    this.at = at;
    while (n >= 10) {
      const quotient = Math.floor(n / 10);
      out[--at] = ZERO + (n - quotient * 10);
      n = quotient;
    }
    out[--at] = ZERO + n;
  }

  /**
   * A date (days since 2000-01-01) as PostgreSQL's `to_char(date, 'YYYY-MM-DD')` writes it: proleptic
   * Gregorian, the year on at least four digits (years before 1 are written as BC years, without sign).
   */
  private writeDate(pgDays: number): void {
    // to_char gives null for ±infinity, which `canonicalEntry` writes as an empty item.
    if (pgDays === 0x7fffffff || pgDays === -0x80000000) return;
    // civil_from_days (Howard Hinnant), on days since 1970-01-01.
    const z = pgDays + POSTGRES_EPOCH_DAYS + 719_468;
    const era = Math.floor(z / 146_097);
    const dayOfEra = z - era * 146_097;
    const yearOfEra = Math.floor(
      (dayOfEra -
        Math.floor(dayOfEra / 1460) +
        Math.floor(dayOfEra / 36_524) -
        Math.floor(dayOfEra / 146_096)) /
        365,
    );
    const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
    const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
    const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
    const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
    const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    const shownYear = year <= 0 ? 1 - year : year;
    for (let pad = shownYear < 10 ? 3 : shownYear < 100 ? 2 : shownYear < 1000 ? 1 : 0; pad > 0; pad--) {
      this.out[this.at++] = ZERO;
    }
    this.writeNumber(shownYear);
    this.out[this.at++] = DASH;
    this.writeTwoDigits(month);
    this.out[this.at++] = DASH;
    this.writeTwoDigits(day);
  }

  private writeTwoDigits(value: number): void {
    this.out[this.at++] = ZERO + Math.floor(value / 10);
    this.out[this.at++] = ZERO + (value % 10);
  }
}
