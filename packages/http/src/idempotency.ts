import { createHash } from 'node:crypto';
import { BadRequestError, ConflictError, UnprocessableError } from '@pass/errors';
import type { Knex } from 'knex';

export interface IdempotentResult<T> {
  status: number;
  body: T;
  replayed: boolean;
}

/** Canonical JSON (sorted keys) so that the same body always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Validates the `Idempotency-Key` header: required on money-moving POSTs. */
export function requireIdempotencyKey(header: string | string[] | undefined): string {
  const key = Array.isArray(header) ? header[0] : header;
  if (!key) throw new BadRequestError('idempotency_key_missing', 'The Idempotency-Key header is required.');
  if (!/^[\x21-\x7e]{8,255}$/.test(key)) {
    throw new BadRequestError(
      'idempotency_key_invalid',
      'The Idempotency-Key must be 8 to 255 visible ASCII characters.',
    );
  }
  return key;
}

/**
 * The 63-bit key of the transaction-scoped advisory lock that tells a request still in flight (409): a
 * collision only causes a spurious 409, never a double effect.
 */
export function idempotencyLockKey(scope: string, key: string): string {
  return createHash('sha256').update(`${scope}\u0000${key}`).digest().readBigInt64BE(0).toString();
}

/** SHA-256 of the canonical request: the same key with another body is refused. */
export function idempotencyRequestHash(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

/** A stored answer found under a key: replayed when the request is the same, else 422. */
export function replayStored<T>(
  stored: { request_hash: string; response_status: number; response_body: T },
  requestHash: string,
): IdempotentResult<T> {
  if (stored.request_hash !== requestHash) {
    throw new UnprocessableError(
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request.',
    );
  }
  return { status: stored.response_status, body: stored.response_body, replayed: true };
}

/** The 409 of a key whose first request is still running. */
export function idempotencyInFlight(): ConflictError {
  return new ConflictError(
    'idempotency_in_flight',
    'A request with this Idempotency-Key is still being processed.',
  );
}

/**
 * Runs `work` at most once per (scope, key), inside the caller's transaction, and stores its answer in the same
 * transaction (IETF Idempotency-Key draft): the same key and body replays the first answer; the same key with
 * another body is 422; the same key while the first request is still running is 409 (a transaction-scoped
 * advisory lock tells, without waiting). `scope` is the caller (e.g. the venue or user id) so keys never collide
 * across tenants.
 */
export async function withIdempotency<T>(
  trx: Knex.Transaction,
  params: { scope: string; key: string; request: unknown; now: Date },
  work: () => Promise<{ status: number; body: T }>,
): Promise<IdempotentResult<T>> {
  const requestHash = idempotencyRequestHash(params.request);
  const lock = await trx.raw<{ rows: { locked: boolean }[] }>(
    'select pg_try_advisory_xact_lock(?::bigint) as locked',
    [idempotencyLockKey(params.scope, params.key)],
  );
  if (!lock.rows[0]?.locked) throw idempotencyInFlight();
  const existing = await trx('platform.idempotency_keys')
    .where({ scope: params.scope, key: params.key })
    .first<{ request_hash: string; response_status: number; response_body: T } | undefined>();
  if (existing) return replayStored(existing, requestHash);
  const result = await work();
  await trx('platform.idempotency_keys').insert({
    scope: params.scope,
    key: params.key,
    request_hash: requestHash,
    response_status: result.status,
    response_body: JSON.stringify(result.body),
    created_at: params.now,
  });
  return { ...result, replayed: false };
}

/**
 * The usual shape of a money-moving POST: a transaction whose work runs at most once per (scope, key), its
 * answer stored in that same transaction (see withIdempotency).
 */
export function inIdempotentTransaction<T>(
  knex: Knex,
  params: { scope: string; key: string; request: unknown; now: Date },
  work: (trx: Knex.Transaction) => Promise<{ status: number; body: T }>,
): Promise<IdempotentResult<T>> {
  return knex.transaction((trx) => withIdempotency(trx, params, () => work(trx)));
}
