// The ledger functions this service uses, in one place.
export { accounts, balance, credit, debit, getEntry, ledgerMigrations, post, reverse } from '@pass/ledger';
