export {
  ACCOUNT_TYPES,
  type AccountKind,
  type AccountOwnerType,
  type AccountPurpose,
  type AccountRef,
  accountKind,
  accounts,
  isDebitNormal,
  naturalBalance,
  parseAccountCode,
  tryParseAccountCode,
} from './account-code';
export { type AccountStatement, accountStatement, type StatementLine } from './account-statement';
export { type AccountTotals, accountTotals, balance, balances, balancesByPurpose } from './balance';
export {
  credit,
  debit,
  ENTRY_KINDS,
  type EntryInput,
  isIsoDate,
  type KnownEntryKind,
  type LineInput,
  oppositeSide,
  type PostedEntry,
  type PostedLine,
  type Side,
  validateEntry,
} from './entry';
export {
  canonicalEntry,
  ENTRY_FORMAT_VERSION,
  GENESIS_HASH,
  type HashableEntry,
  type HashableLine,
  hashBlock,
  hashEntry,
} from './entry-hash';
export { exportFec, type FecOptions, type FecSummary, writeFec } from './fec';
export { type FecAnomaly, type FecAudit, auditFec } from './fec-audit';
export {
  entryLabel,
  FEC_COLUMNS,
  type FecJournal,
  type FecSeparator,
  fecBaseName,
  isValidSiren,
  journalFor,
} from './fec-format';
export {
  builtInLedgerChecks,
  type CheckOutcome,
  type CheckProblem,
  type CheckReport,
  type CheckResult,
  describeBrokenLink,
  formatCheckReport,
  type LedgerCheck,
  runLedgerChecks,
} from './ledger-checks';
export {
  type CommandResult,
  ledgerCheckCommand,
  ledgerSealCommand,
  ledgerVerifyCommand,
  toJson,
} from './ledger-commands';
export { ledgerMigrations } from './ledger-migrations';
export { auxiliaryNumber, PCG_ACCOUNTS, type PcgAccount } from './pcg-mapping';
export {
  findEntryByIdempotencyKey,
  findReversalOf,
  getEntry,
  post,
  type ReverseOptions,
  reverse,
} from './post';
export { type SealOptions, type SealResult, sealPending } from './seal';
export {
  type BrokenLink,
  type ChainRoot,
  latestRoot,
  type VerifyOptions,
  type VerifyResult,
  verifyChain,
} from './verify-chain';
