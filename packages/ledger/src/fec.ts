import { once } from 'node:events';
import { Writable } from 'node:stream';
import type { Db } from '@pass/db';
import { UnprocessableError, ValidationError } from '@pass/errors';
import iconv from 'iconv-lite';
import type { Knex } from 'knex';
import { rowsOf, toBigint } from './db-values';
import { isIsoDate, type Side } from './entry';
import {
  entryLabel,
  FEC_COLUMNS,
  type FecSeparator,
  fecAmount,
  fecBaseName,
  fecRow,
  isValidSiren,
  journalFor,
} from './fec-format';
import { auxiliaryNumber, PCG_ACCOUNTS } from './pcg-mapping';
import type { AccountPurpose } from './account-code';

/** Options of `writeFec`. */
export interface FecOptions {
  /** SIREN of the operator (9 digits). */
  siren: string;
  /** Closing date of the fiscal year, YYYY-MM-DD (it names the file). */
  fiscalYearEnd: string;
  /** First and last accounting dates exported (EcritureDate), YYYY-MM-DD inclusive: usually the fiscal year. */
  from: string;
  to: string;
  /** `|` (default) or tab. */
  separator?: FecSeparator;
  /**
   * Sub-ledger numbers and names of funders and associations (CompAuxNum, CompAuxLib). The registry owns
   * the names: the caller passes what it has; missing ones default to `F<uuid>` / `Commanditaire <uuid>`.
   */
  auxiliary?: (
    ownerType: 'funder' | 'association',
    ownerId: string,
  ) => { number?: string; name?: string } | undefined;
}

/** What `writeFec` wrote. */
export interface FecSummary {
  baseName: string;
  fileName: string;
  entries: number;
  lines: number;
  totalDebit: bigint;
  totalCredit: bigint;
}

interface FecLineRow {
  entry_id: string;
  kind: string;
  reversed_kind: string | null;
  reference: string;
  description: string | null;
  ecriture_date: string;
  valid_date: string;
  owner_type: 'operator' | 'funder' | 'association';
  owner_id: string | null;
  purpose: AccountPurpose;
  side: Side;
  amount: string;
}

// Ordered by validation time (posted_at), which the FEC requires ("classées par ordre chronologique de
// validation"); EcritureNum then follows that order without gaps.
const FEC_CURSOR_SQL = `
  declare ledger_fec no scroll cursor for
  select e.id::text as entry_id, e.kind, o.kind as reversed_kind, e.reference, e.description,
         to_char(e.effective_date, 'YYYYMMDD') as ecriture_date,
         to_char(e.posted_at at time zone 'Europe/Paris', 'YYYYMMDD') as valid_date,
         a.owner_type, a.owner_id::text as owner_id, a.purpose, l.side, l.amount_cents::text as amount
    from ledger.entries e
    join ledger.lines l on l.entry_id = e.id
    join ledger.accounts a on a.id = l.account_id
    left join ledger.entries o on o.id = e.reverses_entry_id
   where e.effective_date between ?::date and ?::date
   order by e.posted_at, e.id, l.line_no`;

const FETCH_ROWS = 5000;
const CRLF = '\r\n';

function validate(options: FecOptions): void {
  const issues = [];
  if (!isValidSiren(options.siren))
    issues.push({ path: 'siren', code: 'invalid_siren', message: 'not a valid SIREN' });
  for (const key of ['fiscalYearEnd', 'from', 'to'] as const) {
    if (!isIsoDate(options[key]))
      issues.push({ path: key, code: 'invalid_date', message: `${key} must be YYYY-MM-DD` });
  }
  if (options.separator !== undefined && options.separator !== '|' && options.separator !== '\t') {
    issues.push({ path: 'separator', code: 'invalid_separator', message: 'the FEC separator is | or a tab' });
  }
  if (issues.length === 0 && options.from > options.to) {
    issues.push({ path: 'from', code: 'invalid_range', message: 'from is after to' });
  }
  if (issues.length > 0) throw new ValidationError(issues, 'Invalid FEC export request.');
}

async function write(out: Writable, text: string): Promise<void> {
  // ISO-8859-15 is one byte per character, so chunks can be encoded independently; '€' becomes 0xA4.
  if (!out.write(iconv.encode(text, 'iso-8859-15'))) await once(out, 'drain');
}

async function writeRows(trx: Db, options: FecOptions, out: Writable): Promise<FecSummary> {
  const separator = options.separator ?? '|';
  const foreign = rowsOf<{ n: string }>(
    await trx.raw(
      `select count(*)::text as n from ledger.entries e
        where e.effective_date between ?::date and ?::date and e.currency <> 'EUR'`,
      [options.from, options.to],
    ),
  )[0];
  if (foreign && foreign.n !== '0') {
    throw new UnprocessableError(
      'fec_currency_unsupported',
      `The period holds ${foreign.n} entries in another currency than EUR; the FEC needs an exchange rate for them.`,
    );
  }
  await trx.raw(FEC_CURSOR_SQL, [options.from, options.to]);
  const summary: FecSummary = {
    baseName: fecBaseName(options.siren, options.fiscalYearEnd),
    fileName: `${fecBaseName(options.siren, options.fiscalYearEnd)}.txt`,
    entries: 0,
    lines: 0,
    totalDebit: 0n,
    totalCredit: 0n,
  };
  await write(out, fecRow(FEC_COLUMNS, separator) + CRLF);
  let currentEntry: string | null = null;
  for (;;) {
    const rows = rowsOf<FecLineRow>(await trx.raw(`fetch ${FETCH_ROWS} from ledger_fec`));
    if (rows.length === 0) break;
    let text = '';
    for (const row of rows) {
      if (row.entry_id !== currentEntry) {
        currentEntry = row.entry_id;
        summary.entries++;
      }
      const journal = journalFor(row.kind, row.reversed_kind);
      const account = PCG_ACCOUNTS[row.purpose];
      let auxNumber = '';
      let auxName = '';
      if (row.owner_type !== 'operator' && row.owner_id !== null) {
        const given = options.auxiliary?.(row.owner_type, row.owner_id);
        auxNumber = given?.number ?? auxiliaryNumber(row.owner_type, row.owner_id);
        auxName =
          given?.name ?? `${row.owner_type === 'funder' ? 'Commanditaire' : 'Association'} ${row.owner_id}`;
      }
      const amount = toBigint(row.amount);
      const debit = row.side === 'debit' ? amount : 0n;
      const credit = row.side === 'credit' ? amount : 0n;
      summary.totalDebit += debit;
      summary.totalCredit += credit;
      summary.lines++;
      text +=
        fecRow(
          [
            journal.code,
            journal.label,
            String(summary.entries),
            row.ecriture_date,
            account?.number ?? '471000',
            account?.label ?? "Compte d'attente",
            auxNumber,
            auxName,
            row.reference,
            row.ecriture_date,
            row.description ?? entryLabel(row.kind),
            fecAmount(debit),
            fecAmount(credit),
            '',
            '',
            row.valid_date,
            '',
            '',
          ],
          separator,
        ) + CRLF;
    }
    await write(out, text);
  }
  await trx.raw('close ledger_fec');
  return summary;
}

/**
 * Writes the FEC of the entries whose accounting date is in [from, to] to `out`, encoded in ISO-8859-15:
 * a header row and 18 columns, EcritureNum continuous from 1 in validation order, amounts with a decimal
 * comma, dates AAAAMMJJ, accounts mapped to the PCG (pcg-mapping.ts, FEC.md). Reads through a cursor so the
 * file can be large. Does not end `out`. Refuses periods holding non-EUR entries.
 */
export async function writeFec(db: Db, options: FecOptions, out: Writable): Promise<FecSummary> {
  validate(options);
  if ((db as Knex.Transaction).isTransaction) return writeRows(db, options, out);
  return (db as Knex).transaction((trx) => writeRows(trx, options, out), {
    isolationLevel: 'repeatable read',
    readOnly: true,
  });
}

/** The FEC in memory, for small periods and tests: `{ fileName, content, summary }`. */
export async function exportFec(
  db: Db,
  options: FecOptions,
): Promise<{ fileName: string; content: Buffer; summary: FecSummary }> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  const summary = await writeFec(db, options, sink);
  return { fileName: summary.fileName, content: Buffer.concat(chunks), summary };
}
