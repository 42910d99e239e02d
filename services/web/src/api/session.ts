/** The signed-in person, as the API's `/auth/login` and `/auth/me` describe them. */
export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  orgAdmin: boolean;
  organisation: { id: string; kind: string; name: string };
  venueId: string | null;
}

export type Role =
  | 'operator_admin'
  | 'operator_finance'
  | 'funder_manager'
  | 'distributor_agent'
  | 'venue_agent'
  | 'association_treasurer';

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds after which the access token is refreshed before use. */
  accessExpiresAt: number;
  user: SessionUser;
}

/** What the API answers on login and refresh. */
export interface TokenResponse {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: SessionUser;
}

/** Minimal Storage interface, so tests can pass a fake. */
export interface SessionStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const STORAGE_KEY = 'pass-numerique.session';
// Refresh a little before the access token really expires, so a request never leaves with a dead token.
const EXPIRY_MARGIN_MS = 30_000;

/**
 * Holds the tokens in memory and mirrors them in sessionStorage.
 *
 * Why sessionStorage: a venue agent reloads the scanner page or the phone discards the tab, and must not
 * have to log in again each time; but the tokens must not outlive the tab (a shared front-desk computer) nor
 * leak to other tabs, which localStorage would do. The API takes Bearer tokens, not cookies, so there is no
 * CSRF surface; what protects the tokens from script injection is the strict CSP (script-src 'self', no
 * inline script, no third-party code). The refresh token rotates on every use and logout revokes it.
 */
export class SessionStore {
  private current: Session | undefined;
  private readonly listeners = new Set<(session: Session | undefined) => void>();

  constructor(private readonly storage: SessionStorageLike | undefined) {
    this.current = readStored(storage);
  }

  get(): Session | undefined {
    return this.current;
  }

  /** Whether the access token should be refreshed before the next request. */
  needsRefresh(now: number): boolean {
    return this.current !== undefined && now >= this.current.accessExpiresAt - EXPIRY_MARGIN_MS;
  }

  /** Stores a login or refresh answer. */
  setFromTokens(tokens: TokenResponse, now: number): Session {
    const session: Session = {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      accessExpiresAt: now + tokens.expiresIn * 1000,
      user: tokens.user,
    };
    this.set(session);
    return session;
  }

  clear(): void {
    this.set(undefined);
  }

  subscribe(listener: (session: Session | undefined) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(session: Session | undefined): void {
    this.current = session;
    try {
      if (session) this.storage?.setItem(STORAGE_KEY, JSON.stringify(session));
      else this.storage?.removeItem(STORAGE_KEY);
    } catch {
      // Private browsing may refuse storage: the session then lives in memory only, which still works.
    }
    for (const listener of this.listeners) listener(session);
  }
}

function readStored(storage: SessionStorageLike | undefined): Session | undefined {
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    if (!raw) return undefined;
    const parsed = JSON.parse(raw) as Partial<Session>;
    if (typeof parsed.accessToken !== 'string' || typeof parsed.refreshToken !== 'string' || !parsed.user) {
      return undefined;
    }
    return parsed as Session;
  } catch {
    return undefined;
  }
}
