/** How a CallGrouper groups. */
export interface CallGrouperOptions {
  /** Most items sent in one call. */
  maxGroup: number;
  /** Most calls running at once; items arriving meanwhile wait and leave together in the next call. */
  maxInFlight: number;
  /**
   * A call still running after this many milliseconds stops counting against maxInFlight (it keeps running):
   * one call stuck on a lock never holds up the items behind it. None by default.
   */
  slowAfterMs?: number;
  /**
   * While a call runs, another leaves only once this many items wait (up to maxInFlight): under load the
   * calls overlap, while a light load still gathers its items behind the running call. 1 by default.
   */
  minGroupWhileBusy?: number;
  /**
   * With minGroupWhileBusy: fewer items may still leave beside a running call once the oldest of them has
   * waited this many milliseconds, so a slow call (a commit held up by the disk) delays the items behind it
   * by at most this much before they are on their way. None by default (they wait for a free call).
   */
  maxWaitWhileBusyMs?: number;
  /**
   * Under a steady flow, items arriving on average (moving mean of the gaps) less than gatherMs apart, an
   * item that would leave with fewer than gatherUntil others waits until it is gatherMs old for more to join
   * it: a moderate load, whose items would otherwise each go alone, then shares calls as a heavy one does,
   * for a bounded wait. A slower flow (one caller after another, a light load) never waits. None by default.
   */
  gatherMs?: number;
  /** With gatherMs: a group of this many items leaves without waiting (4 by default). */
  gatherUntil?: number;
  /**
   * With gatherMs: waits only while this answers true (the caller's sign that others are under way and may
   * join, e.g. other requests in progress); one caller alone, however fast, then never waits. Always by default.
   */
  gatherWhile?: () => boolean;
}

interface Waiting<I, O> {
  /** performance.now() when submitted. */
  at: number;
  item: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Groups concurrent calls of one function into calls over several items (group commit). An item is sent at
 * once when fewer than `maxInFlight` calls run, so an idle system adds no latency and nothing waits for a
 * timer; under load the items that arrive while calls run wait and leave together, up to `maxGroup` in one
 * call. A call slower than `slowAfterMs` frees its place for the next group. Two options bound or add a wait
 * with a timer: `maxWaitWhileBusyMs` (how long items may wait behind a running call) and `gatherMs` (a short
 * wait for company under a steady flow, never for a lone caller).
 *
 * `run` answers one output per item, in order. When a call over several items fails, each of its items is
 * sent again alone, at once and outside the in-flight count: one bad or slow item fails or delays only
 * itself. `run` must therefore be safe to repeat after a failure (for a database write: one transaction that
 * rolls back whole, with idempotent items).
 */
export class CallGrouper<I, O> {
  private readonly queue: Waiting<I, O>[] = [];
  private inFlight = 0;
  /** Moving mean of the milliseconds between arrivals (kept only with gatherMs). */
  private gap = Number.POSITIVE_INFINITY;
  private lastArrival = Number.NEGATIVE_INFINITY;
  /** The timer that sends held items (maxWaitWhileBusyMs, gatherMs), and when it fires. */
  private timer: NodeJS.Timeout | undefined;
  private timerDue = Number.POSITIVE_INFINITY;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly options: CallGrouperOptions,
  ) {
    if (options.maxGroup < 1 || options.maxInFlight < 1) {
      throw new Error('CallGrouper needs maxGroup >= 1 and maxInFlight >= 1');
    }
  }

  /** Queues one item; resolves with its output, or rejects with the error of its call. */
  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      const at = performance.now();
      if (this.options.gatherMs !== undefined) {
        const gap = at - this.lastArrival;
        this.gap = Number.isFinite(this.gap) ? this.gap * 0.9 + gap * 0.1 : gap;
        this.lastArrival = at;
      }
      this.queue.push({ at, item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const now = performance.now();
      const until = this.holdUntil(now);
      if (until > now) {
        this.wakeAt(until, now);
        return;
      }
      const group = this.queue.splice(0, this.options.maxGroup);
      this.inFlight++;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        this.inFlight--;
        this.pump();
      };
      const slow =
        this.options.slowAfterMs === undefined ? undefined : setTimeout(release, this.options.slowAfterMs);
      void this.send(group).finally(() => {
        clearTimeout(slow);
        release();
      });
    }
    if (this.queue.length === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.timerDue = Number.POSITIVE_INFINITY;
    }
  }

  /** Until when the waiting items stay (now or earlier: they leave; +Infinity: until a call ends). */
  private holdUntil(now: number): number {
    const { minGroupWhileBusy = 1, maxWaitWhileBusyMs, gatherMs, gatherUntil = 4 } = this.options;
    const oldest = this.queue[0]!.at;
    if (this.inFlight > 0 && this.queue.length < minGroupWhileBusy) {
      if (maxWaitWhileBusyMs === undefined) return Number.POSITIVE_INFINITY;
      if (oldest + maxWaitWhileBusyMs > now) return oldest + maxWaitWhileBusyMs;
    }
    if (
      gatherMs !== undefined &&
      this.queue.length < gatherUntil &&
      this.gap < gatherMs &&
      (this.options.gatherWhile?.() ?? true)
    ) {
      // Below a timer's resolution the wait is not worth a timer: the items leave now.
      if (oldest + gatherMs > now + 1) return oldest + gatherMs;
    }
    return now;
  }

  /** Pumps again at `until` (a call ending pumps earlier); a timer already due sooner is kept. */
  private wakeAt(until: number, now: number): void {
    if (!Number.isFinite(until) || this.timerDue <= until) return;
    clearTimeout(this.timer);
    this.timerDue = until;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerDue = Number.POSITIVE_INFINITY;
      this.pump();
    }, until - now);
  }

  private async send(group: Waiting<I, O>[]): Promise<void> {
    let outputs: O[];
    try {
      outputs = await this.run(group.map((waiting) => waiting.item));
      if (outputs.length !== group.length) {
        throw new Error(`a grouped call answered ${outputs.length} outputs for ${group.length} items`);
      }
    } catch (error) {
      if (group.length === 1) {
        group[0]!.reject(error);
        return;
      }
      // Each item again alone, outside the in-flight count: a slow item does not hold up the next groups.
      for (const waiting of group) void this.sendAlone(waiting);
      return;
    }
    for (const [index, waiting] of group.entries()) waiting.resolve(outputs[index]!);
  }

  private async sendAlone(waiting: Waiting<I, O>): Promise<void> {
    try {
      const outputs = await this.run([waiting.item]);
      if (outputs.length !== 1) throw new Error(`a call over one item answered ${outputs.length} outputs`);
      waiting.resolve(outputs[0]!);
    } catch (error) {
      waiting.reject(error);
    }
  }
}
