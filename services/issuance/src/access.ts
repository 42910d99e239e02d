import { isOperator, type Principal } from '@pass/auth';
import { NotFoundError } from '@pass/errors';

/** The funder a principal is limited to: undefined for operator staff (every funder), else its organisation. */
export function funderScopeOf(principal: Principal): string | undefined {
  return isOperator(principal) ? undefined : principal.organisationId;
}

/** 404 (never 403) unless the principal may see this funder's batches: operators, or the funder itself. */
export function assertFunderAccess(principal: Principal, funderId: string): void {
  if (isOperator(principal)) return;
  if (principal.organisationKind === 'funder' && principal.organisationId === funderId) return;
  throw new NotFoundError('batch_not_found', 'No such batch.');
}

/** The actor recorded in events, ledger entries and audit: the user or device id. */
export function actorOf(principal: Principal): string {
  return principal.subjectId;
}
