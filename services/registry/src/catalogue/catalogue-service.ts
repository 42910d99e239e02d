import { recordAudit } from '@pass/audit';
import { ConflictError, NotFoundError } from '@pass/errors';
import type { Knex } from 'knex';
import type { Actor } from '../shared/actor';
import { changedFields } from '../shared/changes';
import { PostgresVenueStore } from '../venues/postgres-venue-store';
import { canSeeVenue, venueNotFound } from '../venues/venue-service';
import type { CatalogueItem } from './catalogue-item';
import type { CreateCatalogueItemInput, UpdateCatalogueItemInput } from './catalogue-schemas';
import { PostgresCatalogueStore } from './postgres-catalogue-store';

const itemNotFound = () => new NotFoundError('catalogue_item_not_found', 'Catalogue item not found.');

/** The catalogue of a venue: the services it offers and their price in passes. */
export class CatalogueService {
  private readonly items = new PostgresCatalogueStore();
  private readonly venues = new PostgresVenueStore();

  constructor(private readonly knex: Knex) {}

  async list(actor: Actor, venueId: string, options: { includeInactive: boolean }): Promise<CatalogueItem[]> {
    const venue = await this.venues.findById(this.knex, venueId);
    if (!venue || !canSeeVenue(actor, venue)) throw venueNotFound();
    return this.items.listByVenue(this.knex, [venueId], options);
  }

  async create(
    actor: Actor,
    venueId: string,
    input: CreateCatalogueItemInput,
    now: Date,
    requestId?: string,
  ): Promise<CatalogueItem> {
    return this.knex.transaction(async (trx) => {
      // Locks the venue so that a revocation and a new item cannot cross.
      const venue = await this.venues.findById(trx, venueId, { forUpdate: true });
      if (!venue || !canSeeVenue(actor, venue)) throw venueNotFound();
      if (venue.accreditationStatus === 'revoked') {
        throw new ConflictError('venue_revoked', 'A revoked venue cannot offer new services.');
      }
      const item = await this.items.insert(trx, { venueId, ...input, active: true }, now);
      await recordAudit(trx, {
        actor,
        action: 'catalogue_item.created',
        targetType: 'catalogue_item',
        targetId: item.id,
        organisationId: venue.associationId,
        summary: {
          venueId,
          name: item.name,
          category: item.category,
          pricePasses: item.pricePasses,
          zeroRemainder: item.zeroRemainder,
        },
        requestId,
        at: now,
      });
      return item;
    });
  }

  async update(
    actor: Actor,
    id: string,
    input: UpdateCatalogueItemInput,
    now: Date,
    requestId?: string,
  ): Promise<CatalogueItem> {
    return this.knex.transaction(async (trx) => {
      const current = await this.items.findById(trx, id, { forUpdate: true });
      if (!current) throw itemNotFound();
      const venue = await this.venues.findById(trx, current.venueId);
      if (!venue || !canSeeVenue(actor, venue)) throw itemNotFound();
      const next: CatalogueItem = {
        ...current,
        name: input.name ?? current.name,
        category: input.category ?? current.category,
        pricePasses: input.pricePasses ?? current.pricePasses,
        zeroRemainder: input.zeroRemainder ?? current.zeroRemainder,
        active: input.active ?? current.active,
      };
      const item = await this.items.update(trx, next, now);
      const { updatedAt: _a, ...before } = current;
      const { updatedAt: _b, ...after } = item;
      await recordAudit(trx, {
        actor,
        action: 'catalogue_item.updated',
        targetType: 'catalogue_item',
        targetId: id,
        organisationId: venue.associationId,
        summary: { venueId: venue.id, changes: changedFields(before, after) },
        requestId,
        at: now,
      });
      return item;
    });
  }
}
