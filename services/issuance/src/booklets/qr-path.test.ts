import { expect } from 'chai';
import { buildPayload } from './booklet-test-data';
import { createQrMatrix, type QrMatrix } from './qr-matrix';
import { QUIET_ZONE_MODULES, qrPathOperators, qrSideModules } from './qr-path';

// Paints the `x y w h re` rectangles of the path back into a grid, row 0 at the top.
function paint(operators: string, side: number): Uint8Array {
  const grid = new Uint8Array(side * side);
  const rectangles = [...operators.matchAll(/^(\d+) (\d+) (\d+) 1 re$/gm)];
  for (const [, x, y, width] of rectangles) {
    const row = side - 1 - Number(y);
    for (let col = Number(x); col < Number(x) + Number(width); col++) grid[row * side + col] = 1;
  }
  return grid;
}

function withQuietZone(matrix: QrMatrix): Uint8Array {
  const side = qrSideModules(matrix);
  const grid = new Uint8Array(side * side);
  for (let row = 0; row < matrix.size; row++) {
    for (let col = 0; col < matrix.size; col++) {
      grid[(row + QUIET_ZONE_MODULES) * side + col + QUIET_ZONE_MODULES] =
        matrix.modules[row * matrix.size + col]!;
    }
  }
  return grid;
}

describe('qrPathOperators', () => {
  const matrix = createQrMatrix(buildPayload());
  const side = qrSideModules(matrix);
  const operators = qrPathOperators(matrix);

  it('draws exactly the dark modules, upright, inside a 4-module quiet zone', () => {
    expect(side).to.equal(matrix.size + 8);
    expect(Buffer.from(paint(operators, side)).equals(Buffer.from(withQuietZone(matrix)))).to.equal(true);
  });

  it('merges each horizontal run of dark modules into one rectangle', () => {
    let runs = 0;
    for (let row = 0; row < matrix.size; row++) {
      for (let col = 0; col < matrix.size; col++) {
        const dark = matrix.modules[row * matrix.size + col] === 1;
        const previousDark = col > 0 && matrix.modules[row * matrix.size + col - 1] === 1;
        if (dark && !previousDark) runs++;
      }
    }
    expect(operators.match(/ 1 re$/gm)).to.have.length(runs);
  });

  it('paints the quiet zone white first and fills all runs in one operation', () => {
    expect(operators.startsWith(`1 g 0 0 ${side} ${side} re f 0 g\n`)).to.equal(true);
    expect(operators.match(/^f$/gm)).to.have.length(1);
    expect(operators.endsWith('\nf')).to.equal(true);
  });
});
