import { buildTestConfig } from '@pass/config';
import { type RunningSystem, serviceModules, startSystem } from '@pass/gateway';
import type { ServiceModule } from '@pass/http';
import { createLogger } from '@pass/logger';
import { expect } from 'chai';
import express from 'express';
import { createTestDb } from '../support/database';

describe('graceful shutdown', function () {
  this.timeout(60_000);

  it('finishes an in-flight request, then refuses new connections and closes the pools', async () => {
    const db = await createTestDb();
    let release: () => void = () => {};
    const slowModule: ServiceModule = {
      name: 'slow',
      migrations: [],
      createRouter: () =>
        express.Router().get('/slow', async (_req, res) => {
          await new Promise<void>((resolve) => {
            release = resolve;
          });
          res.json({ finished: true });
        }),
    };
    const config = buildTestConfig({ databaseUrl: db.url, port: 0, migrateOnStart: false });
    let system: RunningSystem | undefined;
    try {
      system = await startSystem(config, {
        logger: createLogger({ level: 'silent' }),
        modules: [...serviceModules, slowModule],
      });
      const url = system.url!;
      const inFlight = fetch(`${url}/api/v1/slow`);
      await new Promise((r) => setTimeout(r, 100));
      const stopping = system.stop();
      await new Promise((r) => setTimeout(r, 100));
      let refused = false;
      try {
        await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      } catch {
        refused = true;
      }
      expect(refused).to.equal(true);
      release();
      const res = await inFlight;
      expect(res.status).to.equal(200);
      expect(await res.json()).to.deep.equal({ finished: true });
      await stopping;
      let closed = false;
      try {
        await system.runtime.ctx.knex.raw('select 1');
      } catch {
        closed = true;
      }
      expect(closed).to.equal(true);
    } finally {
      await db.destroy();
    }
  });
});
