import type { Db } from '@pass/db';
import type { Page } from '@pass/http';
import { escapeLike } from '../shared/escape-like';
import { fetchKeysetPage } from '../shared/keyset-page';
import type { PageRequest } from '../shared/list-response';
import { formatRate } from '../shared/rates';
import type { Association, BankAccount, BankDetailsStatus, SettlementCadence } from './association';

interface DbAssociationRow {
  organisation_id: string;
  name: string;
  legal_name: string;
  siret: string | null;
  rna: string | null;
  street_name: string;
  building_number: string | null;
  postcode: string;
  town: string;
  country: string;
  iban: string | null;
  bic: string | null;
  account_holder_name: string | null;
  bank_details_status: BankDetailsStatus;
  settlement_cadence: SettlementCadence;
  downstream_fee_rate: string;
  flagged_at: Date | null;
  flag_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

function fromRow(row: DbAssociationRow): Association {
  return {
    id: row.organisation_id,
    name: row.name,
    legalName: row.legal_name,
    siret: row.siret,
    rna: row.rna,
    address: {
      street: row.street_name,
      buildingNumber: row.building_number,
      postcode: row.postcode,
      town: row.town,
      country: row.country,
    },
    bankAccount:
      row.iban && row.bic && row.account_holder_name
        ? { iban: row.iban, bic: row.bic, accountHolderName: row.account_holder_name }
        : null,
    bankDetailsStatus: row.bank_details_status,
    settlementCadence: row.settlement_cadence,
    downstreamFeeRate: formatRate(row.downstream_fee_rate),
    flaggedAt: row.flagged_at,
    flagReason: row.flag_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The association's own columns, bank details apart (they change only through an approved request). */
function toRow(association: Omit<Association, 'name' | 'createdAt' | 'updatedAt' | 'bankAccount'>) {
  return {
    organisation_id: association.id,
    legal_name: association.legalName,
    siret: association.siret,
    rna: association.rna,
    street_name: association.address.street,
    building_number: association.address.buildingNumber,
    postcode: association.address.postcode,
    town: association.address.town,
    country: association.address.country,
    bank_details_status: association.bankDetailsStatus,
    settlement_cadence: association.settlementCadence,
    downstream_fee_rate: association.downstreamFeeRate,
    flagged_at: association.flaggedAt,
    flag_reason: association.flagReason,
  };
}

export interface AssociationFilter {
  organisationId?: string | undefined;
  q?: string | undefined;
  bankDetailsStatus?: BankDetailsStatus | undefined;
  flagged?: boolean | undefined;
}

export class PostgresAssociationStore {
  private base(db: Db) {
    return db('registry.associations as a')
      .join('registry.organisations as o', 'o.id', 'a.organisation_id')
      .select('a.*', 'o.name', 'o.created_at', 'o.updated_at');
  }

  async findById(
    db: Db,
    id: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<Association | undefined> {
    const query = this.base(db).where('a.organisation_id', id);
    if (options.forUpdate) query.forUpdate('a');
    const row = (await query.first()) as DbAssociationRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  async insert(
    db: Db,
    association: Omit<Association, 'name' | 'createdAt' | 'updatedAt' | 'bankAccount'>,
  ): Promise<void> {
    await db('registry.associations').insert(toRow(association));
  }

  async update(
    db: Db,
    association: Omit<Association, 'name' | 'createdAt' | 'updatedAt' | 'bankAccount'>,
  ): Promise<void> {
    await db('registry.associations').where({ organisation_id: association.id }).update(toRow(association));
  }

  async setBankDetailsStatus(db: Db, id: string, status: BankDetailsStatus): Promise<void> {
    await db('registry.associations').where({ organisation_id: id }).update({ bank_details_status: status });
  }

  /** Replaces the approved account (only after a second operator approved the change). */
  async setApprovedBankAccount(db: Db, id: string, account: BankAccount): Promise<void> {
    await db('registry.associations').where({ organisation_id: id }).update({
      iban: account.iban,
      bic: account.bic,
      account_holder_name: account.accountHolderName,
      bank_details_status: 'approved',
    });
  }

  async list(db: Db, filter: AssociationFilter, page: PageRequest): Promise<Page<Association>> {
    const query = this.base(db);
    if (filter.organisationId) query.where('a.organisation_id', filter.organisationId);
    if (filter.bankDetailsStatus) query.where('a.bank_details_status', filter.bankDetailsStatus);
    if (filter.flagged !== undefined) {
      if (filter.flagged) query.whereNotNull('a.flagged_at');
      else query.whereNull('a.flagged_at');
    }
    if (filter.q) {
      const like = `%${escapeLike(filter.q)}%`;
      query.where((q) => q.whereILike('o.name', like).orWhereILike('a.legal_name', like));
    }
    const result = await fetchKeysetPage<DbAssociationRow>(
      query,
      page,
      { sort: 'o.name', id: 'o.id' },
      (row) => [row.name, row.organisation_id],
    );
    return { items: result.items.map(fromRow), nextCursor: result.nextCursor };
  }
}
