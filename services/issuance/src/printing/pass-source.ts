import { formatVoucherCode, signVoucherPayloads, type VoucherSigner } from '@pass/voucher-code';
import { type Batch, serialLabel, serialsOfBooklet } from '@pass/vouchers';
import type { BookletToRender, PrinterCsvRow } from '../booklets';
import { deriveVoucherCodes } from '../generation/voucher-code-derivation';

/** Booklets derived and signed per group: enough to keep the signing thread pool busy, little memory. */
const BOOKLETS_PER_GROUP = 20;
// Signatures in flight on libuv's pool: the renderer's worker threads want the cores too.
const SIGNING_CONCURRENCY = 4;

export interface PassSourceOptions {
  fromBooklet?: number;
  toBooklet?: number;
  /** Called after each booklet is handed to the consumer (progress). */
  onBooklet?(booklet: number, passes: number): Promise<void> | void;
}

/**
 * The booklets of a batch as the renderer prints them: codes derived from the decrypted seed (nothing is
 * read per pass), QR payloads signed now (Ed25519 is deterministic, so a reprint is identical), streamed
 * group by group so a batch of a million never sits in memory.
 */
export async function* bookletsToRender(
  batch: Pick<Batch, 'number' | 'bookletSize' | 'bookletCount'>,
  seed: Buffer,
  signer: VoucherSigner,
  options: PassSourceOptions = {},
): AsyncGenerator<BookletToRender> {
  const first = options.fromBooklet ?? 1;
  const last = Math.min(options.toBooklet ?? batch.bookletCount, batch.bookletCount);
  for (let groupStart = first; groupStart <= last; groupStart += BOOKLETS_PER_GROUP) {
    const groupEnd = Math.min(groupStart + BOOKLETS_PER_GROUP - 1, last);
    const fromSerial = serialsOfBooklet(groupStart, batch.bookletSize).from;
    const count = (groupEnd - groupStart + 1) * batch.bookletSize;
    const codes = deriveVoucherCodes(seed, fromSerial, count);
    const payloads = await signVoucherPayloads(codes, signer, { concurrency: SIGNING_CONCURRENCY });
    for (let booklet = groupStart; booklet <= groupEnd; booklet++) {
      const offset = (booklet - groupStart) * batch.bookletSize;
      yield {
        number: booklet,
        passes: Array.from({ length: batch.bookletSize }, (_, slot) => ({
          serial: serialLabel(batch.number, fromSerial + offset + slot),
          displayCode: formatVoucherCode(codes[offset + slot]!),
          payload: payloads[offset + slot]!,
        })),
      };
      await options.onBooklet?.(booklet, batch.bookletSize);
    }
  }
}

/** The printer CSV rows of a batch (serial, booklet, code, payload), in print order. */
export async function* printerRows(
  batch: Pick<Batch, 'number' | 'bookletSize' | 'bookletCount'>,
  seed: Buffer,
  signer: VoucherSigner,
): AsyncGenerator<PrinterCsvRow> {
  for await (const booklet of bookletsToRender(batch, seed, signer)) {
    for (const pass of booklet.passes) {
      yield { serial: pass.serial, booklet: booklet.number, code: pass.displayCode, payload: pass.payload };
    }
  }
}
