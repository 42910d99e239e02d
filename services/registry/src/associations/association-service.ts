import { recordAudit } from '@pass/audit';
import { ForbiddenError, NotFoundError, UnprocessableError } from '@pass/errors';
import type { Page } from '@pass/http';
import type { Knex } from 'knex';
import { validateBankAccount } from '../bank-details/bank-change-request';
import { PostgresBankChangeStore } from '../bank-details/postgres-bank-change-store';
import { normalizeSiret } from '../funders/funder';
import { PostgresOrganisationStore } from '../organisations/postgres-organisation-store';
import { type Actor, isOperatorAdmin, seesOrganisation, tenantScopeOf, userIdOf } from '../shared/actor';
import { changedFields, maskIban } from '../shared/changes';
import { FieldProblems } from '../shared/field-problems';
import type { PageRequest } from '../shared/list-response';
import { toPostalAddress } from '../shared/postal-address';
import { type Association, type AssociationField, normalizeRna, operatorOnlyFields } from './association';
import type { CreateAssociationInput, UpdateAssociationInput } from './association-schemas';
import { type AssociationFilter, PostgresAssociationStore } from './postgres-association-store';

export const associationNotFound = () => new NotFoundError('association_not_found', 'Association not found.');

/** Associations: the payees behind venues, with their address, payout cadence and fee. */
export class AssociationService {
  private readonly associations = new PostgresAssociationStore();
  private readonly organisations = new PostgresOrganisationStore();
  private readonly bankChanges = new PostgresBankChangeStore();

  constructor(private readonly knex: Knex) {}

  async create(
    actor: Actor,
    input: CreateAssociationInput,
    now: Date,
    requestId?: string,
  ): Promise<Association> {
    const problems = new FieldProblems();
    const siret = input.siret ? normalizeSiret(input.siret, 'body.siret', problems) : null;
    const rna = input.rna ? normalizeRna(input.rna, 'body.rna', problems) : null;
    if (!input.siret && !input.rna) {
      problems.add(
        'body.rna',
        'siret_or_rna_required',
        'An association is identified by its RNA number and/or SIRET.',
      );
    }
    const account = input.bankAccount
      ? validateBankAccount(input.bankAccount, 'body.bankAccount', problems)
      : undefined;
    problems.throwIfAny();
    const requestedBy = userIdOf(actor);
    if (account && !requestedBy) {
      throw new UnprocessableError('user_required', 'Bank details must be entered by a signed-in person.');
    }
    return this.knex.transaction(async (trx) => {
      const organisation = await this.organisations.insert(
        trx,
        'association',
        input.name ?? input.legalName,
        now,
      );
      await this.associations.insert(trx, {
        id: organisation.id,
        legalName: input.legalName,
        siret,
        rna,
        address: toPostalAddress(input.address),
        bankDetailsStatus: account ? 'pending_change' : 'missing',
        settlementCadence: input.settlementCadence,
        downstreamFeeRate: input.downstreamFeeRate,
        flaggedAt: null,
        flagReason: null,
      });
      await recordAudit(trx, {
        actor,
        action: 'association.created',
        targetType: 'association',
        targetId: organisation.id,
        organisationId: organisation.id,
        summary: { legalName: input.legalName, siret, rna, settlementCadence: input.settlementCadence },
        requestId,
        at: now,
      });
      if (account && requestedBy) {
        const request = await this.bankChanges.insert(trx, {
          associationId: organisation.id,
          account,
          requestedBy,
          requestedAt: now,
        });
        await recordAudit(trx, {
          actor,
          action: 'bank_change.requested',
          targetType: 'bank_change_request',
          targetId: request.id,
          organisationId: organisation.id,
          summary: {
            iban: maskIban(account.iban),
            bic: account.bic,
            accountHolderName: account.accountHolderName,
          },
          requestId,
          at: now,
        });
      }
      return (await this.associations.findById(trx, organisation.id))!;
    });
  }

  async update(
    actor: Actor,
    id: string,
    input: UpdateAssociationInput,
    now: Date,
    requestId?: string,
  ): Promise<Association> {
    const problems = new FieldProblems();
    const siret = input.siret ? normalizeSiret(input.siret, 'body.siret', problems) : input.siret;
    const rna = input.rna ? normalizeRna(input.rna, 'body.rna', problems) : input.rna;
    return this.knex.transaction(async (trx) => {
      const current = await this.associations.findById(trx, id, { forUpdate: true });
      if (!current || !seesOrganisation(actor, current.id)) throw associationNotFound();
      if (!isOperatorAdmin(actor)) {
        if (actor.kind !== 'user' || !actor.orgAdmin || actor.role !== 'association_treasurer') {
          throw new ForbiddenError(
            'not_org_admin',
            'Only an administrator of the association may change it.',
          );
        }
        const fields = (Object.keys(input) as AssociationField[]).filter(
          (field) => input[field] !== undefined,
        );
        const forbidden = operatorOnlyFields(fields);
        if (forbidden.length > 0) {
          throw new ForbiddenError(
            'operator_only_field',
            `Only the operator may change: ${forbidden.join(', ')}.`,
            {
              details: { fields: forbidden },
            },
          );
        }
      }
      const next: Association = {
        ...current,
        name: input.name ?? current.name,
        legalName: input.legalName ?? current.legalName,
        siret: siret === undefined ? current.siret : siret,
        rna: rna === undefined ? current.rna : rna,
        address: input.address ? toPostalAddress(input.address) : current.address,
        settlementCadence: input.settlementCadence ?? current.settlementCadence,
        downstreamFeeRate: input.downstreamFeeRate ?? current.downstreamFeeRate,
      };
      if (!next.siret && !next.rna) {
        problems.add(
          'body.rna',
          'siret_or_rna_required',
          'An association is identified by its RNA number and/or SIRET.',
        );
      }
      problems.throwIfAny();
      await this.associations.update(trx, next);
      if (next.name !== current.name) await this.organisations.rename(trx, id, next.name, now);
      else await this.organisations.touch(trx, id, now);
      const { bankAccount: _current, ...before } = current;
      const { bankAccount: _next, ...after } = next;
      await recordAudit(trx, {
        actor,
        action: 'association.updated',
        targetType: 'association',
        targetId: id,
        organisationId: id,
        summary: { changes: changedFields(before, after) },
        requestId,
        at: now,
      });
      return (await this.associations.findById(trx, id))!;
    });
  }

  /** Clears the flag a rejected transfer set, once an operator has checked the account: payouts resume. */
  async clearFlag(
    actor: Actor,
    id: string,
    note: string,
    now: Date,
    requestId?: string,
  ): Promise<Association> {
    return this.knex.transaction(async (trx) => {
      const current = await this.associations.findById(trx, id, { forUpdate: true });
      if (!current || !seesOrganisation(actor, current.id)) throw associationNotFound();
      if (!current.flaggedAt) return current;
      await this.associations.update(trx, { ...current, flaggedAt: null, flagReason: null });
      await this.organisations.touch(trx, id, now);
      await recordAudit(trx, {
        actor,
        action: 'association.flag_cleared',
        targetType: 'association',
        targetId: id,
        organisationId: id,
        summary: { previousFlag: current.flagReason, flaggedAt: current.flaggedAt.toISOString(), note },
        requestId,
        at: now,
      });
      return (await this.associations.findById(trx, id))!;
    });
  }

  async get(actor: Actor, id: string): Promise<Association> {
    const association = await this.associations.findById(this.knex, id);
    if (!association || !seesOrganisation(actor, association.id)) throw associationNotFound();
    return association;
  }

  async list(actor: Actor, filter: AssociationFilter, page: PageRequest): Promise<Page<Association>> {
    const scope = tenantScopeOf(actor);
    return this.associations.list(this.knex, scope ? { ...filter, organisationId: scope } : filter, page);
  }
}
