import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import jsQR from 'jsqr';
import { measureBookletRendering } from './booklet-benchmark';
import type { BookletToRender } from './booklet-render-input';
import { buildBatchInfo, buildBooklets, buildPass } from './booklet-test-data';
import { createPassLayerBuilder } from './pass-layer-builder';
import {
  PAGE_HEIGHT,
  PAGE_WIDTH,
  PASSES_PER_PAGE,
  SLOT_HEIGHT,
  SLOT_WIDTH,
  slotOrigin,
} from './pass-geometry';
import { renderBookletProof, renderBookletsPdf } from './render-booklets-pdf';

// Renders real files and reads them back with poppler-utils (pdftoppm, pdftotext) and jsQR. Without
// poppler-utils these tests fail on purpose: install it with `apt-get install -y poppler-utils`.

const run = promisify(execFile);
const DPI = 150;

async function poppler(tool: 'pdftoppm' | 'pdftotext', args: string[]): Promise<string> {
  try {
    return (await run(tool, args, { maxBuffer: 64 * 2 ** 20 })).stdout;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        `${tool} is missing: install the Debian package poppler-utils (apt-get install -y poppler-utils)`,
      );
    }
    throw error;
  }
}

type Raster = { width: number; height: number; channels: 1 | 3; pixels: Uint8Array };

// PGM (P5, gray) and PPM (P6, RGB) with 8-bit samples, as pdftoppm writes them.
function parsePnm(file: Buffer): Raster {
  const fields: string[] = [];
  let offset = 0;
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(file[offset]!))) offset++;
    if (file[offset] === 0x23) {
      while (file[offset] !== 0x0a) offset++;
      continue;
    }
    const start = offset;
    while (!/\s/.test(String.fromCharCode(file[offset]!))) offset++;
    fields.push(file.toString('latin1', start, offset));
  }
  const [magic, width, height, maxValue] = fields;
  if ((magic !== 'P5' && magic !== 'P6') || maxValue !== '255')
    throw new Error(`Unexpected PNM header ${fields}`);
  const channels = magic === 'P5' ? 1 : 3;
  const pixels = file.subarray(offset + 1);
  expect(pixels.length).to.equal(Number(width) * Number(height) * channels);
  return { width: Number(width), height: Number(height), channels, pixels };
}

async function rasterizePage(pdf: string, page: number, options: { gray: boolean }): Promise<Raster> {
  const prefix = `${pdf}-page${page}`;
  const color = options.gray ? ['-gray'] : [];
  await poppler('pdftoppm', [
    '-r',
    String(DPI),
    ...color,
    '-f',
    String(page),
    '-l',
    String(page),
    '-singlefile',
    pdf,
    prefix,
  ]);
  return parsePnm(await readFile(`${prefix}.${options.gray ? 'pgm' : 'ppm'}`));
}

// The pixels of one pass slot, as the RGBA jsQR wants.
function slotRgba(page: Raster, slot: number): { data: Uint8ClampedArray; width: number; height: number } {
  const scale = page.width / PAGE_WIDTH;
  const origin = slotOrigin(slot);
  const left = Math.round(origin.x * scale);
  const top = Math.round(origin.y * scale);
  const width = Math.floor(SLOT_WIDTH * scale);
  const height = Math.floor(SLOT_HEIGHT * scale);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const source = ((top + y) * page.width + left + x) * page.channels;
      const target = (y * width + x) * 4;
      data[target] = page.pixels[source]!;
      data[target + 1] = page.pixels[source + (page.channels === 3 ? 1 : 0)]!;
      data[target + 2] = page.pixels[source + (page.channels === 3 ? 2 : 0)]!;
      data[target + 3] = 255;
    }
  }
  return { data, width, height };
}

function pageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;
}

async function* streamOf(booklets: BookletToRender[]): AsyncGenerator<BookletToRender> {
  yield* booklets;
}

describe('booklet PDF files', function () {
  this.timeout(60_000);
  let directory = '';
  const batch = buildBatchInfo();
  const booklets = buildBooklets(2, 10);
  let batchPdf = '';

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'booklets-io-'));
    batchPdf = join(directory, 'batch.pdf');
    // Two worker threads, as in production: the pass layers come back from them.
    await renderBookletsPdf({ batch, booklets: streamOf(booklets) }, createWriteStream(batchPdf), {
      workers: 2,
    });
  });

  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('is one PDF with a cover page and a page of passes per booklet', async () => {
    const pdf = await readFile(batchPdf);
    expect(pdf.subarray(0, 5).toString('latin1')).to.equal('%PDF-');
    expect(pdf.toString('latin1').trimEnd().endsWith('%%EOF')).to.equal(true);
    expect(pageCount(pdf)).to.equal(4);
  });

  it('prints QR codes that a scanner decodes back to the payload of each pass, in order', async () => {
    const page = await rasterizePage(batchPdf, 2, { gray: true });
    expect(page.width).to.be.closeTo((PAGE_WIDTH / 72) * DPI, 1);
    expect(page.height).to.be.closeTo((PAGE_HEIGHT / 72) * DPI, 1);
    const decoded = [];
    for (let slot = 0; slot < PASSES_PER_PAGE; slot++) {
      const { data, width, height } = slotRgba(page, slot);
      decoded.push(jsQR(data, width, height)?.data);
    }
    expect(decoded).to.deep.equal(booklets[0]!.passes.map((pass) => pass.payload));
  });

  it('prints the French wording, the value in euros, validity, codes and serial numbers', async () => {
    const text = (await poppler('pdftotext', ['-f', '1', '-l', '2', batchPdf, '-'])).replace(/\u00a0/g, ' ');
    const firstPass = booklets[0]!.passes[0]!;
    for (const expected of [
      'Carnet n° 1',
      'Offert par Département du Rhône',
      "10 pass d'une valeur de 10,00 € chacun, soit 100,00 €",
      'Comment utiliser un pass ?',
      'https://pass-numerique.example.org/lieux',
      'Pass n° 00000001 à 00000010 · Lot LOT-2026-0042',
      'Pass numérique 10,00 €',
      'Valable du 01/01/2026 au 31/12/2026',
      'Territoire : Rhône (69)',
      firstPass.displayCode,
      'Carnet n° 1 · Pass 1/10',
      'N° de série 00000001',
      'N° de série 00000010',
    ]) {
      expect(text).to.include(expected);
    }
  });

  it('stamps every pass of the proof, whose cover says it is not valid', async () => {
    const proofPdf = join(directory, 'proof.pdf');
    await renderBookletProof({ batch, booklets: streamOf(booklets) }, createWriteStream(proofPdf));
    expect(pageCount(await readFile(proofPdf))).to.equal(2);
    const cover = (await poppler('pdftotext', ['-f', '1', '-l', '1', proofPdf, '-'])).replace(/\u00a0/g, ' ');
    expect(cover).to.include('ÉPREUVE — NON VALABLE');

    const isProofRed = (r: number, g: number, b: number): boolean => r > 180 && g < 150 && b < 150;
    const page = await rasterizePage(proofPdf, 2, { gray: false });
    for (let slot = 0; slot < PASSES_PER_PAGE; slot++) {
      const { data } = slotRgba(page, slot);
      let red = 0;
      for (let i = 0; i < data.length; i += 4) if (isProofRed(data[i]!, data[i + 1]!, data[i + 2]!)) red++;
      expect(red, `red pixels in slot ${slot}`).to.be.greaterThan(2000);
    }
    // The same pass without the stamp has no red at all.
    const { data } = slotRgba(await rasterizePage(batchPdf, 2, { gray: false }), 0);
    let red = 0;
    for (let i = 0; i < data.length; i += 4) if (isProofRed(data[i]!, data[i + 1]!, data[i + 2]!)) red++;
    expect(red).to.equal(0);
  });

  it('fails, and destroys the output, when a worker cannot encode a pass', async () => {
    const tooLong = { number: 1, passes: [buildPass(1, { payload: 'A'.repeat(5000) })] };
    const out = createWriteStream(join(directory, 'broken.pdf'));
    const passLayers = createPassLayerBuilder({ workers: 1 });
    let failure: unknown;
    try {
      // Started, so that the pass goes to the worker rather than being built here meanwhile.
      await passLayers.ready();
      await renderBookletsPdf({ batch, booklets: [tooLong] }, out, { passLayers });
    } catch (error) {
      failure = error;
    } finally {
      await passLayers.close();
    }
    expect(String(failure)).to.match(/Pass layer worker failed: .*too big/);
    expect(out.destroyed).to.equal(true);
  });

  it('measures a rendering for the benchmark', async () => {
    const result = await measureBookletRendering({ passes: 20, workers: 0 });
    expect(result).to.include({ passes: 20, booklets: 2, workers: 0 });
    expect(result.seconds).to.be.greaterThan(0);
    expect(result.passesPerSecond * result.seconds).to.be.closeTo(20, 2);
    expect(result.rssMb).to.be.greaterThan(10);
    expect(result.pdfMb).to.be.greaterThan(0);
  });
});
