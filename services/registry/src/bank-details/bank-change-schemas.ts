import { listQuerySchema, pageSchema } from '../shared/list-response';
import { z } from '../shared/openapi-zod';
import { BANK_CHANGE_STATUSES } from './bank-change-request';

export const bankChangeRequestView = z
  .object({
    id: z.string(),
    associationId: z.string(),
    account: z.object({ iban: z.string(), bic: z.string(), accountHolderName: z.string() }),
    status: z.enum(BANK_CHANGE_STATUSES),
    requestedBy: z.string(),
    requestedAt: z.string(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    decisionReason: z.string().nullable(),
  })
  .openapi('BankChangeRequest');

export const bankChangePage = pageSchema(bankChangeRequestView, 'BankChangeRequestPage');

export const bankChangeListQuery = listQuerySchema
  .extend({ status: z.enum(BANK_CHANGE_STATUSES).optional(), associationId: z.uuid().optional() })
  .strict();

export const associationBankChangeListQuery = listQuerySchema
  .extend({ status: z.enum(BANK_CHANGE_STATUSES).optional() })
  .strict();

export const decisionBody = z
  .object({ reason: z.string().trim().max(500).optional() })
  .strict()
  .openapi('BankChangeDecision');

export type BankChangeRequestView = z.infer<typeof bankChangeRequestView>;
