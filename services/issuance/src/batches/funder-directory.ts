import type { Db } from '@pass/db';

/** What issuance reads about a funder (registry tables, read in SQL: services never import each other). */
export interface FunderContract {
  funderId: string;
  name: string;
  upstreamFeeRate: string;
  vatRate: string;
}

/** The funder's name and contract rates, or undefined when the organisation is not a funder. */
export async function findFunderContract(db: Db, funderId: string): Promise<FunderContract | undefined> {
  const row = await db('registry.funders as f')
    .join('registry.organisations as o', 'o.id', 'f.organisation_id')
    .where('f.organisation_id', funderId)
    .first<{ name: string; upstream_fee_rate: string; vat_rate: string } | undefined>(
      'o.name',
      db.raw('f.upstream_fee_rate::text as upstream_fee_rate'),
      db.raw('f.vat_rate::text as vat_rate'),
    );
  if (!row) return undefined;
  return { funderId, name: row.name, upstreamFeeRate: row.upstream_fee_rate, vatRate: row.vat_rate };
}

/** A distributor and the funder it works for, or undefined. */
export async function findDistributor(
  db: Db,
  distributorId: string,
): Promise<{ distributorId: string; name: string; funderId: string | null } | undefined> {
  const row = await db('registry.distributors as d')
    .join('registry.organisations as o', 'o.id', 'd.organisation_id')
    .where('d.organisation_id', distributorId)
    .first<{ name: string; funder_id: string | null } | undefined>('o.name', 'd.funder_id');
  return row ? { distributorId, name: row.name, funderId: row.funder_id } : undefined;
}

/** Names of organisations by id (for lists). */
export async function organisationNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db('registry.organisations')
    .whereIn('id', [...new Set(ids)])
    .select<{ id: string; name: string }[]>('id', 'name');
  return new Map(rows.map((row) => [row.id, row.name]));
}
