import { recordAudit } from '@pass/audit';
import { ForbiddenError, NotFoundError } from '@pass/errors';
import type { Page } from '@pass/http';
import type { Knex } from 'knex';
import { PostgresOrganisationStore } from '../organisations/postgres-organisation-store';
import {
  type Actor,
  actsForAllTenants,
  isOperatorAdmin,
  seesOrganisation,
  tenantScopeOf,
} from '../shared/actor';
import { changedFields } from '../shared/changes';
import { FieldProblems } from '../shared/field-problems';
import type { PageRequest } from '../shared/list-response';
import { toPostalAddress } from '../shared/postal-address';
import {
  checkSelfServiceEdit,
  type Funder,
  type FunderEditRefusal,
  type FunderField,
  normalizeContacts,
  normalizeSiret,
} from './funder';
import type { CreateFunderInput, UpdateFunderInput } from './funder-schemas';
import { type FunderFilter, PostgresFunderStore } from './postgres-funder-store';

const notFound = () => new NotFoundError('funder_not_found', 'Funder not found.');

function refusalError(reason: FunderEditRefusal, fields: FunderField[]): ForbiddenError {
  switch (reason) {
    case 'operator_only_field':
      return new ForbiddenError(
        'operator_only_field',
        `Only the operator may change: ${fields.join(', ')}.`,
        {
          details: { fields },
        },
      );
    case 'not_org_admin':
      return new ForbiddenError(
        'not_org_admin',
        'Only an administrator of the organisation may change its details.',
      );
    default: {
      const unreachable: never = reason;
      throw new Error(`Unhandled refusal ${unreachable}`);
    }
  }
}

/** Funders: the départements, CCAS, CAF, companies… that buy passes, with their contract terms. */
export class FunderService {
  private readonly funders = new PostgresFunderStore();
  private readonly organisations = new PostgresOrganisationStore();

  constructor(private readonly knex: Knex) {}

  async create(actor: Actor, input: CreateFunderInput, now: Date, requestId?: string): Promise<Funder> {
    const problems = new FieldProblems();
    const siret = normalizeSiret(input.siret, 'body.siret', problems);
    const contacts = normalizeContacts(input.contacts, 'body.contacts', problems);
    problems.throwIfAny();
    return this.knex.transaction(async (trx) => {
      const organisation = await this.organisations.insert(trx, 'funder', input.name, now);
      await this.funders.insert(trx, {
        id: organisation.id,
        kind: input.kind,
        siret,
        contacts,
        billingAddress: toPostalAddress(input.billingAddress),
        contract: {
          upstreamFeeRate: input.contract.upstreamFeeRate ?? '0.04',
          vatRate: input.contract.vatRate ?? '0.2',
          expiredPassPolicy: input.contract.expiredPassPolicy ?? 'refund',
        },
      });
      const funder = (await this.funders.findById(trx, organisation.id))!;
      await recordAudit(trx, {
        actor,
        action: 'funder.created',
        targetType: 'funder',
        targetId: funder.id,
        organisationId: funder.id,
        summary: { name: funder.name, kind: funder.kind, siret: funder.siret, contract: funder.contract },
        requestId,
        at: now,
      });
      return funder;
    });
  }

  async update(
    actor: Actor,
    id: string,
    input: UpdateFunderInput,
    now: Date,
    requestId?: string,
  ): Promise<Funder> {
    const problems = new FieldProblems();
    const siret = input.siret === undefined ? undefined : normalizeSiret(input.siret, 'body.siret', problems);
    const contacts = input.contacts
      ? normalizeContacts(input.contacts, 'body.contacts', problems)
      : undefined;
    return this.knex.transaction(async (trx) => {
      const current = await this.funders.findById(trx, id, { forUpdate: true });
      if (!current || !seesOrganisation(actor, current.id)) throw notFound();
      const fields = (Object.keys(input) as FunderField[]).filter((field) => input[field] !== undefined);
      if (!isOperatorAdmin(actor)) {
        if (actsForAllTenants(actor))
          throw new ForbiddenError('forbidden_role', 'Your role does not allow this action.');
        const check = checkSelfServiceEdit(fields, { orgAdmin: actor.kind === 'user' && actor.orgAdmin });
        if (!check.ok) throw refusalError(check.reason, check.fields);
      }
      problems.throwIfAny();
      const next: Funder = {
        ...current,
        name: input.name ?? current.name,
        kind: input.kind ?? current.kind,
        siret: siret === undefined ? current.siret : siret,
        contacts: contacts ?? current.contacts,
        billingAddress: input.billingAddress ? toPostalAddress(input.billingAddress) : current.billingAddress,
        contract: {
          upstreamFeeRate: input.contract?.upstreamFeeRate ?? current.contract.upstreamFeeRate,
          vatRate: input.contract?.vatRate ?? current.contract.vatRate,
          expiredPassPolicy: input.contract?.expiredPassPolicy ?? current.contract.expiredPassPolicy,
        },
      };
      await this.funders.update(trx, next);
      if (next.name !== current.name) await this.organisations.rename(trx, id, next.name, now);
      else await this.organisations.touch(trx, id, now);
      const changes = changedFields(current as unknown as Record<string, unknown>, {
        name: next.name,
        kind: next.kind,
        siret: next.siret,
        contacts: next.contacts,
        billingAddress: next.billingAddress,
        contract: next.contract,
      });
      await recordAudit(trx, {
        actor,
        action: 'funder.updated',
        targetType: 'funder',
        targetId: id,
        organisationId: id,
        summary: { changes },
        requestId,
        at: now,
      });
      return (await this.funders.findById(trx, id))!;
    });
  }

  async get(actor: Actor, id: string): Promise<Funder> {
    const funder = await this.funders.findById(this.knex, id);
    if (!funder || !seesOrganisation(actor, funder.id)) throw notFound();
    return funder;
  }

  /** Operators list every funder; a funder's members see only their own. */
  async list(actor: Actor, filter: FunderFilter, page: PageRequest): Promise<Page<Funder>> {
    const scope = tenantScopeOf(actor);
    return this.funders.list(this.knex, scope ? { ...filter, organisationId: scope } : filter, page);
  }
}
