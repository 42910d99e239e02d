import PDFDocument from 'pdfkit';
import { BookletDesign } from './booklet-layout';
import type { BookletRenderInput, BookletToRender } from './booklet-render-input';
import type { PassPage } from './pass-layer';
import { createPassLayerBuilder, type PassLayerBuilder } from './pass-layer-builder';
import { PAGE_HEIGHT, PAGE_WIDTH, PASSES_PER_PAGE } from './pass-geometry';
import { toWinAnsi } from './pdf-text';

/** How a booklet PDF is produced; every field is optional. */
export type BookletRenderOptions = {
  /** A builder to reuse across documents (it is not closed); by default one is started and closed. */
  passLayers?: PassLayerBuilder;
  /** Worker threads of the builder started for this document (default: one per core but one). */
  workers?: number;
};

type Doc = InstanceType<typeof PDFDocument>;

// Booklets whose pass layers are being built ahead of the page being drawn, per building thread: enough
// to keep every worker busy while this thread assembles pages, few enough to keep memory flat (a booklet's
// layers weigh ~15 kB).
const BOOKLETS_AHEAD_PER_THREAD = 4;
const OUTPUT_CHUNK_BYTES = 64 * 1024;

/**
 * Renders the booklets of a batch as one A4 PDF written to `out` as it goes: per booklet a cover page,
 * then its passes 10 per page. Waits for `out` to drain (constant memory) and ends it when the PDF is
 * complete. Invalid batch data or an empty batch reject before anything is written; a failure later
 * destroys `out`, whose content would be a truncated PDF.
 */
export async function renderBookletsPdf(
  input: BookletRenderInput,
  out: NodeJS.WritableStream,
  options: BookletRenderOptions = {},
): Promise<void> {
  const passLayers = options.passLayers ?? createPassLayerBuilder({ workers: options.workers });
  try {
    await renderDocument(input, out, passLayers, { proof: false, maxBooklets: Number.POSITIVE_INFINITY });
  } finally {
    if (!options.passLayers) await passLayers.close();
  }
}

/**
 * Renders the proof the funder approves before the batch is printed: the first booklet only, every pass
 * stamped "ÉPREUVE — NON VALABLE". Built in the calling thread unless `options` say otherwise.
 */
export async function renderBookletProof(
  input: BookletRenderInput,
  out: NodeJS.WritableStream,
  options: BookletRenderOptions = {},
): Promise<void> {
  const passLayers = options.passLayers ?? createPassLayerBuilder({ workers: options.workers ?? 0 });
  try {
    await renderDocument(input, out, passLayers, { proof: true, maxBooklets: 1 });
  } finally {
    if (!options.passLayers) await passLayers.close();
  }
}

type DocumentMode = { proof: boolean; maxBooklets: number };
type QueuedBooklet = { booklet: BookletToRender; layers: Promise<Uint8Array[]> };

async function renderDocument(
  input: BookletRenderInput,
  out: NodeJS.WritableStream,
  passLayers: PassLayerBuilder,
  mode: DocumentMode,
): Promise<void> {
  const { batch } = input;
  const booklets = iterate(input.booklets);
  const first = await booklets.next();
  if (first.done) throw new RangeError(`Batch ${batch.batchReference} has no booklet to render`);

  const doc = new PDFDocument({
    size: [PAGE_WIDTH, PAGE_HEIGHT],
    // 1.4 for the transparency of the proof watermark.
    pdfVersion: '1.4',
    margin: 0,
    autoFirstPage: false,
    info: {
      Title: toWinAnsi(
        `${mode.proof ? 'Épreuve des carnets' : 'Carnets'} Pass numérique — lot ${batch.batchReference}`,
      ),
      Author: toWinAnsi(batch.funderName),
      Creator: 'Pass numérique clearing',
    },
  });
  // Throws on a malformed date or amount while nothing has reached `out` yet.
  const design = new BookletDesign(doc, batch, mode.proof);
  const sink = connect(doc, out);

  try {
    const queue: QueuedBooklet[] = [];
    const ahead = (passLayers.workers + 1) * BOOKLETS_AHEAD_PER_THREAD;
    const enqueue = (booklet: BookletToRender): void => {
      const layers = passLayers.build(passPages(booklet));
      // Awaited in order later; this keeps a failure of a later booklet from being reported as unhandled.
      layers.catch(() => {});
      queue.push({ booklet, layers });
    };
    const drawNext = async (): Promise<void> => {
      const next = queue.shift()!;
      await drawBooklet(design, next.booklet, await next.layers, sink);
    };

    let enqueued = 0;
    let current: IteratorResult<BookletToRender> = first;
    while (!current.done && enqueued < mode.maxBooklets) {
      enqueue(current.value);
      enqueued++;
      if (queue.length >= ahead) await drawNext();
      if (enqueued < mode.maxBooklets) current = await booklets.next();
    }
    // Lets a database cursor behind the iterable release its resources when we stop early (proof).
    if (!current.done) await booklets.return?.();
    while (queue.length > 0) await drawNext();
    await sink.finish();
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    (out as Partial<{ destroy(error?: Error): void }>).destroy?.(failure);
    throw failure;
  }
}

function passPages(booklet: BookletToRender): PassPage[] {
  const pages: PassPage[] = [];
  for (let start = 0; start < booklet.passes.length; start += PASSES_PER_PAGE) {
    pages.push({
      bookletNumber: booklet.number,
      bookletSize: booklet.passes.length,
      firstIndex: start,
      passes: booklet.passes.slice(start, start + PASSES_PER_PAGE),
    });
  }
  return pages;
}

async function drawBooklet(
  design: BookletDesign,
  booklet: BookletToRender,
  layers: Uint8Array[],
  sink: Sink,
): Promise<void> {
  design.addCover(booklet);
  await sink.flush();
  for (const [page, layer] of layers.entries()) {
    design.addPassPage(Math.min(PASSES_PER_PAGE, booklet.passes.length - page * PASSES_PER_PAGE), layer);
    await sink.flush();
  }
}

type Sink = {
  /** Moves what the document produced so far to `out`; resolves when `out` can take more. */
  flush(): Promise<void>;
  /** Ends the document, writes its tail and ends `out`; resolves once `out` has finished. */
  finish(): Promise<void>;
};

// pdfkit pushes into its Readable buffer whatever the consumer does (it ignores push()'s return value), and
// 'data' events or pipe() only empty that buffer when the event loop turns, which a rendering loop fed by
// already-resolved promises may never let happen. So the document is read in paused mode, synchronously,
// after each page, and the producer itself waits for 'drain': memory stays flat whatever the source.
function connect(doc: Doc, out: NodeJS.WritableStream): Sink {
  let failure: Error | null = null;
  const recordFailure = (error: Error): void => {
    failure ??= error;
  };
  out.on('error', recordFailure);
  doc.on('error', recordFailure);

  const waitFor = (event: 'drain' | 'finish'): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (failure) {
        reject(failure);
        return;
      }
      const settle = (error?: Error): void => {
        out.off(event, onEvent);
        out.off('error', onError);
        out.off('close', onClose);
        if (error) reject(error);
        else resolve();
      };
      const onEvent = (): void => settle();
      const onError = (error: Error): void => settle(error);
      const onClose = (): void =>
        settle(failure ?? new Error('The output closed before the PDF was complete'));
      out.on(event, onEvent);
      out.on('error', onError);
      out.on('close', onClose);
    });
  // Returns false when `out` asks to wait for 'drain'.
  const writeBuffered = (): boolean => {
    const chunk = doc.read() as Buffer | null;
    return chunk === null || out.write(chunk);
  };

  return {
    async flush() {
      if (failure) throw failure;
      // pdfkit emits a chunk per PDF token line; waiting for 64 kB saves a write (a syscall) per chunk.
      if (doc.readableLength >= OUTPUT_CHUNK_BYTES && !writeBuffered()) {
        await waitFor('drain');
        return;
      }
      // Lets HTTP requests and jobs sharing this thread run between pages (embedded mode, workers: 0).
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
    async finish() {
      if (failure) throw failure;
      doc.end();
      writeBuffered();
      const finished = waitFor('finish');
      out.end();
      await finished;
    },
  };
}

function iterate<T>(source: AsyncIterable<T> | Iterable<T>): AsyncIterator<T> | Iterator<T> {
  return Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
}
