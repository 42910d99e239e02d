import { type OrganisationKind, ROLE_ORGANISATION_KIND, type Role } from '@pass/auth';
import type { Actor } from '../shared/actor';

export const USER_STATUSES = ['invited', 'active', 'deactivated'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** How long an invitation link stays valid. */
export const INVITATION_TTL_DAYS = 7;

/** A person's account, as member management sees it (credentials stay with auth). */
export interface UserAccount {
  id: string;
  organisationId: string;
  organisationKind: OrganisationKind;
  organisationName: string;
  venueId: string | null;
  email: string;
  displayName: string;
  role: Role;
  orgAdmin: boolean;
  status: UserStatus;
  hasPassword: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
}

export type MemberRefusal =
  | 'not_org_admin'
  | 'other_organisation'
  | 'role_not_allowed_for_organisation'
  | 'venue_required'
  | 'venue_not_allowed'
  | 'cannot_deactivate_self'
  | 'not_invited';

type Check = { ok: true } | { ok: false; reason: MemberRefusal };

/**
 * Who manages an organisation's members: operator administrators for every organisation, and the
 * organisation's own administrators for theirs. Another organisation is reported apart (it answers 404).
 */
export function checkManager(actor: Actor, organisationId: string): Check {
  if (actor.kind === 'system') return { ok: true };
  if (actor.organisationKind === 'operator' && actor.role === 'operator_admin') return { ok: true };
  if (actor.organisationId !== organisationId) return { ok: false, reason: 'other_organisation' };
  if (actor.kind !== 'user' || !actor.orgAdmin) return { ok: false, reason: 'not_org_admin' };
  return { ok: true };
}

/** A role belongs to one kind of organisation; a venue agent belongs to one venue, and only they do. */
export function checkRoleFits(
  role: Role,
  organisationKind: OrganisationKind,
  venueId: string | null | undefined,
): Check {
  if (ROLE_ORGANISATION_KIND[role] !== organisationKind)
    return { ok: false, reason: 'role_not_allowed_for_organisation' };
  if (role === 'venue_agent' && !venueId) return { ok: false, reason: 'venue_required' };
  if (role !== 'venue_agent' && venueId) return { ok: false, reason: 'venue_not_allowed' };
  return { ok: true };
}

/** Deactivation: never oneself (an organisation must not lock out its last admin by mistake). */
export function deactivateAccount(
  user: UserAccount,
  actor: Actor,
): { ok: true; user: UserAccount } | { ok: false; reason: MemberRefusal } {
  if (actor.kind === 'user' && actor.userId === user.id)
    return { ok: false, reason: 'cannot_deactivate_self' };
  return { ok: true, user: { ...user, status: 'deactivated' } };
}

/** Reactivation returns to `active` when a password was set, otherwise to `invited` (a new invitation is due). */
export function reactivateAccount(user: UserAccount): UserAccount {
  if (user.status !== 'deactivated') return user;
  return { ...user, status: user.hasPassword ? 'active' : 'invited' };
}

/** A new invitation only makes sense for someone who has not set a password yet. */
export function checkCanReinvite(user: UserAccount): Check {
  return user.status === 'invited' ? { ok: true } : { ok: false, reason: 'not_invited' };
}
