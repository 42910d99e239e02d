// The API side of the redemption benchmark: the real production start-up (`npm start` with DATABASE_URL),
// in its own processes so the load generator does not share their event loops. REDEMPTION_BENCH_WORKERS > 1
// runs that many server processes on one port (node:cluster), as a deployment with one process per core would.
// Tells its parent the URL; answers 'stats' with what its processes did since the last 'stats' (CPU time,
// PostgreSQL queries sent, event-loop delay, garbage-collection pauses); profiles on 'profile:start' and
// 'profile:stop' when REDEMPTION_BENCH_PROFILE_DIR is set; stops on 'stop'.
import cluster, { type Worker } from 'node:cluster';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver, performance } from 'node:perf_hooks';
import { loadConfig } from '@pass/config';
import { startSystem } from '@pass/gateway';
import { createLogger } from '@pass/logger';
import pg from 'pg';

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
}

type Message = { url?: string; stats?: ServerStats };

/** Counters of this process, read and reset by each 'stats' question. */
function statsRecorder(): () => ServerStats {
  let queries = 0;
  const query = pg.Client.prototype.query;
  // Counting only: the call goes through unchanged (bench instrumentation, never in the production start-up).
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    queries++;
    return (query as (...a: unknown[]) => unknown).apply(this, args);
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
    };
    queries = 0;
    loop.reset();
    gc = { count: 0, totalMs: 0, maxMs: 0 };
    return stats;
  };
}

async function serve(): Promise<void> {
  const readStats = statsRecorder();
  const config = loadConfig();
  const system = await startSystem(config, { logger: createLogger({ level: config.logLevel }) });
  process.send?.({ url: system.url });
  const profileDir = process.env.REDEMPTION_BENCH_PROFILE_DIR;
  const profiler = profileDir ? new Session() : undefined;
  profiler?.connect();
  let profiles = 0;
  process.on('message', async (message) => {
    if (message === 'stats') process.send?.({ stats: readStats() });
    // A CPU profile of the flat-out rounds only (REDEMPTION_BENCH_PROFILE_DIR), for chrome://inspect or a script.
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
};

await (workers > 1 && cluster.isPrimary ? supervise() : serve());
