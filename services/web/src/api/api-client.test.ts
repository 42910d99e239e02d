import { expect } from 'chai';
import { ApiClient, buildUrl } from './api-client';
import { ApiError } from './problem';
import { type SessionStorageLike, SessionStore, type TokenResponse } from './session';

class MemoryStorage implements SessionStorageLike {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

function buildTokens(overrides: Partial<TokenResponse> = {}): TokenResponse {
  return {
    accessToken: 'access-1',
    refreshToken: 'refresh-1-xxxxxxxxxxxxxxxxxxxx',
    expiresIn: 900,
    user: {
      id: 'u1',
      email: 'lieu@demo.pass-numerique.fr',
      displayName: 'Agent',
      role: 'venue_agent',
      orgAdmin: false,
      organisation: { id: 'o1', kind: 'association', name: 'Asso' },
      venueId: 'v1',
    },
    ...overrides,
  };
}

/** A client on a fake server: `respond` answers each call; every call is recorded. */
function buildClient(
  respond: (call: Call) => Response | Promise<Response>,
  options: { now?: () => number } = {},
) {
  const calls: Call[] = [];
  const storage = new MemoryStorage();
  const session = new SessionStore(storage);
  const client = new ApiClient(
    session,
    async (url, init) => {
      const call = {
        url,
        method: init?.method ?? 'GET',
        headers: (init?.headers ?? {}) as Record<string, string>,
        body: init?.body as string | undefined,
      };
      calls.push(call);
      return respond(call);
    },
    options.now ?? (() => 1_000_000),
  );
  return { client, session, storage, calls };
}

describe('web API client', () => {
  it('logs in, keeps the session in sessionStorage and sends the access token', async () => {
    const { client, storage, calls } = buildClient((call) =>
      call.url.endsWith('/auth/login') ? json(200, buildTokens()) : json(200, { items: [] }),
    );
    await client.login('lieu@demo.pass-numerique.fr', 'secret');
    expect([...storage.items.values()][0]).to.contain('access-1');
    await client.get('/venues');
    expect(calls[1]!.headers.Authorization).to.equal('Bearer access-1');
    expect(calls[0]!.headers.Authorization).to.equal(undefined);
  });

  it('refreshes once on 401 and retries, however many requests were waiting', async () => {
    let refreshes = 0;
    const { client, session, calls } = buildClient(async (call) => {
      if (call.url.endsWith('/auth/refresh')) {
        refreshes++;
        await new Promise((resolve) => setTimeout(resolve, 5));
        return json(
          200,
          buildTokens({ accessToken: 'access-2', refreshToken: 'refresh-2-xxxxxxxxxxxxxxxxxxxx' }),
        );
      }
      return call.headers.Authorization === 'Bearer access-2'
        ? json(200, { ok: true })
        : json(401, { code: 'token_expired', status: 401 });
    });
    session.setFromTokens(buildTokens(), 1_000_000);
    const answers = await Promise.all([client.get('/a'), client.get('/b'), client.get('/c')]);
    expect(answers).to.deep.equal([{ ok: true }, { ok: true }, { ok: true }]);
    expect(refreshes).to.equal(1);
    expect(session.get()!.refreshToken).to.equal('refresh-2-xxxxxxxxxxxxxxxxxxxx');
    expect(JSON.parse(calls.find((c) => c.url.endsWith('/auth/refresh'))!.body!)).to.deep.equal({
      refreshToken: 'refresh-1-xxxxxxxxxxxxxxxxxxxx',
    });
  });

  it('refreshes before a request when the access token is about to expire', async () => {
    let now = 1_000_000;
    const { client, session, calls } = buildClient(
      (call) =>
        call.url.endsWith('/auth/refresh')
          ? json(200, buildTokens({ accessToken: 'access-2' }))
          : json(200, { ok: true }),
      { now: () => now },
    );
    session.setFromTokens(buildTokens({ expiresIn: 60 }), now);
    now += 45_000;
    await client.get('/a');
    expect(calls.map((c) => c.url)).to.deep.equal(['/api/v1/auth/refresh', '/api/v1/a']);
    expect(calls[1]!.headers.Authorization).to.equal('Bearer access-2');
  });

  it('ends the session when the refresh token is refused', async () => {
    const { client, session } = buildClient((call) =>
      call.url.endsWith('/auth/refresh')
        ? json(401, { code: 'invalid_refresh_token', status: 401 })
        : json(401, { code: 'token_expired', status: 401 }),
    );
    session.setFromTokens(buildTokens(), 1_000_000);
    const error = await client.get('/a').catch((err: unknown) => err);
    expect(error).to.be.instanceOf(ApiError);
    expect((error as ApiError).message).to.equal('Votre session a expiré. Reconnectez-vous.');
    expect(session.get()).to.equal(undefined);
  });

  it('turns a problem+json refusal into its French message, keeping the problem', async () => {
    const { client, session } = buildClient(() =>
      json(422, {
        status: 422,
        code: 'already_redeemed',
        message: 'Pass déjà utilisé le 22/11/2026 10:12 à Espace Public Numérique.',
        passes: [{ index: 0, ok: false, refusals: [] }],
      }),
    );
    session.setFromTokens(buildTokens(), 1_000_000);
    const error = (await client
      .post('/redemptions', { codes: ['x'] }, { idempotencyKey: 'key-12345678' })
      .catch((err: unknown) => err)) as ApiError;
    expect(error.code).to.equal('already_redeemed');
    expect(error.message).to.equal('Pass déjà utilisé le 22/11/2026 10:12 à Espace Public Numérique.');
    expect(error.problem.passes).to.have.length(1);
  });

  it('sends the Idempotency-Key it is given and says « bientôt disponible » for a missing route', async () => {
    const { client, calls } = buildClient(() => json(404, { status: 404, code: 'route_not_found' }));
    const error = (await client
      .post('/x', {}, { idempotencyKey: 'key-12345678', anonymous: true })
      .catch((err: unknown) => err)) as ApiError;
    expect(calls[0]!.headers['Idempotency-Key']).to.equal('key-12345678');
    expect(error.notAvailableYet).to.equal(true);
    expect(error.message).to.equal('Cette fonction sera bientôt disponible.');
  });

  it('reports an unreachable server as a network error, in French', async () => {
    const { client } = buildClient(() => {
      throw new TypeError('Failed to fetch');
    });
    const error = (await client.get('/a').catch((err: unknown) => err)) as ApiError;
    expect(error.code).to.equal('network_error');
    expect(error.message).to.match(/Le serveur ne répond pas/);
  });

  it('builds query strings without empty values, repeating array keys', () => {
    expect(
      buildUrl('/venues', { q: 'Privas', status: undefined, empty: '', ids: ['a', 'b'], limit: 50 }),
    ).to.equal('/api/v1/venues?q=Privas&ids=a&ids=b&limit=50');
  });
});
