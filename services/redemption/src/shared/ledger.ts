// The ledger functions this service uses, in one place.
export {
  accounts,
  balance,
  credit,
  debit,
  getEntry,
  ledgerMigrations,
  parseAccountCode,
  post,
  reverse,
  validateEntry,
} from '@pass/ledger';
