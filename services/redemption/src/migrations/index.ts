import type { Migration } from '@pass/db';
import { redemptionInit } from './20261122000700-redemption-init';

/** Migrations of the redemption schema, in order (after the ledger's and the vouchers'). */
export const redemptionMigrations: Migration[] = [redemptionInit];
