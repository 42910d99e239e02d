import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { inlineTupleProducer, workerTupleProducer } from './tuple-producer';

describe('tuple producers', function () {
  this.timeout(20_000);
  const source = { batchId: randomUUID(), seed: randomBytes(32), hashKey: randomBytes(32) };

  it('encodes the same rows in a worker thread as in the calling thread', async () => {
    const worker = workerTupleProducer(source);
    try {
      const [a, b] = await Promise.all([worker.produce(1, 3000), worker.produce(3001, 10)]);
      const inline = inlineTupleProducer(source);
      expect(a.equals(await inline.produce(1, 3000))).to.equal(true);
      expect(b.equals(await inline.produce(3001, 10))).to.equal(true);
    } finally {
      await worker.close();
    }
  });

  it('rejects instead of hanging when the worker cannot work, and after it is closed', async () => {
    const broken = workerTupleProducer({ ...source, hashKey: Buffer.alloc(8) });
    let caught: unknown;
    try {
      await broken.produce(1, 10);
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(Error);
    await broken.close();
    const closed = workerTupleProducer(source);
    await closed.close();
    let afterClose: unknown;
    try {
      await closed.produce(1, 1);
    } catch (error) {
      afterClose = error;
    }
    expect(afterClose).to.be.instanceOf(Error);
  });
});
