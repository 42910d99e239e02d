import { randomUUID } from 'node:crypto';
import { recordAudit } from '@pass/audit';
import {
  hashPassword,
  hashToken,
  type Principal,
  randomToken,
  type TokenService,
  verifyPassword,
} from '@pass/auth';
import { NotFoundError, TooManyRequestsError, UnauthorizedError } from '@pass/errors';
import type { Knex } from 'knex';
import type { Me, TokenResponse } from './auth-schemas';
import { PostgresUserStore, principalOfUser, type UserWithOrganisation } from './user-store';

/** After this many consecutive failures an account is locked for LOCK_MINUTES. */
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

// A real hash of a random password: verifying against it costs the same time as a real user, so response
// times do not tell which e-mails exist.
const DUMMY_HASH_PROMISE = hashPassword(randomToken());

export interface AuthServiceOptions {
  knex: Knex;
  tokens: TokenService;
  refreshTokenTtlDays: number;
}

export function toMe(user: UserWithOrganisation): Me {
  return {
    id: user.id,
    email: user.email,
    displayName: user.display_name,
    role: user.role,
    orgAdmin: user.org_admin,
    organisation: { id: user.organisation_id, kind: user.organisation_kind, name: user.organisation_name },
    venueId: user.venue_id,
  };
}

/** Login, refresh-token rotation, logout, and venue scanner device tokens. */
export class AuthService {
  private readonly users = new PostgresUserStore();

  constructor(private readonly options: AuthServiceOptions) {}

  async login(email: string, password: string, now: Date, requestId?: string): Promise<TokenResponse> {
    const { knex } = this.options;
    const user = await this.users.findByEmail(knex, email);
    if (!user?.password_hash || user.status !== 'active') {
      await verifyPassword(password, await DUMMY_HASH_PROMISE);
      throw new UnauthorizedError('invalid_credentials', 'Wrong e-mail or password.');
    }
    if (user.locked_until && user.locked_until > now) {
      const seconds = Math.ceil((user.locked_until.getTime() - now.getTime()) / 1000);
      throw new TooManyRequestsError('account_locked', 'Too many failed attempts; try again later.', seconds);
    }
    const ok = await verifyPassword(password, user.password_hash);
    if (!ok) {
      await knex.transaction(async (trx) => {
        // Increment in SQL so that parallel failed attempts all count.
        const [row] = await trx('registry.users')
          .where({ id: user.id })
          .increment('failed_login_count', 1)
          .returning<{ failed_login_count: number }[]>('failed_login_count');
        if ((row?.failed_login_count ?? 0) >= MAX_FAILED_LOGINS) {
          await trx('registry.users')
            .where({ id: user.id })
            .update({ locked_until: new Date(now.getTime() + LOCK_MINUTES * 60_000), failed_login_count: 0 });
          await recordAudit(trx, {
            actor: { kind: 'system', subjectId: 'auth' },
            action: 'user.locked',
            targetType: 'user',
            targetId: user.id,
            organisationId: user.organisation_id,
            summary: { reason: 'too_many_failed_logins' },
            requestId,
            at: now,
          });
        }
      });
      throw new UnauthorizedError('invalid_credentials', 'Wrong e-mail or password.');
    }
    return knex.transaction(async (trx) => {
      await trx('registry.users')
        .where({ id: user.id })
        .update({ failed_login_count: 0, locked_until: null, last_login_at: now });
      return this.issueTokens(trx, user, randomUUID(), now);
    });
  }

  /**
   * Rotates a refresh token. A token that was already used or revoked means it leaked: the whole family is
   * revoked and the caller must log in again.
   */
  async refresh(refreshToken: string, now: Date): Promise<TokenResponse> {
    const { knex } = this.options;
    return knex
      .transaction(async (trx) => {
        const row = await trx('registry.refresh_tokens')
          .where({ token_hash: hashToken(refreshToken) })
          .forUpdate()
          .first<
            | {
                id: string;
                user_id: string;
                family_id: string;
                expires_at: Date;
                used_at: Date | null;
                revoked_at: Date | null;
              }
            | undefined
          >();
        if (!row) throw new UnauthorizedError('invalid_refresh_token', 'The refresh token is not valid.');
        if (row.used_at || row.revoked_at) {
          await trx('registry.refresh_tokens')
            .where({ family_id: row.family_id })
            .whereNull('revoked_at')
            .update({ revoked_at: now });
          return { reused: true } as const;
        }
        if (row.expires_at <= now)
          throw new UnauthorizedError('refresh_token_expired', 'The refresh token has expired.');
        const user = await this.users.findById(trx, row.user_id);
        if (user?.status !== 'active') {
          throw new UnauthorizedError('invalid_refresh_token', 'The refresh token is not valid.');
        }
        await trx('registry.refresh_tokens').where({ id: row.id }).update({ used_at: now });
        return this.issueTokens(trx, user, row.family_id, now);
      })
      .then((result) => {
        // The family revocation must commit before refusing, hence the refusal outside the transaction.
        if ('reused' in result) {
          throw new UnauthorizedError(
            'refresh_token_reused',
            'This refresh token was already used; please log in again.',
          );
        }
        return result;
      });
  }

  /** Revokes the refresh token's whole family (logout on this device). */
  async logout(refreshToken: string, now: Date): Promise<void> {
    const { knex } = this.options;
    const row = await knex('registry.refresh_tokens')
      .where({ token_hash: hashToken(refreshToken) })
      .first<{ family_id: string } | undefined>();
    if (!row) return;
    await knex('registry.refresh_tokens')
      .where({ family_id: row.family_id })
      .whereNull('revoked_at')
      .update({ revoked_at: now });
  }

  async me(principal: Principal): Promise<Me> {
    if (!principal.userId) throw new NotFoundError();
    const user = await this.users.findById(this.options.knex, principal.userId);
    if (!user) throw new NotFoundError();
    return toMe(user);
  }

  private async issueTokens(
    trx: Knex.Transaction,
    user: UserWithOrganisation,
    familyId: string,
    now: Date,
  ): Promise<TokenResponse> {
    const access = this.options.tokens.issueAccessToken(principalOfUser(user), now);
    const refreshToken = randomToken();
    const refreshExpiresAt = new Date(now.getTime() + this.options.refreshTokenTtlDays * 86_400_000);
    await trx('registry.refresh_tokens').insert({
      user_id: user.id,
      family_id: familyId,
      token_hash: hashToken(refreshToken),
      expires_at: refreshExpiresAt,
      created_at: now,
    });
    return {
      accessToken: access.token,
      tokenType: 'Bearer',
      expiresIn: access.expiresIn,
      refreshToken,
      refreshExpiresAt: refreshExpiresAt.toISOString(),
      user: toMe(user),
    };
  }
}
