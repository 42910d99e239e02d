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
}

interface Waiting<I, O> {
  item: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Groups concurrent calls of one function into calls over several items (group commit). An item is sent at
 * once when fewer than `maxInFlight` calls run, so an idle system adds no latency and nothing waits for a
 * timer; under load the items that arrive while calls run wait and leave together, up to `maxGroup` in one
 * call. A call slower than `slowAfterMs` frees its place for the next group.
 *
 * `run` answers one output per item, in order. When a call over several items fails, each of its items is
 * sent again alone, at once and outside the in-flight count: one bad or slow item fails or delays only
 * itself. `run` must therefore be safe to repeat after a failure (for a database write: one transaction that
 * rolls back whole, with idempotent items).
 */
export class CallGrouper<I, O> {
  private readonly queue: Waiting<I, O>[] = [];
  private inFlight = 0;

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
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (
      this.inFlight < this.options.maxInFlight &&
      this.queue.length > 0 &&
      (this.inFlight === 0 || this.queue.length >= (this.options.minGroupWhileBusy ?? 1))
    ) {
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
