import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import jsQR from 'jsqr';
import QRCode from 'qrcode';

const require = createRequire(import.meta.url);
// pngjs comes with qrcode (no types of its own here): only its sync reader is used.
const { PNG } = require('pngjs') as {
  PNG: { sync: { read(buffer: Buffer): { width: number; height: number; data: Buffer } } };
};

// Chromium's fake camera loops a .y4m file. Frames of 640x480 at 10 fps keep the file small (one second
// is enough: it loops) and look like a phone held over a pass.
const WIDTH = 640;
const HEIGHT = 480;

/** Turns a still image into a looping fake-camera video (.y4m), the image centred on white. */
export function imageToY4m(imageFile: string, outFile: string): string {
  execFileSync(
    'ffmpeg',
    [
      '-loglevel',
      'error',
      '-y',
      '-loop',
      '1',
      '-i',
      imageFile,
      '-t',
      '1',
      '-r',
      '10',
      '-vf',
      `scale=${WIDTH - 40}:${HEIGHT - 40}:force_original_aspect_ratio=decrease,pad=${WIDTH}:${HEIGHT}:(ow-iw)/2:(oh-ih)/2:white,format=yuv420p`,
      '-f',
      'yuv4mpegpipe',
      outFile,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return outFile;
}

/** A PNG of a QR code for a payload (when no rendered booklet is at hand). */
export async function qrPng(payload: string, outFile: string): Promise<string> {
  await QRCode.toFile(outFile, [{ data: payload, mode: 'alphanumeric' }], {
    errorCorrectionLevel: 'M',
    margin: 4,
    scale: 8,
  });
  return outFile;
}

/**
 * Renders one pass of a booklet PDF to PNG with pdftoppm: page `page` (1-based), the slot of 105 x 59.4 mm
 * at `slot` (0-based, row by row, 2 x 5 per A4 page), at 200 dpi.
 */
export function renderPassPng(pdfFile: string, page: number, slot: number, outPrefix: string): string {
  const dpi = 200;
  const pt = dpi / 72;
  const slotWidth = (595.28 / 2) * pt;
  const slotHeight = (841.89 / 5) * pt;
  const x = Math.round((slot % 2) * slotWidth);
  const y = Math.round(Math.floor(slot / 2) * slotHeight);
  execFileSync('pdftoppm', [
    '-png',
    '-r',
    String(dpi),
    '-f',
    String(page),
    '-l',
    String(page),
    '-x',
    String(x),
    '-y',
    String(y),
    '-W',
    String(Math.floor(slotWidth)),
    '-H',
    String(Math.floor(slotHeight)),
    '-singlefile',
    pdfFile,
    outPrefix,
  ]);
  return `${outPrefix}.png`;
}

/** Decodes the QR code of a PNG (what the camera will show), or undefined. */
export function decodeQrPng(file: string): string | undefined {
  const png = PNG.sync.read(readFileSync(file));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

/** Path helper: a file in the given folder. */
export function inDir(dir: string, name: string): string {
  return path.join(dir, name);
}
