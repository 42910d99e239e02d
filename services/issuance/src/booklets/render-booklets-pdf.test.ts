import { Writable } from 'node:stream';
import { expect } from 'chai';
import type { BookletToRender } from './booklet-render-input';
import { buildBatchInfo, buildBooklets } from './booklet-test-data';
import { renderBookletProof, renderBookletsPdf } from './render-booklets-pdf';

// Everything here renders in the calling thread (workers: 0) into memory; booklets.io.test.ts covers the
// worker threads, the files and what the pages look like.

// An in-memory output; with a `gate`, no write completes before the gate opens.
function memoryOutput(options: { gate?: Promise<void> } = {}) {
  const chunks: Buffer[] = [];
  let firstWrite = (): void => {};
  const written = new Promise<void>((resolve) => {
    firstWrite = resolve;
  });
  const out = new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      firstWrite();
      if (options.gate) options.gate.then(() => callback());
      else callback();
    },
  });
  return { out, written, pdf: () => Buffer.concat(chunks).toString('latin1') };
}

function pageCount(pdf: string): number {
  return pdf.match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;
}

async function* streamOf(
  booklets: BookletToRender[],
  events: string[] = [],
): AsyncGenerator<BookletToRender> {
  try {
    for (const booklet of booklets) {
      events.push(`pulled ${booklet.number}`);
      yield booklet;
    }
  } finally {
    events.push('closed');
  }
}

describe('renderBookletsPdf', () => {
  it('writes one PDF: per booklet a cover, then its passes ten per page', async () => {
    const { out, pdf } = memoryOutput();
    const booklets = [...buildBooklets(3, 10), ...buildBooklets(1, 5), ...buildBooklets(1, 12)];
    await renderBookletsPdf({ batch: buildBatchInfo(), booklets: streamOf(booklets) }, out, { workers: 0 });
    expect(pdf().startsWith('%PDF-1.')).to.equal(true);
    expect(pdf().trimEnd().endsWith('%%EOF')).to.equal(true);
    expect(pageCount(pdf())).to.equal(3 * 2 + 2 + 3);
    expect(out.writableFinished).to.equal(true);
  });

  it('stops pulling booklets while the output does not drain, and finishes once it does', async () => {
    let release = (): void => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { out, written, pdf } = memoryOutput({ gate });
    const events: string[] = [];
    const rendering = renderBookletsPdf(
      { batch: buildBatchInfo(), booklets: streamOf(buildBooklets(40, 10), events) },
      out,
      { workers: 0 },
    );
    // From the first (blocked) write on, the renderer has all it needs to run ahead if it ignored 'drain'.
    await written;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const pulledWhileBlocked = events.filter((event) => event.startsWith('pulled')).length;
    release();
    await rendering;
    expect(pulledWhileBlocked).to.be.within(1, 8);
    expect(pageCount(pdf())).to.equal(80);
  });

  it('refuses an empty batch before writing anything', async () => {
    const { out, pdf } = memoryOutput();
    const rendering = renderBookletsPdf({ batch: buildBatchInfo(), booklets: [] }, out, { workers: 0 });
    await expectRejection(rendering, /no booklet/);
    expect(pdf()).to.equal('');
    expect(out.destroyed).to.equal(false);
  });

  it('refuses a malformed validity date before writing anything', async () => {
    const { out, pdf } = memoryOutput();
    const batch = buildBatchInfo({ validUntil: '31/12/2026' });
    await expectRejection(
      renderBookletsPdf({ batch, booklets: buildBooklets(1) }, out, { workers: 0 }),
      /ISO/,
    );
    expect(pdf()).to.equal('');
    expect(out.destroyed).to.equal(false);
  });

  it('destroys the output when the booklet source fails midway', async () => {
    const { out } = memoryOutput();
    async function* failing(): AsyncGenerator<BookletToRender> {
      yield* buildBooklets(2);
      throw new Error('cursor lost');
    }
    await expectRejection(
      renderBookletsPdf({ batch: buildBatchInfo(), booklets: failing() }, out, { workers: 0 }),
      /cursor lost/,
    );
    expect(out.destroyed).to.equal(true);
  });
});

describe('renderBookletProof', () => {
  it('renders the first booklet only and closes the booklet source', async () => {
    const { out, pdf } = memoryOutput();
    const events: string[] = [];
    await renderBookletProof(
      { batch: buildBatchInfo(), booklets: streamOf(buildBooklets(3, 10), events) },
      out,
    );
    expect(pageCount(pdf())).to.equal(2);
    expect(events).to.deep.equal(['pulled 1', 'closed']);
  });
});

async function expectRejection(promise: Promise<unknown>, message: RegExp): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect(String(error)).to.match(message);
    return;
  }
  expect.fail('expected a rejection');
}
