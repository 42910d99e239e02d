import type { Migration } from '@pass/db';
import { redemptionInit } from './20261122000700-redemption-init';
import { redeemBasketFunction } from './20261122000900-redeem-basket';
import { redeemBasketsFunction } from './20261206000400-redeem-baskets';

/** Migrations of the redemption schema, in order (after the ledger's and the vouchers'). */
export const redemptionMigrations: Migration[] = [
  redemptionInit,
  redeemBasketFunction,
  redeemBasketsFunction,
];
