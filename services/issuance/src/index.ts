export { issuanceModule, outstandingInvariant } from './issuance-module';
export { issuanceMigrations } from './migrations';
