import jsQR from 'jsqr';

// Decodes camera frames off the main thread, so the scanner stays responsive on entry-level phones.
// jsQR is plain JavaScript: no WASM, so it runs under the strict CSP (no 'wasm-unsafe-eval').

interface FrameMessage {
  id: number;
  width: number;
  height: number;
  pixels: Uint8ClampedArray;
}

self.onmessage = (event: MessageEvent<FrameMessage>) => {
  const { id, width, height, pixels } = event.data;
  // Printed passes are dark on light: skipping the inverted pass halves the work per frame.
  const found = jsQR(pixels, width, height, { inversionAttempts: 'dontInvert' });
  (self as unknown as Worker).postMessage({ id, text: found?.data ?? null });
};
