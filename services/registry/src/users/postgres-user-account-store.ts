import type { OrganisationKind, Role } from '@pass/auth';
import type { Db } from '@pass/db';
import type { Page } from '@pass/http';
import { escapeLike } from '../shared/escape-like';
import { fetchKeysetPage } from '../shared/keyset-page';
import type { PageRequest } from '../shared/list-response';
import type { UserAccount, UserStatus } from './user-account';

interface DbUserAccountRow {
  id: string;
  organisation_id: string;
  organisation_kind: OrganisationKind;
  organisation_name: string;
  venue_id: string | null;
  email: string;
  display_name: string;
  role: Role;
  org_admin: boolean;
  status: UserStatus;
  has_password: boolean;
  last_login_at: Date | null;
  created_at: Date;
}

function fromRow(row: DbUserAccountRow): UserAccount {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    organisationKind: row.organisation_kind,
    organisationName: row.organisation_name,
    venueId: row.venue_id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    orgAdmin: row.org_admin,
    status: row.status,
    hasPassword: row.has_password,
    lastLoginAt: row.last_login_at,
    createdAt: row.created_at,
  };
}

export interface UserFilter {
  organisationId?: string | undefined;
  status?: UserStatus | undefined;
  role?: Role | undefined;
  q?: string | undefined;
}

/** Member management over registry.users and registry.invitations (login and tokens are auth's). */
export class PostgresUserAccountStore {
  private base(db: Db) {
    return db('registry.users as u')
      .join('registry.organisations as o', 'o.id', 'u.organisation_id')
      .select(
        'u.id',
        'u.organisation_id',
        'o.kind as organisation_kind',
        'o.name as organisation_name',
        'u.venue_id',
        'u.email',
        'u.display_name',
        'u.role',
        'u.org_admin',
        'u.status',
        db.raw('(u.password_hash is not null) as has_password'),
        'u.last_login_at',
        'u.created_at',
      );
  }

  async findById(
    db: Db,
    id: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<UserAccount | undefined> {
    const query = this.base(db).where('u.id', id);
    if (options.forUpdate) query.forUpdate('u');
    const row = (await query.first()) as DbUserAccountRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  async emailTaken(db: Db, email: string): Promise<boolean> {
    return !!(await db('registry.users').whereRaw('lower(email) = lower(?)', [email]).first('id'));
  }

  async organisation(
    db: Db,
    id: string,
  ): Promise<{ id: string; kind: OrganisationKind; name: string } | undefined> {
    return db('registry.organisations')
      .where({ id })
      .first<{ id: string; kind: OrganisationKind; name: string } | undefined>('id', 'kind', 'name');
  }

  async venueAssociation(db: Db, venueId: string): Promise<string | null | undefined> {
    const row = await db('registry.venues')
      .where({ id: venueId })
      .first<{ association_id: string | null } | undefined>('association_id');
    return row ? row.association_id : undefined;
  }

  async insert(
    db: Db,
    user: {
      organisationId: string;
      venueId: string | null;
      email: string;
      displayName: string;
      role: Role;
      orgAdmin: boolean;
    },
    now: Date,
  ): Promise<string> {
    const [row] = await db('registry.users')
      .insert({
        organisation_id: user.organisationId,
        venue_id: user.venueId,
        email: user.email,
        display_name: user.displayName,
        role: user.role,
        org_admin: user.orgAdmin,
        status: 'invited',
        created_at: now,
      })
      .returning<{ id: string }[]>('id');
    return row!.id;
  }

  async setStatus(db: Db, id: string, status: UserStatus): Promise<void> {
    await db('registry.users').where({ id }).update({ status });
  }

  /** Ends every session of the user: their refresh tokens stop working at once. */
  async revokeRefreshTokens(db: Db, userId: string, now: Date): Promise<void> {
    await db('registry.refresh_tokens')
      .where({ user_id: userId })
      .whereNull('revoked_at')
      .update({ revoked_at: now });
  }

  async insertInvitation(
    db: Db,
    invitation: { tokenHash: string; userId: string; expiresAt: Date; createdBy: string | null },
    now: Date,
  ): Promise<void> {
    await db('registry.invitations').insert({
      token_hash: invitation.tokenHash,
      user_id: invitation.userId,
      expires_at: invitation.expiresAt,
      created_by: invitation.createdBy,
      created_at: now,
    });
  }

  /** Older invitation links stop working when a new one is sent. */
  async expireInvitations(db: Db, userId: string, now: Date): Promise<void> {
    await db('registry.invitations')
      .where({ user_id: userId })
      .whereNull('used_at')
      .where('expires_at', '>', now)
      .update({ expires_at: now });
  }

  /**
   * Marks an invitation used and returns its user, or undefined when the token is unknown, used or expired.
   * The `used_at is null` guard makes the token single-use even under concurrent attempts.
   */
  async consumeInvitation(db: Db, tokenHash: string, now: Date): Promise<string | undefined> {
    const [row] = await db('registry.invitations')
      .where({ token_hash: tokenHash })
      .whereNull('used_at')
      .where('expires_at', '>', now)
      .update({ used_at: now })
      .returning<{ user_id: string }[]>('user_id');
    return row?.user_id;
  }

  /** Sets the first password of an invited user; false if the user is no longer `invited`. */
  async activateWithPassword(db: Db, userId: string, passwordHash: string): Promise<boolean> {
    const updated = await db('registry.users')
      .where({ id: userId, status: 'invited' })
      .update({ password_hash: passwordHash, status: 'active', failed_login_count: 0, locked_until: null });
    return updated === 1;
  }

  async list(db: Db, filter: UserFilter, page: PageRequest): Promise<Page<UserAccount>> {
    const query = this.base(db);
    if (filter.organisationId) query.where('u.organisation_id', filter.organisationId);
    if (filter.status) query.where('u.status', filter.status);
    if (filter.role) query.where('u.role', filter.role);
    if (filter.q) {
      const like = `%${escapeLike(filter.q)}%`;
      query.where((q) => q.whereILike('u.email', like).orWhereILike('u.display_name', like));
    }
    const result = await fetchKeysetPage<DbUserAccountRow>(
      query,
      page,
      { sort: 'u.email', id: 'u.id' },
      (row) => [row.email, row.id],
    );
    return { items: result.items.map(fromRow), nextCursor: result.nextCursor };
  }
}
