import { recordAudit } from '@pass/audit';
import { NotFoundError, UnprocessableError } from '@pass/errors';
import type { Page } from '@pass/http';
import type { Knex } from 'knex';
import { normalizeSiret } from '../funders/funder';
import { PostgresOrganisationStore } from '../organisations/postgres-organisation-store';
import { type Actor, seesOrganisation, tenantScopeOf } from '../shared/actor';
import { changedFields } from '../shared/changes';
import { FieldProblems } from '../shared/field-problems';
import type { PageRequest } from '../shared/list-response';
import type { Distributor } from './distributor';
import type { CreateDistributorInput, UpdateDistributorInput } from './distributor-schemas';
import { type DistributorFilter, PostgresDistributorStore } from './postgres-distributor-store';

const notFound = () => new NotFoundError('distributor_not_found', 'Distributor not found.');

/** Distributors: who hands booklets out. Created and changed by operators; a distributor reads itself. */
export class DistributorService {
  private readonly distributors = new PostgresDistributorStore();
  private readonly organisations = new PostgresOrganisationStore();

  constructor(private readonly knex: Knex) {}

  async create(
    actor: Actor,
    input: CreateDistributorInput,
    now: Date,
    requestId?: string,
  ): Promise<Distributor> {
    const problems = new FieldProblems();
    const siret = input.siret ? normalizeSiret(input.siret, 'body.siret', problems) : null;
    problems.throwIfAny();
    return this.knex.transaction(async (trx) => {
      if (input.funderId && !(await this.distributors.funderExists(trx, input.funderId))) {
        throw new UnprocessableError('funder_not_found', 'The funder does not exist.');
      }
      const organisation = await this.organisations.insert(trx, 'distributor', input.name, now);
      await this.distributors.insert(trx, {
        id: organisation.id,
        funderId: input.funderId ?? null,
        siret,
        postcode: input.postcode ?? null,
        town: input.town ?? null,
      });
      const distributor = (await this.distributors.findById(trx, organisation.id))!;
      await recordAudit(trx, {
        actor,
        action: 'distributor.created',
        targetType: 'distributor',
        targetId: distributor.id,
        organisationId: distributor.id,
        summary: { name: distributor.name, funderId: distributor.funderId },
        requestId,
        at: now,
      });
      return distributor;
    });
  }

  async update(
    actor: Actor,
    id: string,
    input: UpdateDistributorInput,
    now: Date,
    requestId?: string,
  ): Promise<Distributor> {
    const problems = new FieldProblems();
    const siret = input.siret ? normalizeSiret(input.siret, 'body.siret', problems) : input.siret;
    problems.throwIfAny();
    return this.knex.transaction(async (trx) => {
      const current = await this.distributors.findById(trx, id, { forUpdate: true });
      if (!current || !seesOrganisation(actor, current.id)) throw notFound();
      if (input.funderId && !(await this.distributors.funderExists(trx, input.funderId))) {
        throw new UnprocessableError('funder_not_found', 'The funder does not exist.');
      }
      const next: Distributor = {
        ...current,
        name: input.name ?? current.name,
        funderId: input.funderId === undefined ? current.funderId : input.funderId,
        siret: siret === undefined ? current.siret : siret,
        postcode: input.postcode === undefined ? current.postcode : input.postcode,
        town: input.town === undefined ? current.town : input.town,
      };
      await this.distributors.update(trx, next);
      if (next.name !== current.name) await this.organisations.rename(trx, id, next.name, now);
      else await this.organisations.touch(trx, id, now);
      await recordAudit(trx, {
        actor,
        action: 'distributor.updated',
        targetType: 'distributor',
        targetId: id,
        organisationId: id,
        summary: { changes: changedFields(current as unknown as Record<string, unknown>, { ...next }) },
        requestId,
        at: now,
      });
      return (await this.distributors.findById(trx, id))!;
    });
  }

  async get(actor: Actor, id: string): Promise<Distributor> {
    const distributor = await this.distributors.findById(this.knex, id);
    if (!distributor || !seesOrganisation(actor, distributor.id)) throw notFound();
    return distributor;
  }

  async list(actor: Actor, filter: DistributorFilter, page: PageRequest): Promise<Page<Distributor>> {
    if (actor.kind !== 'system' && actor.role === 'funder_manager') {
      // A funder sees the distributors handing out its passes; asking for another funder's is 404, as for venues.
      if (filter.funderId && filter.funderId !== actor.organisationId) throw notFound();
      return this.distributors.list(this.knex, { ...filter, funderId: actor.organisationId }, page);
    }
    const scope = tenantScopeOf(actor);
    return this.distributors.list(this.knex, scope ? { ...filter, organisationId: scope } : filter, page);
  }
}
