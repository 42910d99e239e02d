import { recordAudit } from '@pass/audit';
import type { Principal } from '@pass/auth';
import type { Config } from '@pass/config';
import type { Db } from '@pass/db';
import { ConflictError, NotFoundError } from '@pass/errors';
import { accounts, credit, debit, post } from '@pass/ledger';
import { actorOf } from '../shared/access';
import { businessDate, formatDateFr, isoDateToFr } from '../shared/business-time';
import { rowsOf, toBigint, toDate, toDateOrNull, toIsoDate, toJson } from '../shared/db-values';
import { euros } from '../shared/money-format';
import {
  createPdf,
  keyValues,
  operatorHeader,
  pageNumbers,
  pdfToBuffer,
  table,
  text,
} from '../shared/pdf-layout';
import type { SettlementDeps } from '../shared/settlement-deps';

/** issued → refunded (transfer to the funder) | used (against a new order). */
export type CreditNoteStatus = 'issued' | 'refunded' | 'used';

export const CREDIT_NOTE_STATUS_LABELS: Readonly<Record<CreditNoteStatus, string>> = {
  issued: 'Émis',
  refunded: 'Remboursé',
  used: 'Imputé sur une commande',
};

/** The funder as printed on its credit note. */
export interface FunderSnapshot {
  name: string;
  street: string | null;
  buildingNumber: string | null;
  postcode: string | null;
  town: string | null;
  country: string | null;
  siret: string | null;
}

/** An avoir: the face value of the passes of a batch that expired unused. */
export interface CreditNote {
  id: string;
  number: string;
  funderId: string;
  batchId: string;
  batchReference: string;
  voucherCount: number;
  amountCents: bigint;
  issueDate: string;
  funder: FunderSnapshot;
  status: CreditNoteStatus;
  issuedAt: Date;
  settledAt: Date | null;
  settledBy: string | null;
  refundReference: string | null;
  usedForReference: string | null;
  settleEntryId: string | null;
}

interface DbCreditNoteRow {
  id: string;
  number: string;
  funder_id: string;
  batch_id: string;
  batch_reference: string;
  voucher_count: number;
  amount_cents: string;
  issue_date: string;
  funder: unknown;
  status: CreditNoteStatus;
  issued_at: Date | string;
  settled_at: Date | string | null;
  settled_by: string | null;
  refund_reference: string | null;
  used_for_reference: string | null;
  settle_entry_id: string | null;
}

function creditNoteFromRow(row: DbCreditNoteRow): CreditNote {
  return {
    id: row.id,
    number: row.number,
    funderId: row.funder_id,
    batchId: row.batch_id,
    batchReference: row.batch_reference,
    voucherCount: Number(row.voucher_count),
    amountCents: toBigint(row.amount_cents),
    issueDate: toIsoDate(row.issue_date),
    funder: toJson<FunderSnapshot>(row.funder),
    status: row.status,
    issuedAt: toDate(row.issued_at),
    settledAt: toDateOrNull(row.settled_at),
    settledBy: row.settled_by,
    refundReference: row.refund_reference,
    usedForReference: row.used_for_reference,
    settleEntryId: row.settle_entry_id === null ? null : String(row.settle_entry_id),
  };
}

export async function findCreditNote(
  db: Db,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<CreditNote | undefined> {
  const query = db<DbCreditNoteRow>('settlement.credit_notes').where({ id }).first();
  if (options.forUpdate) query.forUpdate();
  const row = await query;
  return row ? creditNoteFromRow(row) : undefined;
}

/** Credit notes newest first, keyset-paginated on (issued_at, id). */
export async function listCreditNotes(
  db: Db,
  filter: {
    funderId?: string | undefined;
    status?: CreditNoteStatus | undefined;
    before?: { issuedAt: Date; id: string } | undefined;
    limit: number;
  },
): Promise<CreditNote[]> {
  const query = db<DbCreditNoteRow>('settlement.credit_notes')
    .orderBy([
      { column: 'issued_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(filter.limit);
  if (filter.funderId) query.where({ funder_id: filter.funderId });
  if (filter.status) query.where({ status: filter.status });
  if (filter.before)
    query.whereRaw('(issued_at, id) < (?::timestamptz, ?::uuid)', [filter.before.issuedAt, filter.before.id]);
  return (await query.select()).map(creditNoteFromRow);
}

/** The funder's name and billing address, as the credit note prints them. */
export async function loadFunderSnapshot(db: Db, funderId: string): Promise<FunderSnapshot> {
  const [row] = rowsOf<{
    name: string;
    billing_street: string | null;
    billing_building_number: string | null;
    billing_postcode: string | null;
    billing_town: string | null;
    billing_country: string | null;
    siret: string | null;
  }>(
    await db.raw(
      `select o.name, f.billing_street, f.billing_building_number, f.billing_postcode, f.billing_town,
              f.billing_country, f.siret
         from registry.organisations o left join registry.funders f on f.organisation_id = o.id
        where o.id = ?`,
      [funderId],
    ),
  );
  return {
    name: row?.name ?? funderId,
    street: row?.billing_street ?? null,
    buildingNumber: row?.billing_building_number ?? null,
    postcode: row?.billing_postcode ?? null,
    town: row?.billing_town ?? null,
    country: row?.billing_country ?? null,
    siret: row?.siret ?? null,
  };
}

/** How a credit note ends: refunded by transfer, or used to pay for a new order. */
export type CreditNoteSettlement =
  | { kind: 'refund'; bankReference: string }
  | { kind: 'use'; orderReference: string };

/**
 * Settles a credit note once, in one transaction with its ledger entry: a refund debits the funder's credit
 * notes and credits the operator's bank (`credit_note_refunded`); a use moves it to the funder's prepaid
 * account (`credit_note_used`), where the issuance service finds it as funding of the order named in
 * `used_for_reference`. Repeating the same settlement returns the credit note unchanged; another one is 409.
 */
export async function settleCreditNote(
  deps: SettlementDeps,
  id: string,
  settlement: CreditNoteSettlement,
  principal: Principal,
): Promise<CreditNote> {
  return deps.knex.transaction(async (trx) => {
    const note = await findCreditNote(trx, id, { forUpdate: true });
    if (!note) throw new NotFoundError('credit_note_not_found', 'No such credit note.');
    const wanted: CreditNoteStatus = settlement.kind === 'refund' ? 'refunded' : 'used';
    const reference = settlement.kind === 'refund' ? settlement.bankReference : settlement.orderReference;
    if (note.status !== 'issued') {
      const same = note.status === wanted && (note.refundReference ?? note.usedForReference) === reference;
      if (same) return note;
      throw new ConflictError(
        'credit_note_already_settled',
        'This credit note has already been refunded or used.',
        {
          details: { status: note.status },
        },
      );
    }
    const now = deps.clock();
    const actor = actorOf(principal);
    const entry = await post(trx, {
      kind: settlement.kind === 'refund' ? 'credit_note_refunded' : 'credit_note_used',
      reference: `credit_note:${note.id}`,
      actor,
      description:
        settlement.kind === 'refund'
          ? `Remboursement avoir ${note.number}`
          : `Avoir ${note.number} imputé sur ${settlement.orderReference}`,
      effectiveDate: businessDate(now, deps.config.businessTimezone),
      idempotencyKey: `settlement:credit-note:${note.id}`,
      lines: [
        debit(accounts.funderCreditNotes(note.funderId), note.amountCents),
        settlement.kind === 'refund'
          ? credit(accounts.operatorBank(), note.amountCents)
          : credit(accounts.funderPrepaid(note.funderId), note.amountCents),
      ],
    });
    await trx('settlement.credit_notes')
      .where({ id: note.id, status: 'issued' })
      .update({
        status: wanted,
        settled_at: now,
        settled_by: actor,
        refund_reference: settlement.kind === 'refund' ? settlement.bankReference : null,
        used_for_reference: settlement.kind === 'use' ? settlement.orderReference : null,
        settle_entry_id: entry.id,
      });
    await recordAudit(trx, {
      actor: principal,
      action: `settlement.credit_note_${wanted}`,
      targetType: 'credit_note',
      targetId: note.id,
      organisationId: note.funderId,
      summary: { number: note.number, amount: note.amountCents.toString(), reference, entryId: entry.id },
      at: now,
    });
    return (await findCreditNote(trx, note.id))!;
  });
}

/** The credit note as a PDF (French formats), built from the stored row only. */
export async function renderCreditNotePdf(
  note: CreditNote,
  config: Pick<Config, 'operator' | 'businessTimezone'>,
  batch: { validUntil: string; toleranceDays: number; faceValueCents: bigint } | undefined,
): Promise<Buffer> {
  const doc = createPdf(`Avoir ${note.number}`, note.issuedAt);
  operatorHeader(doc, config.operator);
  doc.font('Helvetica-Bold').fontSize(16);
  text(doc, `Avoir n° ${note.number}`);
  doc.moveDown(0.5);
  const funder = note.funder;
  keyValues(doc, [
    ["Date d'émission", isoDateToFr(note.issueDate)],
    ['Financeur', funder.name],
    [
      'Adresse',
      [
        [funder.buildingNumber, funder.street].filter(Boolean).join(' '),
        [funder.postcode, funder.town].filter(Boolean).join(' '),
      ]
        .filter(Boolean)
        .join(', '),
    ],
    ['SIRET', funder.siret ?? ''],
    ['Lot', note.batchReference],
    [
      'Objet',
      batch
        ? `Pass numériques non utilisés, expirés le ${isoDateToFr(batch.validUntil)} (+ ${batch.toleranceDays} jours de tolérance)`
        : 'Pass numériques expirés non utilisés',
    ],
  ]);
  const faceValue = batch?.faceValueCents ?? note.amountCents / BigInt(note.voucherCount);
  table(
    doc,
    [
      { header: 'Désignation', width: 255 },
      { header: 'Quantité', width: 70, align: 'right' },
      { header: 'Valeur faciale', width: 90, align: 'right' },
      { header: 'Montant', width: 100, align: 'right' },
    ],
    [
      [
        `Pass numériques expirés — ${note.batchReference}`,
        String(note.voucherCount),
        euros(faceValue),
        euros(note.amountCents),
      ],
    ],
  );
  doc.font('Helvetica-Bold').fontSize(12);
  text(doc, `Montant de l'avoir : ${euros(note.amountCents)}`);
  doc.moveDown(0.5);
  doc.font('Helvetica').fontSize(10);
  text(
    doc,
    'Cet avoir correspond à la valeur faciale des pass numériques restés inutilisés à leur expiration. ' +
      'Il est remboursé par virement ou imputé sur une prochaine commande, au choix du financeur.',
  );
  doc.moveDown(0.5);
  const status =
    note.status === 'refunded'
      ? `Remboursé le ${formatDateFr(note.settledAt!, config.businessTimezone)} (référence ${note.refundReference})`
      : note.status === 'used'
        ? `Imputé le ${formatDateFr(note.settledAt!, config.businessTimezone)} sur la commande ${note.usedForReference}`
        : 'En attente de remboursement ou d’imputation';
  text(doc, `Statut : ${status}`);
  pageNumbers(doc, `Avoir ${note.number}`);
  return pdfToBuffer(doc);
}
