import { recordAudit } from '@pass/audit';
import type { Principal } from '@pass/auth';
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
import { type Actor, actsForAllTenants, isOperatorAdmin, userIdOf } from '../shared/actor';
import { changedFields } from '../shared/changes';
import { FieldProblems } from '../shared/field-problems';
import type { PageRequest } from '../shared/list-response';
import {
  type AccreditationAction,
  type AccreditationRefusal,
  associationIsChangeable,
  changeAccreditation,
  EMPTY_DETAILS,
  type Venue,
  type VenueFields,
} from './venue';
import { applyVenueInput } from './venue-input';
import type { CreateVenueInput, UpdateVenueInput } from './venue-schemas';
import { type AccreditationEventRow, PostgresVenueStore, type VenueFilter } from './postgres-venue-store';

export const venueNotFound = () => new NotFoundError('venue_not_found', 'Venue not found.');

/**
 * Whether the actor may see the venue: operators every venue; an association's people the venues of their
 * association; a venue agent (person or scanner) only their own venue.
 */
export function canSeeVenue(actor: Actor, venue: Pick<Venue, 'id' | 'associationId'>): boolean {
  if (actsForAllTenants(actor)) return true;
  const principal = actor as Principal;
  if (!venue.associationId || venue.associationId !== principal.organisationId) return false;
  return !principal.venueId || principal.venueId === venue.id;
}

/** The list filter that keeps the actor inside its tenant. */
export function scopeVenueFilter(actor: Actor, filter: VenueFilter): VenueFilter {
  if (actsForAllTenants(actor)) return filter;
  const principal = actor as Principal;
  if (filter.associationId && filter.associationId !== principal.organisationId) {
    throw new NotFoundError('association_not_found', 'Association not found.');
  }
  return { ...filter, associationId: principal.organisationId, venueId: principal.venueId ?? filter.venueId };
}

function refusalError(reason: AccreditationRefusal, from: string, action: AccreditationAction): AppError {
  switch (reason) {
    case 'invalid_transition':
      return new ConflictError('invalid_accreditation_transition', `A venue cannot ${action} from ${from}.`, {
        details: { from, action },
      });
    case 'association_required':
      return new UnprocessableError(
        'association_required',
        'Attach the venue to its association (the payee) before accrediting it.',
      );
    case 'insee_code_required':
      return new UnprocessableError(
        'insee_code_required',
        'Set the INSEE code of the venue’s commune before accrediting it (batch territories are checked on it).',
      );
    case 'reason_required':
      return new ValidationError([{ path: 'body.reason', code: 'reason_required', message: 'Say why.' }]);
    default: {
      const unreachable: never = reason;
      throw new Error(`Unhandled refusal ${unreachable}`);
    }
  }
}

const BLANK_FIELDS: VenueFields = {
  name: '',
  street: null,
  complement: null,
  postcode: null,
  commune: null,
  inseeCode: null,
  latitude: null,
  longitude: null,
  openingHours: null,
  openingHoursValid: false,
  itinerant: false,
  accessibilityUrl: null,
  contactName: null,
  phone: null,
  email: null,
  website: null,
  siret: null,
  rna: null,
  services: [],
  publics: [],
  acceptsPass: true,
  details: EMPTY_DETAILS,
  warnings: [],
};

/** Venues (points of presence) of associations, and their accreditation. */
export class VenueService {
  private readonly venues = new PostgresVenueStore();

  constructor(private readonly knex: Knex) {}

  async create(actor: Actor, input: CreateVenueInput, now: Date, requestId?: string): Promise<Venue> {
    let associationId: string | null = input.associationId ?? null;
    if (!actsForAllTenants(actor)) {
      const principal = actor as Principal;
      if (associationId && associationId !== principal.organisationId) {
        throw new NotFoundError('association_not_found', 'Association not found.');
      }
      associationId = principal.organisationId;
    }
    const problems = new FieldProblems();
    const { associationId: _ignored, ...fields } = input;
    const prepared = applyVenueInput(BLANK_FIELDS, { inseeCode: null, ...fields }, problems);
    problems.throwIfAny();
    return this.knex.transaction(async (trx) => {
      if (associationId && !(await this.venues.associationExists(trx, associationId))) {
        throw new NotFoundError('association_not_found', 'Association not found.');
      }
      const venue = await this.venues.insert(
        trx,
        {
          ...prepared,
          associationId,
          accreditationStatus: 'applied',
          source: null,
          sourceId: null,
          sourceUpdatedAt: null,
        },
        now,
      );
      await this.venues.insertAccreditationEvent(trx, {
        venueId: venue.id,
        from: null,
        to: 'applied',
        reason: null,
        actorId: userIdOf(actor) ?? null,
        at: now,
      });
      await recordAudit(trx, {
        actor,
        action: 'venue.created',
        targetType: 'venue',
        targetId: venue.id,
        organisationId: associationId,
        summary: {
          name: venue.name,
          postcode: venue.postcode,
          inseeCode: venue.inseeCode,
          warnings: venue.warnings.map((w) => w.code),
        },
        requestId,
        at: now,
      });
      return venue;
    });
  }

  async update(
    actor: Actor,
    id: string,
    input: UpdateVenueInput,
    now: Date,
    requestId?: string,
  ): Promise<Venue> {
    return this.knex.transaction(async (trx) => {
      const current = await this.venues.findById(trx, id, { forUpdate: true });
      if (!current || !canSeeVenue(actor, current)) throw venueNotFound();
      const problems = new FieldProblems();
      const fields = applyVenueInput(current, input, problems);
      problems.throwIfAny();
      if (!fields.inseeCode && current.accreditationStatus === 'accredited') {
        // Redemption checks batch territories on the INSEE code: an accredited venue must keep one.
        throw refusalError('insee_code_required', current.accreditationStatus, 'accredit');
      }
      const venue = await this.venues.update(trx, { ...current, ...fields }, now);
      const { createdAt: _c, updatedAt: _u, ...before } = current;
      const { createdAt: _c2, updatedAt: _u2, ...after } = venue;
      await recordAudit(trx, {
        actor,
        action: 'venue.updated',
        targetType: 'venue',
        targetId: id,
        organisationId: current.associationId,
        summary: { changes: changedFields(before, after) },
        requestId,
        at: now,
      });
      return venue;
    });
  }

  /**
   * Attaches a venue to its association (the payee), typically a venue imported from open data. The payee can
   * change only before accreditation: after it, redemptions may already be owed to the association.
   */
  async attachAssociation(
    actor: Actor,
    id: string,
    associationId: string | null,
    now: Date,
    requestId?: string,
  ): Promise<Venue> {
    return this.knex.transaction(async (trx) => {
      const current = await this.venues.findById(trx, id, { forUpdate: true });
      if (!current || !canSeeVenue(actor, current)) throw venueNotFound();
      if (current.associationId === associationId) return current;
      if (!associationIsChangeable(current.accreditationStatus)) {
        throw new ConflictError(
          'association_locked',
          `The association of a venue ${current.accreditationStatus} cannot change; revoke and create a new venue.`,
        );
      }
      if (associationId && !(await this.venues.associationExists(trx, associationId))) {
        throw new UnprocessableError('association_not_found', 'The association does not exist.');
      }
      const venue = await this.venues.update(trx, { ...current, associationId }, now);
      await recordAudit(trx, {
        actor,
        action: 'venue.association_attached',
        targetType: 'venue',
        targetId: id,
        organisationId: associationId ?? current.associationId,
        summary: { from: current.associationId, to: associationId },
        requestId,
        at: now,
      });
      return venue;
    });
  }

  async changeAccreditation(
    actor: Actor,
    id: string,
    action: AccreditationAction,
    reason: string | undefined,
    now: Date,
    requestId?: string,
  ): Promise<Venue> {
    // An association may apply for its own venues; every other decision is the operator's.
    if (action !== 'apply' && !isOperatorAdmin(actor)) {
      throw new ForbiddenError(
        'operator_only_action',
        'Only an operator administrator accredits, suspends or revokes.',
      );
    }
    return this.knex.transaction(async (trx) => {
      const current = await this.venues.findById(trx, id, { forUpdate: true });
      if (!current || !canSeeVenue(actor, current)) throw venueNotFound();
      const result = changeAccreditation(current, action, reason, now);
      if (!result.ok) throw refusalError(result.reason, current.accreditationStatus, action);
      const { event } = result.change;
      const venue = await this.venues.update(trx, result.change.venue, now);
      await this.venues.insertAccreditationEvent(trx, {
        venueId: id,
        from: event.from,
        to: event.to,
        reason: event.reason,
        actorId: userIdOf(actor) ?? null,
        at: now,
      });
      await recordAudit(trx, {
        actor,
        action: `venue.${action}`,
        targetType: 'venue',
        targetId: id,
        organisationId: current.associationId,
        summary: { from: event.from, to: event.to, reason: event.reason },
        requestId,
        at: now,
      });
      return venue;
    });
  }

  async get(actor: Actor, id: string): Promise<Venue> {
    const venue = await this.venues.findById(this.knex, id);
    if (!venue || !canSeeVenue(actor, venue)) throw venueNotFound();
    return venue;
  }

  async list(actor: Actor, filter: VenueFilter, page: PageRequest): Promise<Page<Venue>> {
    return this.venues.list(this.knex, scopeVenueFilter(actor, filter), page);
  }

  async accreditationEvents(actor: Actor, id: string): Promise<AccreditationEventRow[]> {
    await this.get(actor, id);
    return this.venues.listAccreditationEvents(this.knex, id);
  }
}
