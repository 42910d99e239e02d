import type { OrganisationKind } from '@pass/auth';
import type { Db } from '@pass/db';

export interface DbOrganisationRow {
  id: string;
  kind: OrganisationKind;
  name: string;
  created_at: Date;
  updated_at: Date;
}

/** The tenant rows every funder, distributor and association hangs from. */
export class PostgresOrganisationStore {
  async insert(db: Db, kind: OrganisationKind, name: string, now: Date): Promise<DbOrganisationRow> {
    const [row] = await db('registry.organisations')
      .insert({ kind, name, created_at: now, updated_at: now })
      .returning<DbOrganisationRow[]>('*');
    return row!;
  }

  async findById(db: Db, id: string): Promise<DbOrganisationRow | undefined> {
    return db('registry.organisations').where({ id }).first<DbOrganisationRow | undefined>();
  }

  async rename(db: Db, id: string, name: string, now: Date): Promise<void> {
    await db('registry.organisations').where({ id }).update({ name, updated_at: now });
  }

  async touch(db: Db, id: string, now: Date): Promise<void> {
    await db('registry.organisations').where({ id }).update({ updated_at: now });
  }
}
