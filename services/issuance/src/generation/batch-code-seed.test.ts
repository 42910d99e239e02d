import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { decryptBatchSeed, encryptBatchSeed, newBatchSeed } from './batch-code-seed';

describe('batch code seed encryption', () => {
  const key = randomBytes(32);
  const batchId = randomUUID();

  it('decrypts what it encrypted', () => {
    const seed = newBatchSeed();
    expect(decryptBatchSeed(encryptBatchSeed(seed, key, batchId), key, batchId).equals(seed)).to.equal(true);
  });

  it('never stores the seed in clear and uses a fresh nonce each time', () => {
    const seed = newBatchSeed();
    const a = encryptBatchSeed(seed, key, batchId);
    const b = encryptBatchSeed(seed, key, batchId);
    expect(a.includes(seed)).to.equal(false);
    expect(a.equals(b)).to.equal(false);
  });

  it('refuses a seed moved to another batch', () => {
    const encrypted = encryptBatchSeed(newBatchSeed(), key, batchId);
    expect(() => decryptBatchSeed(encrypted, key, randomUUID())).to.throw(/authentication/);
  });

  it('refuses a wrong key and any altered byte', () => {
    const encrypted = encryptBatchSeed(newBatchSeed(), key, batchId);
    expect(() => decryptBatchSeed(encrypted, randomBytes(32), batchId)).to.throw(/authentication/);
    for (const position of [1, 15, 40, encrypted.length - 1]) {
      const altered = Buffer.from(encrypted);
      altered[position]! ^= 1;
      expect(() => decryptBatchSeed(altered, key, batchId)).to.throw();
    }
  });
});
