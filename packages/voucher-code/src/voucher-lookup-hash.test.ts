import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import fc from 'fast-check';
import { formatVoucherCode } from './voucher-code';
import { voucherLookupHash } from './voucher-lookup-hash';
import { arbitraryVoucherCode, buildSecretKeys } from './voucher-test-fixtures';

describe('voucherLookupHash', () => {
  const { lookupKey } = buildSecretKeys();

  it('is the 32-byte HMAC-SHA256 of the canonical code', () => {
    fc.assert(
      fc.property(arbitraryVoucherCode, (code) => {
        const expected = createHmac('sha256', lookupKey).update(code).digest();
        expect(voucherLookupHash(code, lookupKey).equals(expected)).to.equal(true);
        expect(voucherLookupHash(code, lookupKey)).to.have.length(32);
      }),
    );
  });

  it('finds the same voucher whatever spelling was typed', () => {
    fc.assert(
      fc.property(arbitraryVoucherCode, (code) => {
        const typed = formatVoucherCode(code).toLowerCase().replace(/0/g, 'o');
        expect(voucherLookupHash(typed, lookupKey).equals(voucherLookupHash(code, lookupKey))).to.equal(true);
      }),
    );
  });

  it('depends on the key, so a dump without it cannot be matched against guessed codes', () => {
    fc.assert(
      fc.property(arbitraryVoucherCode, (code) => {
        const otherKey = buildSecretKeys().lookupKey;
        expect(voucherLookupHash(code, lookupKey).equals(voucherLookupHash(code, otherKey))).to.equal(false);
      }),
      { numRuns: 20 },
    );
  });

  it('refuses an invalid code instead of hashing it', () => {
    expect(() => voucherLookupHash('7K3M-QX9P-2D4F-HR8T-5', lookupKey)).to.throw(RangeError, /typo/);
  });

  it('refuses a key that is not 32 bytes, saying how to make one', () => {
    expect(() => voucherLookupHash('7K3MQX9P2D4FHR8T4', Buffer.alloc(16))).to.throw(
      RangeError,
      /voucher lookup key must be exactly 32 bytes, got 16.*openssl rand -base64 32/,
    );
    expect(() => voucherLookupHash('7K3MQX9P2D4FHR8T4', 'secret' as unknown as Buffer)).to.throw(
      TypeError,
      /Buffer/,
    );
  });
});
