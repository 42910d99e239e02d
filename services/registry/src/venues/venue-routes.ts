import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ApiRouter, type AppContext, idParams, requestIdOf } from '@pass/http';
import type { Router } from 'express';
import { ASSOCIATION_MEMBERS, OPERATORS } from '../shared/access';
import { pageRequestOf, respondList } from '../shared/list-response';
import { z } from '../shared/openapi-zod';
import type { AccreditationEventRow } from './postgres-venue-store';
import { allowedAccreditationActions, type Venue } from './venue';
import {
  type AccreditationEventView,
  accreditationBody,
  accreditationEventView,
  attachAssociationBody,
  createVenueBody,
  updateVenueBody,
  type VenueView,
  venueListQuery,
  venuePage,
  venueView,
} from './venue-schemas';
import { VenueService } from './venue-service';

export function toVenueView(venue: Venue): VenueView {
  return {
    ...venue,
    details: { ...venue.details },
    accreditationActions: allowedAccreditationActions(venue.accreditationStatus),
    createdAt: venue.createdAt.toISOString(),
    updatedAt: venue.updatedAt.toISOString(),
  };
}

function toEventView(row: AccreditationEventRow): AccreditationEventView {
  return {
    id: String(row.id),
    venueId: row.venue_id,
    from: row.from_status,
    to: row.to_status,
    reason: row.reason,
    actorId: row.actor_id,
    at: row.at.toISOString(),
  };
}

const venueCsv = {
  fileName: 'lieux.csv',
  header: [
    'id',
    'nom',
    'association_id',
    'statut',
    'accepte_pass',
    'adresse',
    'code_postal',
    'commune',
    'code_insee',
    'latitude',
    'longitude',
    'horaires',
    'horaires_valides',
    'itinerant',
    'telephone',
    'courriel',
    'source',
    'id_source',
    'avertissements',
  ],
  row: (v: Venue) => [
    v.id,
    v.name,
    v.associationId,
    v.accreditationStatus,
    v.acceptsPass ? 'oui' : 'non',
    v.street,
    v.postcode,
    v.commune,
    v.inseeCode,
    v.latitude?.toFixed(6).replace('.', ','),
    v.longitude?.toFixed(6).replace('.', ','),
    v.openingHours,
    v.openingHoursValid ? 'oui' : 'non',
    v.itinerant ? 'oui' : 'non',
    v.phone,
    v.email,
    v.source,
    v.sourceId,
    v.warnings.map((w) => w.code).join(' '),
  ],
};

export function venueRoutes(ctx: AppContext, openapi: OpenAPIRegistry): Router {
  const venues = new VenueService(ctx.knex);
  const api = new ApiRouter(openapi);
  const tags = ['venues'];

  api.get(
    '/venues',
    {
      summary:
        'List venues (operators: all; an association: its venues; a venue agent: its venue). `?format=csv` for a CSV file.',
      tags,
      access: [...OPERATORS, ...ASSOCIATION_MEMBERS],
      query: venueListQuery,
      response: venuePage,
    },
    async ({ query, principal, res }) => {
      const bool = (value: 'true' | 'false' | undefined) =>
        value === undefined ? undefined : value === 'true';
      const page = await venues.list(
        principal!,
        {
          status: query.status,
          associationId: query.associationId,
          acceptsPass: bool(query.acceptsPass),
          unattached: bool(query.unattached),
          postcode: query.postcode,
          inseeCode: query.inseeCode,
          source: query.source,
          q: query.q,
        },
        pageRequestOf(query),
      );
      return respondList(res, query.format, page, toVenueView, venueCsv);
    },
  );
  api.post(
    '/venues',
    {
      summary: 'Declare a venue (status applied). A treasurer declares venues of their association.',
      tags,
      access: ['operator_admin', 'association_treasurer'],
      body: createVenueBody,
      response: venueView,
      status: 201,
    },
    async ({ body, principal, req }) =>
      toVenueView(await venues.create(principal!, body, ctx.clock(), requestIdOf(req))),
  );
  api.get(
    '/venues/:id',
    {
      summary: 'A venue',
      tags,
      access: [...OPERATORS, ...ASSOCIATION_MEMBERS],
      params: idParams,
      response: venueView,
    },
    async ({ params, principal }) => toVenueView(await venues.get(principal!, params.id)),
  );
  api.patch(
    '/venues/:id',
    {
      summary:
        'Change a venue’s description (address, hours, contact…). Hours that do not parse are kept with a warning.',
      tags,
      access: ['operator_admin', 'association_treasurer'],
      params: idParams,
      body: updateVenueBody,
      response: venueView,
    },
    async ({ params, body, principal, req }) =>
      toVenueView(await venues.update(principal!, params.id, body, ctx.clock(), requestIdOf(req))),
  );
  api.post(
    '/venues/:id/association',
    {
      summary:
        'Attach a venue to its association (the payee), e.g. after an open-data import. Before accreditation only.',
      tags,
      access: ['operator_admin'],
      params: idParams,
      body: attachAssociationBody,
      response: venueView,
    },
    async ({ params, body, principal, req }) =>
      toVenueView(
        await venues.attachAssociation(
          principal!,
          params.id,
          body.associationId,
          ctx.clock(),
          requestIdOf(req),
        ),
      ),
  );
  api.post(
    '/venues/:id/accreditation',
    {
      summary:
        'Move a venue along listed → applied → accredited ⇄ suspended → revoked. Associations may only apply; suspend and revoke need a reason.',
      tags,
      access: ['operator_admin', 'association_treasurer'],
      params: idParams,
      body: accreditationBody,
      response: venueView,
    },
    async ({ params, body, principal, req }) =>
      toVenueView(
        await venues.changeAccreditation(
          principal!,
          params.id,
          body.action,
          body.reason,
          ctx.clock(),
          requestIdOf(req),
        ),
      ),
  );
  api.get(
    '/venues/:id/accreditation-events',
    {
      summary: 'The accreditation history of a venue: from, to, reason, who, when',
      tags,
      access: [...OPERATORS, ...ASSOCIATION_MEMBERS],
      params: idParams,
      response: z.object({ items: z.array(accreditationEventView) }),
    },
    async ({ params, principal }) => ({
      items: (await venues.accreditationEvents(principal!, params.id)).map(toEventView),
    }),
  );
  return api.router;
}
