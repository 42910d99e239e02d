import type { Db } from '@pass/db';
import type { Page } from '@pass/http';
import { escapeLike } from '../shared/escape-like';
import { fetchKeysetPage } from '../shared/keyset-page';
import type { PageRequest } from '../shared/list-response';
import { formatRate } from '../shared/rates';
import type { ExpiredPassPolicy, Funder, FunderContact, FunderKind } from './funder';

interface DbFunderRow {
  organisation_id: string;
  name: string;
  funder_kind: FunderKind;
  siret: string | null;
  contacts: FunderContact[] | string;
  billing_street: string | null;
  billing_building_number: string | null;
  billing_postcode: string | null;
  billing_town: string | null;
  billing_country: string;
  upstream_fee_rate: string;
  vat_rate: string;
  expired_policy: ExpiredPassPolicy;
  created_at: Date;
  updated_at: Date;
}

function fromRow(row: DbFunderRow): Funder {
  return {
    id: row.organisation_id,
    name: row.name,
    kind: row.funder_kind,
    siret: row.siret,
    contacts: typeof row.contacts === 'string' ? JSON.parse(row.contacts) : row.contacts,
    billingAddress:
      row.billing_street && row.billing_postcode && row.billing_town
        ? {
            street: row.billing_street,
            buildingNumber: row.billing_building_number,
            postcode: row.billing_postcode,
            town: row.billing_town,
            country: row.billing_country,
          }
        : null,
    contract: {
      upstreamFeeRate: formatRate(row.upstream_fee_rate),
      vatRate: formatRate(row.vat_rate),
      expiredPassPolicy: row.expired_policy,
    },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The funder's own columns (the name lives on the organisation). */
function toRow(funder: Omit<Funder, 'name' | 'createdAt' | 'updatedAt'>): Record<string, unknown> {
  return {
    organisation_id: funder.id,
    funder_kind: funder.kind,
    siret: funder.siret,
    contacts: JSON.stringify(funder.contacts),
    billing_street: funder.billingAddress?.street ?? null,
    billing_building_number: funder.billingAddress?.buildingNumber ?? null,
    billing_postcode: funder.billingAddress?.postcode ?? null,
    billing_town: funder.billingAddress?.town ?? null,
    billing_country: funder.billingAddress?.country ?? 'FR',
    upstream_fee_rate: funder.contract.upstreamFeeRate,
    vat_rate: funder.contract.vatRate,
    expired_policy: funder.contract.expiredPassPolicy,
  };
}

export interface FunderFilter {
  /** Restricts to one organisation (tenant scoping). */
  organisationId?: string | undefined;
  kind?: FunderKind | undefined;
  q?: string | undefined;
}

export class PostgresFunderStore {
  private base(db: Db) {
    return db('registry.funders as f')
      .join('registry.organisations as o', 'o.id', 'f.organisation_id')
      .select('f.*', 'o.name', 'o.created_at', 'o.updated_at');
  }

  async findById(db: Db, id: string, options: { forUpdate?: boolean } = {}): Promise<Funder | undefined> {
    const query = this.base(db).where('f.organisation_id', id);
    if (options.forUpdate) query.forUpdate('f');
    const row = (await query.first()) as DbFunderRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  async insert(db: Db, funder: Omit<Funder, 'name' | 'createdAt' | 'updatedAt'>): Promise<void> {
    await db('registry.funders').insert(toRow(funder));
  }

  async update(db: Db, funder: Omit<Funder, 'name' | 'createdAt' | 'updatedAt'>): Promise<void> {
    await db('registry.funders').where({ organisation_id: funder.id }).update(toRow(funder));
  }

  async list(db: Db, filter: FunderFilter, page: PageRequest): Promise<Page<Funder>> {
    const query = this.base(db);
    if (filter.organisationId) query.where('f.organisation_id', filter.organisationId);
    if (filter.kind) query.where('f.funder_kind', filter.kind);
    if (filter.q) query.whereILike('o.name', `%${escapeLike(filter.q)}%`);
    const result = await fetchKeysetPage<DbFunderRow>(query, page, { sort: 'o.name', id: 'o.id' }, (row) => [
      row.name,
      row.organisation_id,
    ]);
    return { items: result.items.map(fromRow), nextCursor: result.nextCursor };
  }
}
