// Layout shared by the main thread (pdfkit templates, page assembly) and the pass-layer workers.

// A4 portrait in PDF points, cut into 2 × 5 passes of 105 × 59.4 mm: a booklet of 10 fills one sheet
// exactly and a guillotine needs only 5 cuts per sheet.
export const PAGE_WIDTH = 595.28;
export const PAGE_HEIGHT = 841.89;
export const PASS_COLUMNS = 2;
export const PASS_ROWS = 5;
export const PASSES_PER_PAGE = PASS_COLUMNS * PASS_ROWS;
export const SLOT_WIDTH = PAGE_WIDTH / PASS_COLUMNS;
export const SLOT_HEIGHT = PAGE_HEIGHT / PASS_ROWS;

// 2 pt (0.71 mm) per module: a version 6 symbol is 29 mm wide without its quiet zone, well above the
// 0.5 mm module that cheap office printers and phone cameras handle reliably.
export const QR_MODULE = 2;
export const QR_LEFT = 10;
export const TEXT_LEFT = 114;
export const TEXT_WIDTH = SLOT_WIDTH - TEXT_LEFT - 14;

/** Top of each text line of a pass, in points below the top edge of its slot. */
export const LINE_TOP = {
  title: 20,
  validity: 40,
  territory: 52,
  codeLabel: 72,
  code: 82,
  funder: 104,
  booklet: 132,
  serial: 142,
} as const;

export const COLORS = {
  ink: '#1a1a1a',
  muted: '#5c5c5c',
  accent: '#000091',
  cutLine: '#9a9a9a',
  proof: '#c9191e',
} as const;

/** Top-left corner of slot `slot` (0-based, row by row) of a pass page, y measured from the page top. */
export function slotOrigin(slot: number): { x: number; y: number } {
  return { x: (slot % PASS_COLUMNS) * SLOT_WIDTH, y: Math.floor(slot / PASS_COLUMNS) * SLOT_HEIGHT };
}
