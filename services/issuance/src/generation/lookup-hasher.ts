import { createHmac } from 'node:crypto';
import { CODE_LENGTH } from './voucher-code-derivation';

// HMAC-SHA256 of a 17-byte canonical code, equal to @pass/voucher-code's voucherLookupHash (tested), for the
// generation hot path. Node's createHmac costs ~10 µs a call here, mostly object set-up around two tiny
// compressions; a million codes would spend 10 s of one core on it. HMAC's inner and outer keyed states
// depend on the key only, so they are computed once; each code then costs exactly two SHA-256 compressions
// (the result is checked against createHmac when a hasher is created):
//   inner = SHA256-compress(ipadState, code || 0x80 || 0... || bitlen(64 + 17))
//   hash  = SHA-256-compress(opadState, inner || 0x80 || 0... || bitlen(64 + 32))
// This is plain FIPS 180-4 SHA-256; nothing here is a new construction.

const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const INITIAL_STATE = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

/** One SHA-256 compression of a 16-word block from `state` into `out` (FIPS 180-4 §6.2.2). */
function compress(state: Int32Array, block: Int32Array, w: Int32Array, out: Int32Array): void {
  for (let i = 0; i < 16; i++) w[i] = block[i]!;
  for (let i = 16; i < 64; i++) {
    const w15 = w[i - 15]!;
    const w2 = w[i - 2]!;
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let f = state[5]!;
  let g = state[6]!;
  let h = state[7]!;
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + s1 + ch + K[i]! + w[i]!) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + s0 + maj) | 0;
  }
  out[0] = (state[0]! + a) | 0;
  out[1] = (state[1]! + b) | 0;
  out[2] = (state[2]! + c) | 0;
  out[3] = (state[3]! + d) | 0;
  out[4] = (state[4]! + e) | 0;
  out[5] = (state[5]! + f) | 0;
  out[6] = (state[6]! + g) | 0;
  out[7] = (state[7]! + h) | 0;
}

/** Computes lookup hashes of canonical codes given as 17 ASCII bytes. Not thread-safe: one per thread. */
export interface LookupHasher {
  /** HMAC-SHA256(key, code) of the 17 ASCII bytes at `code`, written as 32 bytes at `out[offset]`. */
  hashInto(code: Uint8Array, out: Uint8Array, offset: number): void;
}

/** A hasher for one lookup key (VOUCHER_HASH_KEY, 32 bytes); self-checks against node:crypto once. */
export function createLookupHasher(key: Buffer): LookupHasher {
  if (!Buffer.isBuffer(key) || key.length !== 32) throw new RangeError('voucher lookup key must be 32 bytes');
  const w = new Int32Array(64);
  const pad = new Int32Array(16);
  const keyed = (xor: number): Int32Array => {
    for (let i = 0; i < 16; i++) pad[i] = (i < 8 ? key.readInt32BE(4 * i) : 0) ^ xor;
    const state = new Int32Array(8);
    compress(INITIAL_STATE, pad, w, state);
    return state;
  };
  const innerState = keyed(0x36363636);
  const outerState = keyed(0x5c5c5c5c);
  const message = new Int32Array(16);
  const inner = new Int32Array(8);
  const outerBlock = new Int32Array(16);
  const digest = new Int32Array(8);
  // Padding of the outer block never changes: 32 bytes of inner hash, 0x80, zeros, bit length 96 * 8.
  outerBlock[8] = 0x80000000 | 0;
  outerBlock[15] = (64 + 32) * 8;

  const hasher: LookupHasher = {
    hashInto(code, out, offset) {
      // 17 code bytes big-endian into words 0..4, then the 0x80 terminator at byte 17.
      for (let i = 0; i < 4; i++) {
        const o = 4 * i;
        message[i] = (code[o]! << 24) | (code[o + 1]! << 16) | (code[o + 2]! << 8) | code[o + 3]!;
      }
      message[4] = (code[16]! << 24) | (0x80 << 16);
      for (let i = 5; i < 15; i++) message[i] = 0;
      message[15] = (64 + CODE_LENGTH) * 8;
      compress(innerState, message, w, inner);
      for (let i = 0; i < 8; i++) outerBlock[i] = inner[i]!;
      compress(outerState, outerBlock, w, digest);
      for (let i = 0; i < 8; i++) {
        const word = digest[i]!;
        const o = offset + 4 * i;
        out[o] = word >>> 24;
        out[o + 1] = (word >>> 16) & 255;
        out[o + 2] = (word >>> 8) & 255;
        out[o + 3] = word & 255;
      }
    },
  };

  // A wrong constant would silently make every pass unfindable: compare with OpenSSL before first use.
  const probe = Buffer.from('0123456789ABCDEFG', 'latin1');
  const mine = Buffer.alloc(32);
  hasher.hashInto(probe, mine, 0);
  if (!mine.equals(createHmac('sha256', key).update(probe).digest())) {
    throw new Error('lookup hasher self-check failed: it disagrees with node:crypto HMAC-SHA256');
  }
  return hasher;
}
