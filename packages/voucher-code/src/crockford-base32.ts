// Crockford base32: digits and upper-case letters without I, L, O and U, so that nothing reads as another
// symbol (I/L vs 1, O vs 0) and no accidental word is spelled (U). Pure code, no Node import, so the
// browser scanner can bundle it.

export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

// Value of each canonical symbol by char code, -1 elsewhere: a typed-array lookup keeps the hot paths
// (a million codes per issuance run) free of Map and iterator overhead.
const SYMBOL_VALUES = new Int8Array(128).fill(-1);
for (let value = 0; value < CROCKFORD_ALPHABET.length; value++) {
  SYMBOL_VALUES[CROCKFORD_ALPHABET.charCodeAt(value)] = value;
}

/** Value 0..31 of the canonical Crockford symbol at `index` of `text`, or -1 for anything else. */
export function crockfordValueAt(text: string, index: number): number {
  const charCode = text.charCodeAt(index);
  return charCode < 128 ? SYMBOL_VALUES[charCode]! : -1;
}

/** Encodes bytes as Crockford base32, most significant bit first, last symbol zero-padded, no '=' padding. */
export function encodeCrockfordBase32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (let index = 0; index < bytes.length; index++) {
    buffer = ((buffer << 8) | bytes[index]!) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += CROCKFORD_ALPHABET[(buffer >> bits) & 31];
    }
  }
  if (bits > 0) out += CROCKFORD_ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * Decodes canonical Crockford base32 to exactly `byteLength` bytes, or returns undefined.
 * Strict on purpose: only canonical upper-case symbols, the exact length, and zero padding bits, so every
 * byte string has exactly one encoding and a signature cannot be re-spelled into a second valid payload.
 */
export function decodeCrockfordBase32(text: string, byteLength: number): Uint8Array | undefined {
  if (text.length !== Math.ceil((byteLength * 8) / 5)) return undefined;
  const out = new Uint8Array(byteLength);
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (let position = 0; position < text.length; position++) {
    const value = crockfordValueAt(text, position);
    if (value < 0) return undefined;
    buffer = ((buffer << 5) | value) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[index++] = (buffer >> bits) & 0xff;
    }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) return undefined;
  return out;
}
