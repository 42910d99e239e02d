import { expect } from 'chai';
import iconv from 'iconv-lite';
import { auditFec } from './fec-audit';
import { FEC_COLUMNS } from './fec-format';

type Row = Record<(typeof FEC_COLUMNS)[number], string>;

function row(overrides: Partial<Row> = {}): Row {
  return {
    JournalCode: 'PN',
    JournalLib: 'Pass numérique',
    EcritureNum: '1',
    EcritureDate: '20260115',
    CompteNum: '467100',
    CompteLib: 'Pass numérique en circulation',
    CompAuxNum: 'F0001',
    CompAuxLib: 'Département',
    PieceRef: 'redemption:1',
    PieceDate: '20260115',
    EcritureLib: 'Utilisation de pass',
    Debit: '10,00',
    Credit: '0,00',
    EcritureLet: '',
    DateLet: '',
    ValidDate: '20260115',
    Montantdevise: '',
    Idevise: '',
    ...overrides,
  };
}

/** A valid two-entry FEC, each row overridable by index. */
function fecFile(rows: Row[] = defaultRows(), separator = '|'): Buffer {
  const text = [
    FEC_COLUMNS.join(separator),
    ...rows.map((r) => FEC_COLUMNS.map((c) => r[c]).join(separator)),
  ].join('\r\n');
  return iconv.encode(`${text}\r\n`, 'iso-8859-15');
}

function defaultRows(): Row[] {
  return [
    row(),
    row({
      CompteNum: '467200',
      CompteLib: 'Associations',
      CompAuxNum: 'A0001',
      CompAuxLib: 'Asso',
      Debit: '0,00',
      Credit: '10,00',
    }),
    row({
      EcritureNum: '2',
      JournalCode: 'BQ',
      JournalLib: 'Banque',
      CompteNum: '512000',
      CompteLib: 'Banque',
      CompAuxNum: '',
      CompAuxLib: '',
      Debit: '104,00',
      Credit: '0,00',
      ValidDate: '20260116',
      EcritureDate: '20260116',
      PieceDate: '20260116',
    }),
    row({
      EcritureNum: '2',
      JournalCode: 'BQ',
      JournalLib: 'Banque',
      CompteNum: '419100',
      CompteLib: 'Clients',
      Debit: '0,00',
      Credit: '100,00',
      ValidDate: '20260116',
      EcritureDate: '20260116',
      PieceDate: '20260116',
    }),
    row({
      EcritureNum: '2',
      JournalCode: 'BQ',
      JournalLib: 'Banque',
      CompteNum: '706000',
      CompteLib: 'Prestations € 4 %',
      CompAuxNum: '',
      CompAuxLib: '',
      Debit: '0,00',
      Credit: '4,00',
      ValidDate: '20260116',
      EcritureDate: '20260116',
      PieceDate: '20260116',
    }),
  ];
}

const checks = (content: Buffer, options = {}) => auditFec(content, options).anomalies.map((a) => a.check);
const year = { fiscalYearStart: '2026-01-01', fiscalYearEnd: '2026-12-31' };

describe('auditFec (Test Compta Demat checks)', () => {
  it('passes a well-formed file with either separator', () => {
    const audit = auditFec(fecFile(), { ...year, fileName: '732829320FEC20261231.txt' });
    expect(audit.anomalies).to.deep.equal([]);
    expect(audit).to.include({
      ok: true,
      separator: '|',
      lines: 5,
      entries: 2,
      totalDebit: 11400n,
      totalCredit: 11400n,
    });
    expect(auditFec(fecFile(defaultRows(), '\t')).separator).to.equal('\t');
    expect(auditFec(fecFile(defaultRows(), '\t')).ok).to.equal(true);
  });

  it('refuses a file name that is not SIREN FEC closing date', () => {
    expect(checks(fecFile(), { ...year, fileName: 'export.txt' })).to.deep.equal(['file_name']);
    expect(checks(fecFile(), { ...year, fileName: '732829321FEC20261231' })).to.deep.equal(['file_name']);
    expect(checks(fecFile(), { ...year, fileName: '732829320FEC20251231' })).to.deep.equal(['file_name']);
  });

  it('refuses wrong or reordered column names', () => {
    const header = [...FEC_COLUMNS];
    [header[0], header[1]] = [header[1]!, header[0]!];
    const text = `${header.join('|')}\r\n`;
    expect(checks(iconv.encode(text, 'iso-8859-15'))).to.deep.equal(['columns']);
    expect(checks(iconv.encode('JournalCode;JournalLib\r\n', 'iso-8859-15'))).to.deep.equal(['separator']);
  });

  it('refuses a row with a missing field', () => {
    const bytes = fecFile();
    const text = iconv.decode(bytes, 'iso-8859-15').replace('|Pass numérique|1|', '|Pass numérique1|');
    expect(checks(iconv.encode(text, 'iso-8859-15'))).to.include('field_count');
  });

  it('refuses an unbalanced entry and an unbalanced file', () => {
    const rows = defaultRows();
    rows[1] = { ...rows[1]!, Credit: '9,99' };
    expect(checks(fecFile(rows))).to.deep.equal(['entry_balanced', 'file_balanced']);
  });

  it('refuses dates that are not AAAAMMJJ or outside the fiscal year', () => {
    const rows = defaultRows();
    rows[0] = { ...rows[0]!, PieceDate: '2026-01-15' };
    expect(checks(fecFile(rows))).to.deep.equal(['date_format']);
    const late = defaultRows().map((r) => (r.EcritureNum === '2' ? { ...r, EcritureDate: '20270102' } : r));
    expect(checks(fecFile(late), year)).to.deep.equal(['fiscal_year', 'fiscal_year', 'fiscal_year']);
  });

  it('refuses amounts with a decimal point or a thousands separator', () => {
    const rows = defaultRows();
    rows[0] = { ...rows[0]!, Debit: '10.00' };
    expect(checks(fecFile(rows))).to.include('amount_format');
    rows[0] = { ...rows[0]!, Debit: '1 000,00' };
    expect(checks(fecFile(rows))).to.include('amount_format');
  });

  it('refuses gaps, restarts and split entries in EcritureNum', () => {
    const gap = defaultRows().map((r) => (r.EcritureNum === '2' ? { ...r, EcritureNum: '3' } : r));
    expect(checks(fecFile(gap))).to.deep.equal(['numbering']);
    const rows = defaultRows();
    const split = [rows[0]!, rows[2]!, rows[1]!, rows[3]!, rows[4]!];
    expect(checks(fecFile(split))).to.include('numbering');
  });

  it('refuses validation dates out of chronological order', () => {
    const rows = defaultRows().map((r) => (r.EcritureNum === '2' ? { ...r, ValidDate: '20260110' } : r));
    expect(checks(fecFile(rows))).to.deep.equal(['chronology']);
  });

  it('refuses an entry spread over two journals or two dates', () => {
    const rows = defaultRows();
    rows[1] = { ...rows[1]!, JournalCode: 'OD' };
    expect(checks(fecFile(rows))).to.deep.equal(['entry_journal']);
  });

  it('refuses empty mandatory fields, a CompteNum without three digits and half an auxiliary account', () => {
    const rows = defaultRows();
    rows[0] = { ...rows[0]!, PieceRef: '', CompteNum: 'BQ1', CompAuxLib: '' };
    expect(checks(fecFile(rows))).to.have.members(['mandatory', 'account_number', 'auxiliary']);
  });

  it('notices a UTF-8 file', () => {
    const text = iconv.decode(fecFile(), 'iso-8859-15');
    expect(checks(Buffer.from(text, 'utf8'))).to.include('encoding');
  });

  it('reads € from ISO-8859-15 byte A4', () => {
    const bytes = fecFile();
    expect(bytes.includes(0xa4)).to.equal(true);
    expect(iconv.decode(bytes, 'iso-8859-15')).to.contain('Prestations € 4 %');
  });
});
