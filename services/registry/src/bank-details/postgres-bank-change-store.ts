import type { Db } from '@pass/db';
import type { Page } from '@pass/http';
import { fetchKeysetPage } from '../shared/keyset-page';
import type { PageRequest } from '../shared/list-response';
import type { BankChangeRequest, BankChangeStatus } from './bank-change-request';

interface DbBankChangeRow {
  id: string;
  association_id: string;
  iban: string;
  bic: string;
  account_holder_name: string;
  status: BankChangeStatus;
  requested_by: string;
  requested_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  decision_reason: string | null;
}

function fromRow(row: DbBankChangeRow): BankChangeRequest {
  return {
    id: row.id,
    associationId: row.association_id,
    account: { iban: row.iban, bic: row.bic, accountHolderName: row.account_holder_name },
    status: row.status,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    decisionReason: row.decision_reason,
  };
}

export interface BankChangeFilter {
  associationId?: string | undefined;
  status?: BankChangeStatus | undefined;
}

export class PostgresBankChangeStore {
  async insert(
    db: Db,
    request: Pick<BankChangeRequest, 'associationId' | 'account' | 'requestedBy' | 'requestedAt'>,
  ): Promise<BankChangeRequest> {
    const [row] = await db('registry.bank_change_requests')
      .insert({
        association_id: request.associationId,
        iban: request.account.iban,
        bic: request.account.bic,
        account_holder_name: request.account.accountHolderName,
        requested_by: request.requestedBy,
        requested_at: request.requestedAt,
      })
      .returning<DbBankChangeRow[]>('*');
    return fromRow(row!);
  }

  async findById(
    db: Db,
    id: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<BankChangeRequest | undefined> {
    const query = db('registry.bank_change_requests').where({ id });
    if (options.forUpdate) query.forUpdate();
    const row = (await query.first()) as DbBankChangeRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  async findPending(db: Db, associationId: string): Promise<BankChangeRequest | undefined> {
    const row = (await db('registry.bank_change_requests')
      .where({ association_id: associationId, status: 'pending' })
      .first()) as DbBankChangeRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  /**
   * Records the decision. The `status = 'pending'` guard makes two concurrent decisions safe: the second one
   * updates nothing and the caller reports the request as already decided.
   */
  async saveDecision(db: Db, request: BankChangeRequest): Promise<boolean> {
    const updated = await db('registry.bank_change_requests')
      .where({ id: request.id, status: 'pending' })
      .update({
        status: request.status,
        decided_by: request.decidedBy,
        decided_at: request.decidedAt,
        decision_reason: request.decisionReason,
      });
    return updated === 1;
  }

  async list(db: Db, filter: BankChangeFilter, page: PageRequest): Promise<Page<BankChangeRequest>> {
    const query = db('registry.bank_change_requests');
    if (filter.associationId) query.where({ association_id: filter.associationId });
    if (filter.status) query.where({ status: filter.status });
    // Keyset on (requested_at, id) ascending: oldest pending requests first, which is the approval queue order.
    const result = await fetchKeysetPage<DbBankChangeRow>(
      query,
      page,
      { sort: 'requested_at', id: 'id' },
      (row) => [row.requested_at.toISOString(), row.id],
    );
    return { items: result.items.map(fromRow), nextCursor: result.nextCursor };
  }
}
