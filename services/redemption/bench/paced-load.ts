// The half-load phase of the redemption benchmark: an open-loop load at a steady rate, run in a worker thread
// so that the bench process's own work and garbage collection (it holds every pass of the run, some hundred
// thousand QR payloads) never delay a send: the generator's pauses would count against the server.
import net from 'node:net';
import { PerformanceObserver } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { CLOCK_TICKS, machineTimes } from './machine';

/** Answers slower than this are counted, with the seconds they fall in (spread or a stall). */
export const SLOW_MS = 50;

export interface PacedLoadOptions {
  url: string;
  ratePerSecond: number;
  seconds: number;
  connections: number;
  /** The requests to send, in order (at least rate × seconds of them). */
  requests: { headers: Record<string, string>; body: string }[];
}

export interface PacedLoadResult {
  ok: number;
  other: number;
  errors: number;
  p50: number;
  p97_5: number;
  p99: number;
  max: number;
  slow: number;
  /** The generator's own lateness: the latest send after its due time, sends over SLOW_MS / 5 late, its GC. */
  generator: { lateMaxMs: number; late: number; gcMaxMs: number };
  /** Wall-clock times (UTC, to the second) of the seconds with an answer over SLOW_MS, to match with server logs. */
  slowSeconds: string[];
}

/**
 * Runs the paced load in a worker thread (its own heap and event loop) and answers what it measured. `onStart`
 * runs once the worker has started and opened its connections, just before its first request.
 */
export function pacedLoad(options: PacedLoadOptions, onStart?: () => void): Promise<PacedLoadResult> {
  return new Promise((resolve, reject) => {
    // The worker registers tsx before loading this file (a worker does not inherit the bench thread's loader).
    const source =
      `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})` +
      `.then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
    const worker = new Worker(source, { eval: true, workerData: options });
    let result: PacedLoadResult | undefined;
    worker.on('message', (message: { started: true } | { result: PacedLoadResult }) => {
      if ('started' in message) onStart?.();
      else result = message.result;
    });
    worker.once('error', reject);
    // The worker ends by itself once it has answered (its connections closed, its timers cleared).
    worker.once('exit', (code) =>
      result && code === 0
        ? resolve(result)
        : reject(new Error(`the paced load's worker exited with ${code}`)),
    );
  });
}

/**
 * One keep-alive HTTP/1.1 connection for the paced load: it writes a request built as one string and reads
 * only what tells an answer is complete (status line, headers, then Content-Length bytes or a chunked body's
 * last chunk). node:http's client cost the generator 0.34-0.43 ms of CPU per request at half load, on the
 * two cores the server and PostgreSQL use too; this costs a fraction of that (the bench prints it).
 * One request at a time per connection, no pipelining.
 */
class RawConnection {
  private received: Buffer = Buffer.alloc(0);
  private answer: { resolve: (status: number) => void; reject: (error: Error) => void } | undefined;
  private socket: net.Socket;
  private closed = false;

  private constructor(
    private readonly host: string,
    private readonly port: number,
    socket: net.Socket,
  ) {
    this.socket = this.attach(socket);
  }

  static open(host: string, port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port }, () => resolve(new RawConnection(host, port, socket)));
      socket.once('error', reject);
    });
  }

  /**
   * Sends one request; resolves with the answer's status once the whole answer has arrived. A connection the
   * server closed meanwhile (its keep-alive timeout, while this one sat unused) is opened again first.
   */
  send(request: string): Promise<number> {
    if (this.answer) return Promise.reject(new Error('a request is already under way on this connection'));
    if (this.closed) {
      this.closed = false;
      this.received = Buffer.alloc(0);
      this.socket = this.attach(net.connect({ host: this.host, port: this.port }));
    }
    return new Promise((resolve, reject) => {
      this.answer = { resolve, reject };
      this.socket.write(request);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private attach(socket: net.Socket): net.Socket {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.received = this.received.length === 0 ? chunk : Buffer.concat([this.received, chunk]);
      this.tryComplete();
    });
    const fail = (error?: Error) => {
      if (socket !== this.socket) return;
      this.closed = true;
      const answer = this.answer;
      this.answer = undefined;
      answer?.reject(error ?? new Error('connection closed'));
    };
    socket.on('error', fail);
    socket.on('close', () => fail());
    return socket;
  }

  private tryComplete(): void {
    const data = this.received;
    const headerEnd = data.indexOf('\r\n\r\n');
    if (headerEnd < 0 || !this.answer) return;
    const headers = data.toString('latin1', 0, headerEnd);
    const status = Number(headers.slice(9, 12));
    const length = /\r\ncontent-length: *(\d+)/i.exec(headers);
    let end: number;
    if (length) {
      end = headerEnd + 4 + Number(length[1]);
      if (data.length < end) return;
    } else if (/\r\ntransfer-encoding: *chunked/i.test(headers)) {
      const last = data.indexOf('\r\n0\r\n\r\n', headerEnd);
      if (last < 0) return;
      end = last + 7;
    } else {
      end = headerEnd + 4;
    }
    this.received = data.subarray(end);
    const answer = this.answer;
    this.answer = undefined;
    answer.resolve(status);
  }
}

/**
 * An open-loop load at a steady rate (run by pacedLoad in a worker thread): request i is due at start + i / rate, sent on one of `connections`
 * keep-alive sockets (waiting for a free one if all are busy), and its latency runs from when it was due, so
 * a slow answer delays nothing it should not and queueing is counted (no coordinated omission). autocannon's
 * rate mode is not used here: each of its connections sends its quota for the second back to back when the
 * second starts, all connections aligned, so "half the rate" arrives as one burst per second.
 */
async function runPacedLoad(options: PacedLoadOptions, onStart: () => void): Promise<PacedLoadResult> {
  const target = new URL(options.url);
  const total = Math.min(options.requests.length, Math.floor(options.ratePerSecond * options.seconds));
  let nextRequest = 0;
  const latencies: number[] = [];
  const slowSeconds = new Set<number>();
  const generatorGc = { maxMs: 0 };
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) generatorGc.maxMs = Math.max(generatorGc.maxMs, entry.duration);
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  let ok = 0;
  let other = 0;
  let errors = 0;
  let lateMax = 0;
  let late = 0;
  const idle = await Promise.all(
    Array.from({ length: options.connections }, () =>
      RawConnection.open(target.hostname, Number(target.port)),
    ),
  );
  const everyConnection = [...idle];
  const backlog: { due: number; done: () => void }[] = [];
  const head = `POST ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\n`;
  const dispatch = (connection: RawConnection, due: number, done: () => void) => {
    // How late the generator itself sends: its own pauses (GC, a busy event loop) count against the server.
    const lateness = performance.now() - due;
    lateMax = Math.max(lateMax, lateness);
    if (lateness > SLOW_MS / 5) late++;
    const { headers, body } = options.requests[nextRequest++]!;
    let text = head;
    for (const name in headers) text += `${name}: ${headers[name]}\r\n`;
    text += `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    connection.send(text).then(
      (status) => {
        const latency = performance.now() - due;
        latencies.push(latency);
        if (latency > SLOW_MS) slowSeconds.add(Math.floor((due - start) / 1000));
        if (status === 201) ok++;
        else other++;
        release(connection);
        done();
      },
      () => {
        errors++;
        release(connection);
        done();
      },
    );
  };
  // A free connection takes the oldest request still waiting, if any (all connections were busy at its time).
  const release = (connection: RawConnection) => {
    const next = backlog.shift();
    if (next) dispatch(connection, next.due, next.done);
    else idle.push(connection);
  };
  const send = (due: number) =>
    new Promise<void>((done) => {
      // Oldest free connection first: each is used in turn and none sits idle until the server closes it.
      const connection = idle.shift();
      if (connection) dispatch(connection, due, done);
      else backlog.push({ due, done });
    });
  onStart();
  const start = performance.now() + 50;
  const wallAtStart = Date.now() + 50;
  // CPU time stolen by the hypervisor in each second of the run (ms, all cores), to tell a host's pause from ours.
  const stealBySecond = new Map<number, number>();
  let stealBefore = machineTimes().steal;
  const stealSampler = setInterval(() => {
    const steal = machineTimes().steal;
    const second = Math.floor((performance.now() - start) / 1000);
    stealBySecond.set(
      second,
      (stealBySecond.get(second) ?? 0) + ((steal - stealBefore) * 1000) / CLOCK_TICKS,
    );
    stealBefore = steal;
  }, 100);
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / options.ratePerSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(send(due));
  }
  await Promise.all(pending);
  clearInterval(stealSampler);
  gcObserver.disconnect();
  for (const connection of everyConnection) connection.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  const slow = latencies.length - latencies.findIndex((latency) => latency > SLOW_MS);
  return {
    ok,
    other,
    errors,
    p50: at(0.5),
    p97_5: at(0.975),
    p99: at(0.99),
    max: at(1),
    slow: latencies.some((latency) => latency > SLOW_MS) ? slow : 0,
    generator: { lateMaxMs: Math.round(lateMax), late, gcMaxMs: Math.round(generatorGc.maxMs) },
    slowSeconds: [...slowSeconds]
      .sort((a, b) => a - b)
      .map(
        (second) =>
          `${new Date(wallAtStart + second * 1000).toISOString().slice(11, 19)} (${Math.round(stealBySecond.get(second) ?? 0)} ms stolen)`,
      ),
  };
}

// In the worker: run the load and send back what it measured (last, once the class above is defined).
if (!isMainThread && parentPort) {
  const port = parentPort;
  void runPacedLoad(workerData as PacedLoadOptions, () => port.postMessage({ started: true })).then(
    (result) => port.postMessage({ result }),
  );
}
