import { recordAudit } from '@pass/audit';
import { isOperator } from '@pass/auth';
import {
  type AppError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnprocessableError,
  ValidationError,
} from '@pass/errors';
import type { Page } from '@pass/http';
import type { Knex } from 'knex';
import { associationNotFound } from '../associations/association-service';
import { PostgresAssociationStore } from '../associations/postgres-association-store';
import { type Actor, seesOrganisation, tenantScopeOf, userIdOf } from '../shared/actor';
import { maskIban } from '../shared/changes';
import { FieldProblems } from '../shared/field-problems';
import type { PageRequest } from '../shared/list-response';
import {
  type BankChangeDecision,
  type BankChangeRefusal,
  type BankChangeRequest,
  decideBankChange,
  validateBankAccount,
} from './bank-change-request';
import { type BankChangeFilter, PostgresBankChangeStore } from './postgres-bank-change-store';

const notFound = () => new NotFoundError('bank_change_request_not_found', 'Bank change request not found.');

function refusalError(reason: BankChangeRefusal): AppError {
  switch (reason) {
    case 'not_pending':
      return new ConflictError('bank_change_not_pending', 'This request has already been decided.');
    case 'four_eyes_required':
      return new ForbiddenError(
        'four_eyes_required',
        'A bank change must be approved by another operator than the person who entered it.',
      );
    case 'approver_not_operator':
      return new ForbiddenError('forbidden_role', 'Only an operator may approve or reject a bank change.');
    case 'reason_required':
      return new ValidationError([
        { path: 'body.reason', code: 'reason_required', message: 'Say why it is rejected.' },
      ]);
    default: {
      const unreachable: never = reason;
      throw new Error(`Unhandled refusal ${unreachable}`);
    }
  }
}

const PAST_TENSE: Record<BankChangeDecision, string> = {
  approve: 'approved',
  reject: 'rejected',
  cancel: 'cancelled',
};

/**
 * Changes of an association's bank details, four eyes: a request entered by one person (an operator or the
 * association's treasurer) and approved by a different operator. While a request is pending the association's
 * payouts are held (`bank_details_status = 'pending_change'`); the approved account only changes on approval.
 */
export class BankChangeService {
  private readonly requests = new PostgresBankChangeStore();
  private readonly associations = new PostgresAssociationStore();

  constructor(private readonly knex: Knex) {}

  async request(
    actor: Actor,
    associationId: string,
    input: { iban: string; bic: string; accountHolderName: string },
    now: Date,
    requestId?: string,
  ): Promise<BankChangeRequest> {
    const requestedBy = userIdOf(actor);
    if (!requestedBy)
      throw new UnprocessableError('user_required', 'Bank details must be entered by a signed-in person.');
    const problems = new FieldProblems();
    const account = validateBankAccount(input, 'body', problems);
    problems.throwIfAny();
    return this.knex.transaction(async (trx) => {
      // The association row lock serialises requests and decisions of one association.
      const association = await this.associations.findById(trx, associationId, { forUpdate: true });
      if (!association || !seesOrganisation(actor, association.id)) throw associationNotFound();
      if (await this.requests.findPending(trx, associationId)) {
        throw new ConflictError('bank_change_pending', 'A bank change is already waiting for approval.');
      }
      const current = association.bankAccount;
      if (
        current &&
        current.iban === account!.iban &&
        current.bic === account!.bic &&
        current.accountHolderName === account!.accountHolderName
      ) {
        throw new UnprocessableError(
          'bank_account_unchanged',
          'These are already the approved bank details.',
        );
      }
      const request = await this.requests.insert(trx, {
        associationId,
        account: account!,
        requestedBy,
        requestedAt: now,
      });
      await this.associations.setBankDetailsStatus(trx, associationId, 'pending_change');
      await recordAudit(trx, {
        actor,
        action: 'bank_change.requested',
        targetType: 'bank_change_request',
        targetId: request.id,
        organisationId: associationId,
        summary: {
          iban: maskIban(account!.iban),
          bic: account!.bic,
          accountHolderName: account!.accountHolderName,
          previousIban: maskIban(current?.iban),
        },
        requestId,
        at: now,
      });
      return request;
    });
  }

  async decide(
    actor: Actor,
    id: string,
    decision: BankChangeDecision,
    reason: string | undefined,
    now: Date,
    requestId?: string,
  ): Promise<BankChangeRequest> {
    const decidedBy = userIdOf(actor);
    if (!decidedBy)
      throw new UnprocessableError('user_required', 'A bank change is decided by a signed-in person.');
    return this.knex.transaction(async (trx) => {
      const found = await this.requests.findById(trx, id);
      if (!found || !seesOrganisation(actor, found.associationId)) throw notFound();
      // Lock order: association, then request (as in `request`), so concurrent decisions cannot deadlock.
      const association = await this.associations.findById(trx, found.associationId, { forUpdate: true });
      const request = await this.requests.findById(trx, id, { forUpdate: true });
      if (!association || !request) throw notFound();
      const decider = { userId: decidedBy, isOperator: actor.kind !== 'system' && isOperator(actor) };
      const result = decideBankChange(request, decision, decider, now, reason);
      if (!result.ok) throw refusalError(result.reason);
      if (!(await this.requests.saveDecision(trx, result.request))) throw refusalError('not_pending');
      if (result.request.status === 'approved') {
        await this.associations.setApprovedBankAccount(trx, association.id, result.request.account);
      } else {
        await this.associations.setBankDetailsStatus(
          trx,
          association.id,
          association.bankAccount ? 'approved' : 'missing',
        );
      }
      await recordAudit(trx, {
        actor,
        action: `bank_change.${PAST_TENSE[decision]}`,
        targetType: 'bank_change_request',
        targetId: id,
        organisationId: association.id,
        summary: {
          iban: maskIban(request.account.iban),
          requestedBy: request.requestedBy,
          reason: result.request.decisionReason,
        },
        requestId,
        at: now,
      });
      return result.request;
    });
  }

  async get(actor: Actor, id: string): Promise<BankChangeRequest> {
    const request = await this.requests.findById(this.knex, id);
    if (!request || !seesOrganisation(actor, request.associationId)) throw notFound();
    return request;
  }

  async list(actor: Actor, filter: BankChangeFilter, page: PageRequest): Promise<Page<BankChangeRequest>> {
    const scope = tenantScopeOf(actor);
    if (scope && filter.associationId && filter.associationId !== scope) throw associationNotFound();
    return this.requests.list(this.knex, scope ? { ...filter, associationId: scope } : filter, page);
  }
}
