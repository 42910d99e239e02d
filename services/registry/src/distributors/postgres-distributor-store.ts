import type { Db } from '@pass/db';
import type { Page } from '@pass/http';
import { escapeLike } from '../shared/escape-like';
import { fetchKeysetPage } from '../shared/keyset-page';
import type { PageRequest } from '../shared/list-response';
import type { Distributor } from './distributor';

interface DbDistributorRow {
  organisation_id: string;
  name: string;
  funder_id: string | null;
  siret: string | null;
  postcode: string | null;
  town: string | null;
  created_at: Date;
  updated_at: Date;
}

function fromRow(row: DbDistributorRow): Distributor {
  return {
    id: row.organisation_id,
    name: row.name,
    funderId: row.funder_id,
    siret: row.siret,
    postcode: row.postcode,
    town: row.town,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toRow(distributor: Omit<Distributor, 'name' | 'createdAt' | 'updatedAt'>): Record<string, unknown> {
  return {
    organisation_id: distributor.id,
    funder_id: distributor.funderId,
    siret: distributor.siret,
    postcode: distributor.postcode,
    town: distributor.town,
  };
}

export interface DistributorFilter {
  organisationId?: string | undefined;
  funderId?: string | undefined;
  q?: string | undefined;
}

export class PostgresDistributorStore {
  private base(db: Db) {
    return db('registry.distributors as d')
      .join('registry.organisations as o', 'o.id', 'd.organisation_id')
      .select('d.*', 'o.name', 'o.created_at', 'o.updated_at');
  }

  async findById(
    db: Db,
    id: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<Distributor | undefined> {
    const query = this.base(db).where('d.organisation_id', id);
    if (options.forUpdate) query.forUpdate('d');
    const row = (await query.first()) as DbDistributorRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  async insert(db: Db, distributor: Omit<Distributor, 'name' | 'createdAt' | 'updatedAt'>): Promise<void> {
    await db('registry.distributors').insert(toRow(distributor));
  }

  async update(db: Db, distributor: Omit<Distributor, 'name' | 'createdAt' | 'updatedAt'>): Promise<void> {
    await db('registry.distributors').where({ organisation_id: distributor.id }).update(toRow(distributor));
  }

  async funderExists(db: Db, funderId: string): Promise<boolean> {
    return !!(await db('registry.funders').where({ organisation_id: funderId }).first('organisation_id'));
  }

  async list(db: Db, filter: DistributorFilter, page: PageRequest): Promise<Page<Distributor>> {
    const query = this.base(db);
    if (filter.organisationId) query.where('d.organisation_id', filter.organisationId);
    if (filter.funderId) query.where('d.funder_id', filter.funderId);
    if (filter.q) query.whereILike('o.name', `%${escapeLike(filter.q)}%`);
    const result = await fetchKeysetPage<DbDistributorRow>(
      query,
      page,
      { sort: 'o.name', id: 'o.id' },
      (row) => [row.name, row.organisation_id],
    );
    return { items: result.items.map(fromRow), nextCursor: result.nextCursor };
  }
}
