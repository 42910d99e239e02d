import { createRequire } from 'node:module';
import path from 'node:path';
import { OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { authenticate } from '@pass/auth';
import { pingDatabase } from '@pass/db';
import {
  type AppContext,
  createOpenApiRegistry,
  notFoundHandler,
  problemMiddleware,
  requestLogging,
  type ServiceModule,
} from '@pass/http';
import express, { type Express } from 'express';
import helmet from 'helmet';

/** Request bodies above this size are refused with 413 `payload_too_large` (imports use their own limit). */
export const JSON_BODY_LIMIT = '1mb';

const require = createRequire(import.meta.url);

export interface AppOptions {
  /** Serve the built web app from this folder (undefined: no web app). */
  webRoot?: string;
  /** Which modules' routes to mount (SERVICE_ROLE): all by default. */
  mount?: (module: ServiceModule) => boolean;
}

/**
 * Composes the services' routers under /api/v1 with helmet, request ids and logging, authentication, the
 * OpenAPI document and docs page, health probes, the web app, and the one problem+json error middleware.
 */
export function createApp(ctx: AppContext, modules: ServiceModule[], options: AppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  // No ETag on answers sent by res.send/res.json: the API's answers are not cached (a SHA-1 of every body
  // for nothing); static files keep theirs.
  app.set('etag', false);
  app.set('trust proxy', 'loopback');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'img-src': ["'self'", 'data:', 'blob:'],
          'media-src': ["'self'", 'blob:'],
          'worker-src': ["'self'", 'blob:'],
        },
      },
    }),
  );
  app.use(requestLogging(ctx.logger));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const checks: Record<string, string> = {};
    let ready = true;
    try {
      await pingDatabase(ctx.knex);
      checks.database = 'ok';
    } catch {
      checks.database = 'unavailable';
      ready = false;
    }
    if (ctx.queue.kind === 'bullmq') {
      try {
        // A Redis that does not answer must make /readyz fail fast, not hang the probe.
        await Promise.race([
          ctx.queue.ping(),
          new Promise((_, reject) => setTimeout(() => reject(new Error('redis ping timeout')), 1000).unref()),
        ]);
        checks.redis = 'ok';
      } catch {
        checks.redis = 'unavailable';
        ready = false;
      }
    }
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks });
  });

  const openapi = createOpenApiRegistry();
  const resolvers = modules.flatMap((m) => (m.deviceResolver ? [m.deviceResolver(ctx)] : []));
  const api = express.Router();
  api.use(express.json({ limit: JSON_BODY_LIMIT }));
  api.use(
    authenticate(
      ctx.tokens,
      async (token) => {
        for (const resolve of resolvers) {
          const principal = await resolve(token);
          if (principal) return principal;
        }
        return undefined;
      },
      ctx.clock,
    ),
  );
  for (const module of modules) {
    if (module.createRouter && (options.mount?.(module) ?? true)) api.use(module.createRouter(ctx, openapi));
  }
  app.use('/api/v1', api);

  let document: unknown;
  app.get('/api/openapi.json', (_req, res) => {
    document ??= new OpenApiGeneratorV31(openapi.definitions).generateDocument({
      openapi: '3.1.0',
      info: {
        title: 'Pass numérique clearing API',
        version: '1',
        description:
          'Clearing system for the Pass numérique. Errors are RFC 9457 problem+json documents with a stable `code`. ' +
          'Money is `{ "amount": "10.00", "currency": "EUR" }`. Money-moving POSTs take an `Idempotency-Key` header.',
      },
      servers: [{ url: '/' }],
    });
    res.json(document);
  });
  const swaggerDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  app.get('/api/docs', (_req, res) => {
    res.type('html').send(DOCS_PAGE);
  });
  app.get('/api/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(DOCS_INIT);
  });
  app.use('/api/docs/assets', express.static(swaggerDir, { index: false }));

  if (options.webRoot) {
    app.use(express.static(options.webRoot, { index: 'index.html', maxAge: '1h' }));
    // Client-side routes of the web app answer its index page; API and docs paths keep their 404s.
    app.get(/^\/(?!api\/|healthz|readyz).*/, (_req, res) =>
      res.sendFile(path.join(options.webRoot!, 'index.html')),
    );
  }

  app.use(notFoundHandler);
  app.use(problemMiddleware(ctx.logger));
  return app;
}

// No inline script: the page loads swagger-ui and a small init file, both from this server (helmet's CSP).
const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pass numérique API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script></body></html>`;

const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true });`;
