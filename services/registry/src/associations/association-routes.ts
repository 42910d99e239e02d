import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ApiRouter, type AppContext, idParams, requestIdOf } from '@pass/http';
import type { Router } from 'express';
import { OPERATORS } from '../shared/access';
import { maskIban } from '../shared/changes';
import { pageRequestOf, respondList } from '../shared/list-response';
import { type Association, payoutHoldReason } from './association';
import {
  type AssociationView,
  associationListQuery,
  associationPage,
  associationView,
  clearFlagBody,
  createAssociationBody,
  updateAssociationBody,
} from './association-schemas';
import { AssociationService } from './association-service';

export function toAssociationView(association: Association): AssociationView {
  const holdReason = payoutHoldReason(association);
  return {
    ...association,
    payoutsHeld: holdReason !== null,
    payoutHoldReason: holdReason,
    flaggedAt: association.flaggedAt?.toISOString() ?? null,
    createdAt: association.createdAt.toISOString(),
    updatedAt: association.updatedAt.toISOString(),
  };
}

const associationCsv = {
  fileName: 'associations.csv',
  header: [
    'id',
    'nom',
    'raison_sociale',
    'siret',
    'rna',
    'code_postal',
    'ville',
    'iban',
    'coordonnees_bancaires',
    'frequence_reglement',
    'taux_frais_aval',
    'signalee_le',
  ],
  row: (a: Association) => [
    a.id,
    a.name,
    a.legalName,
    a.siret,
    a.rna,
    a.address.postcode,
    a.address.town,
    // A CSV file travels by e-mail and lands in spreadsheets: never a full IBAN.
    maskIban(a.bankAccount?.iban),
    a.bankDetailsStatus,
    a.settlementCadence,
    a.downstreamFeeRate,
    a.flaggedAt?.toISOString(),
  ],
};

export function associationRoutes(ctx: AppContext, openapi: OpenAPIRegistry): Router {
  const associations = new AssociationService(ctx.knex);
  const api = new ApiRouter(openapi);
  const tags = ['associations'];

  api.get(
    '/associations',
    {
      summary: 'List associations (operators: all; a treasurer: their own). `?format=csv` for a CSV file.',
      tags,
      access: [...OPERATORS, 'association_treasurer'],
      query: associationListQuery,
      response: associationPage,
    },
    async ({ query, principal, res }) => {
      const page = await associations.list(
        principal!,
        {
          q: query.q,
          bankDetailsStatus: query.bankDetailsStatus,
          flagged: query.flagged === undefined ? undefined : query.flagged === 'true',
        },
        pageRequestOf(query),
      );
      return respondList(res, query.format, page, toAssociationView, associationCsv);
    },
  );
  api.post(
    '/associations',
    {
      summary:
        'Onboard an association (SIRET and/or RNA; bank details become a request for a second operator)',
      tags,
      access: ['operator_admin'],
      body: createAssociationBody,
      response: associationView,
      status: 201,
    },
    async ({ body, principal, req }) =>
      toAssociationView(await associations.create(principal!, body, ctx.clock(), requestIdOf(req))),
  );
  api.get(
    '/associations/:id',
    {
      summary: 'An association, with its approved bank account and whether payouts are held',
      tags,
      access: [...OPERATORS, 'association_treasurer'],
      params: idParams,
      response: associationView,
    },
    async ({ params, principal }) => toAssociationView(await associations.get(principal!, params.id)),
  );
  api.patch(
    '/associations/:id',
    {
      summary:
        "Change an association (bank details excepted). The association's admins may change its address only.",
      tags,
      access: ['operator_admin', 'association_treasurer'],
      params: idParams,
      body: updateAssociationBody,
      response: associationView,
    },
    async ({ params, body, principal, req }) =>
      toAssociationView(
        await associations.update(principal!, params.id, body, ctx.clock(), requestIdOf(req)),
      ),
  );
  api.post(
    '/associations/:id/clear-flag',
    {
      summary: 'Clear the flag a rejected transfer set (payouts resume)',
      tags,
      access: [...OPERATORS],
      params: idParams,
      body: clearFlagBody,
      response: associationView,
    },
    async ({ params, body, principal, req }) =>
      toAssociationView(
        await associations.clearFlag(principal!, params.id, body.note, ctx.clock(), requestIdOf(req)),
      ),
  );
  return api.router;
}
