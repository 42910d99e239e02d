import type { Config } from '@pass/config';
import type { Db } from '@pass/db';
import { toCsv } from '@pass/http';
import { batchReference, serialLabel } from '@pass/vouchers';
import { formatRateFr } from '../clearing/fee';
import { PAYOUT_STATUS_LABELS } from '../payouts/payout';
import { addDays, businessDate, formatDateFr, formatDateTimeFr, isoDateToFr } from '../shared/business-time';
import { euros, frenchDecimal } from '../shared/money-format';
import {
  createPdf,
  keyValues,
  operatorHeader,
  pageNumbers,
  pdfToBuffer,
  table,
  text,
} from '../shared/pdf-layout';
import {
  type Statement,
  type StatementLine,
  type StatementRedemption,
  statementLines,
  statementRedemptions,
  statementTotals,
} from './statement-store';

/** Redemptions listed in a statement PDF; beyond, the PDF points to the CSV (a 50,000-line PDF helps no one). */
export const PDF_DETAIL_MAX = 5000;
const PAGE = 2000;

/** "du 01/11/2026 au 30/11/2026", or "jusqu'au 21/11/2026 14:03" for a statement asked by hand. */
export function periodLabel(statement: Pick<Statement, 'cutoff' | 'periodStart'>, timeZone: string): string {
  const cutoffDate = businessDate(statement.cutoff, timeZone);
  const cutAtMidnight = formatDateTimeFr(statement.cutoff, timeZone).endsWith('00:00');
  if (statement.periodStart && cutAtMidnight) {
    return `du ${formatDateFr(statement.periodStart, timeZone)} au ${isoDateToFr(addDays(cutoffDate, -1))}`;
  }
  return `jusqu'au ${formatDateTimeFr(statement.cutoff, timeZone)} (exclu)`;
}

/** Every redemption of a statement, page by page (a statement can hold a million of them). */
export async function* allRedemptions(db: Db, statementId: string, max = Number.POSITIVE_INFINITY) {
  let after: { redeemedAt: Date; redemptionId: string } | undefined;
  let count = 0;
  for (;;) {
    const page: StatementRedemption[] = await statementRedemptions(db, statementId, after, PAGE);
    for (const item of page) {
      if (count++ >= max) return;
      yield item;
    }
    if (page.length < PAGE) return;
    const last = page[page.length - 1]!;
    after = { redeemedAt: last.redeemedAt, redemptionId: last.redemptionId };
  }
}

/**
 * The statement as a PDF (French formats: 10,00 €, dd/mm/yyyy): operator and payee, period, totals by venue
 * and funder, gross, fee and net, the transfer, and the redemptions. Built from the stored statement only,
 * so the same statement always gives the same document.
 */
export async function renderStatementPdf(
  db: Db,
  statement: Statement,
  config: Pick<Config, 'operator' | 'businessTimezone'>,
): Promise<Buffer> {
  const timeZone = config.businessTimezone;
  const number = statement.number ?? 'BROUILLON';
  const doc = createPdf(`Relevé de contre-paiement ${number}`, statement.issuedAt ?? statement.createdAt);
  operatorHeader(doc, config.operator);

  doc.font('Helvetica-Bold').fontSize(16);
  text(doc, `Relevé de contre-paiement n° ${number}`);
  doc.moveDown(0.5);
  const payee = statement.payee;
  keyValues(doc, [
    ["Date d'émission", isoDateToFr(statement.issueDate)],
    ['Période', periodLabel(statement, timeZone)],
    ['Bénéficiaire', payee ? payee.legalName : statement.associationId],
    [
      'Adresse',
      payee
        ? `${[payee.buildingNumber, payee.streetName].filter(Boolean).join(' ')}, ${payee.postcode} ${payee.town}`
        : '',
    ],
    [
      'Identifiant',
      payee
        ? [payee.siret && `SIRET ${payee.siret}`, payee.rna && `RNA ${payee.rna}`].filter(Boolean).join(' — ')
        : '',
    ],
  ]);

  doc.font('Helvetica-Bold').fontSize(12);
  text(doc, 'Récapitulatif');
  doc.moveDown(0.3);
  keyValues(doc, [
    ['Prestations (contre-marques)', String(statement.redemptionCount)],
    ['Pass numériques', String(statement.voucherCount)],
    ['Montant brut', euros(statement.grossCents)],
    [`Commission (${formatRateFr(statement.feeRate)})`, euros(statement.feeCents)],
    ['Net à payer', euros(statement.netCents)],
    [
      'Virement',
      statement.payout
        ? `${PAYOUT_STATUS_LABELS[statement.payout.status]}${
            statement.payout.executionDate
              ? `, exécution le ${isoDateToFr(statement.payout.executionDate)}`
              : ''
          } — référence RELEVE ${number}`
        : 'Aucun virement (montant nul)',
    ],
  ]);

  doc.font('Helvetica-Bold').fontSize(12);
  text(doc, 'Totaux par lieu et par financeur');
  doc.moveDown(0.3);
  const totals = await statementTotals(db, statement.id);
  table(
    doc,
    [
      { header: 'Lieu', width: 200 },
      { header: 'Financeur', width: 175 },
      { header: 'Pass', width: 50, align: 'right' },
      { header: 'Montant', width: 90, align: 'right' },
    ],
    totals.map((total) => [
      total.venueName,
      total.funderName,
      String(total.voucherCount),
      euros(total.grossCents),
    ]),
  );

  doc.font('Helvetica-Bold').fontSize(12);
  text(doc, 'Détail des prestations');
  doc.moveDown(0.3);
  const rows: string[][] = [];
  for await (const redemption of allRedemptions(db, statement.id, PDF_DETAIL_MAX)) {
    rows.push([
      formatDateTimeFr(redemption.redeemedAt, timeZone),
      redemption.venueName,
      redemption.serviceName,
      redemption.funderNames,
      String(redemption.voucherCount),
      euros(redemption.amountCents),
    ]);
  }
  table(
    doc,
    [
      { header: 'Date', width: 72 },
      { header: 'Lieu', width: 130 },
      { header: 'Service', width: 135 },
      { header: 'Financeur', width: 98 },
      { header: 'Pass', width: 30, align: 'right' },
      { header: 'Montant', width: 50, align: 'right' },
    ],
    rows,
  );
  if (statement.redemptionCount > PDF_DETAIL_MAX) {
    doc.font('Helvetica-Oblique').fontSize(9);
    text(
      doc,
      `Détail limité aux ${PDF_DETAIL_MAX} premières prestations : le fichier CSV du relevé les contient toutes.`,
    );
  }
  pageNumbers(doc, `Relevé ${number}`);
  return pdfToBuffer(doc);
}

export const STATEMENT_CSV_HEADER = [
  'Relevé',
  'Date',
  'Heure',
  'Lieu',
  'Service',
  'Financeur',
  'Lot',
  'N° de pass',
  'Montant (€)',
];

function lineRow(number: string, line: StatementLine, timeZone: string): string[] {
  const [date = '', time = ''] = formatDateTimeFr(line.redeemedAt, timeZone).split(' ');
  return [
    number,
    date,
    time,
    line.venueName,
    line.serviceName,
    line.funderName,
    line.batchNumber === null ? '' : batchReference(line.batchNumber),
    line.batchNumber === null || line.serial === null ? '' : serialLabel(line.batchNumber, line.serial),
    frenchDecimal(line.faceValueCents),
  ];
}

/**
 * The statement as CSV, one line per pass (`;`, UTF-8 with BOM, dd/mm/yyyy, decimal comma), yielded in
 * pieces so a large statement streams instead of being built in memory.
 */
export async function* statementCsvChunks(
  db: Db,
  statement: Statement,
  timeZone: string,
): AsyncGenerator<string> {
  const number = statement.number ?? 'BROUILLON';
  let after: { redeemedAt: Date; redemptionId: string; voucherId: string } | undefined;
  let first = true;
  for (;;) {
    const page = await statementLines(db, statement.id, after, PAGE);
    const rows = page.map((line) => lineRow(number, line, timeZone));
    // toCsv writes the BOM and the header: keep them for the first piece only.
    const csv = toCsv(STATEMENT_CSV_HEADER, rows);
    yield first ? csv : csv.slice(csv.indexOf('\r\n') + 2);
    first = false;
    if (page.length < PAGE) return;
    const last = page[page.length - 1]!;
    after = { redeemedAt: last.redeemedAt, redemptionId: last.redemptionId, voucherId: last.voucherId };
  }
}
