import type { Config } from '@pass/config';
import PDFDocument from 'pdfkit';
import { toWinAnsi } from './pdf-text';

export type Pdf = InstanceType<typeof PDFDocument>;

export const PAGE_MARGIN = 40;
const FOOTER_HEIGHT = 30;

/** A column of a table: header, width in points, alignment. */
export interface PdfColumn {
  header: string;
  width: number;
  align?: 'left' | 'right';
}

/** A new A4 document whose metadata (and so whose bytes) depend only on the arguments. */
export function createPdf(title: string, createdAt: Date): Pdf {
  return new PDFDocument({
    size: 'A4',
    margin: PAGE_MARGIN,
    bufferPages: true,
    info: {
      Title: toWinAnsi(title),
      Author: 'Pass numérique',
      Creator: 'pass-numerique-clearing',
      CreationDate: createdAt,
    },
  });
}

/** Collects the document into a Buffer once ended. */
export function pdfToBuffer(doc: Pdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/** Text in the standard font, made printable (French amounts carry narrow no-break spaces). */
export function text(doc: Pdf, value: string, options: PDFKit.Mixins.TextOptions = {}): Pdf {
  return doc.text(toWinAnsi(value), options);
}

/** The operator's block at the top left of every document. */
export function operatorHeader(doc: Pdf, operator: Config['operator']): void {
  doc.font('Helvetica-Bold').fontSize(11);
  text(doc, operator.name);
  doc.font('Helvetica').fontSize(9);
  text(doc, `${operator.address.buildingNumber} ${operator.address.street}`.trim());
  text(doc, `${operator.address.postcode} ${operator.address.town}`);
  text(doc, `SIREN ${operator.siren}`);
  doc.moveDown();
}

/** Label: value lines in two columns. */
export function keyValues(doc: Pdf, rows: readonly [string, string][], labelWidth = 170): void {
  doc.fontSize(10);
  const valueWidth = doc.page.width - PAGE_MARGIN * 2 - labelWidth;
  for (const [label, value] of rows) {
    const y = doc.y;
    doc.font('Helvetica-Bold').text(toWinAnsi(label), PAGE_MARGIN, y, { width: labelWidth });
    const afterLabel = doc.y;
    doc.font('Helvetica').text(toWinAnsi(value), PAGE_MARGIN + labelWidth, y, { width: valueWidth });
    doc.y = Math.max(afterLabel, doc.y);
    doc.x = PAGE_MARGIN;
  }
  doc.moveDown(0.5);
}

/** Writes a table with a repeated header on each new page. */
export function table(doc: Pdf, columns: readonly PdfColumn[], rows: readonly (readonly string[])[]): void {
  const rowHeight = 14;
  const bottom = () => doc.page.height - PAGE_MARGIN - FOOTER_HEIGHT;
  const header = () => {
    doc.font('Helvetica-Bold').fontSize(8.5);
    drawRow(
      doc,
      columns,
      columns.map((c) => c.header),
    );
    doc
      .moveTo(PAGE_MARGIN, doc.y - 2)
      .lineTo(doc.page.width - PAGE_MARGIN, doc.y - 2)
      .lineWidth(0.5)
      .stroke();
    doc.font('Helvetica').fontSize(8.5);
  };
  header();
  for (const row of rows) {
    if (doc.y + rowHeight > bottom()) {
      doc.addPage();
      header();
    }
    drawRow(doc, columns, row);
  }
  doc.x = PAGE_MARGIN;
  doc.moveDown(0.5);
}

function drawRow(doc: Pdf, columns: readonly PdfColumn[], cells: readonly string[]): void {
  const y = doc.y;
  let x = PAGE_MARGIN;
  columns.forEach((column, index) => {
    doc.text(toWinAnsi(cells[index] ?? ''), x + 2, y, {
      width: column.width - 4,
      align: column.align ?? 'left',
      lineBreak: false,
      ellipsis: true,
      height: 12,
    });
    x += column.width;
  });
  doc.x = PAGE_MARGIN;
  doc.y = y + 14;
}

/** "Page n / N" at the bottom of every page (the document must have been created with bufferPages). */
export function pageNumbers(doc: Pdf, label: string): void {
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    const y = doc.page.height - PAGE_MARGIN - 12;
    // Writing inside the bottom margin would make pdfkit add a page: lift the margin for the footer.
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('Helvetica').fontSize(8);
    doc.text(toWinAnsi(`${label} — page ${index + 1} / ${range.count}`), PAGE_MARGIN, y, {
      width: doc.page.width - PAGE_MARGIN * 2,
      align: 'center',
      lineBreak: false,
    });
    doc.page.margins.bottom = margin;
  }
}
