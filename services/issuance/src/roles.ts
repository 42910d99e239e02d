import type { Role } from '@pass/auth';

/** Who orders, approves proofs, prints and revokes: the funder's managers, or operator admins on their behalf. */
export const FUNDER_SIDE: readonly Role[] = ['funder_manager', 'operator_admin'];
/** Who reads batches: the funder side and the operator's finance staff. */
export const BATCH_READERS: readonly Role[] = ['funder_manager', 'operator_admin', 'operator_finance'];
/** Who records money received and activates batches. */
export const FINANCE: readonly Role[] = ['operator_finance'];
/** Who holds stock and hands out passes. */
export const DISTRIBUTORS: readonly Role[] = ['distributor_agent'];
