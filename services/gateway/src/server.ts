import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '@pass/config';
import { migrateLatest } from '@pass/db';
import type { DemoBag, ServiceModule } from '@pass/http';
import type { Logger } from '@pass/logger';
import { createApp } from './app';
import { createRuntime, type Runtime } from './context';
import { allMigrations, serviceModules } from './modules';

export interface RunningSystem {
  runtime: Runtime;
  server: Server | undefined;
  url: string | undefined;
  demo: DemoBag | undefined;
  /** Graceful stop: refuse new connections, finish in-flight requests and jobs, close pools. */
  stop(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** Where `npm run build` puts the web app. */
export const WEB_ROOT = path.resolve(here, '../../web/dist');

function mountsModule(role: Config['serviceRole'], module: ServiceModule): boolean {
  if (role === 'all' || role === 'api') return true;
  // A single-service process still mounts the registry, which authenticates devices and serves login.
  return module.name === role || module.name === 'registry';
}

/** Seeds the demo on an empty database (no organisation yet). */
export async function seedDemoIfEmpty(
  runtime: Runtime,
  modules: ServiceModule[],
): Promise<DemoBag | undefined> {
  const existing = await runtime.ctx.knex('registry.organisations').count<{ count: string }[]>('* as count');
  if (Number(existing[0]?.count ?? 0) > 0) return undefined;
  const demo: DemoBag = { ids: {}, lines: [], logins: [] };
  for (const module of modules) {
    if (module.seedDemo) await module.seedDemo(runtime.ctx, demo);
  }
  return demo;
}

/** Starts the system as configured: migrations, demo seed, jobs, HTTP. */
export async function startSystem(
  config: Config,
  options: { logger?: Logger; modules?: ServiceModule[]; clock?: () => Date } = {},
): Promise<RunningSystem> {
  const modules = options.modules ?? serviceModules;
  const runtime = await createRuntime(config, { logger: options.logger, clock: options.clock });
  const { ctx } = runtime;
  const log = ctx.logger;
  if (config.migrateOnStart) {
    const applied = await migrateLatest(ctx.knex, allMigrations);
    if (applied.length > 0) log.info({ applied: applied.length }, 'db.migrated');
  }
  const demo = config.demoSeed ? await seedDemoIfEmpty(runtime, modules) : undefined;

  const runsJobs =
    config.serviceRole === 'all' || config.serviceRole === 'worker' || config.mode === 'embedded';
  for (const module of modules) if (module.registerJobs) await module.registerJobs(ctx);
  if (runsJobs) await ctx.queue.start();
  ctx.outbox.start();

  let server: Server | undefined;
  let url: string | undefined;
  if (config.serviceRole !== 'worker') {
    const app = createApp(ctx, modules, {
      webRoot: existsSync(path.join(WEB_ROOT, 'index.html')) ? WEB_ROOT : undefined,
      mount: (module) => mountsModule(config.serviceRole, module),
    });
    server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(config.port, config.host, () => resolve(s));
      s.once('error', reject);
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    url = config.port === port ? config.publicUrl : `http://localhost:${port}`;
    // Keep-alive connections must not outlive a shutdown for long.
    server.keepAliveTimeout = 5_000;
  }

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (server) {
        const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
        server.closeIdleConnections();
        await closed;
      }
      await runtime.close();
    })();
    return stopping;
  };
  return { runtime, server, url, demo, stop };
}
