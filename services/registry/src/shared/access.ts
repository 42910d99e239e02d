import type { Role } from '@pass/auth';

/** Clearing-house staff: they see every tenant. */
export const OPERATORS = ['operator_admin', 'operator_finance'] as const satisfies readonly Role[];

/** People of an association: its treasurer and the agents of its venues. */
export const ASSOCIATION_MEMBERS = [
  'association_treasurer',
  'venue_agent',
] as const satisfies readonly Role[];
