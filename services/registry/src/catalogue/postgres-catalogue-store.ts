import type { Db } from '@pass/db';
import type { ServiceSlug } from '../venues-open-data';
import type { CatalogueItem } from './catalogue-item';

interface DbCatalogueRow {
  id: string;
  venue_id: string;
  name: string;
  category: ServiceSlug;
  price_passes: number;
  zero_remainder: boolean;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

function fromRow(row: DbCatalogueRow): CatalogueItem {
  return {
    id: row.id,
    venueId: row.venue_id,
    name: row.name,
    category: row.category,
    pricePasses: Number(row.price_passes),
    zeroRemainder: row.zero_remainder,
    active: row.active,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class PostgresCatalogueStore {
  async findById(
    db: Db,
    id: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<CatalogueItem | undefined> {
    const query = db('registry.catalogue_services').where({ id });
    if (options.forUpdate) query.forUpdate();
    const row = (await query.first()) as DbCatalogueRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  async listByVenue(
    db: Db,
    venueIds: readonly string[],
    options: { includeInactive: boolean },
  ): Promise<CatalogueItem[]> {
    if (venueIds.length === 0) return [];
    const query = db('registry.catalogue_services')
      .whereIn('venue_id', venueIds)
      .orderBy(['price_passes', 'name', 'id']);
    if (!options.includeInactive) query.where({ active: true });
    return ((await query) as DbCatalogueRow[]).map(fromRow);
  }

  async insert(
    db: Db,
    item: Omit<CatalogueItem, 'id' | 'createdAt' | 'updatedAt'>,
    now: Date,
  ): Promise<CatalogueItem> {
    const [row] = await db('registry.catalogue_services')
      .insert({
        venue_id: item.venueId,
        name: item.name,
        category: item.category,
        price_passes: item.pricePasses,
        zero_remainder: item.zeroRemainder,
        active: item.active,
        created_at: now,
        updated_at: now,
      })
      .returning<DbCatalogueRow[]>('*');
    return fromRow(row!);
  }

  async update(db: Db, item: CatalogueItem, now: Date): Promise<CatalogueItem> {
    const [row] = await db('registry.catalogue_services')
      .where({ id: item.id })
      .update({
        name: item.name,
        category: item.category,
        price_passes: item.pricePasses,
        zero_remainder: item.zeroRemainder,
        active: item.active,
        updated_at: now,
      })
      .returning<DbCatalogueRow[]>('*');
    return fromRow(row!);
  }
}
