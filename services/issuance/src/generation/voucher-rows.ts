import type { LookupHasher } from './lookup-hasher';
import { CODE_LENGTH, deriveCodeBlocks, writeCodeAscii } from './voucher-code-derivation';

const BLOCK = 16;
const HASH_LENGTH = 32;

/** Lookup hashes (32 bytes each, concatenated) of the codes of `count` serials from `fromSerial`. */
export function deriveLookupHashes(
  seed: Buffer,
  hasher: LookupHasher,
  fromSerial: number,
  count: number,
): Buffer {
  const blocks = deriveCodeBlocks(seed, fromSerial, count);
  const ascii = new Uint8Array(CODE_LENGTH);
  const out = Buffer.allocUnsafe(HASH_LENGTH * count);
  for (let i = 0; i < count; i++) {
    writeCodeAsciiFrom(blocks, i, ascii);
    hasher.hashInto(ascii, out, HASH_LENGTH * i);
  }
  return out;
}

// PostgreSQL binary COPY (https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4): a
// signature, flags and header-extension length, then per row a field count and (length, bytes) per field,
// and -1 as trailer. Binary saves the server from parsing hex and uuids, and us from building strings.
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** Columns the COPY writes, in tuple order; the other columns take their defaults. */
export const VOUCHER_COPY_COLUMNS = '(batch_id, serial, lookup_hash)';
/** Bytes of one tuple: field count, uuid, int4, 32-byte bytea, each with its length word. */
export const VOUCHER_TUPLE_BYTES = 2 + (4 + 16) + (4 + 4) + (4 + HASH_LENGTH);

/** Start of a binary COPY stream. */
export function copyHeader(): Buffer {
  const header = Buffer.alloc(SIGNATURE.length + 8);
  SIGNATURE.copy(header, 0);
  return header;
}

/** End of a binary COPY stream. */
export function copyTrailer(): Buffer {
  const trailer = Buffer.alloc(2);
  trailer.writeInt16BE(-1, 0);
  return trailer;
}

/** A uuid as its 16 bytes. */
export function uuidBytes(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new RangeError(`not a uuid: ${uuid}`);
  return Buffer.from(hex, 'hex');
}

/** Writes one tuple (batch id, serial, lookup hash taken from `hash` at `hashOffset`) at `out[offset]`. */
export function writeVoucherTuple(
  out: Buffer,
  offset: number,
  batchId: Buffer,
  serial: number,
  hash: Uint8Array,
  hashOffset: number,
): void {
  out.writeInt16BE(3, offset);
  out.writeInt32BE(16, offset + 2);
  batchId.copy(out, offset + 6);
  out.writeInt32BE(4, offset + 22);
  out.writeInt32BE(serial, offset + 26);
  out.writeInt32BE(HASH_LENGTH, offset + 30);
  out.set(hash.subarray(hashOffset, hashOffset + HASH_LENGTH), offset + 34);
}

/**
 * Binary COPY tuples of `count` serials from `fromSerial`: codes derived from the seed and hashed straight
 * into the tuple buffer (no string is ever made of a code here).
 */
export function encodeVoucherTuples(
  batchId: Buffer,
  seed: Buffer,
  hasher: LookupHasher,
  fromSerial: number,
  count: number,
): Buffer {
  const blocks = deriveCodeBlocks(seed, fromSerial, count);
  const ascii = new Uint8Array(CODE_LENGTH);
  const out = Buffer.allocUnsafe(VOUCHER_TUPLE_BYTES * count);
  for (let i = 0; i < count; i++) {
    const offset = VOUCHER_TUPLE_BYTES * i;
    out.writeInt16BE(3, offset);
    out.writeInt32BE(16, offset + 2);
    batchId.copy(out, offset + 6);
    out.writeInt32BE(4, offset + 22);
    out.writeInt32BE(fromSerial + i, offset + 26);
    out.writeInt32BE(HASH_LENGTH, offset + 30);
    writeCodeAsciiFrom(blocks, i, ascii);
    hasher.hashInto(ascii, out, offset + 34);
  }
  return out;
}

function writeCodeAsciiFrom(blocks: Buffer, index: number, ascii: Uint8Array): void {
  writeCodeAscii(blocks, index * BLOCK, ascii);
}
