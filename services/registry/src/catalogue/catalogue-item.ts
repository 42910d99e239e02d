import type { ServiceSlug } from '../venues-open-data';

/**
 * A service a venue offers against passes (prestation): a workshop, an accompanied session… Priced in whole
 * passes; `zeroRemainder` says the beneficiary pays nothing on top. Redemption reads these rows.
 */
export interface CatalogueItem {
  id: string;
  venueId: string;
  name: string;
  /** Service category of the national standard; batches may restrict which categories their passes pay. */
  category: ServiceSlug;
  pricePasses: number;
  zeroRemainder: boolean;
  /** Inactive items stay for history (past redemptions point at them) but can no longer be redeemed. */
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}
