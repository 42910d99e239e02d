import type { QrMatrix } from './qr-matrix';

/** Light modules kept around the symbol, as ISO/IEC 18004 requires. */
export const QUIET_ZONE_MODULES = 4;

// Integer-to-string is the hot spot of building the path; coordinates never exceed a version 40 symbol.
const NUMBERS = Array.from({ length: 200 }, (_, n) => String(n));

/** Width of the drawn square in modules, quiet zone included. */
export function qrSideModules(matrix: QrMatrix): number {
  return matrix.size + 2 * QUIET_ZONE_MODULES;
}

/**
 * PDF content operators drawing the symbol in module units, origin at the bottom-left corner of the quiet
 * zone (PDF y grows upwards): a white square for the quiet zone, then one rectangle per horizontal run of
 * dark modules, all filled at once so anti-aliasing leaves no seams between rows.
 */
export function qrPathOperators(matrix: QrMatrix): string {
  const { size, modules } = matrix;
  const side = qrSideModules(matrix);
  // The white background keeps the quiet zone light even if the pass gets a tinted design one day.
  const parts: string[] = [`1 g 0 0 ${side} ${side} re f 0 g`];
  for (let row = 0; row < size; row++) {
    const y = NUMBERS[side - QUIET_ZONE_MODULES - 1 - row]!;
    const offset = row * size;
    let col = 0;
    while (col < size) {
      if (modules[offset + col] === 0) {
        col++;
        continue;
      }
      const start = col;
      while (col < size && modules[offset + col] === 1) col++;
      parts.push(`${NUMBERS[start + QUIET_ZONE_MODULES]} ${y} ${NUMBERS[col - start]} 1 re`);
    }
  }
  parts.push('f');
  return parts.join('\n');
}
