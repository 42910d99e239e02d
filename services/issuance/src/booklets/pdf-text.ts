// WinAnsiEncoding (PDF 32000-1 annex D) codes of the characters above U+00FF it has.
const WIN_ANSI_EXTRAS = new Map<string, number>(
  (
    [
      [0x20ac, 0x80],
      [0x201a, 0x82],
      [0x0192, 0x83],
      [0x201e, 0x84],
      [0x2026, 0x85],
      [0x2020, 0x86],
      [0x2021, 0x87],
      [0x02c6, 0x88],
      [0x2030, 0x89],
      [0x0160, 0x8a],
      [0x2039, 0x8b],
      [0x0152, 0x8c],
      [0x017d, 0x8e],
      [0x2018, 0x91],
      [0x2019, 0x92],
      [0x201c, 0x93],
      [0x201d, 0x94],
      [0x2022, 0x95],
      [0x2013, 0x96],
      [0x2014, 0x97],
      [0x02dc, 0x98],
      [0x2122, 0x99],
      [0x0161, 0x9a],
      [0x203a, 0x9b],
      [0x0153, 0x9c],
      [0x017e, 0x9e],
      [0x0178, 0x9f],
    ] as const
  ).map(([unicode, code]) => [String.fromCharCode(unicode), code]),
);
const SPACES = /[\u2000-\u200a\u202f\u205f\u3000]/g;

/**
 * Makes text printable with the PDF standard fonts (Helvetica, Courier), which only know WinAnsiEncoding:
 * thin and narrow spaces become no-break spaces, accents outside Latin-1 are dropped ("ő" → "o"), anything
 * else becomes "?". Without this pdfkit writes out-of-range codes and the page shows garbage.
 */
export function toWinAnsi(text: string): string {
  let result = '';
  for (const char of text.replace(SPACES, '\u00a0')) {
    // Line breaks are layout, not glyphs: kept for pdfkit's paragraph wrapping.
    if (char === '\n' || winAnsiCode(char) !== undefined) {
      result += char;
      continue;
    }
    const base = char.normalize('NFKD').replace(/\p{M}/gu, '');
    result += base.length > 0 && [...base].every((c) => winAnsiCode(c) !== undefined) ? base : '?';
  }
  return result;
}

function winAnsiCode(char: string): number | undefined {
  if (char.length !== 1) return undefined;
  const code = char.charCodeAt(0);
  if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff)) return code;
  return WIN_ANSI_EXTRAS.get(char);
}

/**
 * One line of text as PDF operators, baseline at (x, y) in PDF space, with a font resource `font` that
 * must be a standard font with WinAnsiEncoding. No kerning: these are short codes and numbers.
 */
export function textOperators(font: string, size: number, x: number, y: number, text: string): string {
  let hex = '';
  for (const char of toWinAnsi(text.replace(/\s/g, ' ')))
    hex += winAnsiCode(char)!.toString(16).padStart(2, '0');
  return `BT /${font} ${size} Tf ${pdfNumber(x)} ${pdfNumber(y)} Td <${hex}> Tj ET`;
}

/** "r g b rg": a non-stroking RGB colour from "#rrggbb". */
export function fillColorOperator(hex: string): string {
  const channels = [1, 3, 5].map((start) =>
    pdfNumber(Number.parseInt(hex.slice(start, start + 2), 16) / 255, 3),
  );
  return `${channels.join(' ')} rg`;
}

/** A number as PDF content wants it: no exponent, at most `decimals` decimals. */
export function pdfNumber(value: number, decimals = 2): string {
  const factor = 10 ** decimals;
  return String(Math.round(value * factor) / factor);
}
