import { randomBytes } from 'node:crypto';
import { voucherLookupHash } from '@pass/voucher-code';
import { expect } from 'chai';
import fc from 'fast-check';
import { createLookupHasher } from './lookup-hasher';
import { deriveVoucherCode } from './voucher-code-derivation';
import { deriveLookupHashes } from './voucher-rows';

describe('lookup hasher', () => {
  it('equals voucherLookupHash (HMAC-SHA256 by node:crypto) for any key and code', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 1, max: 2_000_000 }),
        (keyBytes, seedBytes, serial) => {
          const key = Buffer.from(keyBytes);
          const code = deriveVoucherCode(Buffer.from(seedBytes), serial);
          const out = Buffer.alloc(40);
          createLookupHasher(key).hashInto(Buffer.from(code, 'latin1'), out, 8);
          expect(out.subarray(8).equals(voucherLookupHash(code, key))).to.equal(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('hashes a range of serials exactly as hashing each derived code', () => {
    const key = randomBytes(32);
    const seed = randomBytes(32);
    const hashes = deriveLookupHashes(seed, createLookupHasher(key), 41, 500);
    for (let i = 0; i < 500; i++) {
      expect(
        hashes.subarray(32 * i, 32 * i + 32).equals(voucherLookupHash(deriveVoucherCode(seed, 41 + i), key)),
      ).to.equal(true);
    }
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => createLookupHasher(randomBytes(16))).to.throw(RangeError);
  });
});
