import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp, serviceModules } from '@pass/gateway';
import { createTestApp, type TestApp } from '../../support/app';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The built web app (services/web/dist). */
export const WEB_ROOT = path.resolve(here, '../../../services/web/dist');

export interface BrowserApp {
  testApp: TestApp;
  /** http://127.0.0.1:<port> — a secure context for the browser, so the camera is allowed. */
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The composed app on a fresh test database (demo data seeded), serving the built web app with the same
 * helmet CSP as production, on a free local port.
 */
export async function startBrowserApp(): Promise<BrowserApp> {
  const testApp = await createTestApp();
  const app = createApp(testApp.runtime.ctx, serviceModules, { webRoot: WEB_ROOT });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    testApp,
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await testApp.close();
    },
  };
}

/** Builds services/web when dist/ is missing or stale (the build script is plain ESM, shared with npm start). */
export async function buildWebIfStale(): Promise<void> {
  const script = path.resolve(here, '../../../services/web/build-if-needed.mjs');
  const { buildWebIfNeeded } = (await import(script)) as {
    buildWebIfNeeded(options: { quiet?: boolean }): Promise<boolean>;
  };
  await buildWebIfNeeded({ quiet: true });
}
