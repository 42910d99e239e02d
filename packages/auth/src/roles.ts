/** The roles of DESIGN §2. A user has exactly one role in exactly one organisation. */
export const ROLES = [
  'operator_admin',
  'operator_finance',
  'funder_manager',
  'distributor_agent',
  'venue_agent',
  'association_treasurer',
] as const;
export type Role = (typeof ROLES)[number];

export const ORGANISATION_KINDS = ['operator', 'funder', 'distributor', 'association'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** Which organisation kind each role belongs to (a venue agent belongs to the venue's association). */
export const ROLE_ORGANISATION_KIND: Record<Role, OrganisationKind> = {
  operator_admin: 'operator',
  operator_finance: 'operator',
  funder_manager: 'funder',
  distributor_agent: 'distributor',
  venue_agent: 'association',
  association_treasurer: 'association',
};

export const OPERATOR_ROLES: readonly Role[] = ['operator_admin', 'operator_finance'];

/** Who is calling: a person (JWT) or a venue scanner device (device token). */
export interface Principal {
  kind: 'user' | 'device';
  /** User id for people, device id for scanners. */
  subjectId: string;
  userId: string | undefined;
  deviceId: string | undefined;
  role: Role;
  organisationId: string;
  organisationKind: OrganisationKind;
  /** Venue of a venue agent or device; undefined otherwise. */
  venueId: string | undefined;
  /** Organisation admins manage their own organisation's members. */
  orgAdmin: boolean;
}

/** Whether the principal is clearing-house staff (sees every tenant). */
export function isOperator(principal: Principal): boolean {
  return principal.organisationKind === 'operator';
}
