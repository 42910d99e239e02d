// Helpers shared by the settlement e2e tests (not exported from the package index).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { balances } from '@pass/ledger';
import type { TestApp } from '../../../../test/support/app';
import type { ClearingOptions, RunSummary } from '../clearing/clearing-run';
import { executeRun } from '../clearing/clearing-runner';
import { ensureScheduledRun } from '../clearing/clearing-service';

/** Runs the scheduled clearing of the business day of `asOf`, with the clock set there. */
export async function runScheduledClearing(
  t: TestApp,
  asOf: Date,
  options: ClearingOptions = {},
): Promise<RunSummary & { runId: string }> {
  t.clock.set(asOf);
  const run = await ensureScheduledRun(t.runtime.ctx, asOf);
  return { runId: run.id, ...(await executeRun(t.runtime.ctx, run.id, options)) };
}

/** Ledger balances (natural sign) by account code. */
export async function ledgerBalances(t: TestApp, codes: string[]): Promise<Record<string, bigint>> {
  return Object.fromEntries(await balances(t.db.knex, codes));
}

/** Text of a PDF through pdftotext (poppler-utils), to assert on what a person reads. */
export function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'settlement-pdf-'));
  const file = path.join(dir, 'doc.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

/** supertest's binary parser for PDF downloads. */
export function binaryParser(res: unknown, done: (err: Error | null, body: Buffer) => void): void {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}
