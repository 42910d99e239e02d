import { type KeyObject, sign } from 'node:crypto';
import { toCanonicalVoucherCode } from './voucher-code';
import { formatVoucherPayload, voucherSignedMessage } from './voucher-payload';
import { assertKid, toVoucherPrivateKey, type VoucherSigner } from './voucher-signing-keys';

export type SignVoucherPayloadsOptions = {
  /**
   * Signatures in flight at once on libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE says
   * otherwise). The pool is shared with file system and DNS work: keep this modest in a server.
   */
  concurrency?: number;
};

function signAsync(message: Buffer, key: KeyObject): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    sign(null, message, key, (error, signature) => (error ? reject(error) : resolve(signature)));
  });
}

/**
 * Signs many payloads off the main thread (node:crypto's callback form runs on the libuv thread pool), so
 * a bulk export uses every core; same result, in the same order, as signVoucherPayload in a loop.
 */
export async function signVoucherPayloads(
  codes: readonly string[],
  signer: VoucherSigner,
  options: SignVoucherPayloadsOptions = {},
): Promise<string[]> {
  const concurrency = options.concurrency ?? 16;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  assertKid(signer.kid);
  const key = toVoucherPrivateKey(signer.privateKey);
  const canonical = codes.map(toCanonicalVoucherCode);
  const payloads = new Array<string>(canonical.length);
  let next = 0;
  const lane = async () => {
    while (next < canonical.length) {
      const index = next++;
      const code = canonical[index]!;
      const signature = await signAsync(voucherSignedMessage(signer.kid, code), key);
      payloads[index] = formatVoucherPayload(signer.kid, code, signature);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, canonical.length) }, lane));
  return payloads;
}
