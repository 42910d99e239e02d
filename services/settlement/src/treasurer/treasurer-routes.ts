import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ApiRouter, type AppContext, pageQuerySchema, toCsv } from '@pass/http';
import type { Response, Router } from 'express';
import { endToEndIdFromPayoutId } from '../sepa';
import { associationScope, OPERATORS } from '../shared/access';
import { formatDateFr, formatDateTimeFr, isoDateToFr } from '../shared/business-time';
import { frenchDecimal, moneyJson } from '../shared/money-format';
import { z } from '../shared/openapi-zod';
import { dateRangeQuery, instantRange, nextCursorOf, timeCursor } from '../shared/route-helpers';
import { PAYOUT_STATUS_LABELS } from '../payouts/payout';
import { HOLD_REASON_LABELS, type HoldReason } from '../payouts/payout-account';
import { listPayouts, listRedemptions, type PayoutRow, type TreasurerRedemption } from './treasurer-store';

/** Rows read per query when writing an export. */
const EXPORT_PAGE = 5000;

const redemptionView = z
  .object({
    id: z.uuid(),
    redeemedAt: z.string(),
    status: z.enum(['live', 'undone']),
    venue: z.string(),
    service: z.string(),
    serviceCategory: z.string(),
    funders: z.string(),
    voucherCount: z.number().int(),
    amount: z.object({ amount: z.string(), currency: z.literal('EUR') }),
    statementId: z.uuid().nullable(),
    statementNumber: z.string().nullable(),
  })
  .openapi('TreasurerRedemption');

function toRedemptionView(row: TreasurerRedemption): z.infer<typeof redemptionView> {
  return {
    id: row.id,
    redeemedAt: row.redeemedAt.toISOString(),
    status: row.status,
    venue: row.venueName,
    service: row.serviceName,
    serviceCategory: row.serviceCategory,
    funders: row.funderNames,
    voucherCount: row.voucherCount,
    amount: moneyJson(row.amountCents),
    statementId: row.statementId,
    statementNumber: row.statementNumber,
  };
}

const exportQuery = dateRangeQuery.extend({ associationId: z.uuid().optional() });

/** One line per payout, for the association's bookkeeping. */
export const PAYOUT_CSV_HEADER = [
  'N° de relevé',
  'Date du relevé',
  'Période',
  'Montant brut (€)',
  'Commission (€)',
  'Net versé (€)',
  'Statut',
  "Date d'exécution",
  'Date de paiement',
  'Motif de rejet',
  'Libellé du virement',
  'Référence de virement',
];

export function payoutCsvRow(row: PayoutRow, timeZone: string): string[] {
  const cutoffDay = formatDateTimeFr(row.statementCutoff, timeZone);
  return [
    row.statementNumber,
    isoDateToFr(row.statementIssueDate),
    row.statementPeriodStart
      ? `${formatDateFr(row.statementPeriodStart, timeZone)} - ${formatDateFr(new Date(row.statementCutoff.getTime() - 1), timeZone)}`
      : `jusqu'au ${cutoffDay}`,
    frenchDecimal(row.grossCents),
    frenchDecimal(row.feeCents),
    frenchDecimal(row.amountCents),
    row.status === 'held' && row.holdReason
      ? `${PAYOUT_STATUS_LABELS.held} : ${HOLD_REASON_LABELS[row.holdReason as HoldReason] ?? row.holdReason}`
      : PAYOUT_STATUS_LABELS[row.status],
    row.executionDate ? isoDateToFr(row.executionDate) : '',
    row.paidOn ? isoDateToFr(row.paidOn) : '',
    row.rejectionReason ?? '',
    row.remittance ?? '',
    endToEndIdFromPayoutId(row.id),
  ];
}

/** One line per redemption with venue, service, funder and date, for the association's bookkeeping. */
export const REDEMPTION_CSV_HEADER = [
  'Date',
  'Heure',
  'Lieu',
  'Service',
  'Catégorie',
  'Financeur',
  'Nombre de pass',
  'Montant (€)',
  'N° de relevé',
  'Identifiant',
];

export function redemptionCsvRow(row: TreasurerRedemption, timeZone: string): string[] {
  const [date = '', time = ''] = formatDateTimeFr(row.redeemedAt, timeZone).split(' ');
  return [
    date,
    time,
    row.venueName,
    row.serviceName,
    row.serviceCategory,
    row.funderNames,
    String(row.voucherCount),
    frenchDecimal(row.amountCents),
    row.statementNumber ?? '',
    row.id,
  ];
}

function sendCsvHead(res: Response, fileName: string): void {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
}

async function writeChunk(res: Response, chunk: string): Promise<void> {
  if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
}

/** The CSV text of rows without the BOM and header that toCsv puts first. */
function bodyOnly(header: string[], rows: string[][]): string {
  const csv = toCsv(header, rows);
  return csv.slice(csv.indexOf('\r\n') + 2);
}

export function treasurerRoutes(ctx: AppContext, openapi: OpenAPIRegistry): Router {
  const api = new ApiRouter(openapi);
  const tags = ['settlement'];
  const timeZone = ctx.config.businessTimezone;
  const readers = [...OPERATORS, 'association_treasurer'] as const;

  api.get(
    '/settlement/redemptions',
    {
      summary: 'Redemptions of an association with the statement they are on, newest first',
      tags,
      access: readers,
      query: pageQuerySchema.extend(exportQuery.shape),
      response: z.object({ items: z.array(redemptionView), nextCursor: z.string().nullable() }),
    },
    async ({ query, principal }) => {
      const associationId = associationScope(principal!, query.associationId);
      const range = instantRange(query, timeZone);
      const rows = await listRedemptions(ctx.knex, {
        associationId,
        ...range,
        liveOnly: false,
        before: timeCursor(query.cursor, 'redeemedAt'),
        limit: query.limit + 1,
      });
      return {
        items: rows.slice(0, query.limit).map(toRedemptionView),
        nextCursor: nextCursorOf(rows, query.limit, (row) => [row.redeemedAt, row.id]),
      };
    },
  );

  api.get(
    '/settlement/exports/payouts.csv',
    {
      summary:
        'CSV for bookkeeping: one line per payout with its statement number (statements issued in the range)',
      tags,
      access: readers,
      query: exportQuery,
      produces: { 'text/csv': 'Contre-paiements' },
    },
    async ({ query, principal, res }) => {
      const associationId = associationScope(principal!, query.associationId);
      sendCsvHead(res, 'contre-paiements.csv');
      await writeChunk(res, toCsv(PAYOUT_CSV_HEADER, []));
      let before: { createdAt: Date; id: string } | undefined;
      for (;;) {
        const rows = await listPayouts(ctx.knex, {
          associationId,
          issuedFrom: query.from,
          issuedTo: query.to,
          before,
          limit: EXPORT_PAGE,
        });
        if (rows.length > 0)
          await writeChunk(
            res,
            bodyOnly(
              PAYOUT_CSV_HEADER,
              rows.map((row) => payoutCsvRow(row, timeZone)),
            ),
          );
        if (rows.length < EXPORT_PAGE) break;
        const last = rows[rows.length - 1]!;
        before = { createdAt: last.createdAt, id: last.id };
      }
      res.end();
      return undefined;
    },
  );

  api.get(
    '/settlement/exports/redemptions.csv',
    {
      summary: 'CSV for bookkeeping: one line per redemption (live) with venue, service, funder and date',
      tags,
      access: readers,
      query: exportQuery,
      produces: { 'text/csv': 'Prestations' },
    },
    async ({ query, principal, res }) => {
      const associationId = associationScope(principal!, query.associationId);
      const range = instantRange(query, timeZone);
      sendCsvHead(res, 'prestations.csv');
      await writeChunk(res, toCsv(REDEMPTION_CSV_HEADER, []));
      let before: { redeemedAt: Date; id: string } | undefined;
      for (;;) {
        const rows = await listRedemptions(ctx.knex, {
          associationId,
          ...range,
          liveOnly: true,
          before,
          limit: EXPORT_PAGE,
        });
        if (rows.length > 0) {
          await writeChunk(
            res,
            bodyOnly(
              REDEMPTION_CSV_HEADER,
              rows.map((row) => redemptionCsvRow(row, timeZone)),
            ),
          );
        }
        if (rows.length < EXPORT_PAGE) break;
        const last = rows[rows.length - 1]!;
        before = { redeemedAt: last.redeemedAt, id: last.id };
      }
      res.end();
      return undefined;
    },
  );
  return api.router;
}
