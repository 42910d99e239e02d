import { PassThrough } from 'node:stream';
import { createTestDatabase, type TestDatabase } from '@pass/db/testing';
import { expect } from 'chai';
import iconv from 'iconv-lite';
import { accounts } from './account-code';
import { credit, debit } from './entry';
import { exportFec, writeFec } from './fec';
import { auditFec } from './fec-audit';
import { FEC_COLUMNS } from './fec-format';
import { ledgerMigrations } from './ledger-migrations';
import {
  ASSOCIATION,
  buildActivation,
  buildFunding,
  buildRedemption,
  FUNDER,
  rejectionOf,
} from './ledger-test-builders';
import { post, reverse } from './post';

const SIREN = '732829320';
const YEAR = { siren: SIREN, fiscalYearEnd: '2026-12-31', from: '2026-01-01', to: '2026-12-31' };
const AUDIT = { fiscalYearStart: '2026-01-01', fiscalYearEnd: '2026-12-31' };

function parse(content: Buffer, separator = '|'): Record<string, string>[] {
  const [header, ...rows] = iconv
    .decode(content, 'iso-8859-15')
    .split('\r\n')
    .filter((line) => line !== '');
  const names = header!.split(separator);
  return rows.map((row) =>
    Object.fromEntries(row.split(separator).map((value, index) => [names[index], value])),
  );
}

describe('FEC export (PostgreSQL)', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase(ledgerMigrations);
    await post(db.knex, buildFunding({ effectiveDate: '2025-12-30', reference: 'funding:last-year' }));
    await post(
      db.knex,
      buildFunding({ face: 100_000n, fee: 4_000n, effectiveDate: '2026-01-05', reference: 'funding:2026' }),
    );
    await post(db.knex, buildActivation({ amount: 100_000n, effectiveDate: '2026-01-06' }));
    const redemption = await post(
      db.knex,
      buildRedemption({ amount: 1000n, effectiveDate: '2026-02-01', description: 'Atelier | tablette € 10' }),
    );
    await reverse(db.knex, redemption.id, {
      actor: 'user:venue',
      reason: 'Erreur de saisie',
      kind: 'redemption_undone',
      effectiveDate: '2026-02-01',
    });
    const payout = await post(db.knex, {
      kind: 'payout_sent',
      reference: 'payout:1',
      actor: 'job:settlement',
      effectiveDate: '2026-03-01',
      lines: [debit(accounts.associationPayable(ASSOCIATION), 1000n), credit(accounts.operatorBank(), 1000n)],
    });
    await reverse(db.knex, payout.id, {
      actor: 'job:camt',
      reason: 'Virement rejeté',
      effectiveDate: '2026-03-05',
    });
    await post(db.knex, buildRedemption({ amount: 1234567n, effectiveDate: '2026-12-31' }));
    await post(db.knex, buildRedemption({ effectiveDate: '2027-01-01', reference: 'redemption:next-year' }));
  });
  after(() => db?.destroy());

  it('passes the Test Compta Demat checks and is named SIREN FEC closing date', async () => {
    const { fileName, content, summary } = await exportFec(db.knex, YEAR);
    expect(fileName).to.equal(`${SIREN}FEC20261231.txt`);
    expect(summary.baseName).to.equal(`${SIREN}FEC20261231`);
    const audit = auditFec(content, { ...AUDIT, fileName });
    expect(audit.anomalies).to.deep.equal([]);
    expect(audit).to.include({ ok: true, entries: 7, lines: 15 });
    expect(audit.totalDebit).to.equal(summary.totalDebit);
    expect(summary).to.include({ entries: 7, lines: 15 });
  });

  it('exports only the period, with header, 18 columns and continuous numbers in validation order', async () => {
    const { content } = await exportFec(db.knex, YEAR);
    const text = iconv.decode(content, 'iso-8859-15');
    expect(text.split('\r\n')[0]).to.equal(FEC_COLUMNS.join('|'));
    const rows = parse(content);
    expect(rows.every((row) => Object.keys(row).length === 18)).to.equal(true);
    expect(rows.map((row) => row.PieceRef))
      .to.not.include('funding:last-year')
      .and.not.include('redemption:next-year');
    expect([...new Set(rows.map((row) => row.EcritureNum))]).to.deep.equal([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
    ]);
  });

  it('maps accounts to the PCG with sub-ledger numbers, journals per kind, amounts with a comma', async () => {
    const rows = parse((await exportFec(db.knex, YEAR)).content);
    const funding = rows.filter((row) => row.EcritureNum === '1');
    expect(
      funding.map((row) => [row.JournalCode, row.CompteNum, row.CompAuxNum, row.Debit, row.Credit]),
    ).to.deep.equal([
      ['BQ', '512000', '', '1040,00', '0,00'],
      ['BQ', '419100', `F${FUNDER.replaceAll('-', '').toUpperCase()}`, '0,00', '1000,00'],
      ['BQ', '706000', '', '0,00', '40,00'],
    ]);
    expect(funding[1]?.CompAuxLib).to.equal(`Commanditaire ${FUNDER}`);
    expect(funding[0]).to.include({
      EcritureDate: '20260105',
      PieceDate: '20260105',
      EcritureLib: 'Financement reçu',
    });
    const big = rows.filter((row) => row.EcritureNum === '7');
    expect(big.map((row) => row.Debit)).to.deep.equal(['12345,67', '0,00']);
    const rejected = rows.filter((row) => row.EcritureNum === '6');
    expect(rejected[0]).to.include({ JournalCode: 'BQ', EcritureLib: 'Virement rejeté' });
  });

  it('keeps € and accents in ISO-8859-15 and never lets a field break the columns', async () => {
    const { content } = await exportFec(db.knex, YEAR);
    expect(content.includes(Buffer.from([0xa4]))).to.equal(true);
    expect(content.includes(Buffer.from('€', 'utf8'))).to.equal(false);
    const rows = parse(content);
    expect(rows.find((row) => row.EcritureNum === '3')?.EcritureLib).to.equal('Atelier tablette € 10');
  });

  it('writes tab-separated files too, through a stream, with names from the registry', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    const summary = await writeFec(
      db.knex,
      { ...YEAR, separator: '\t', auxiliary: () => ({ name: 'Département du Rhône' }) },
      out,
    );
    const content = Buffer.concat(chunks);
    expect(auditFec(content, { ...AUDIT, fileName: summary.fileName }).ok).to.equal(true);
    expect(parse(content, '\t').find((row) => row.CompAuxNum !== '')?.CompAuxLib).to.equal(
      'Département du Rhône',
    );
  });

  it('refuses an invalid SIREN or date range', async () => {
    expect(await rejectionOf(exportFec(db.knex, { ...YEAR, siren: '123456789' }))).to.include({
      code: 'validation_failed',
    });
    expect(await rejectionOf(exportFec(db.knex, { ...YEAR, from: '2027-01-01' }))).to.include({
      code: 'validation_failed',
    });
  });

  it('refuses a period holding entries in another currency', async () => {
    const other = await createTestDatabase(ledgerMigrations);
    try {
      await post(other.knex, {
        ...buildActivation({ amount: 10n }),
        currency: 'CHF',
        effectiveDate: '2026-05-05',
      });
      expect(await rejectionOf(exportFec(other.knex, YEAR))).to.include({
        status: 422,
        code: 'fec_currency_unsupported',
      });
    } finally {
      await other.destroy();
    }
  });
});
