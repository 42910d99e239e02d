/**
 * listed: known from open data, not applying for the Pass numérique; applied: waiting for accreditation;
 * accredited: may redeem; suspended: temporarily may not; revoked: for good.
 */
export const ACCREDITATION_STATUSES = ['listed', 'applied', 'accredited', 'suspended', 'revoked'] as const;
export type AccreditationStatus = (typeof ACCREDITATION_STATUSES)[number];

export const ACCREDITATION_ACTIONS = ['apply', 'accredit', 'suspend', 'reinstate', 'revoke'] as const;
export type AccreditationAction = (typeof ACCREDITATION_ACTIONS)[number];

/** A data-quality remark kept on the venue (stable `code`, the open-data column it concerns, English message). */
export interface VenueWarning {
  code: string;
  field?: string | undefined;
  message: string;
}

/** Open-data fields we keep for export but do not query on. */
export interface VenueDetails {
  emails: string[];
  websites: string[];
  specificSupport: string[];
  fees: string[];
  supportModes: string[];
  accessModes: string[];
  nationalPrograms: string[];
  trainingLabels: string[];
  otherLabels: string[];
  typologies: string[];
  summary: string | null;
  description: string | null;
  parentOrganisation: string | null;
  appointmentUrl: string | null;
  /** The identifier column exactly as the source wrote it. */
  rawPivot: string | null;
}

export const EMPTY_DETAILS: VenueDetails = {
  emails: [],
  websites: [],
  specificSupport: [],
  fees: [],
  supportModes: [],
  accessModes: [],
  nationalPrograms: [],
  trainingLabels: [],
  otherLabels: [],
  typologies: [],
  summary: null,
  description: null,
  parentOrganisation: null,
  appointmentUrl: null,
  rawPivot: null,
};

/** The descriptive fields of a venue: what an import or an edit sets. */
export interface VenueFields {
  name: string;
  street: string | null;
  complement: string | null;
  postcode: string | null;
  commune: string | null;
  /** Official geographic code of the commune (COG); redemption checks batch territories against it. */
  inseeCode: string | null;
  /** WGS84 degrees, 6 decimals (about 10 cm). */
  latitude: number | null;
  longitude: number | null;
  /** OpenStreetMap opening_hours syntax when `openingHoursValid`, otherwise the text as given. */
  openingHours: string | null;
  openingHoursValid: boolean;
  /** A mobile stop (bus, van) rather than a fixed place. */
  itinerant: boolean;
  accessibilityUrl: string | null;
  contactName: string | null;
  /** E.164 when it could be read, else as written (with a warning). */
  phone: string | null;
  email: string | null;
  website: string | null;
  siret: string | null;
  rna: string | null;
  /** Service slugs of the national standard the venue says it offers (directory information). */
  services: string[];
  publics: string[];
  acceptsPass: boolean;
  details: VenueDetails;
  warnings: VenueWarning[];
}

/** A point of presence (lieu, point de présence) of an association. */
export interface Venue extends VenueFields {
  id: string;
  /** The payee; null for a venue imported from open data until an operator attaches it. */
  associationId: string | null;
  accreditationStatus: AccreditationStatus;
  /** With `sourceId`, the re-import key. */
  source: string | null;
  sourceId: string | null;
  /** `date_maj` of the source, ISO date. */
  sourceUpdatedAt: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type AccreditationRefusal =
  | 'invalid_transition'
  | 'association_required'
  | 'insee_code_required'
  | 'reason_required';

export interface AccreditationChange {
  venue: Venue;
  event: { from: AccreditationStatus; to: AccreditationStatus; reason: string | null; at: Date };
}

const TRANSITIONS: Record<
  AccreditationAction,
  { from: readonly AccreditationStatus[]; to: AccreditationStatus }
> = {
  apply: { from: ['listed'], to: 'applied' },
  accredit: { from: ['applied'], to: 'accredited' },
  suspend: { from: ['accredited'], to: 'suspended' },
  reinstate: { from: ['suspended'], to: 'accredited' },
  revoke: { from: ['applied', 'accredited', 'suspended'], to: 'revoked' },
};

const NEEDS_REASON: readonly AccreditationAction[] = ['suspend', 'revoke'];

/** The actions possible from a status (for the back office's buttons). */
export function allowedAccreditationActions(status: AccreditationStatus): AccreditationAction[] {
  return (Object.keys(TRANSITIONS) as AccreditationAction[]).filter((action) =>
    TRANSITIONS[action].from.includes(status),
  );
}

/**
 * Moves a venue along its accreditation lifecycle: listed → applied → accredited ⇄ suspended → revoked
 * (revoked is final; an application can also be refused by revoking it). A venue is accredited only with a
 * payee association and an INSEE code (the redemption territory check needs it); suspending or revoking says why.
 */
export function changeAccreditation(
  venue: Venue,
  action: AccreditationAction,
  reason: string | null | undefined,
  now: Date,
): { ok: true; change: AccreditationChange } | { ok: false; reason: AccreditationRefusal } {
  const transition = TRANSITIONS[action];
  if (!transition.from.includes(venue.accreditationStatus))
    return { ok: false, reason: 'invalid_transition' };
  const why = reason?.trim() || null;
  if (NEEDS_REASON.includes(action) && !why) return { ok: false, reason: 'reason_required' };
  if (transition.to === 'accredited') {
    if (!venue.associationId) return { ok: false, reason: 'association_required' };
    if (!venue.inseeCode) return { ok: false, reason: 'insee_code_required' };
  }
  return {
    ok: true,
    change: {
      venue: { ...venue, accreditationStatus: transition.to, updatedAt: now },
      event: { from: venue.accreditationStatus, to: transition.to, reason: why, at: now },
    },
  };
}

/** Statuses in which the payee may still change (nothing has been redeemed for the association yet). */
export function associationIsChangeable(status: AccreditationStatus): boolean {
  return status === 'listed' || status === 'applied';
}
