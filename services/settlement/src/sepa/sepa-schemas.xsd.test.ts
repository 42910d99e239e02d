// Validates generated files against the official ISO 20022 XSDs with xmllint (Debian libxml2-utils).
// These tests spawn xmllint and read the schemas: when xmllint is missing they fail with the install
// command, they never skip.
import { expect } from 'chai';
import fc from 'fast-check';
import { buildCamt054, type Camt054Version } from './build-camt054';
import { buildPain001, type Pain001Payment } from './build-pain001';
import { MAX_SEPA_AMOUNT_CENTS } from './cents';
import {
  buildAddress,
  buildCamt054Input,
  buildCamtEntry,
  buildCreditor,
  buildPain001Input,
  buildPayment,
  SEPA_IBANS,
} from './sepa-test-builders';
import { validateWithXmllint } from './xsd-validation';

function expectValid(result: { valid: boolean; errors: string[] }): void {
  expect(result.errors, result.errors.join('\n')).to.deep.equal([]);
  expect(result.valid).to.equal(true);
}

/**
 * No camt.054.001.08 XSD could be vendored (see schemas/README.md). camt.052.001.08 is its 2019 sibling:
 * same group header and the very same ReportEntry10 entry type, only the root and container names differ.
 * Renaming them lets xmllint check every 001.08 entry the builder writes against an official schema.
 */
function asCamt052Report(camt054: string): string {
  return camt054
    .replace(
      'urn:iso:std:iso:20022:tech:xsd:camt.054.001.08',
      'urn:iso:std:iso:20022:tech:xsd:camt.052.001.08',
    )
    .replaceAll('BkToCstmrDbtCdtNtfctn>', 'BkToCstmrAcctRpt>')
    .replaceAll('Ntfctn>', 'Rpt>');
}

function validateCamt054(xml: string, version: Camt054Version) {
  return version === '001.08'
    ? validateWithXmllint(asCamt052Report(xml), 'camt.052.001.08')
    : validateWithXmllint(xml, `camt.054.${version}`);
}

const FRENCH_NAMES = [
  'Association « Les Amis d’Émile »',
  'Maison des Jeunes et de la Culture de Saint-Étienne',
  'Cœur & Numérique',
  'Régie de quartier – Bron',
  'Ligue de l’enseignement n°69',
  'ŒUVRE SOCIALE DU 11ᵉ',
  'Emmaüs Connect',
];

describe('SEPA files against the official XSDs (xmllint)', () => {
  it('fails with the install command when xmllint is missing, instead of skipping', () => {
    expect(() =>
      validateWithXmllint('<x/>', 'pain.001.001.09', { xmllintPath: '/nonexistent/xmllint' }),
    ).to.throw(/apt-get install -y libxml2-utils/);
  });

  it('rejects a tampered pain.001, so a passing validation means something', () => {
    const xml = buildPain001(buildPain001Input());
    const result = validateWithXmllint(
      xml.replace('<ChrgBr>SLEV</ChrgBr>', '<ChrgBr>FREE</ChrgBr>'),
      'pain.001.001.09',
    );
    expect(result.valid).to.equal(false);
    expect(result.errors.join('\n')).to.include('ChrgBr');
  });

  it('validates a one-payment pain.001.001.09', () => {
    expectValid(validateWithXmllint(buildPain001(buildPain001Input()), 'pain.001.001.09'));
  });

  it('validates pain.001.001.09 files with many payments, dates, accented names and random amounts', () => {
    const payment = fc.record({
      cents: fc.bigInt({ min: 1n, max: MAX_SEPA_AMOUNT_CENTS }),
      date: fc.constantFrom('2026-12-01', '2026-12-02', '2027-01-04'),
      name: fc.constantFrom(...FRENCH_NAMES),
      iban: fc.constantFrom(...SEPA_IBANS),
      withBic: fc.boolean(),
      withBuildingNumber: fc.boolean(),
      remittance: fc.string({ unit: 'grapheme', maxLength: 100 }),
    });
    fc.assert(
      fc.property(fc.array(payment, { minLength: 1, maxLength: 40 }), fc.boolean(), (rows, batchBooking) => {
        const payments: Pain001Payment[] = rows.map((row, index) =>
          buildPayment({
            endToEndId: `PO-${index}-${row.cents}`.slice(0, 35),
            amountCents: row.cents,
            requestedExecutionDate: row.date,
            creditor: buildCreditor({
              name: row.name,
              iban: row.iban,
              ...(row.withBic ? { bic: 'CCBPFRPPLYO' } : {}),
              address: buildAddress({ buildingNumber: row.withBuildingNumber ? '7 ter' : undefined }),
            }),
            remittanceInformation: `RELEVE PN-2026-${String(index).padStart(6, '0')} ${row.remittance}`,
          }),
        );
        expectValid(
          validateWithXmllint(buildPain001(buildPain001Input({ payments, batchBooking })), 'pain.001.001.09'),
        );
      }),
      { numRuns: 25 },
    );
  });

  for (const version of ['001.02', '001.04', '001.08'] as const) {
    it(`validates a camt.054.${version} with paid, returned and pending lines`, () => {
      const xml = buildCamt054(
        buildCamt054Input({
          version,
          entries: [
            buildCamtEntry({ additionalInfo: 'VIR SEPA EMIS' }),
            buildCamtEntry({
              kind: 'returned',
              endToEndId: 'PAYOUT-2',
              reasonCode: 'AC04',
              additionalInfo: 'Compte clôturé',
              bookingDate: '2026-12-04',
            }),
            buildCamtEntry({
              endToEndId: 'PAYOUT-3',
              status: 'PDNG',
              creditor: undefined,
              remittanceInformation: undefined,
            }),
          ],
        }),
      );
      expectValid(validateCamt054(xml, version));
    });

    it(`validates random camt.054.${version} notifications`, () => {
      const entry = fc.record({
        kind: fc.constantFrom('paid' as const, 'returned' as const),
        cents: fc.bigInt({ min: 1n, max: 99_999_999_999n }),
        reasonCode: fc.constantFrom('AC01', 'AC04', 'AM05', 'MS03'),
        withCreditor: fc.boolean(),
      });
      fc.assert(
        fc.property(fc.array(entry, { maxLength: 15 }), (rows) => {
          const entries = rows.map((row, index) =>
            buildCamtEntry({
              kind: row.kind,
              endToEndId: `PAYOUT-${index}`,
              amountCents: row.cents,
              reasonCode: row.reasonCode,
              ...(row.withCreditor ? {} : { creditor: undefined }),
            }),
          );
          expectValid(validateCamt054(buildCamt054(buildCamt054Input({ version, entries })), version));
        }),
        { numRuns: 15 },
      );
    });
  }

  it('tells the versions apart: a 001.08 entry status is refused by the 001.02 schema', () => {
    const input = buildCamt054Input({ version: '001.08', account: { iban: 'FR7630006000011234567890189' } });
    const xml = buildCamt054(input).replace('camt.054.001.08', 'camt.054.001.02');
    const result = validateWithXmllint(xml, 'camt.054.001.02');
    expect(result.valid).to.equal(false);
    expect(result.errors.join('\n')).to.match(/Element '\{[^}]+\}Sts'/);
  });
});
