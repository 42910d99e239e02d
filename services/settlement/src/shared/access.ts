import { isOperator, type Principal, type Role } from '@pass/auth';
import { NotFoundError } from '@pass/errors';

/** Clearing-house staff. */
export const OPERATORS = ['operator_admin', 'operator_finance'] as const satisfies readonly Role[];

/** Who runs settlements and touches payouts, bank files and credit notes. */
export const FINANCE = ['operator_finance', 'operator_admin'] as const satisfies readonly Role[];

/**
 * The association a request is about: a treasurer always sees their own (a different `associationId` in
 * the query is answered 404, as for any object of another tenant); operators see the one they ask for, or
 * every association when they ask for none.
 */
export function associationScope(principal: Principal, requested: string | undefined): string | undefined {
  if (isOperator(principal)) return requested;
  if (principal.organisationKind !== 'association') throw new NotFoundError();
  if (requested && requested !== principal.organisationId) throw new NotFoundError();
  return principal.organisationId;
}

/** The funder a request is about, with the same rules as associationScope. */
export function funderScope(principal: Principal, requested: string | undefined): string | undefined {
  if (isOperator(principal)) return requested;
  if (principal.organisationKind !== 'funder') throw new NotFoundError();
  if (requested && requested !== principal.organisationId) throw new NotFoundError();
  return principal.organisationId;
}

/** The id recorded as actor of a change: the user (or device) id. */
export function actorOf(principal: Principal): string {
  return principal.userId ?? principal.subjectId;
}
