import { isOperator, type Principal } from '@pass/auth';

/** Who performs a change: a signed-in principal, or the system (CLI, demo seed). */
export type Actor = Principal | { kind: 'system'; subjectId: string };

/** The user id to record as the author of a change (undefined for devices and the system). */
export function userIdOf(actor: Actor): string | undefined {
  return actor.kind === 'user' ? actor.userId : undefined;
}

/** The system and operators see every tenant. */
export function actsForAllTenants(actor: Actor): boolean {
  return actor.kind === 'system' || isOperator(actor);
}

/** Whether the actor may see objects of an organisation: operators and the system all, others their own. */
export function seesOrganisation(actor: Actor, organisationId: string | null | undefined): boolean {
  if (actsForAllTenants(actor)) return true;
  return !!organisationId && (actor as Principal).organisationId === organisationId;
}

/** Whether the actor is an operator administrator or the system. */
export function isOperatorAdmin(actor: Actor): boolean {
  return actor.kind === 'system' || (isOperator(actor) && actor.role === 'operator_admin');
}

/** The organisation a list must be restricted to: none for operators and the system, the actor's own otherwise. */
export function tenantScopeOf(actor: Actor): string | undefined {
  return actsForAllTenants(actor) ? undefined : (actor as Principal).organisationId;
}
