// The API side of the redemption benchmark: the real production start-up (`npm start` with DATABASE_URL),
// in its own processes so the load generator does not share their event loops. REDEMPTION_BENCH_WORKERS > 1
// runs that many server processes on one port (node:cluster), as a deployment with one process per core would.
// Tells its parent the URL; answers 'cpu' with the CPU time of all its processes; stops on 'stop'.
import cluster, { type Worker } from 'node:cluster';
import { loadConfig } from '@pass/config';
import { startSystem } from '@pass/gateway';
import { createLogger } from '@pass/logger';

const workers = Number(process.env.REDEMPTION_BENCH_WORKERS ?? 1);

type Message = { url?: string; cpu?: NodeJS.CpuUsage };

async function serve(): Promise<void> {
  const config = loadConfig();
  const system = await startSystem(config, { logger: createLogger({ level: config.logLevel }) });
  process.send?.({ url: system.url });
  process.on('message', (message) => {
    if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
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
  process.on('message', async (message) => {
    if (message === 'cpu') {
      const own = process.cpuUsage();
      const answers = await Promise.all(started.map((worker) => ask(worker, 'cpu')));
      const cpu = answers.reduce(
        (sum, answer) => ({ user: sum.user + answer.cpu!.user, system: sum.system + answer.cpu!.system }),
        own,
      );
      process.send?.({ cpu });
    }
    if (message === 'stop') {
      await Promise.all(
        started.map((worker) => new Promise((resolve) => worker.once('exit', resolve).send('stop'))),
      );
      process.exit(0);
    }
  });
}

await (workers > 1 && cluster.isPrimary ? supervise() : serve());
