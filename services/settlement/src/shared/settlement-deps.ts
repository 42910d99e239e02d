import type { AppContext } from '@pass/http';

/** What settlement code needs from the composition root (a CLI or a child process builds the same). */
export type SettlementDeps = Pick<AppContext, 'knex' | 'logger' | 'config' | 'clock'>;

/** The actor recorded on ledger entries and voucher events written by settlement jobs. */
export const SETTLEMENT_JOB_ACTOR = 'job:settlement';
