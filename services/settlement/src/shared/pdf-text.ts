// WinAnsiEncoding (PDF 32000-1 annex D) codes of the characters above U+00FF it has.
const WIN_ANSI_EXTRAS = new Set(
  [
    0x20ac, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x017d,
    0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x017e,
    0x0178,
  ].map((code) => String.fromCharCode(code)),
);
const SPACES = /[\u2000-\u200a\u202f\u205f\u3000]/g;

function isWinAnsi(char: string): boolean {
  const code = char.charCodeAt(0);
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRAS.has(char);
}

/**
 * Text the PDF standard fonts (Helvetica) can print: they only know WinAnsiEncoding, so the narrow no-break
 * space of French amounts ("1 234,56 €") becomes a no-break space, accents outside Latin-1 are dropped and
 * anything else becomes "?". Without this pdfkit writes out-of-range codes and the page shows garbage.
 */
export function toWinAnsi(text: string): string {
  let result = '';
  for (const char of text.replace(SPACES, '\u00a0')) {
    if (char === '\n' || isWinAnsi(char)) {
      result += char;
      continue;
    }
    const base = char.normalize('NFKD').replace(/\p{M}/gu, '');
    result += base.length > 0 && [...base].every(isWinAnsi) ? base : '?';
  }
  return result;
}
