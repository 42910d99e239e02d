import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// Every code of a batch derives from one 32-byte seed drawn from the CSPRNG (see voucher-code-derivation.ts
// and ADR 0003). The seed is the batch's "stored copy" of its codes, so it is stored encrypted with
// VOUCHER_ENCRYPTION_KEY: AES-256-GCM, random nonce, and the batch id as associated data so that a seed
// cannot be moved to another batch row without failing authentication.
//
//   version (1 byte, = 1) || nonce (12) || tag (16) || ciphertext (32)   = 61 bytes

const VERSION = 1;
const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;
/** Bytes of a batch seed (an AES-256 key). */
export const BATCH_SEED_LENGTH = 32;
const ENCRYPTED_LENGTH = 1 + NONCE_LENGTH + TAG_LENGTH + BATCH_SEED_LENGTH;

function associatedData(batchId: string): Buffer {
  return Buffer.from(`pass-batch-seed|v${VERSION}|${batchId.toLowerCase()}`, 'latin1');
}

function assertKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== 32)
    throw new RangeError('voucher encryption key must be 32 bytes');
}

/** A fresh seed from the CSPRNG. */
export function newBatchSeed(): Buffer {
  return randomBytes(BATCH_SEED_LENGTH);
}

/** Encrypts a batch seed for storage, bound to its batch id. */
export function encryptBatchSeed(seed: Buffer, key: Buffer, batchId: string): Buffer {
  assertKey(key);
  if (seed.length !== BATCH_SEED_LENGTH) throw new RangeError(`a batch seed is ${BATCH_SEED_LENGTH} bytes`);
  const nonce = randomBytes(NONCE_LENGTH);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_LENGTH });
  cipher.setAAD(Buffer.concat([Buffer.from([VERSION]), associatedData(batchId)]));
  const ciphertext = Buffer.concat([cipher.update(seed), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), nonce, cipher.getAuthTag(), ciphertext]);
}

/** Decrypts a stored batch seed; throws if it was altered, belongs to another batch or the key is wrong. */
export function decryptBatchSeed(encrypted: Buffer, key: Buffer, batchId: string): Buffer {
  assertKey(key);
  if (!Buffer.isBuffer(encrypted) || encrypted.length !== ENCRYPTED_LENGTH || encrypted[0] !== VERSION) {
    throw new Error('not an encrypted batch seed of a known version');
  }
  const decipher = createDecipheriv('aes-256-gcm', key, encrypted.subarray(1, 1 + NONCE_LENGTH), {
    authTagLength: TAG_LENGTH,
  });
  decipher.setAAD(Buffer.concat([Buffer.from([VERSION]), associatedData(batchId)]));
  decipher.setAuthTag(encrypted.subarray(1 + NONCE_LENGTH, 1 + NONCE_LENGTH + TAG_LENGTH));
  try {
    return Buffer.concat([
      decipher.update(encrypted.subarray(1 + NONCE_LENGTH + TAG_LENGTH)),
      decipher.final(),
    ]);
  } catch (cause) {
    throw new Error('batch seed failed authentication (altered data, other batch or wrong key)', { cause });
  }
}
