import type PDFDocument from 'pdfkit';
import { pdfNumber } from './pdf-text';

type Doc = InstanceType<typeof PDFDocument>;
type Ref = ReturnType<Doc['ref']>;

/**
 * Runs `draw` with pdfkit's usual API but records it into a Form XObject of `width` × `height` points
 * (top-left origin, like a pdfkit page) instead of the current page. Everything a pass or a cover has in
 * common with the next one is drawn once this way and placed with `placeForm`, which keeps the main
 * thread's layout work and the file size proportional to what actually varies.
 *
 * pdfkit has no public API for this: drawing goes through `doc.page` (its `write` method and resource
 * dictionaries), so a stand-in page inheriting from the current one collects the output. Links are page
 * annotations and must not be drawn here.
 */
export function captureForm(doc: Doc, width: number, height: number, draw: () => void): Ref {
  const page = doc.page;
  if (!page) throw new Error('captureForm needs a current page');
  const chunks: string[] = [`1 0 0 -1 0 ${height} cm`];
  const resources: Record<string, unknown> = {};
  const standIn = Object.create(page) as typeof page;
  Object.assign(standIn, {
    width,
    height,
    resources: { data: resources },
    write: (chunk: string) => {
      chunks.push(chunk);
    },
  });
  doc.page = standIn;
  try {
    doc.save();
    draw();
    doc.restore();
  } finally {
    doc.page = page;
  }
  const form = doc.ref({
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, width, height],
    Resources: resources,
  });
  form.end(chunks.join('\n'));
  return form;
}

/** Paints a form made by `captureForm` (or any y-up form of that height) with its top-left at (x, y). */
export function placeForm(
  doc: Doc,
  form: Ref,
  name: string,
  x: number,
  y: number,
  height: number,
  scale = 1,
) {
  doc.page.xobjects[name] = form;
  doc.addContent(
    `q ${scale} 0 0 ${-scale} ${pdfNumber(x)} ${pdfNumber(y + height * scale)} cm /${name} Do Q`,
  );
}
