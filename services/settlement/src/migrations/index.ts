import type { Migration } from '@pass/db';
import { settlementInit } from './20261122000800-settlement-init';

/** Migrations of the settlement schema, in order. */
export const settlementMigrations: Migration[] = [settlementInit];
