import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ApiRouter, type AppContext, idParams, requestIdOf } from '@pass/http';
import type { Router } from 'express';
import { bankAccountBody } from '../associations/association-schemas';
import { OPERATORS } from '../shared/access';
import { maskIban } from '../shared/changes';
import { pageRequestOf, respondList } from '../shared/list-response';
import type { BankChangeDecision, BankChangeRequest } from './bank-change-request';
import {
  associationBankChangeListQuery,
  type BankChangeRequestView,
  bankChangeListQuery,
  bankChangePage,
  bankChangeRequestView,
  decisionBody,
} from './bank-change-schemas';
import { BankChangeService } from './bank-change-service';

export function toBankChangeView(request: BankChangeRequest): BankChangeRequestView {
  return {
    ...request,
    requestedAt: request.requestedAt.toISOString(),
    decidedAt: request.decidedAt?.toISOString() ?? null,
  };
}

const bankChangeCsv = {
  fileName: 'changements-rib.csv',
  header: [
    'id',
    'association_id',
    'iban',
    'bic',
    'titulaire',
    'statut',
    'demande_par',
    'demande_le',
    'decide_par',
    'decide_le',
    'motif',
  ],
  row: (r: BankChangeRequest) => [
    r.id,
    r.associationId,
    maskIban(r.account.iban),
    r.account.bic,
    r.account.accountHolderName,
    r.status,
    r.requestedBy,
    r.requestedAt.toISOString(),
    r.decidedBy,
    r.decidedAt?.toISOString(),
    r.decisionReason,
  ],
};

export function bankChangeRoutes(ctx: AppContext, openapi: OpenAPIRegistry): Router {
  const bankChanges = new BankChangeService(ctx.knex);
  const api = new ApiRouter(openapi);
  const tags = ['bank details'];

  api.post(
    '/associations/:id/bank-change-requests',
    {
      summary: 'Enter new bank details (held until a second operator approves; payouts are held meanwhile)',
      tags,
      access: [...OPERATORS, 'association_treasurer'],
      params: idParams,
      body: bankAccountBody,
      response: bankChangeRequestView,
      status: 201,
    },
    async ({ params, body, principal, req }) =>
      toBankChangeView(await bankChanges.request(principal!, params.id, body, ctx.clock(), requestIdOf(req))),
  );
  api.get(
    '/associations/:id/bank-change-requests',
    {
      summary: "An association's bank change requests, oldest first. `?format=csv` for a CSV file.",
      tags,
      access: [...OPERATORS, 'association_treasurer'],
      params: idParams,
      query: associationBankChangeListQuery,
      response: bankChangePage,
    },
    async ({ params, query, principal, res }) => {
      const page = await bankChanges.list(
        principal!,
        { associationId: params.id, status: query.status },
        pageRequestOf(query),
      );
      return respondList(res, query.format, page, toBankChangeView, bankChangeCsv);
    },
  );
  api.get(
    '/bank-change-requests',
    {
      summary:
        'The approval queue: bank change requests (filter `status=pending`). `?format=csv` for a CSV file.',
      tags,
      access: [...OPERATORS],
      query: bankChangeListQuery,
      response: bankChangePage,
    },
    async ({ query, principal, res }) => {
      const page = await bankChanges.list(
        principal!,
        { associationId: query.associationId, status: query.status },
        pageRequestOf(query),
      );
      return respondList(res, query.format, page, toBankChangeView, bankChangeCsv);
    },
  );
  api.get(
    '/bank-change-requests/:id',
    {
      summary: 'A bank change request',
      tags,
      access: [...OPERATORS, 'association_treasurer'],
      params: idParams,
      response: bankChangeRequestView,
    },
    async ({ params, principal }) => toBankChangeView(await bankChanges.get(principal!, params.id)),
  );
  const decisions: [
    BankChangeDecision,
    string,
    readonly ('operator_admin' | 'operator_finance' | 'association_treasurer')[],
  ][] = [
    ['approve', 'Approve a bank change (another operator than the one who entered it)', OPERATORS],
    ['reject', 'Reject a bank change, with a reason', OPERATORS],
    ['cancel', 'Withdraw a pending bank change', [...OPERATORS, 'association_treasurer']],
  ];
  for (const [decision, summary, access] of decisions) {
    api.post(
      `/bank-change-requests/:id/${decision}`,
      { summary, tags, access, params: idParams, body: decisionBody, response: bankChangeRequestView },
      async ({ params, body, principal, req }) =>
        toBankChangeView(
          await bankChanges.decide(
            principal!,
            params.id,
            decision,
            body.reason,
            ctx.clock(),
            requestIdOf(req),
          ),
        ),
    );
  }
  return api.router;
}
