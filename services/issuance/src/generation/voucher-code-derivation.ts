import { createCipheriv } from 'node:crypto';
import { CROCKFORD_ALPHABET, computeCheckSymbol, encodeCrockfordBase32 } from '@pass/voucher-code';

// Codes of a batch are derived, not drawn one by one: code(serial) = the first 10 bytes (80 bits) of
// AES-256(seed, "PNCODEv1" || uint64be(serial)), written as 16 Crockford symbols plus the check symbol of
// @pass/voucher-code. The seed comes from crypto.randomBytes, so this is a counter-mode DRBG: outputs are
// indistinguishable from random without the seed (ADR 0003). Two consequences we rely on:
// - generation is idempotent per serial: a job retried after a crash writes the very same codes, so a
//   proof printed before the crash stays right and no serial can end up with two codes;
// - nothing per pass needs encrypting: the encrypted seed is the stored copy of every code.
// AES-CTR with IV = prefix || serial yields AES(seed, prefix || serial + j) for the j-th block, so one
// cipher call produces a whole range of serials (the counter never carries into the prefix: serials stay
// far below 2^64).

const IV_PREFIX = Buffer.from('PNCODEv1', 'latin1');
const BLOCK = 16;
/** Random bytes per code: 16 symbols x 5 bits. */
export const CODE_BYTES = 10;
/** ASCII bytes of a canonical code: 16 data symbols and the check symbol. */
export const CODE_LENGTH = 17;

/** Raw derivation stream for serials fromSerial..fromSerial+count-1: one 16-byte block per serial. */
export function deriveCodeBlocks(seed: Buffer, fromSerial: number, count: number): Buffer {
  if (!Number.isSafeInteger(fromSerial) || fromSerial < 1) throw new RangeError('serials start at 1');
  const iv = Buffer.alloc(BLOCK);
  IV_PREFIX.copy(iv, 0);
  iv.writeBigUInt64BE(BigInt(fromSerial), 8);
  const cipher = createCipheriv('aes-256-ctr', seed, iv);
  return cipher.update(Buffer.alloc(BLOCK * count));
}

/** The canonical code of one serial (reference implementation, through @pass/voucher-code's encoders). */
export function deriveVoucherCode(seed: Buffer, serial: number): string {
  const block = deriveCodeBlocks(seed, serial, 1);
  const data = encodeCrockfordBase32(block.subarray(0, CODE_BYTES));
  return data + computeCheckSymbol(data);
}

/** Canonical codes of `count` consecutive serials from `fromSerial`. */
export function deriveVoucherCodes(seed: Buffer, fromSerial: number, count: number): string[] {
  const blocks = deriveCodeBlocks(seed, fromSerial, count);
  const ascii = new Uint8Array(CODE_LENGTH);
  const codes = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    writeCodeAscii(blocks, i * BLOCK, ascii);
    codes[i] = String.fromCharCode(...ascii);
  }
  return codes;
}

const SYMBOL_ASCII = Uint8Array.from(CROCKFORD_ALPHABET, (symbol) => symbol.charCodeAt(0));
// Multiplication by alpha in GF(32) modulo x^5 + x^2 + 1, the check symbol's field (see @pass/voucher-code).
const SYMBOL_VALUES = new Uint8Array(CODE_LENGTH - 1);
const TIMES_ALPHA = Uint8Array.from({ length: 32 }, (_, x) =>
  x & 0x10 ? ((x << 1) ^ 0b100101) & 31 : x << 1,
);

/**
 * Hot path of generation: the 17 ASCII bytes of the code whose 10 random bytes start at `offset` of
 * `blocks`, written into `out`, without building a string. Equal to deriveVoucherCode (tested).
 */
export function writeCodeAscii(blocks: Uint8Array, offset: number, out: Uint8Array): void {
  const values = SYMBOL_VALUES;
  // Two groups of 5 bytes = 40 bits = 8 symbols each, most significant bit first.
  for (let group = 0; group < 2; group++) {
    const o = offset + group * 5;
    const v = group * 8;
    const b0 = blocks[o]!;
    const b1 = blocks[o + 1]!;
    const b2 = blocks[o + 2]!;
    const b3 = blocks[o + 3]!;
    const b4 = blocks[o + 4]!;
    values[v] = b0 >> 3;
    values[v + 1] = ((b0 & 7) << 2) | (b1 >> 6);
    values[v + 2] = (b1 >> 1) & 31;
    values[v + 3] = ((b1 & 1) << 4) | (b2 >> 4);
    values[v + 4] = ((b2 & 15) << 1) | (b3 >> 7);
    values[v + 5] = (b3 >> 2) & 31;
    values[v + 6] = ((b3 & 3) << 3) | (b4 >> 5);
    values[v + 7] = b4 & 31;
  }
  let parity = 0;
  for (let i = 0; i < CODE_LENGTH - 1; i++) {
    const value = values[i]!;
    out[i] = SYMBOL_ASCII[value]!;
    parity = TIMES_ALPHA[parity]! ^ value;
  }
  out[CODE_LENGTH - 1] = SYMBOL_ASCII[TIMES_ALPHA[parity]!]!;
}
