import { randomUUID } from 'node:crypto';
import type { Logger } from '@pass/logger';
import type { NextFunction, Request, Response } from 'express';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;
const UNLOGGED_PATHS = new Set(['/healthz', '/readyz']);

/**
 * Request ids and access logs: a caller's sane `X-Request-Id` is kept, otherwise a UUID; echoed in the answer
 * and in one access-log line per request (method, URL, status, milliseconds; never headers or bodies). Errors
 * are logged once by the problem middleware; 5xx answers log the access line at error level. Health probes
 * are not logged. Written by hand rather than with pino-http: its per-request serializers and listeners
 * were a measurable share of the redemption hot path's CPU (services/redemption/README.md, benchmark).
 */
export function requestLogging(logger: Logger) {
  // The access line's fields are fixed above and carry no secret (no header, no body; no route puts a pass
  // code or token in its URL), so it skips the redaction pass the root logger applies to every line: that
  // walk over each field was a measurable share of a redemption's CPU.
  const access = logger.child({}, { redact: [] });
  return (req: Request, res: Response, next: NextFunction): void => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    (req as Request & { id?: string }).id = id;
    res.setHeader('X-Request-Id', id);
    if (UNLOGGED_PATHS.has(req.url)) {
      next();
      return;
    }
    const started = performance.now();
    const method = req.method;
    const url = req.originalUrl;
    res.once('close', () => {
      const entry = {
        req: { id, method, url },
        res: { statusCode: res.statusCode },
        responseTime: Math.round(performance.now() - started),
      };
      if (!res.writableFinished) access.warn(entry, 'request aborted');
      else if (res.statusCode >= 500) access.error(entry, 'request errored');
      else access.info(entry, 'request completed');
    });
    next();
  };
}

/** The request id set by requestLogging. */
export function requestIdOf(req: Request): string | undefined {
  return (req as Request & { id?: string }).id;
}
