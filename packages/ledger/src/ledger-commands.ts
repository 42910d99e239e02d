import type { Db } from '@pass/db';
import type { Knex } from 'knex';
import { describeBrokenLink, formatCheckReport, type LedgerCheck, runLedgerChecks } from './ledger-checks';
import { sealPending } from './seal';
import { verifyChain } from './verify-chain';

/** What a CLI command returns: the lead's CLI prints `output` and exits with `exitCode`. */
export interface CommandResult {
  exitCode: number;
  output: string;
}

/** JSON that can carry bigints (as decimal strings). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, item) => (typeof item === 'bigint' ? item.toString() : item), 2);
}

/** `ledger:check`: runs the built-in and registered checks; exit code 1 when any fails. */
export async function ledgerCheckCommand(
  db: Db,
  extraChecks: readonly LedgerCheck[] = [],
  options: { json?: boolean } = {},
): Promise<CommandResult> {
  const report = await runLedgerChecks(db, extraChecks);
  return { exitCode: report.ok ? 0 : 1, output: options.json ? toJson(report) : formatCheckReport(report) };
}

/** `ledger:verify`: recomputes the hash chain; exit code 1 and the first broken link when it is broken. */
export async function ledgerVerifyCommand(db: Db, options: { json?: boolean } = {}): Promise<CommandResult> {
  const start = performance.now();
  const result = await verifyChain(db);
  const seconds = (performance.now() - start) / 1000;
  if (options.json) return { exitCode: result.ok ? 0 : 1, output: toJson({ ...result, seconds }) };
  const covered =
    `${result.entriesChecked} sealed entries in ${result.blocksChecked} blocks checked in ${seconds.toFixed(2)} s` +
    (result.unsealedEntries > 0 ? ` (${result.unsealedEntries} newer entries not sealed yet)` : '');
  if (result.ok) {
    return {
      exitCode: 0,
      output: `Hash chain intact: ${covered}.\nLatest block hash: ${result.lastHash ?? 'none (nothing sealed yet)'}`,
    };
  }
  const link = result.firstBrokenLink!;
  return {
    exitCode: 1,
    output: [
      `HASH CHAIN BROKEN: ${describeBrokenLink(link)}`,
      `  block:    ${link.blockNo}`,
      `  entry:    ${link.entryId ?? '-'}`,
      `  reason:   ${link.reason}`,
      `  expected: ${link.expected}`,
      `  actual:   ${link.actual}`,
      `Before the break: ${covered}.`,
    ].join('\n'),
  };
}

/** `ledger:seal`: seals what can be sealed now (also what the scheduled job runs). */
export async function ledgerSealCommand(
  knex: Knex,
  options: { json?: boolean; maxEntries?: number; waitMs?: number } = {},
): Promise<CommandResult> {
  const result = await sealPending(knex, {
    maxEntries: options.maxEntries ?? 1_000_000,
    waitMs: options.waitMs ?? 5_000,
  });
  if (options.json) return { exitCode: 0, output: toJson(result) };
  return {
    exitCode: 0,
    output:
      `Sealed ${result.sealedEntries} entries in ${result.blocks} blocks; sealed through entry ` +
      `${result.sealedThroughEntryId}${result.waiting ? ' (newer entries wait for open transactions to end)' : ''}.`,
  };
}
