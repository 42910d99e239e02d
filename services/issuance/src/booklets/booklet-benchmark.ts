import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBatchInfo, streamBooklets } from './booklet-test-data';
import { defaultWorkerCount } from './pass-layer-builder';
import { renderBookletsPdf } from './render-booklets-pdf';

/** Figures of one measured rendering of a whole batch into a temporary PDF file. */
export type BookletBenchmarkResult = {
  passes: number;
  booklets: number;
  workers: number;
  seconds: number;
  passesPerSecond: number;
  /** Peak resident set size sampled every 10 ms during the run (worker threads included: same process). */
  rssMb: number;
  /** CPU time of all threads; cpuSeconds / seconds above 1 means more than one core was busy. */
  cpuSeconds: number;
  pdfMb: number;
};

/**
 * Renders a batch of `passes` passes (booklets of `bookletSize`, realistic 128-character payloads) to a
 * temporary file and measures it. The clock includes starting the worker threads and generating the
 * booklets, as a real run from a database cursor would.
 */
export async function measureBookletRendering(options: {
  passes: number;
  bookletSize?: number;
  workers?: number;
}): Promise<BookletBenchmarkResult> {
  const bookletSize = options.bookletSize ?? 10;
  const booklets = Math.ceil(options.passes / bookletSize);
  const passes = booklets * bookletSize;
  const workers = options.workers ?? defaultWorkerCount();
  const directory = await mkdtemp(join(tmpdir(), 'booklet-benchmark-'));
  const file = join(directory, 'booklets.pdf');
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 10);
  try {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await renderBookletsPdf(
      { batch: buildBatchInfo(), booklets: streamBooklets(booklets, bookletSize) },
      createWriteStream(file),
      { workers },
    );
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    return {
      passes,
      booklets,
      workers,
      seconds: Math.round(seconds * 1000) / 1000,
      passesPerSecond: Math.round(passes / seconds),
      rssMb: Math.round(peakRss / 2 ** 20),
      cpuSeconds: round((cpu.user + cpu.system) / 1e6),
      pdfMb: round((await stat(file)).size / 2 ** 20),
    };
  } finally {
    clearInterval(sampler);
    await rm(directory, { recursive: true, force: true });
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
