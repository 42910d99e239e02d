import { messageForProblem } from './error-messages';
import { ApiError, toProblem } from './problem';
import type { SessionStore, TokenResponse } from './session';

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue | QueryValue[]>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Raw body (a file upload) sent as is with this content type instead of JSON. */
  raw?: { body: Blob | string; contentType: string };
  /** Sent as `Idempotency-Key`; the caller keeps the same key when it retries the same attempt. */
  idempotencyKey?: string;
  /** Send no Authorization header (public pages). */
  anonymous?: boolean;
  signal?: AbortSignal;
}

export interface DownloadedFile {
  blob: Blob;
  fileName: string;
}

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

const API_BASE = '/api/v1';

/** Path plus encoded query string; repeated keys for arrays, empty values left out. */
export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null && item !== '') params.append(key, String(item));
    }
  }
  const search = params.toString();
  return `${API_BASE}${path}${search ? `?${search}` : ''}`;
}

/**
 * The JSON API client: adds the Bearer token, refreshes it (rotation, one refresh in flight at a time) when it
 * is about to expire or when the API answers 401, and turns every failure into an ApiError carrying the
 * problem document and its French message.
 */
export class ApiClient {
  private refreshing: Promise<boolean> | undefined;

  constructor(
    private readonly session: SessionStore,
    private readonly fetchFn: FetchLike = (input, init) => fetch(input, init),
    private readonly now: () => number = Date.now,
  ) {}

  get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return this.json<T>('GET', path, { query, signal });
  }

  post<T>(path: string, body?: unknown, options: Omit<RequestOptions, 'body'> = {}): Promise<T> {
    return this.json<T>('POST', path, { ...options, body });
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.json<T>('PATCH', path, { body });
  }

  delete<T>(path: string): Promise<T> {
    return this.json<T>('DELETE', path, {});
  }

  /** Any method, JSON answer (undefined for 204). */
  async json<T>(method: string, path: string, options: RequestOptions): Promise<T> {
    const response = await this.send(method, path, options);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Fetches a file (PDF, CSV, XML) with the session's token; the name comes from Content-Disposition. */
  async download(path: string, fallbackName: string, query?: Query): Promise<DownloadedFile> {
    const response = await this.send('GET', path, { query });
    return { blob: await response.blob(), fileName: fileNameOf(response) ?? fallbackName };
  }

  /** Logs in and stores the session. */
  async login(email: string, password: string): Promise<TokenResponse> {
    const tokens = await this.json<TokenResponse>('POST', '/auth/login', {
      body: { email, password },
      anonymous: true,
    });
    this.session.setFromTokens(tokens, this.now());
    return tokens;
  }

  /** Revokes the refresh token (best effort) and forgets the session. */
  async logout(): Promise<void> {
    const current = this.session.get();
    this.session.clear();
    if (!current) return;
    try {
      await this.send('POST', '/auth/logout', {
        body: { refreshToken: current.refreshToken },
        anonymous: true,
      });
    } catch {
      // The session is gone locally either way; an unreachable server cannot keep it alive.
    }
  }

  private async send(method: string, path: string, options: RequestOptions): Promise<Response> {
    if (!options.anonymous && this.session.needsRefresh(this.now())) await this.refresh();
    let response = await this.attempt(method, path, options);
    if (response.status === 401 && !options.anonymous && this.session.get()) {
      if (await this.refresh()) response = await this.attempt(method, path, options);
    }
    if (!response.ok) {
      const problem = toProblem(response.status, await readJson(response));
      if (response.status === 401 && !options.anonymous) this.session.clear();
      throw new ApiError(problem, messageForProblem(problem));
    }
    return response;
  }

  private async attempt(method: string, path: string, options: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json, */*' };
    let body: BodyInit | undefined;
    if (options.raw) {
      headers['Content-Type'] = options.raw.contentType;
      body = options.raw.body;
    } else if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const token = this.session.get()?.accessToken;
    if (token && !options.anonymous) headers.Authorization = `Bearer ${token}`;
    if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
    try {
      return await this.fetchFn(buildUrl(path, options.query), {
        method,
        headers,
        body,
        signal: options.signal,
      });
    } catch (err) {
      if ((err as { name?: string }).name === 'AbortError') throw err;
      const problem = toProblem(0, undefined);
      throw new ApiError(problem, messageForProblem(problem));
    }
  }

  /** Exchanges the refresh token once, however many requests are waiting; false when the session is over. */
  private refresh(): Promise<boolean> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<boolean> {
    const current = this.session.get();
    if (!current) return false;
    try {
      const response = await this.fetchFn(buildUrl('/auth/refresh'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ refreshToken: current.refreshToken }),
      });
      if (!response.ok) {
        // A network hiccup keeps the session (the next call retries); a refused token ends it.
        if (response.status === 400 || response.status === 401) this.session.clear();
        return false;
      }
      this.session.setFromTokens((await response.json()) as TokenResponse, this.now());
      return true;
    } catch {
      return false;
    }
  }
}

async function readJson(response: Response): Promise<unknown> {
  try {
    const text = await response.text();
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function fileNameOf(response: Response): string | undefined {
  const header = response.headers.get('Content-Disposition');
  if (!header) return undefined;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star?.[1]) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain?.[1];
}

/** A fresh Idempotency-Key: one per attempt, reused when the same attempt is retried. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
