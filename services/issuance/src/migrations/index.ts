import type { Migration } from '@pass/db';
import { issuanceInit } from './20261122000600-issuance-init';

/** Migrations of the issuance schema, in order. */
export const issuanceMigrations: Migration[] = [issuanceInit];
