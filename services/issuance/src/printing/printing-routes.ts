import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ApiRouter, type AppContext, idParams, requestIdOf } from '@pass/http';
import { FUNDER_SIDE } from '../roles';
import { PrintingService } from './printing-service';

/** Proof, booklet PDF and printer CSV: each holds bearer codes, so funder side only, and audited. */
export function printingRoutes(
  ctx: AppContext,
  openapi: OpenAPIRegistry,
  service = new PrintingService(ctx),
) {
  const api = new ApiRouter(openapi);
  const tags = ['booklets'];
  api.get(
    '/batches/:id/proof.pdf',
    {
      summary: 'Proof of the first booklet (every pass stamped as a specimen), to approve before printing',
      tags,
      access: FUNDER_SIDE,
      params: idParams,
      produces: { 'application/pdf': 'The first booklet: cover and passes' },
    },
    async ({ params, principal, req, res }) => {
      await service.streamProof(principal!, params.id, res, requestIdOf(req));
    },
  );
  api.get(
    '/batches/:id/booklets.pdf',
    {
      summary: 'Every booklet of the batch, one PDF (rendered once the proof is approved)',
      description: '409 booklets_not_ready while the PDF is being rendered; see bookletsPdf in the batch.',
      tags,
      access: FUNDER_SIDE,
      params: idParams,
      produces: { 'application/pdf': 'A cover per booklet, then its passes' },
    },
    async ({ params, principal, req, res }) => {
      const file = await service.bookletsPdf(principal!, params.id, requestIdOf(req));
      const { size } = await stat(file.path);
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Length', String(size));
      res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
      res.setHeader('Cache-Control', 'no-store');
      await pipeline(createReadStream(file.path), res);
    },
  );
  api.post(
    '/batches/:id/booklets/render',
    {
      summary: 'Queue the booklet PDF again after a failed rendering',
      tags,
      access: FUNDER_SIDE,
      params: idParams,
      status: 202,
    },
    async ({ params, principal, res }) => {
      await service.retryRender(principal!, params.id);
      res.status(202).json({ queued: true });
    },
  );
  api.get(
    '/batches/:id/printer.csv',
    {
      summary: 'Printer CSV: serial, booklet, code and QR payload of every pass',
      tags,
      access: FUNDER_SIDE,
      params: idParams,
      produces: { 'text/csv': 'numero_serie;carnet;code;contenu_qr, UTF-8 with BOM' },
    },
    async ({ params, principal, req, res }) => {
      await service.streamPrinterCsv(principal!, params.id, res, requestIdOf(req));
    },
  );
  return api.router;
}
