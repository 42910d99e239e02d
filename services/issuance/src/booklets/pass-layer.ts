import { deflateSync } from 'node:zlib';
import type { BookletPass } from './booklet-render-input';
import {
  COLORS,
  LINE_TOP,
  PAGE_HEIGHT,
  QR_LEFT,
  QR_MODULE,
  SLOT_HEIGHT,
  slotOrigin,
  TEXT_LEFT,
} from './pass-geometry';
import { fillColorOperator, pdfNumber, textOperators } from './pdf-text';
import { createQrMatrix } from './qr-matrix';
import { qrPathOperators, qrSideModules } from './qr-path';

/** Up to one page of passes of one booklet, in slot order. */
export type PassPage = {
  bookletNumber: number;
  bookletSize: number;
  /** Index in the booklet of the first pass of this page (0-based). */
  firstIndex: number;
  passes: readonly BookletPass[];
};

/** Font resource names the layer content uses; the page assembling it maps them to standard fonts. */
export const LAYER_FONTS = { PH: 'Helvetica', PC: 'Courier-Bold' } as const;

// Ascenders from the fonts' AFM files: pdfkit places text by the top of the line, PDF by the baseline.
const ASCENDER = { PH: 0.718, PC: 0.629 } as const;
// Deflate level 3 writes ~15 % more bytes than the default level 6 for a third of its CPU time, which
// matters more here: deflating is a large part of building a layer.
const DEFLATE_LEVEL = 3;

/**
 * PDF content (origin bottom-left, page-sized) with everything that differs from one pass to the next on
 * a pass page: QR codes as vector rectangles, the code to type, the booklet line and the serial number.
 * The shared wording of a pass is a separate template drawn by the main thread.
 */
export function passLayerOperators(page: PassPage): string {
  const parts: string[] = [];
  const ink = fillColorOperator(COLORS.ink);
  const muted = fillColorOperator(COLORS.muted);
  page.passes.forEach((pass, slot) => {
    const { x, y } = slotOrigin(slot);
    const matrix = createQrMatrix(pass.payload);
    const side = qrSideModules(matrix) * QR_MODULE;
    const qrBottom = PAGE_HEIGHT - y - (SLOT_HEIGHT + side) / 2;
    parts.push(`q ${QR_MODULE} 0 0 ${QR_MODULE} ${pdfNumber(x + QR_LEFT)} ${pdfNumber(qrBottom)} cm`);
    parts.push(qrPathOperators(matrix), 'Q');

    const left = x + TEXT_LEFT;
    const baseline = (top: number, font: keyof typeof ASCENDER, size: number): number =>
      PAGE_HEIGHT - (y + top + ASCENDER[font] * size);
    parts.push(ink, textOperators('PC', 10, left, baseline(LINE_TOP.code, 'PC', 10), pass.displayCode));
    const position = `Carnet n° ${page.bookletNumber} · Pass ${page.firstIndex + slot + 1}/${page.bookletSize}`;
    parts.push(muted, textOperators('PH', 7, left, baseline(LINE_TOP.booklet, 'PH', 7), position));
    parts.push(
      textOperators('PH', 7, left, baseline(LINE_TOP.serial, 'PH', 7), `N° de série ${pass.serial}`),
    );
  });
  return parts.join('\n');
}

/** The deflated pass layer of a page, in an ArrayBuffer of its own so a worker can transfer it. */
export function buildPassLayer(page: PassPage): Uint8Array {
  const content = Buffer.from(passLayerOperators(page), 'latin1');
  // A copy: zlib may return a slice of a shared pool, which could be neither transferred nor cloned cheaply.
  return new Uint8Array(deflateSync(content, { level: DEFLATE_LEVEL }));
}
