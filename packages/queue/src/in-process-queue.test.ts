import { expect } from 'chai';
import { InProcessQueue } from './in-process-queue';

async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('in-process job queue', () => {
  it('runs a job and reports its progress and result', async () => {
    const queue = new InProcessQueue();
    queue.register<{ n: number }>({
      name: 'double',
      handler: async (data, ctx) => {
        await ctx.updateProgress({ done: 1, total: 1 });
        return data.n * 2;
      },
    });
    await queue.start();
    const id = await queue.enqueue('double', { n: 21 });
    const info = await waitFor(async () => {
      const job = await queue.getJob(id);
      return job?.state === 'completed' ? job : undefined;
    });
    expect(info.result).to.equal(42);
    expect(info.progress).to.deep.equal({ done: 1, total: 1 });
    await queue.close();
  });

  it('retries a failing job with backoff until it succeeds', async () => {
    const queue = new InProcessQueue();
    const attempts: number[] = [];
    queue.register({
      name: 'flaky',
      attempts: 4,
      backoffMs: 5,
      handler: async (_data, ctx) => {
        attempts.push(ctx.attempt);
        if (ctx.attempt < 3) throw new Error(`fail ${ctx.attempt}`);
        return 'ok';
      },
    });
    await queue.start();
    const id = await queue.enqueue('flaky', {});
    const info = await waitFor(async () => {
      const job = await queue.getJob(id);
      return job?.state === 'completed' ? job : undefined;
    });
    expect(attempts).to.deep.equal([1, 2, 3]);
    expect(info.attemptsMade).to.equal(3);
    await queue.close();
  });

  it('marks a job failed after its last attempt', async () => {
    const queue = new InProcessQueue();
    queue.register({
      name: 'broken',
      attempts: 2,
      backoffMs: 1,
      handler: async () => Promise.reject(new Error('always')),
    });
    await queue.start();
    const id = await queue.enqueue('broken', {});
    const info = await waitFor(async () => {
      const job = await queue.getJob(id);
      return job?.state === 'failed' ? job : undefined;
    });
    expect(info.failedReason).to.equal('always');
    expect(info.attemptsMade).to.equal(2);
    await queue.close();
  });

  it('deduplicates by job id while the first job exists', async () => {
    const queue = new InProcessQueue();
    let runs = 0;
    queue.register({ name: 'once', handler: async () => ++runs });
    const a = await queue.enqueue('once', {}, { jobId: 'same-id' });
    const b = await queue.enqueue('once', {}, { jobId: 'same-id' });
    expect(a).to.equal(b);
    await queue.start();
    await waitFor(async () => ((await queue.getJob(a))?.state === 'completed' ? true : undefined));
    expect(runs).to.equal(1);
    await queue.close();
  });

  it('waits for running jobs when closing', async () => {
    const queue = new InProcessQueue();
    let finished = false;
    queue.register({
      name: 'slow',
      handler: async () => {
        await new Promise((r) => setTimeout(r, 100));
        finished = true;
      },
    });
    await queue.start();
    await queue.enqueue('slow', {});
    await new Promise((r) => setTimeout(r, 10));
    await queue.close();
    expect(finished).to.equal(true);
  });
});
