/** Field-level validation problem, as listed in a problem+json `errors` array. */
export interface FieldIssue {
  /** JSON pointer-like path, e.g. `booklets.0.count` or `body` for the whole payload. */
  path: string;
  code: string;
  message: string;
}

export interface AppErrorOptions {
  cause?: unknown;
  /** Extra members safe to expose in the problem document. */
  details?: Record<string, unknown>;
}

/**
 * The one error hierarchy of the system: an HTTP status, a stable machine `code` that clients branch on,
 * and a message that is safe to show. The `cause` is logged, never sent.
 */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(status: number, code: string, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.details = options.details;
  }
}

export class BadRequestError extends AppError {
  constructor(code: string, message: string, options?: AppErrorOptions) {
    super(400, code, message, options);
  }
}

export class ValidationError extends AppError {
  readonly issues: FieldIssue[];
  constructor(issues: FieldIssue[], message = 'The request is not valid.', options?: AppErrorOptions) {
    super(400, 'validation_failed', message, options);
    this.issues = issues;
  }
}

export class UnauthorizedError extends AppError {
  constructor(code = 'unauthorized', message = 'Authentication is required.', options?: AppErrorOptions) {
    super(401, code, message, options);
  }
}

export class ForbiddenError extends AppError {
  constructor(code = 'forbidden', message = 'You are not allowed to do this.', options?: AppErrorOptions) {
    super(403, code, message, options);
  }
}

/** Also used for objects of another tenant: they answer 404, never 403, so ids cannot be probed. */
export class NotFoundError extends AppError {
  constructor(code = 'not_found', message = 'Not found.', options?: AppErrorOptions) {
    super(404, code, message, options);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string, options?: AppErrorOptions) {
    super(409, code, message, options);
  }
}

export class UnprocessableError extends AppError {
  constructor(code: string, message: string, options?: AppErrorOptions) {
    super(422, code, message, options);
  }
}

export class TooManyRequestsError extends AppError {
  readonly retryAfterSeconds: number | undefined;
  constructor(code = 'rate_limited', message = 'Too many requests.', retryAfterSeconds?: number) {
    super(429, code, message, { details: retryAfterSeconds ? { retryAfterSeconds } : undefined });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(
    code = 'unavailable',
    message = 'The service is temporarily unavailable.',
    options?: AppErrorOptions,
  ) {
    super(503, code, message, options);
  }
}

/** Whether a value is an AppError (works across duplicated module instances). */
export function isAppError(err: unknown): err is AppError {
  return (
    err instanceof AppError ||
    (typeof err === 'object' &&
      err !== null &&
      typeof (err as AppError).status === 'number' &&
      typeof (err as AppError).code === 'string' &&
      (err as Error).name?.endsWith('Error'))
  );
}
