import iconv from 'iconv-lite';
import { isIsoDate } from './entry';
import { FEC_COLUMNS, isValidSiren } from './fec-format';

/** One anomaly found in a FEC file. */
export interface FecAnomaly {
  /** 1-based line of the file (the header is line 1); 0 for the file as a whole. */
  line: number;
  check: string;
  message: string;
}

/** What `auditFec` found. */
export interface FecAudit {
  ok: boolean;
  separator: '|' | '\t' | null;
  lines: number;
  entries: number;
  totalDebit: bigint;
  totalCredit: bigint;
  anomalies: FecAnomaly[];
}

const MANDATORY = [
  'JournalCode',
  'JournalLib',
  'EcritureNum',
  'EcritureDate',
  'CompteNum',
  'CompteLib',
  'PieceRef',
  'PieceDate',
  'EcritureLib',
  'Debit',
  'Credit',
  'ValidDate',
] as const;
const AMOUNT = /^-?\d+(,\d{1,2})?$/;
const MAX_ANOMALIES = 200;

function isFecDate(value: string): boolean {
  return /^\d{8}$/.test(value) && isIsoDate(`${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`);
}

function cents(value: string): bigint {
  const [units = '0', decimals = ''] = value.replace('-', '').split(',');
  const magnitude = BigInt(units) * 100n + BigInt(decimals.padEnd(2, '0'));
  return value.startsWith('-') ? -magnitude : magnitude;
}

/**
 * Re-reads a FEC file the way the tax administration's Test Compta Demat tool does: file name, encoding,
 * separator, the 18 column names in order, 18 fields on every row, mandatory fields, AAAAMMJJ dates,
 * amounts with a decimal comma, CompteNum starting with three digits, auxiliary number and label given
 * together, each entry balanced and on one journal, date and validation date, EcritureNum continuous
 * from 1, validation dates in chronological order, dates inside the fiscal year, and the file balanced.
 */
export function auditFec(
  content: Buffer,
  options: { fileName?: string; fiscalYearStart?: string; fiscalYearEnd?: string } = {},
): FecAudit {
  const anomalies: FecAnomaly[] = [];
  const add = (line: number, check: string, message: string) => {
    if (anomalies.length < MAX_ANOMALIES) anomalies.push({ line, check, message });
  };
  const audit: FecAudit = {
    ok: false,
    separator: null,
    lines: 0,
    entries: 0,
    totalDebit: 0n,
    totalCredit: 0n,
    anomalies,
  };

  if (options.fileName !== undefined) {
    const match = /^(\d{9})FEC(\d{8})(\.[A-Za-z0-9]+)?$/.exec(options.fileName);
    if (!match) add(0, 'file_name', `file name ${options.fileName} is not <SIREN>FEC<AAAAMMJJ>`);
    else {
      if (!isValidSiren(match[1]!)) add(0, 'file_name', `${match[1]} is not a valid SIREN`);
      if (!isFecDate(match[2]!)) add(0, 'file_name', `${match[2]} is not a date`);
      const end = options.fiscalYearEnd?.replaceAll('-', '');
      if (end && match[2] !== end)
        add(0, 'file_name', `the file is named after ${match[2]}, the year closes ${end}`);
    }
  }

  // ISO-8859-15 decodes any byte, so encoding mistakes show up as characters; UTF-8 multi-byte sequences
  // (Ã©) are the usual symptom and are reported.
  const text = iconv.decode(content, 'iso-8859-15');
  if (/Ã[\u0080-\u00bf©¨ª«§®¯]|â‚¬/.test(text))
    add(0, 'encoding', 'the file looks UTF-8 encoded, not ISO-8859-15');
  const rows = text.split(/\r?\n/);
  if (rows.at(-1) === '') rows.pop();
  const header = rows[0] ?? '';
  const separator = header.includes('\t') ? '\t' : header.includes('|') ? '|' : null;
  audit.separator = separator;
  if (!separator) {
    add(1, 'separator', 'the header has neither | nor tab separators');
    return audit;
  }
  const names = header.split(separator);
  if (names.length !== FEC_COLUMNS.length || names.some((name, index) => name !== FEC_COLUMNS[index])) {
    add(1, 'columns', `the header must be the 18 columns ${FEC_COLUMNS.join(separator)} in this order`);
    return audit;
  }
  const column = Object.fromEntries(FEC_COLUMNS.map((name, index) => [name, index])) as Record<
    (typeof FEC_COLUMNS)[number],
    number
  >;

  const start = options.fiscalYearStart?.replaceAll('-', '');
  const end = options.fiscalYearEnd?.replaceAll('-', '');
  let currentNum: string | null = null;
  let expectedNum = 1;
  let entry = { journal: '', date: '', valid: '', debit: 0n, credit: 0n, line: 0 };
  let previousValid = '';
  const seen = new Set<string>();
  const closeEntry = () => {
    if (currentNum === null) return;
    if (entry.debit !== entry.credit) {
      add(
        entry.line,
        'entry_balanced',
        `entry ${currentNum}: debits ${entry.debit} ≠ credits ${entry.credit} (cents)`,
      );
    }
  };

  for (let index = 1; index < rows.length; index++) {
    const lineNo = index + 1;
    audit.lines++;
    const fields = rows[index]!.split(separator);
    if (fields.length !== FEC_COLUMNS.length) {
      add(lineNo, 'field_count', `${fields.length} fields instead of ${FEC_COLUMNS.length}`);
      continue;
    }
    const get = (name: (typeof FEC_COLUMNS)[number]) => fields[column[name]]!;
    for (const name of MANDATORY) if (get(name).trim() === '') add(lineNo, 'mandatory', `${name} is empty`);
    for (const name of ['EcritureDate', 'PieceDate', 'ValidDate'] as const) {
      if (get(name) !== '' && !isFecDate(get(name)))
        add(lineNo, 'date_format', `${name} ${get(name)} is not AAAAMMJJ`);
    }
    if (get('DateLet') !== '' && !isFecDate(get('DateLet')))
      add(lineNo, 'date_format', 'DateLet is not AAAAMMJJ');
    let debit = 0n;
    let credit = 0n;
    for (const name of ['Debit', 'Credit'] as const) {
      if (!AMOUNT.test(get(name)))
        add(lineNo, 'amount_format', `${name} ${get(name)} is not an amount with a decimal comma`);
    }
    if (AMOUNT.test(get('Debit')) && AMOUNT.test(get('Credit'))) {
      debit = cents(get('Debit'));
      credit = cents(get('Credit'));
      if ((debit === 0n) === (credit === 0n))
        add(lineNo, 'one_side', 'a line has either a debit or a credit');
    }
    if (get('Montantdevise') !== '' && !AMOUNT.test(get('Montantdevise'))) {
      add(lineNo, 'amount_format', 'Montantdevise is not an amount with a decimal comma');
    }
    if ((get('Montantdevise') === '') !== (get('Idevise') === '')) {
      add(lineNo, 'currency', 'Montantdevise and Idevise go together');
    }
    if (!/^\d{3}/.test(get('CompteNum')))
      add(lineNo, 'account_number', `CompteNum ${get('CompteNum')} must start with three digits`);
    if ((get('CompAuxNum') === '') !== (get('CompAuxLib') === '')) {
      add(lineNo, 'auxiliary', 'CompAuxNum and CompAuxLib go together');
    }
    const date = get('EcritureDate');
    if ((start && date < start) || (end && date > end))
      add(lineNo, 'fiscal_year', `EcritureDate ${date} is outside the fiscal year`);
    const valid = get('ValidDate');

    const num = get('EcritureNum');
    if (num !== currentNum) {
      closeEntry();
      if (seen.has(num)) add(lineNo, 'numbering', `entry ${num} is split: its lines must be together`);
      else if (num !== String(expectedNum))
        add(lineNo, 'numbering', `EcritureNum ${num} where ${expectedNum} was expected`);
      seen.add(num);
      if (valid < previousValid)
        add(lineNo, 'chronology', `entry ${num} validated ${valid}, after ${previousValid}`);
      if (valid > previousValid) previousValid = valid;
      expectedNum = (Number.parseInt(num, 10) || expectedNum) + 1;
      currentNum = num;
      audit.entries++;
      entry = { journal: get('JournalCode'), date, valid, debit: 0n, credit: 0n, line: lineNo };
    } else {
      if (get('JournalCode') !== entry.journal)
        add(lineNo, 'entry_journal', `entry ${num} spans two journals`);
      if (date !== entry.date) add(lineNo, 'entry_date', `entry ${num} has two dates`);
      if (valid !== entry.valid) add(lineNo, 'entry_date', `entry ${num} has two validation dates`);
    }
    entry.debit += debit;
    entry.credit += credit;
    audit.totalDebit += debit;
    audit.totalCredit += credit;
  }
  closeEntry();
  if (audit.totalDebit !== audit.totalCredit) {
    add(0, 'file_balanced', `total debits ${audit.totalDebit} ≠ total credits ${audit.totalCredit} (cents)`);
  }
  audit.ok = anomalies.length === 0;
  return audit;
}
