import type { OrganisationKind, Principal, Role } from '@pass/auth';
import type { Db } from '@pass/db';

export interface DbUserRow {
  id: string;
  organisation_id: string;
  venue_id: string | null;
  email: string;
  display_name: string;
  role: Role;
  org_admin: boolean;
  password_hash: string | null;
  status: 'invited' | 'active' | 'deactivated';
  failed_login_count: number;
  locked_until: Date | null;
  last_login_at: Date | null;
  created_at: Date;
}

export interface UserWithOrganisation extends DbUserRow {
  organisation_kind: OrganisationKind;
  organisation_name: string;
}

/** Reads users joined with their organisation (kind and name are part of every principal). */
export class PostgresUserStore {
  private base(db: Db) {
    return db('registry.users as u')
      .join('registry.organisations as o', 'o.id', 'u.organisation_id')
      .select<UserWithOrganisation[]>('u.*', 'o.kind as organisation_kind', 'o.name as organisation_name');
  }

  async findByEmail(db: Db, email: string): Promise<UserWithOrganisation | undefined> {
    return (await this.base(db).whereRaw('lower(u.email) = lower(?)', [email]).first()) as
      | UserWithOrganisation
      | undefined;
  }

  async findById(db: Db, id: string): Promise<UserWithOrganisation | undefined> {
    return (await this.base(db).where('u.id', id).first()) as UserWithOrganisation | undefined;
  }
}

/** The principal a user acts as. */
export function principalOfUser(user: UserWithOrganisation): Principal {
  return {
    kind: 'user',
    subjectId: user.id,
    userId: user.id,
    deviceId: undefined,
    role: user.role,
    organisationId: user.organisation_id,
    organisationKind: user.organisation_kind,
    venueId: user.venue_id ?? undefined,
    orgAdmin: user.org_admin,
  };
}
