import { extendZodWithOpenApi, OpenAPIRegistry, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { assertRole, type Principal, principalOf, type Role } from '@pass/auth';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { z } from 'zod';
import { parseWith } from './problem-middleware';

extendZodWithOpenApi(z);

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Who may call a route: anyone, any signed-in principal, or a list of roles. */
export type Access = 'public' | 'authenticated' | readonly Role[];

export interface RouteSpec<
  B extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  P extends z.ZodType = z.ZodType,
> {
  summary: string;
  description?: string;
  tags?: string[];
  access: Access;
  body?: B;
  query?: Q;
  params?: P;
  /** Schema of the JSON answer (for the OpenAPI document). */
  response?: z.ZodType;
  /** Success status, 200 by default. */
  status?: number;
  /** Non-JSON answers (files): content type → description. */
  produces?: Record<string, string>;
  /** Extra request headers, documented (e.g. Idempotency-Key). */
  headers?: z.ZodObject;
  /** Extra per-route middleware run before validation (rate limiting, raw body parsers). */
  before?: RequestHandler[];
}

export interface RouteInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  principal: Principal | undefined;
  req: Request;
  res: Response;
}

/** `:id` → `{id}` for OpenAPI paths. */
function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/**
 * An express router whose routes validate their input with zod (`.strict()` objects), check access, and
 * register themselves in the OpenAPI document, so the documentation is generated from the same schemas that
 * validate requests. Handlers return the JSON answer; a handler that streams a file sends it itself.
 */
export class ApiRouter {
  readonly router: Router;
  private readonly registry: OpenAPIRegistry;
  private readonly basePath: string;

  constructor(registry: OpenAPIRegistry, basePath = '/api/v1') {
    this.router = express.Router();
    this.registry = registry;
    this.basePath = basePath;
  }

  get<Q extends z.ZodType = z.ZodUndefined, P extends z.ZodType = z.ZodUndefined>(
    path: string,
    spec: RouteSpec<z.ZodType, Q, P>,
    handler: (input: RouteInput<undefined, z.infer<Q>, z.infer<P>>) => Promise<unknown>,
  ): this {
    return this.add('get', path, spec, handler as never);
  }

  post<
    B extends z.ZodType = z.ZodUndefined,
    Q extends z.ZodType = z.ZodUndefined,
    P extends z.ZodType = z.ZodUndefined,
  >(
    path: string,
    spec: RouteSpec<B, Q, P>,
    handler: (input: RouteInput<z.infer<B>, z.infer<Q>, z.infer<P>>) => Promise<unknown>,
  ): this {
    return this.add('post', path, spec, handler as never);
  }

  put<
    B extends z.ZodType = z.ZodUndefined,
    Q extends z.ZodType = z.ZodUndefined,
    P extends z.ZodType = z.ZodUndefined,
  >(
    path: string,
    spec: RouteSpec<B, Q, P>,
    handler: (input: RouteInput<z.infer<B>, z.infer<Q>, z.infer<P>>) => Promise<unknown>,
  ): this {
    return this.add('put', path, spec, handler as never);
  }

  patch<
    B extends z.ZodType = z.ZodUndefined,
    Q extends z.ZodType = z.ZodUndefined,
    P extends z.ZodType = z.ZodUndefined,
  >(
    path: string,
    spec: RouteSpec<B, Q, P>,
    handler: (input: RouteInput<z.infer<B>, z.infer<Q>, z.infer<P>>) => Promise<unknown>,
  ): this {
    return this.add('patch', path, spec, handler as never);
  }

  delete<Q extends z.ZodType = z.ZodUndefined, P extends z.ZodType = z.ZodUndefined>(
    path: string,
    spec: RouteSpec<z.ZodType, Q, P>,
    handler: (input: RouteInput<undefined, z.infer<Q>, z.infer<P>>) => Promise<unknown>,
  ): this {
    return this.add('delete', path, spec, handler as never);
  }

  private add(
    method: Method,
    path: string,
    spec: RouteSpec,
    handler: (input: RouteInput<unknown, unknown, unknown>) => Promise<unknown>,
  ): this {
    this.document(method, path, spec);
    const run: RequestHandler = async (req, res) => {
      let principal: Principal | undefined;
      if (spec.access !== 'public') {
        principal = principalOf(req);
        if (spec.access !== 'authenticated') assertRole(principal, spec.access);
      } else {
        principal = req.principal;
      }
      const params = spec.params ? parseWith(spec.params, req.params, 'params') : undefined;
      const query = spec.query ? parseWith(spec.query, req.query, 'query') : undefined;
      const body = spec.body ? parseWith(spec.body, req.body ?? {}, 'body') : undefined;
      const result = await handler({ body, query, params, principal, req, res });
      if (res.headersSent) return;
      const status = spec.status ?? 200;
      if (result === undefined || status === 204) {
        res.status(status === 200 ? 204 : status).end();
        return;
      }
      res.status(status).json(result);
    };
    this.router[method](path, ...(spec.before ?? []), run);
    return this;
  }

  private document(method: Method, path: string, spec: RouteSpec): void {
    const status = spec.status ?? 200;
    const responses: RouteConfig['responses'] = {};
    if (spec.produces) {
      responses[status] = {
        description: 'File',
        content: Object.fromEntries(
          Object.entries(spec.produces).map(([type, description]) => [
            type,
            { schema: z.string().describe(description) },
          ]),
        ),
      };
    } else if (spec.response) {
      responses[status] = {
        description: 'Success',
        content: { 'application/json': { schema: spec.response } },
      };
    } else {
      responses[status === 200 ? 204 : status] = { description: 'Success, no content' };
    }
    responses.default = {
      description: 'Error (RFC 9457 problem details with a stable `code`)',
      content: { 'application/problem+json': { schema: problemSchema } },
    };
    const security: Record<string, string[]>[] =
      spec.access === 'public' ? [] : [{ bearer: [] }, { device: [] }];
    const request: RouteConfig['request'] = {};
    if (spec.body) request.body = { content: { 'application/json': { schema: spec.body } }, required: true };
    if (spec.query && spec.query instanceof z.ZodObject) request.query = spec.query;
    if (spec.params && spec.params instanceof z.ZodObject) request.params = spec.params;
    if (spec.headers) request.headers = spec.headers;
    const roles = Array.isArray(spec.access) ? `\n\nRoles: ${(spec.access as Role[]).join(', ')}.` : '';
    this.registry.registerPath({
      method,
      path: toOpenApiPath(this.basePath + path),
      summary: spec.summary,
      description: (spec.description ?? '') + roles,
      tags: spec.tags,
      security,
      request,
      responses,
    });
  }
}

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

/** A registry with the security schemes of the API declared. */
export function createOpenApiRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  registry.registerComponent('securitySchemes', 'device', {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description: 'Venue scanner device token: `Authorization: Device <token>`.',
  });
  return registry;
}
