import { createWriteStream } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { recordAudit } from '@pass/audit';
import type { Principal } from '@pass/auth';
import type { Db } from '@pass/db';
import { ConflictError, NotFoundError } from '@pass/errors';
import type { AppContext } from '@pass/http';
import type { VoucherSigner } from '@pass/voucher-code';
import { type Batch, batchReference, getBatch } from '@pass/vouchers';
import type { Response } from 'express';
import { actorOf, assertFunderAccess } from '../access';
import { renderBookletProof, renderBookletsPdf, writePrinterCsv } from '../booklets';
import { queueBookletRender } from '../batches/batch-service';
import { organisationNames } from '../batches/funder-directory';
import { getOrder, type Order } from '../batches/order-store';
import { decryptBatchSeed } from '../generation/batch-code-seed';
import { getGeneration } from '../generation/generation-store';
import { bookletBatchInfo } from './booklet-batch-info';
import {
  completeBookletRender,
  failBookletRender,
  getBookletRender,
  startBookletRender,
  updateBookletRender,
} from './booklet-render-store';
import { bookletsToRender, printerRows } from './pass-source';

/** Booklets between two progress updates of a render. */
const PROGRESS_EVERY_BOOKLETS = 50;

interface PrintContext {
  batch: Batch;
  order: Order;
  funderName: string;
  seed: Buffer;
}

/**
 * Everything printed: the proof of the first booklet (streamed at once), the full booklet PDF (a job that
 * writes DATA_DIR/booklets/<batch>.pdf, served once complete) and the printer CSV (streamed). Each of
 * these contains bearer codes: only the funder's managers and the operator's admins get them, and every
 * download is audited.
 */
export class PrintingService {
  constructor(private readonly ctx: AppContext) {}

  /** The signer of QR payloads, from configuration. */
  signer(): VoucherSigner {
    const { voucherSigningKid, voucherSigningKeyPem } = this.ctx.config.secrets;
    return { kid: voucherSigningKid, privateKey: voucherSigningKeyPem };
  }

  /** Where the full booklet PDFs are written (a shared volume when several processes serve). */
  bookletsDirectory(): string {
    return path.join(this.ctx.config.dataDir, 'booklets');
  }

  private async context(db: Db, batchId: string): Promise<PrintContext> {
    const batch = await getBatch(db, batchId);
    if (!batch) throw new NotFoundError('batch_not_found', 'No such batch.');
    const order = await getOrder(db, batch);
    if (!order) throw new NotFoundError('batch_not_found', 'No such batch.');
    const names = await organisationNames(db, [batch.funderId]);
    const seed = decryptBatchSeed(order.codeSeed, this.ctx.config.secrets.voucherEncryptionKey, batchId);
    return { batch, order, funderName: names.get(batch.funderId) ?? '', seed };
  }

  private info(context: PrintContext) {
    return bookletBatchInfo(context.batch, context.order, context.funderName, this.ctx.config.publicUrl);
  }

  private async audit(principal: Principal, batch: Batch, action: string, requestId?: string) {
    await recordAudit(this.ctx.knex, {
      actor: principal,
      action,
      targetType: 'batch',
      targetId: batch.id,
      organisationId: batch.funderId,
      requestId,
      at: this.ctx.clock(),
    });
  }

  /** Streams the proof: the first booklet, every pass stamped as a specimen. Needs that booklet generated. */
  async streamProof(principal: Principal, batchId: string, res: Response, requestId?: string): Promise<void> {
    const context = await this.context(this.ctx.knex, batchId);
    const { batch } = context;
    assertFunderAccess(principal, batch.funderId);
    const generation = await getGeneration(this.ctx.knex, batchId);
    if (!generation || generation.generated < batch.bookletSize) {
      throw new ConflictError('proof_not_ready', 'The first booklet of this batch is not generated yet.');
    }
    await this.audit(principal, batch, 'batch.proof_downloaded', requestId);
    sendPdfHeaders(res, `epreuve-${batchReference(batch.number)}.pdf`);
    await renderBookletProof(
      {
        batch: this.info(context),
        booklets: bookletsToRender(batch, context.seed, this.signer(), { toBooklet: 1 }),
      },
      res,
    );
  }

  /** Streams the printer CSV once the proof is approved and every pass exists. */
  async streamPrinterCsv(
    principal: Principal,
    batchId: string,
    res: Response,
    requestId?: string,
  ): Promise<void> {
    const context = await this.context(this.ctx.knex, batchId);
    const { batch, order } = context;
    assertFunderAccess(principal, batch.funderId);
    await this.assertPrintable(this.ctx.knex, batch, order);
    await this.audit(principal, batch, 'batch.printer_csv_downloaded', requestId);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="imprimeur-${batchReference(batch.number)}.csv"`,
    );
    res.setHeader('Cache-Control', 'no-store');
    await writePrinterCsv(printerRows(batch, context.seed, this.signer()), res);
  }

  /** The rendered booklet PDF of a batch, once complete. */
  async bookletsPdf(principal: Principal, batchId: string, requestId?: string) {
    const batch = await getBatch(this.ctx.knex, batchId);
    if (!batch) throw new NotFoundError('batch_not_found', 'No such batch.');
    assertFunderAccess(principal, batch.funderId);
    const render = await getBookletRender(this.ctx.knex, batchId);
    if (render?.state !== 'completed' || !render.fileName) {
      throw new ConflictError('booklets_not_ready', 'The booklets of this batch are not rendered yet.', {
        details: { state: render?.state ?? 'not_requested', renderedPasses: render?.rendered ?? 0 },
      });
    }
    await this.audit(principal, batch, 'batch.booklets_downloaded', requestId);
    return {
      path: path.join(this.bookletsDirectory(), render.fileName),
      fileName: `carnets-${batchReference(batch.number)}.pdf`,
    };
  }

  private async assertPrintable(db: Db, batch: Batch, order: Order): Promise<void> {
    if (!order.proofApprovedAt) {
      throw new ConflictError(
        'proof_not_approved',
        'The funder has not approved the proof of this batch yet.',
      );
    }
    const generation = await getGeneration(db, batch.id);
    if (generation?.state !== 'completed') {
      throw new ConflictError(
        'generation_incomplete',
        'The passes of this batch are still being generated.',
        {
          details: { generated: generation?.generated ?? 0, total: batch.voucherCount },
        },
      );
    }
  }

  /**
   * Job: renders every booklet into a temporary file, then renames it into place, so a reader never sees a
   * half-written PDF; the progress row is updated every few booklets. Idempotent: a completed render is
   * not redone.
   */
  async renderBooklets(batchId: string, onProgress?: (rendered: number, total: number) => Promise<void>) {
    const { knex } = this.ctx;
    const context = await this.context(knex, batchId);
    const { batch, order } = context;
    await this.assertPrintable(knex, batch, order);
    if (!(await startBookletRender(knex, batchId, this.ctx.clock()))) return { alreadyDone: true };
    const directory = this.bookletsDirectory();
    await mkdir(directory, { recursive: true });
    const fileName = `${batchId}.pdf`;
    const partial = path.join(directory, `${fileName}.partial`);
    let rendered = 0;
    try {
      await renderBookletsPdf(
        {
          batch: this.info(context),
          booklets: bookletsToRender(batch, context.seed, this.signer(), {
            onBooklet: async (booklet, passes) => {
              rendered += passes;
              if (booklet % PROGRESS_EVERY_BOOKLETS === 0) {
                await updateBookletRender(knex, batchId, rendered, this.ctx.clock());
                await onProgress?.(rendered, batch.voucherCount);
              }
            },
          }),
        },
        createWriteStream(partial),
      );
      await rename(partial, path.join(directory, fileName));
      const { size } = await stat(path.join(directory, fileName));
      await completeBookletRender(knex, batchId, { fileName, bytes: size, rendered }, this.ctx.clock());
      this.ctx.logger.info({ batchId, passes: rendered, bytes: size }, 'booklets.rendered');
      return { alreadyDone: false, bytes: size };
    } catch (error) {
      await failBookletRender(
        knex,
        batchId,
        error instanceof Error ? error.message : String(error),
        this.ctx.clock(),
      );
      throw error;
    }
  }

  /** Queues the render again after a failure (a pending, running or completed render is left alone). */
  async retryRender(principal: Principal, batchId: string): Promise<void> {
    await this.ctx.knex.transaction(async (trx) => {
      const batch = await getBatch(trx, batchId, { forUpdate: true });
      if (!batch) throw new NotFoundError('batch_not_found', 'No such batch.');
      assertFunderAccess(principal, batch.funderId);
      const order = await getOrder(trx, batch);
      if (!order) throw new NotFoundError('batch_not_found', 'No such batch.');
      await this.assertPrintable(trx, batch, order);
      await queueBookletRender(trx, batch, actorOf(principal), this.ctx.clock());
    });
    this.ctx.outbox.kick();
  }
}

function sendPdfHeaders(res: Response, fileName: string): void {
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
  res.setHeader('Cache-Control', 'no-store');
}
