import { AppError, type FieldIssue, isAppError, ValidationError } from './app-error';

/** RFC 9457 problem document, with our stable `code` extension. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  errors?: FieldIssue[];
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Base URI of our problem types; each code gets `<base><code>`. */
export const PROBLEM_TYPE_BASE = 'https://pass-numerique.example/problems/';

interface PgLikeError {
  code?: string;
  constraint?: string;
  table?: string;
  schema?: string;
}

/**
 * Maps PostgreSQL errors that have a client meaning to AppErrors: unique violation → 409, serialization
 * failure and deadlock → 409 `retry` (the client may retry), check violation → 422. Returns undefined for
 * anything else, which stays a 500.
 */
export function fromPostgresError(err: unknown): AppError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const pg = err as PgLikeError;
  if (typeof pg.code !== 'string' || !/^[0-9A-Z]{5}$/.test(pg.code)) return undefined;
  switch (pg.code) {
    case '23505':
      return new AppError(409, 'duplicate', 'This already exists.', {
        cause: err,
        details: pg.constraint ? { constraint: pg.constraint } : undefined,
      });
    case '23503':
      return new AppError(409, 'reference_conflict', 'A referenced object is missing or still in use.', {
        cause: err,
      });
    case '23514':
    case '23502':
      return new AppError(422, 'constraint_violation', 'The change breaks a rule of the data model.', {
        cause: err,
        details: pg.constraint ? { constraint: pg.constraint } : undefined,
      });
    case '40001':
    case '40P01':
      return new AppError(409, 'retry', 'A concurrent change happened; please retry.', { cause: err });
    case '57014':
      return new AppError(503, 'timeout', 'The operation took too long.', { cause: err });
    default:
      return undefined;
  }
}

/** Turns any thrown value into an AppError (unknown errors become a 500 `internal` with no detail leaked). */
export function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  const mapped = fromPostgresError(err);
  if (mapped) return mapped;
  return new AppError(500, 'internal', 'An unexpected error occurred.', { cause: err });
}

/** Builds the problem+json body for an error. */
export function toProblem(err: unknown, instance?: string): Problem {
  const appError = toAppError(err);
  const problem: Problem = {
    type: PROBLEM_TYPE_BASE + appError.code,
    title: TITLES[appError.status] ?? 'Error',
    status: appError.status,
    code: appError.code,
    detail: appError.message,
  };
  if (instance) problem.instance = instance;
  if (appError instanceof ValidationError || (appError as ValidationError).issues) {
    problem.errors = (appError as ValidationError).issues;
  }
  if (appError.details) {
    for (const [key, value] of Object.entries(appError.details)) {
      if (!(key in problem)) problem[key] = value;
    }
  }
  return problem;
}
