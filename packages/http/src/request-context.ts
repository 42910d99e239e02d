import { randomUUID } from 'node:crypto';
import type { Logger } from '@pass/logger';
import type { Request } from 'express';
import { pinoHttp } from 'pino-http';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** pino-http with request ids: a caller's sane `X-Request-Id` is kept, otherwise a UUID; echoed in the answer. */
export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    // Errors are logged once by the problem middleware; keep access logs short.
    serializers: {
      req: (req: Request & { id?: string }) => ({ id: req.id, method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
  });
}

/** The request id set by requestLogging. */
export function requestIdOf(req: Request): string | undefined {
  return (req as Request & { id?: string }).id;
}
