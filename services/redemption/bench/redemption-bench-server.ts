// The API side of the redemption benchmark: the real production start-up (`npm start` with DATABASE_URL),
// in its own processes so the load generator does not share their event loops. REDEMPTION_BENCH_WORKERS > 1
// runs that many server processes on one port (node:cluster), as a deployment with one process per core would.
// Tells its parent the URL; answers 'stats' with what its processes did since the last 'stats' (CPU time,
// PostgreSQL queries sent, event-loop delay, garbage-collection pauses); profiles on 'profile:start' and
// 'profile:stop' when REDEMPTION_BENCH_PROFILE_DIR is set; stops on 'stop'. REDEMPTION_BENCH_GROUPS (JSON, e.g.
// '{"reads":{"maxGroup":32,"maxInFlight":2}}') replaces stages of DEFAULT_GROUPS in this process before start-up,
// to measure other grouping settings against the defaults (bench only).
import cluster, { type Worker } from 'node:cluster';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver, performance } from 'node:perf_hooks';
import { loadConfig } from '@pass/config';
import { startSystem } from '@pass/gateway';
import { createLogger } from '@pass/logger';
import pg from 'pg';
import { DEFAULT_GROUPS } from '../src/redemptions/redemption-service';

const workers = Number(process.env.REDEMPTION_BENCH_WORKERS ?? 1);

/** What one server process did between two 'stats' questions. */
export interface ServerStats {
  cpuMs: number;
  /** Share of the time the main thread was busy (event-loop utilization): 1 means it is the limit. */
  mainThreadBusy: number;
  /** Statements sent to PostgreSQL (every pg client query: grouped reads and writes count once). */
  queries: number;
  /** Event-loop delay, sampled every millisecond: how long a ready callback could wait for the thread. */
  loopP99Ms: number;
  loopMaxMs: number;
  gcCount: number;
  gcTotalMs: number;
  gcMaxMs: number;
  /** V8 heap in use at the question (MB): a number that keeps growing across phases would be a leak. */
  heapUsedMb: number;
  /** Statements that took SLOW_STATEMENT_MS or more from the call to the answer: how many, and the first 20. */
  slowStatements: number;
  slowStatementSamples: SlowStatement[];
}

/** A statement's answer that came SLOW_STATEMENT_MS or more after the call (time of day UTC, ms, name). */
export interface SlowStatement {
  at: string;
  ms: number;
  name: string;
}

const SLOW_STATEMENT_MS = 40;

type Message = { url?: string; stats?: ServerStats };

/** Counters of this process, read and reset by each 'stats' question. */
function statsRecorder(): () => ServerStats {
  let queries = 0;
  let slow: SlowStatement[] = [];
  let slowCount = 0;
  const query = pg.Client.prototype.query;
  // Counting and timing only: the call goes through unchanged (bench instrumentation, never in the production
  // start-up). A statement is timed from the call to its answer, so the time includes waiting for the
  // connection's earlier statements and everything PostgreSQL does (locks, commit).
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    queries++;
    const started = performance.now();
    const config = args[0] as string | { name?: string; text?: string };
    const done = () => {
      const ms = performance.now() - started;
      if (ms < SLOW_STATEMENT_MS) return;
      slowCount++;
      const name =
        typeof config === 'string' ? config : (config.name ?? config.text ?? '?').replace(/\s+/g, ' ');
      if (slow.length < 20)
        slow.push({ at: new Date().toISOString().slice(11, 23), ms, name: name.slice(0, 60) });
    };
    const callback = args.findIndex((arg) => typeof arg === 'function');
    if (callback >= 0) {
      const original = args[callback] as (...a: unknown[]) => unknown;
      args[callback] = (...a: unknown[]) => {
        done();
        return original(...a);
      };
    }
    const result = (query as (...a: unknown[]) => unknown).apply(this, args);
    if (callback < 0 && result && typeof (result as Promise<unknown>).then === 'function') {
      (result as Promise<unknown>).then(done, done);
    }
    return result;
  } as typeof query;
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  let gc = { count: 0, totalMs: 0, maxMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.count++;
      gc.totalMs += entry.duration;
      gc.maxMs = Math.max(gc.maxMs, entry.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  let cpuAtLast = process.cpuUsage();
  let eluAtLast = performance.eventLoopUtilization();
  return () => {
    const cpu = process.cpuUsage(cpuAtLast);
    cpuAtLast = process.cpuUsage();
    const elu = performance.eventLoopUtilization(eluAtLast);
    eluAtLast = performance.eventLoopUtilization();
    const stats: ServerStats = {
      cpuMs: (cpu.user + cpu.system) / 1000,
      mainThreadBusy: elu.utilization,
      queries,
      loopP99Ms: loop.percentile(99) / 1e6,
      loopMaxMs: loop.max / 1e6,
      gcCount: gc.count,
      gcTotalMs: gc.totalMs,
      gcMaxMs: gc.maxMs,
      heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20,
      slowStatements: slowCount,
      slowStatementSamples: slow,
    };
    queries = 0;
    slow = [];
    slowCount = 0;
    loop.reset();
    gc = { count: 0, totalMs: 0, maxMs: 0 };
    return stats;
  };
}

async function serve(): Promise<void> {
  const readStats = statsRecorder();
  const config = loadConfig();
  if (process.env.REDEMPTION_BENCH_GROUPS) {
    // The service copies these settings when it is built, during start-up below.
    const groups = JSON.parse(process.env.REDEMPTION_BENCH_GROUPS) as Partial<typeof DEFAULT_GROUPS>;
    Object.assign(DEFAULT_GROUPS, groups);
  }
  const system = await startSystem(config, { logger: createLogger({ level: config.logLevel }) });
  process.send?.({ url: system.url });
  const profileDir = process.env.REDEMPTION_BENCH_PROFILE_DIR;
  const profiler = profileDir ? new Session() : undefined;
  profiler?.connect();
  let profiles = 0;
  process.on('message', async (message) => {
    if (message === 'stats') process.send?.({ stats: readStats() });
    // A CPU profile of each flat-out round and of the half-load phase (REDEMPTION_BENCH_PROFILE_DIR), for
    // chrome://inspect or a script.
    if (message === 'profile:start' && profiler) {
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    if (message === 'profile:stop' && profiler && profileDir) {
      const { profile } = await profiler.post('Profiler.stop');
      writeFileSync(
        path.join(profileDir, `redemption-api-${process.pid}-${++profiles}.cpuprofile`),
        JSON.stringify(profile),
      );
    }
    if (message === 'stop') void system.stop().then(() => process.exit(0));
  });
}

function ask(worker: Worker, question: string): Promise<Message> {
  return new Promise((resolve) => {
    const onMessage = (message: Message) => {
      worker.off('message', onMessage);
      resolve(message);
    };
    worker.on('message', onMessage);
    worker.send(question);
  });
}

async function supervise(): Promise<void> {
  const started = Array.from({ length: workers }, () => cluster.fork());
  const urls = await Promise.all(
    started.map(
      (worker) => new Promise<string>((resolve) => worker.once('message', (m: Message) => resolve(m.url!))),
    ),
  );
  process.send?.({ url: urls[0] });
  let cpuAtLast = process.cpuUsage();
  process.on('message', async (message) => {
    if (message === 'stats') {
      const own = process.cpuUsage(cpuAtLast);
      cpuAtLast = process.cpuUsage();
      const answers = (await Promise.all(started.map((worker) => ask(worker, 'stats')))).map((m) => m.stats!);
      const stats = answers.reduce(
        (sum, s): ServerStats => ({
          cpuMs: sum.cpuMs + s.cpuMs,
          mainThreadBusy: Math.max(sum.mainThreadBusy, s.mainThreadBusy),
          queries: sum.queries + s.queries,
          loopP99Ms: Math.max(sum.loopP99Ms, s.loopP99Ms),
          loopMaxMs: Math.max(sum.loopMaxMs, s.loopMaxMs),
          gcCount: sum.gcCount + s.gcCount,
          gcTotalMs: sum.gcTotalMs + s.gcTotalMs,
          gcMaxMs: Math.max(sum.gcMaxMs, s.gcMaxMs),
          heapUsedMb: sum.heapUsedMb + s.heapUsedMb,
          slowStatements: sum.slowStatements + s.slowStatements,
          slowStatementSamples: [...sum.slowStatementSamples, ...s.slowStatementSamples],
        }),
        { ...ZERO, cpuMs: (own.user + own.system) / 1000 },
      );
      process.send?.({ stats });
    }
    if (message === 'profile:start' || message === 'profile:stop') {
      for (const worker of started) worker.send(message);
    }
    if (message === 'stop') {
      await Promise.all(
        started.map((worker) => new Promise((resolve) => worker.once('exit', resolve).send('stop'))),
      );
      process.exit(0);
    }
  });
}

const ZERO: ServerStats = {
  cpuMs: 0,
  mainThreadBusy: 0,
  queries: 0,
  loopP99Ms: 0,
  loopMaxMs: 0,
  gcCount: 0,
  gcTotalMs: 0,
  gcMaxMs: 0,
  heapUsedMb: 0,
  slowStatements: 0,
  slowStatementSamples: [],
};

await (workers > 1 && cluster.isPrimary ? supervise() : serve());
