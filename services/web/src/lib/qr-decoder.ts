/** Reads QR codes from video frames: the browser's BarcodeDetector where it exists, jsQR otherwise. */
export interface QrDecoder {
  readonly kind: 'native' | 'jsqr';
  decode(source: HTMLVideoElement): Promise<string | undefined>;
  close(): void;
}

interface NativeBarcodeDetector {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>;
}

interface BarcodeDetectorClass {
  new (options: { formats: string[] }): NativeBarcodeDetector;
  getSupportedFormats?: () => Promise<string[]>;
}

// Frames are scaled down to this width before decoding: a pass's QR code (version 6) still has several
// pixels per module, and jsQR's cost grows with the pixel count.
const MAX_DECODE_WIDTH = 800;

/** The best decoder this browser has. */
export async function createQrDecoder(): Promise<QrDecoder> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  if (Detector) {
    try {
      const formats = (await Detector.getSupportedFormats?.()) ?? ['qr_code'];
      if (formats.includes('qr_code')) return nativeDecoder(new Detector({ formats: ['qr_code'] }));
    } catch {
      // Some browsers expose the class but cannot run it (no platform support): fall back to jsQR.
    }
  }
  return jsQrDecoder();
}

function nativeDecoder(detector: NativeBarcodeDetector): QrDecoder {
  return {
    kind: 'native',
    async decode(video) {
      const codes = await detector.detect(video);
      return codes[0]?.rawValue;
    },
    close() {},
  };
}

function jsQrDecoder(): QrDecoder {
  const worker = new Worker(new URL('./qr-worker.ts', import.meta.url), { type: 'module' });
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  let nextId = 0;
  const pending = new Map<number, (text: string | undefined) => void>();
  worker.onmessage = (event: MessageEvent<{ id: number; text: string | null }>) => {
    pending.get(event.data.id)?.(event.data.text ?? undefined);
    pending.delete(event.data.id);
  };
  return {
    kind: 'jsqr',
    decode(video) {
      const scale = Math.min(1, MAX_DECODE_WIDTH / (video.videoWidth || MAX_DECODE_WIDTH));
      const width = Math.round(video.videoWidth * scale);
      const height = Math.round(video.videoHeight * scale);
      if (!width || !height) return Promise.resolve(undefined);
      canvas.width = width;
      canvas.height = height;
      context.drawImage(video, 0, 0, width, height);
      const { data } = context.getImageData(0, 0, width, height);
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        // The pixel buffer is transferred, not copied.
        worker.postMessage({ id, width, height, pixels: data }, [data.buffer]);
      });
    },
    close() {
      worker.terminate();
      for (const resolve of pending.values()) resolve(undefined);
      pending.clear();
    },
  };
}
