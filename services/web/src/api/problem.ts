/** A field problem as listed in a problem+json `errors` array. */
export interface FieldIssue {
  path: string;
  code: string;
  message: string;
}

/** RFC 9457 problem document with the API's stable `code`. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  code: string;
  detail?: string;
  errors?: FieldIssue[];
  [extension: string]: unknown;
}

/** An API call that failed: the problem document and the French message to show. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;

  constructor(problem: Problem, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.problem = problem;
  }

  /** True when the server has no such route yet: the screen says « bientôt disponible ». */
  get notAvailableYet(): boolean {
    return this.code === 'route_not_found';
  }
}

/** Reads a problem document from any JSON body, falling back to the HTTP status for non-problem answers. */
export function toProblem(status: number, body: unknown): Problem {
  if (body && typeof body === 'object' && typeof (body as { code?: unknown }).code === 'string') {
    return { ...(body as Problem), status };
  }
  return { status, code: status === 0 ? 'network_error' : `http_${status}` };
}

/** An error found in the browser before any request (a missing field), shown like an API error. */
export function clientError(message: string): ApiError {
  return new ApiError({ status: 400, code: 'client_validation' }, message);
}
