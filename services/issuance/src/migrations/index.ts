import type { Migration } from '@pass/db';
import { issuanceInit } from './20261122000600-issuance-init';
import { bookletHoldingsComment } from './20261206000100-booklet-holdings-comment';

/** Migrations of the issuance schema, in order. */
export const issuanceMigrations: Migration[] = [issuanceInit, bookletHoldingsComment];
