import { expect } from 'chai';
import { CallGrouper } from './grouped-calls';

/** A controllable call: records each group and answers when told to. */
function recorder() {
  const groups: number[][] = [];
  const pending: { items: number[]; answer: (outputs: string[]) => void; fail: (e: Error) => void }[] = [];
  const run = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      groups.push(items);
      pending.push({ items, answer: resolve, fail: reject });
    });
  return { groups, pending, run };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('CallGrouper', () => {
  it('sends an item at once when nothing runs', async () => {
    const r = recorder();
    const grouper = new CallGrouper(r.run, { maxGroup: 8, maxInFlight: 1 });
    const answer = grouper.submit(1);
    expect(r.groups).to.deep.equal([[1]]);
    r.pending[0]!.answer(['one']);
    expect(await answer).to.equal('one');
  });

  it('groups the items that arrive while calls run, at most maxGroup per call, answers in order', async () => {
    const r = recorder();
    const grouper = new CallGrouper(r.run, { maxGroup: 3, maxInFlight: 1 });
    const answers = [1, 2, 3, 4, 5, 6].map((n) => grouper.submit(n));
    expect(r.groups).to.deep.equal([[1]]);
    r.pending[0]!.answer(['a1']);
    await tick();
    expect(r.groups).to.deep.equal([[1], [2, 3, 4]]);
    r.pending[1]!.answer(['a2', 'a3', 'a4']);
    await tick();
    expect(r.groups).to.deep.equal([[1], [2, 3, 4], [5, 6]]);
    r.pending[2]!.answer(['a5', 'a6']);
    expect(await Promise.all(answers)).to.deep.equal(['a1', 'a2', 'a3', 'a4', 'a5', 'a6']);
  });

  it('runs at most maxInFlight calls at once', async () => {
    const r = recorder();
    const grouper = new CallGrouper(r.run, { maxGroup: 10, maxInFlight: 2 });
    const answers = [1, 2, 3, 4].map((n) => grouper.submit(n));
    expect(r.groups).to.deep.equal([[1], [2]]);
    r.pending[1]!.answer(['a2']);
    await tick();
    expect(r.groups).to.deep.equal([[1], [2], [3, 4]]);
    r.pending[0]!.answer(['a1']);
    r.pending[2]!.answer(['a3', 'a4']);
    expect(await Promise.all(answers)).to.deep.equal(['a1', 'a2', 'a3', 'a4']);
  });

  it('while a call runs, starts another only once minGroupWhileBusy items wait', async () => {
    const r = recorder();
    const grouper = new CallGrouper(r.run, { maxGroup: 10, maxInFlight: 2, minGroupWhileBusy: 3 });
    const answers = [1, 2, 3].map((n) => grouper.submit(n));
    // 1 leaves alone; 2 and 3 are fewer than 3: they wait for the running call.
    expect(r.groups).to.deep.equal([[1]]);
    answers.push(grouper.submit(4));
    // Three wait now: a second call leaves beside the first.
    expect(r.groups).to.deep.equal([[1], [2, 3, 4]]);
    answers.push(grouper.submit(5));
    expect(r.groups).to.have.length(2);
    r.pending[1]!.answer(['a2', 'a3', 'a4']);
    await tick();
    // One call still runs and one item waits: it waits on.
    expect(r.groups).to.have.length(2);
    r.pending[0]!.answer(['a1']);
    await tick();
    // Nothing runs: the lone item leaves.
    expect(r.groups).to.deep.equal([[1], [2, 3, 4], [5]]);
    r.pending[2]!.answer(['a5']);
    expect(await Promise.all(answers)).to.deep.equal(['a1', 'a2', 'a3', 'a4', 'a5']);
  });

  it('while a call runs, lets fewer than minGroupWhileBusy items leave once one has waited maxWaitWhileBusyMs', async () => {
    const r = recorder();
    const grouper = new CallGrouper(r.run, {
      maxGroup: 10,
      maxInFlight: 2,
      minGroupWhileBusy: 8,
      maxWaitWhileBusyMs: 40,
    });
    const answers = [1, 2, 3].map((n) => grouper.submit(n));
    // 1 leaves alone; 2 and 3 are fewer than 8 and have not waited: they stay.
    expect(r.groups).to.deep.equal([[1]]);
    await new Promise((resolve) => setTimeout(resolve, 120));
    // The running call is not over, but they have waited long enough: they leave beside it.
    expect(r.groups).to.deep.equal([[1], [2, 3]]);
    // Two calls run: a newcomer waits for one of them whatever its age (maxInFlight holds).
    answers.push(grouper.submit(4));
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(r.groups).to.have.length(2);
    r.pending[0]!.answer(['a1']);
    await tick();
    expect(r.groups).to.deep.equal([[1], [2, 3], [4]]);
    r.pending[1]!.answer(['a2', 'a3']);
    r.pending[2]!.answer(['a4']);
    expect(await Promise.all(answers)).to.deep.equal(['a1', 'a2', 'a3', 'a4']);
  });

  it('under a steady flow, holds an item up to gatherMs for others to join, and a full group leaves at once', async () => {
    const r = recorder();
    const grouper = new CallGrouper(r.run, { maxGroup: 10, maxInFlight: 2, gatherMs: 60, gatherUntil: 3 });
    // The first arrival says nothing of the flow: it leaves at once.
    const answers = [grouper.submit(1)];
    expect(r.groups).to.deep.equal([[1]]);
    // Arrivals close together: a place is free, yet they wait for company...
    answers.push(grouper.submit(2), grouper.submit(3));
    expect(r.groups).to.deep.equal([[1]]);
    // ...until gatherUntil of them wait.
    answers.push(grouper.submit(4));
    expect(r.groups).to.deep.equal([[1], [2, 3, 4]]);
    r.pending[0]!.answer(['a1']);
    r.pending[1]!.answer(['a2', 'a3', 'a4']);
    await tick();
    // A lone arrival in the same flow leaves when it is gatherMs old.
    answers.push(grouper.submit(5));
    expect(r.groups).to.have.length(2);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(r.groups).to.deep.equal([[1], [2, 3, 4], [5]]);
    r.pending[2]!.answer(['a5']);
    expect(await Promise.all(answers)).to.deep.equal(['a1', 'a2', 'a3', 'a4', 'a5']);
  });

  it('never holds a slow flow, nor while gatherWhile answers false', async () => {
    const r = recorder();
    const slowFlow = new CallGrouper(r.run, { maxGroup: 10, maxInFlight: 2, gatherMs: 20 });
    const first = slowFlow.submit(1);
    r.pending[0]!.answer(['a1']);
    expect(await first).to.equal('a1');
    // Arrivals further apart than gatherMs: each leaves at once.
    for (const n of [2, 3]) {
      await new Promise((resolve) => setTimeout(resolve, 60));
      const answer = slowFlow.submit(n);
      expect(r.groups.at(-1)).to.deep.equal([n]);
      r.pending.at(-1)!.answer([`a${n}`]);
      expect(await answer).to.equal(`a${n}`);
    }

    const q = recorder();
    let others = false;
    const alone = new CallGrouper(q.run, {
      maxGroup: 10,
      maxInFlight: 2,
      gatherMs: 1000,
      gatherWhile: () => others,
    });
    const answers = [1, 2].map((n) => alone.submit(n));
    // A fast flow, but the caller says nobody else is under way: no wait.
    expect(q.groups).to.deep.equal([[1], [2]]);
    others = true;
    answers.push(alone.submit(3));
    expect(q.groups).to.have.length(2);
    q.pending[0]!.answer(['a1']);
    q.pending[1]!.answer(['a2']);
    await tick();
    // Both calls are over, and others still under way: it keeps waiting for company.
    expect(q.groups).to.have.length(2);
    others = false;
    // The held item leaves as soon as something pumps the queue and the caller says it is alone.
    answers.push(alone.submit(4));
    expect(q.groups).to.deep.equal([[1], [2], [3, 4]]);
    q.pending[2]!.answer(['a3', 'a4']);
    expect(await Promise.all(answers)).to.deep.equal(['a1', 'a2', 'a3', 'a4']);
  });

  it('sends each item of a failed group again alone: only the bad item fails', async () => {
    const calls: number[][] = [];
    const grouper = new CallGrouper(
      async (items: number[]) => {
        calls.push(items);
        if (items.includes(13)) throw new Error(`bad item in ${items.join(',')}`);
        return items.map((n) => `ok ${n}`);
      },
      { maxGroup: 10, maxInFlight: 1 },
    );
    const first = grouper.submit(1);
    const rest = [12, 13, 14].map((n) => grouper.submit(n).catch((e: Error) => e.message));
    expect(await first).to.equal('ok 1');
    expect(await Promise.all(rest)).to.deep.equal(['ok 12', 'bad item in 13', 'ok 14']);
    expect(calls).to.deep.equal([[1], [12, 13, 14], [12], [13], [14]]);
  });

  it('sends the items again alone when a call answers the wrong number of outputs', async () => {
    const grouper = new CallGrouper(async () => ['only one'], { maxGroup: 10, maxInFlight: 1 });
    const blocker = grouper.submit(0);
    const answers = [1, 2].map((n) =>
      grouper.submit(n).then(
        (v) => v,
        (e: Error) => e.message,
      ),
    );
    expect(await blocker).to.equal('only one');
    // The group [1, 2] gets one output for two items: each is sent again alone and then answered.
    expect(await Promise.all(answers)).to.deep.equal(['only one', 'only one']);
  });

  it('sends the items of a failed group again without waiting for a free slot', async () => {
    const r = recorder();
    const grouper = new CallGrouper(r.run, { maxGroup: 10, maxInFlight: 1 });
    const first = grouper.submit(1);
    const group = [2, 3].map((n) => grouper.submit(n));
    r.pending[0]!.answer(['a1']);
    await tick();
    r.pending[1]!.fail(new Error('group failed'));
    await tick();
    // 2 and 3 alone; 4 arrives meanwhile and is sent at once: the retries do not hold the one slot.
    const later = grouper.submit(4);
    expect(r.groups).to.deep.equal([[1], [2, 3], [2], [3], [4]]);
    r.pending[2]!.answer(['a2']);
    r.pending[3]!.answer(['a3']);
    r.pending[4]!.answer(['a4']);
    expect(await Promise.all([first, ...group, later])).to.deep.equal(['a1', 'a2', 'a3', 'a4']);
  });

  it('lets the next group go when a call is slower than slowAfterMs', async () => {
    const r = recorder();
    const grouper = new CallGrouper(r.run, { maxGroup: 10, maxInFlight: 1, slowAfterMs: 30 });
    const stuck = grouper.submit(1);
    const next = grouper.submit(2);
    expect(r.groups).to.deep.equal([[1]]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(r.groups).to.deep.equal([[1], [2]]);
    r.pending[1]!.answer(['a2']);
    expect(await next).to.equal('a2');
    r.pending[0]!.answer(['a1']);
    expect(await stuck).to.equal('a1');
    // The slow call's end does not free a second place: one call at a time again.
    const [a, b] = [grouper.submit(3), grouper.submit(4)];
    expect(r.groups).to.deep.equal([[1], [2], [3]]);
    r.pending[2]!.answer(['a3']);
    await tick();
    expect(r.groups).to.deep.equal([[1], [2], [3], [4]]);
    r.pending[3]!.answer(['a4']);
    expect(await Promise.all([a, b])).to.deep.equal(['a3', 'a4']);
  });

  it('refuses settings that could never send', () => {
    expect(() => new CallGrouper(async () => [], { maxGroup: 0, maxInFlight: 1 })).to.throw(/maxGroup/);
    expect(() => new CallGrouper(async () => [], { maxGroup: 1, maxInFlight: 0 })).to.throw(/maxInFlight/);
  });
});
