import type PDFDocument from 'pdfkit';
import type { BookletBatchInfo, BookletToRender } from './booklet-render-input';
import { formatFrenchDate, formatPdfAmount, formatPdfTotal } from './booklet-text';
import { LAYER_FONTS } from './pass-layer';
import {
  COLORS,
  LINE_TOP,
  PAGE_HEIGHT,
  PAGE_WIDTH,
  PASS_COLUMNS,
  PASS_ROWS,
  PASSES_PER_PAGE,
  SLOT_HEIGHT,
  SLOT_WIDTH,
  slotOrigin,
  TEXT_LEFT,
  TEXT_WIDTH,
} from './pass-geometry';
import { captureForm, placeForm } from './pdf-form-capture';
import { toWinAnsi } from './pdf-text';

type Doc = InstanceType<typeof PDFDocument>;
type Ref = ReturnType<Doc['ref']>;

const COVER_MARGIN = 56;
const COVER_WIDTH = PAGE_WIDTH - 2 * COVER_MARGIN;

/** Printed on proofs so a proof page can never pass for a real pass. */
export const PROOF_MARK = 'ÉPREUVE — NON VALABLE';

const USAGE_STEPS = [
  'Rendez-vous dans un lieu de médiation numérique agréé Pass numérique (voir ci-dessous).',
  'Choisissez un atelier ou un accompagnement : le lieu vous indique combien de pass il coûte.',
  'Présentez votre pass : le médiateur scanne le QR code ou saisit le code imprimé dessous.',
  "Un pass ne sert qu'une fois. Il n'est ni remboursable ni échangeable contre de l'argent.",
  "Gardez vos pass comme de l'argent liquide : toute personne qui les présente peut les utiliser.",
];

type CoverTemplate = {
  form: Ref;
  bookletNumberY: number;
  link: { y: number; width: number; height: number };
};

/**
 * Assembles the pages of one batch in a pdfkit document. What every pass (or every cover of booklets of
 * one size) shares is drawn once into a Form XObject and placed by reference; what differs per pass
 * arrives as a ready-made pass layer from the workers (see pass-layer.ts).
 */
export class BookletDesign {
  private passTemplate: Ref | null = null;
  private readonly coverTemplates = new Map<number, CoverTemplate>();
  private layerFonts: Record<string, Ref> | null = null;
  private readonly faceValue: string;
  private readonly validity: string;

  constructor(
    private readonly doc: Doc,
    private readonly batch: BookletBatchInfo,
    private readonly proof: boolean,
  ) {
    // Parsed up front so that malformed batch data fails before the first byte is written.
    this.faceValue = formatPdfAmount(batch.faceValue);
    this.validity = `Valable du ${formatFrenchDate(batch.validFrom)} au ${formatFrenchDate(batch.validUntil)}`;
  }

  /** Adds the cover page of a booklet: who offers it, what it is worth, when and where, how to use it. */
  addCover(booklet: BookletToRender): void {
    const { doc } = this;
    this.startPage();
    const template = this.coverTemplate(booklet.passes.length);
    placeForm(doc, template.form, 'Cover', 0, 0, PAGE_HEIGHT);
    doc.fillColor(COLORS.ink).font('Helvetica-Bold').fontSize(16);
    doc.text(`Carnet n° ${booklet.number}`, COVER_MARGIN, template.bookletNumberY, { lineBreak: false });
    const { link } = template;
    doc.link(COVER_MARGIN, link.y, link.width, link.height, this.batch.venuesUrl);

    const first = booklet.passes[0];
    const last = booklet.passes[booklet.passes.length - 1];
    const range =
      first && last ? `Pass n° ${toWinAnsi(first.serial)} à ${toWinAnsi(last.serial)}` : 'Carnet vide';
    doc.fillColor(COLORS.muted).font('Helvetica').fontSize(9);
    doc.text(`${range} · Lot ${toWinAnsi(this.batch.batchReference)}`, COVER_MARGIN, PAGE_HEIGHT - 68, {
      lineBreak: false,
    });
  }

  /** Adds a page of `count` passes (from 1 to 10) whose pass layer was built by pass-layer.ts. */
  addPassPage(count: number, layer: Uint8Array): void {
    const { doc } = this;
    this.startPage();
    drawCutLines(doc);
    const layerForm = doc.ref({
      Type: 'XObject',
      Subtype: 'Form',
      BBox: [0, 0, PAGE_WIDTH, PAGE_HEIGHT],
      Resources: { Font: this.layerFontRefs() },
      // The worker already deflated the content: with Filter set, pdfkit writes the bytes as they are.
      Filter: 'FlateDecode',
    });
    layerForm.end(layer);
    placeForm(doc, layerForm, 'Passes', 0, 0, PAGE_HEIGHT);
    // After the layer, so that a proof's watermark lies over the QR codes too.
    const template = this.passTemplateForm();
    for (let slot = 0; slot < Math.min(count, PASSES_PER_PAGE); slot++) {
      const { x, y } = slotOrigin(slot);
      placeForm(doc, template, 'Pass', x, y, SLOT_HEIGHT);
    }
  }

  // pdfkit writes a page out when the next one starts, but its page tree keeps every page object, and
  // through it the page's resources, to the end: ~1.6 kB per page, 300 MB for a million passes. Once
  // written, only the object number is still needed, so the rest is dropped.
  private startPage(): void {
    const previous = this.doc.page as typeof this.doc.page | undefined;
    this.doc.addPage();
    if (!previous) return;
    const written = previous as unknown as Record<'dictionary' | 'resources' | 'content', { data: unknown }>;
    for (const ref of [written.dictionary, written.resources, written.content]) ref.data = {};
  }

  // Standard fonts need no embedding: a font dictionary naming them is all a pass layer refers to.
  private layerFontRefs(): Record<string, Ref> {
    if (this.layerFonts) return this.layerFonts;
    const fonts: Record<string, Ref> = {};
    for (const [name, baseFont] of Object.entries(LAYER_FONTS)) {
      const font = this.doc.ref({
        Type: 'Font',
        Subtype: 'Type1',
        BaseFont: baseFont,
        Encoding: 'WinAnsiEncoding',
      });
      font.end(undefined);
      fonts[name] = font;
    }
    this.layerFonts = fonts;
    return fonts;
  }

  private passTemplateForm(): Ref {
    if (this.passTemplate) return this.passTemplate;
    const { doc, batch } = this;
    const territory = fitLine(
      doc,
      `Territoire : ${toWinAnsi(batch.territoryLabel)}`,
      'Helvetica',
      8,
      TEXT_WIDTH,
    );
    const funder = fitLine(doc, `Offert par ${toWinAnsi(batch.funderName)}`, 'Helvetica', 7.5, TEXT_WIDTH);
    this.passTemplate = captureForm(doc, SLOT_WIDTH, SLOT_HEIGHT, () => {
      const line = { lineBreak: false } as const;
      doc.fillColor(COLORS.accent).font('Helvetica-Bold').fontSize(13);
      doc.text(`Pass numérique ${this.faceValue}`, TEXT_LEFT, LINE_TOP.title, line);
      doc
        .fillColor(COLORS.ink)
        .font('Helvetica')
        .fontSize(8)
        .text(this.validity, TEXT_LEFT, LINE_TOP.validity, line);
      doc.text(territory, TEXT_LEFT, LINE_TOP.territory, line);
      doc.fillColor(COLORS.muted).fontSize(7);
      doc.text('Code à saisir si le QR code ne se lit pas', TEXT_LEFT, LINE_TOP.codeLabel, line);
      doc.fillColor(COLORS.ink).fontSize(7.5).text(funder, TEXT_LEFT, LINE_TOP.funder, line);
      if (this.proof) drawProofWatermark(doc);
    });
    return this.passTemplate;
  }

  private coverTemplate(count: number): CoverTemplate {
    const cached = this.coverTemplates.get(count);
    if (cached) return cached;
    const { doc, batch } = this;
    const paragraph = { width: COVER_WIDTH, lineGap: 2 };
    let bookletNumberY = 0;
    let link = { y: 0, width: 0, height: 0 };
    const form = captureForm(doc, PAGE_WIDTH, PAGE_HEIGHT, () => {
      let y = COVER_MARGIN;
      if (this.proof) {
        doc.fillColor(COLORS.proof).font('Helvetica-Bold').fontSize(16);
        doc.text(`${PROOF_MARK} — bon à tirer soumis au commanditaire`, COVER_MARGIN, y, paragraph);
        y = doc.y + 16;
      }
      doc
        .fillColor(COLORS.accent)
        .font('Helvetica-Bold')
        .fontSize(30)
        .text('Pass numérique', COVER_MARGIN, y);
      // Each cover prints its booklet number on this line, left empty in the template.
      bookletNumberY = doc.y + 4;
      doc.fontSize(16);
      const offeredY = bookletNumberY + doc.currentLineHeight() + 10;
      doc.fillColor(COLORS.ink).font('Helvetica').fontSize(12);
      doc.text(`Offert par ${toWinAnsi(batch.funderName)}`, COVER_MARGIN, offeredY, { width: COVER_WIDTH });
      doc.fontSize(11).text(toWinAnsi(batch.wording), COVER_MARGIN, doc.y + 18, {
        ...paragraph,
        height: 150,
        ellipsis: true,
      });

      heading(doc, 'Ce que contient ce carnet', doc.y + 22);
      const from = formatFrenchDate(batch.validFrom);
      const until = formatFrenchDate(batch.validUntil);
      const total = formatPdfTotal(batch.faceValue, count);
      doc.text(
        `${count} pass d'une valeur de ${this.faceValue} chacun, soit ${total}. Chaque pass est valable du ${from} ` +
          `au ${until}, dans les lieux agréés du territoire suivant : ${toWinAnsi(batch.territoryLabel)}.`,
        COVER_MARGIN,
        doc.y + 6,
        paragraph,
      );

      heading(doc, 'Comment utiliser un pass ?', doc.y + 18);
      USAGE_STEPS.forEach((step, index) => {
        doc.text(`${index + 1}.  ${step}`, COVER_MARGIN, doc.y + 6, paragraph);
      });

      heading(doc, 'Où trouver un lieu ?', doc.y + 18);
      doc.text(
        'La liste des lieux agréés près de chez vous est en ligne :',
        COVER_MARGIN,
        doc.y + 6,
        paragraph,
      );
      const url = toWinAnsi(batch.venuesUrl);
      const urlY = doc.y + 4;
      doc.fillColor(COLORS.accent).font('Helvetica-Bold');
      doc.text(url, COVER_MARGIN, urlY, { ...paragraph, underline: true });
      link = { y: urlY, width: Math.min(COVER_WIDTH, doc.widthOfString(url)), height: doc.y - urlY };
    });
    const template = { form, bookletNumberY, link };
    this.coverTemplates.set(count, template);
    return template;
  }
}

/** Dashed cutting lines between the slots of a pass page. */
function drawCutLines(doc: Doc): void {
  doc.save().lineWidth(0.5).strokeColor(COLORS.cutLine).dash(4, { space: 3 });
  for (let column = 1; column < PASS_COLUMNS; column++) {
    doc.moveTo(column * SLOT_WIDTH, 0).lineTo(column * SLOT_WIDTH, PAGE_HEIGHT);
  }
  for (let row = 1; row < PASS_ROWS; row++) {
    doc.moveTo(0, row * SLOT_HEIGHT).lineTo(PAGE_WIDTH, row * SLOT_HEIGHT);
  }
  doc.stroke().undash().restore();
}

// Diagonal across the whole slot, QR code included, so no part of a proof pass looks valid.
function drawProofWatermark(doc: Doc): void {
  const centerX = SLOT_WIDTH / 2;
  const centerY = SLOT_HEIGHT / 2;
  doc
    .save()
    .rotate(-15, { origin: [centerX, centerY] })
    .fillColor(COLORS.proof)
    .fillOpacity(0.5);
  doc.font('Helvetica-Bold').fontSize(20);
  doc.text(PROOF_MARK, centerX - doc.widthOfString(PROOF_MARK) / 2, centerY - 10, { lineBreak: false });
  doc.restore();
}

function heading(doc: Doc, text: string, y: number): void {
  doc.fillColor(COLORS.accent).font('Helvetica-Bold').fontSize(13).text(text, COVER_MARGIN, y);
  doc.fillColor(COLORS.ink).font('Helvetica').fontSize(11);
}

// Cuts a one-line text with an ellipsis so it never runs out of its box.
function fitLine(doc: Doc, text: string, font: string, size: number, width: number): string {
  doc.font(font).fontSize(size);
  if (doc.widthOfString(text) <= width) return text;
  let end = text.length;
  while (end > 0 && doc.widthOfString(`${text.slice(0, end).trimEnd()}…`) > width) end--;
  return `${text.slice(0, end).trimEnd()}…`;
}
