import {
  AppError,
  type FieldIssue,
  NotFoundError,
  toAppError,
  toProblem,
  ValidationError,
} from '@pass/errors';
import type { Logger } from '@pass/logger';
import type { NextFunction, Request, Response } from 'express';
import { MoneyError } from '@pass/money';
import type { z } from 'zod';

/** Turns zod issues into our field issues (path joined with dots, zod's code, its message). */
export function zodIssues(error: z.ZodError, prefix?: string): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return {
      path: prefix ? (path ? `${prefix}.${path}` : prefix) : path || '(root)',
      code: issue.code,
      message: issue.message,
    };
  });
}

/** Parses a value with a zod schema or throws a ValidationError listing every bad field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, where?: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(zodIssues(result.error, where));
  return result.data;
}

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
}

/** Maps body-parser's own failures (malformed JSON, too large, bad charset) to stable codes. */
function fromBodyParser(err: unknown): AppError | undefined {
  const e = err as BodyParserError;
  switch (e?.type) {
    case 'entity.parse.failed':
      return new AppError(400, 'malformed_json', 'The request body is not valid JSON.', { cause: err });
    case 'entity.too.large':
      return new AppError(413, 'payload_too_large', 'The request body is too large.', { cause: err });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(415, 'unsupported_encoding', 'The request body encoding is not supported.', {
        cause: err,
      });
    case 'request.aborted':
      return new AppError(400, 'request_aborted', 'The request was aborted.', { cause: err });
    default:
      return undefined;
  }
}

/** 404 for any route no router answered. */
export function notFoundHandler(req: Request, _res: Response, next: NextFunction) {
  next(new NotFoundError('route_not_found', `No route for ${req.method} ${req.path}.`));
}

/**
 * The one error middleware: every error becomes an RFC 9457 problem+json with a stable `code`. Only 5xx are
 * logged (with the request id); their detail never leaves the server.
 */
export function problemMiddleware(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const appError =
      fromBodyParser(err) ??
      (err instanceof MoneyError
        ? new AppError(400, err.code, err.message, { cause: err })
        : toAppError(err));
    const requestId = (req as Request & { id?: string }).id;
    if (appError.status >= 500) {
      logger.error(
        { err: appError.cause ?? err, requestId, method: req.method, url: req.originalUrl },
        'request.failed',
      );
    }
    const problem = toProblem(appError, req.originalUrl);
    if (requestId) problem.requestId = requestId;
    if (res.headersSent) {
      res.end();
      return;
    }
    if (appError.status === 429 && typeof appError.details?.retryAfterSeconds === 'number') {
      res.setHeader('Retry-After', String(appError.details.retryAfterSeconds));
    }
    if (appError.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
    res.status(appError.status).type('application/problem+json').send(JSON.stringify(problem));
  };
}
