import { expect } from 'chai';
import { deriveVoucherSecretKeys } from './voucher-secret-keys';

describe('deriveVoucherSecretKeys', () => {
  it('derives two different 32-byte keys, the same every time for the same secret', () => {
    const secret = Buffer.alloc(32, 7);
    const keys = deriveVoucherSecretKeys(secret);
    expect(keys.lookupKey).to.have.length(32);
    expect(keys.encryptionKey).to.have.length(32);
    expect(keys.lookupKey.equals(keys.encryptionKey)).to.equal(false);
    expect(keys.lookupKey.equals(secret)).to.equal(false);
    expect(deriveVoucherSecretKeys(Buffer.alloc(32, 7))).to.deep.equal(keys);
    expect(deriveVoucherSecretKeys(Buffer.alloc(32, 8)).lookupKey.equals(keys.lookupKey)).to.equal(false);
  });

  it('refuses a secret that is not 32 bytes', () => {
    expect(() => deriveVoucherSecretKeys(Buffer.from('short'))).to.throw(
      RangeError,
      /voucher secret must be exactly 32/,
    );
  });
});
