import { randomBytes } from 'node:crypto';
import type { BookletBatchInfo, BookletPass, BookletToRender } from './booklet-render-input';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Batch information as a funder would print it; override any field. */
export function buildBatchInfo(overrides: Partial<BookletBatchInfo> = {}): BookletBatchInfo {
  return {
    funderName: 'Département du Rhône',
    wording:
      'Le Département du Rhône vous offre ce carnet de Pass numérique pour apprendre à utiliser ' +
      'un ordinateur, un smartphone et les services en ligne, accompagné par des médiateurs près de chez vous.',
    faceValue: '10.00',
    validFrom: '2026-01-01',
    validUntil: '2026-12-31',
    territoryLabel: 'Rhône (69)',
    venuesUrl: 'https://pass-numerique.example.org/lieux',
    batchReference: 'LOT-2026-0042',
    ...overrides,
  };
}

/** A payload shaped like the real ones: version, key id, code, then a base32 signature (QR alphanumeric). */
export function buildPayload(code = randomCrockford(17)): string {
  return `PN1.K1.${code}.${randomCrockford(103)}`;
}

/** One pass with a random code; override any field. */
export function buildPass(serialNumber: number, overrides: Partial<BookletPass> = {}): BookletPass {
  const code = randomCrockford(17);
  return {
    serial: String(serialNumber).padStart(8, '0'),
    displayCode: code.match(/.{1,4}/g)!.join('-'),
    payload: buildPayload(code),
    ...overrides,
  };
}

/** `count` booklets of `size` passes numbered from 1, serials following each other. */
export function buildBooklets(count: number, size = 10): BookletToRender[] {
  return Array.from({ length: count }, (_, index) => ({
    number: index + 1,
    passes: Array.from({ length: size }, (_, slot) => buildPass(index * size + slot + 1)),
  }));
}

/** The same booklets as an async stream, as a database cursor would yield them. */
export async function* streamBooklets(count: number, size = 10): AsyncGenerator<BookletToRender> {
  for (let index = 0; index < count; index++) {
    yield {
      number: index + 1,
      passes: Array.from({ length: size }, (_, slot) => buildPass(index * size + slot + 1)),
    };
  }
}

function randomCrockford(length: number): string {
  let text = '';
  for (const byte of randomBytes(length)) text += CROCKFORD[byte & 31];
  return text;
}
