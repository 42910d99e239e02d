import { expect } from 'chai';
import fc from 'fast-check';
import { decryptVoucherCode, ENCRYPTED_VOUCHER_CODE_LENGTH, encryptVoucherCode } from './voucher-code-cipher';
import { arbitraryVoucherCode, buildSecretKeys } from './voucher-test-fixtures';

describe('encryptVoucherCode / decryptVoucherCode', () => {
  const { encryptionKey } = buildSecretKeys();
  const CODE = '7K3MQX9P2D4FHR8T4';

  it('decrypts what it encrypts, for any code', () => {
    fc.assert(
      fc.property(arbitraryVoucherCode, (code) => {
        expect(decryptVoucherCode(encryptVoucherCode(code, encryptionKey), encryptionKey)).to.equal(code);
      }),
    );
  });

  it('stores the canonical code even when given the display form', () => {
    const encrypted = encryptVoucherCode('7k3m-qx9p-2d4f-hr8t-4', encryptionKey);
    expect(decryptVoucherCode(encrypted, encryptionKey)).to.equal(CODE);
  });

  it('writes version 1, a fresh 12-byte nonce, the tag and the ciphertext: 46 bytes, never the clear code', () => {
    const first = encryptVoucherCode(CODE, encryptionKey);
    const second = encryptVoucherCode(CODE, encryptionKey);
    expect(first).to.have.length(ENCRYPTED_VOUCHER_CODE_LENGTH).and.to.have.length(46);
    expect(first[0]).to.equal(1);
    expect(first.subarray(1, 13).equals(second.subarray(1, 13))).to.equal(false);
    expect(first.equals(second)).to.equal(false);
    expect(first.includes(Buffer.from(CODE))).to.equal(false);
  });

  it('detects any flipped bit', () => {
    fc.assert(
      fc.property(arbitraryVoucherCode, fc.nat(ENCRYPTED_VOUCHER_CODE_LENGTH * 8 - 1), (code, bit) => {
        const tampered = Buffer.from(encryptVoucherCode(code, encryptionKey));
        tampered[bit >> 3]! ^= 1 << (bit & 7);
        expect(() => decryptVoucherCode(tampered, encryptionKey)).to.throw(/authentication|version/);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses to decrypt with another key', () => {
    const encrypted = encryptVoucherCode(CODE, encryptionKey);
    expect(() => decryptVoucherCode(encrypted, buildSecretKeys().encryptionKey)).to.throw(
      /failed authentication/,
    );
  });

  it('refuses an unknown format version and a truncated value with clear messages', () => {
    const encrypted = encryptVoucherCode(CODE, encryptionKey);
    const future = Buffer.from(encrypted);
    future[0] = 2;
    expect(() => decryptVoucherCode(future, encryptionKey)).to.throw(
      /unsupported encrypted voucher code version 2/,
    );
    expect(() => decryptVoucherCode(encrypted.subarray(0, 45), encryptionKey)).to.throw(
      /must be 46 bytes, got 45/,
    );
    expect(() => decryptVoucherCode(Buffer.alloc(0), encryptionKey)).to.throw(TypeError);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => encryptVoucherCode(CODE, Buffer.alloc(31))).to.throw(
      RangeError,
      /voucher encryption key must be exactly 32 bytes, got 31/,
    );
    expect(() => decryptVoucherCode(encryptVoucherCode(CODE, encryptionKey), Buffer.alloc(33))).to.throw(
      RangeError,
    );
  });
});
