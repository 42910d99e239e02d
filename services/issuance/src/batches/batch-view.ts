import type { Db } from '@pass/db';
import { NotFoundError } from '@pass/errors';
import { Money, type MoneyJson } from '@pass/money';
import { type Batch, batchReference, distributionStopDate, getBatch, lastAcceptedDate } from '@pass/vouchers';
import { getGeneration } from '../generation/generation-store';
import { type GenerationProgress, generationProgress } from '../generation/generation-progress';
import { getBookletRender, type BookletRenderRecord } from '../printing/booklet-render-store';
import { findFunding, type Funding } from '../funding/funding-store';
import { organisationNames } from './funder-directory';
import { getOrder, type Order } from './order-store';

/** A batch as the API shows it: terms, order and quote, funding, generation and rendering progress. */
export interface BatchView {
  id: string;
  reference: string;
  number: number;
  funder: { id: string; name: string | null };
  status: Batch['status'];
  faceValue: MoneyJson;
  bookletSize: number;
  bookletCount: number;
  voucherCount: number;
  validFrom: string;
  validUntil: string;
  toleranceDays: number;
  lastAcceptedDate: string;
  distributionStopDate: string;
  territory: Batch['territory'];
  serviceCategories: string[];
  wording: string;
  quote: {
    faceTotal: MoneyJson;
    upstreamFeeRate: string;
    upstreamFee: MoneyJson;
    vatRate: string;
    vat: MoneyJson;
    total: MoneyJson;
  };
  funding: {
    amount: MoneyJson;
    method: Funding['method'];
    reference: string;
    receivedOn: string;
    recordedBy: string;
    recordedAt: string;
  } | null;
  generation:
    | (Omit<GenerationProgress, 'startedAt' | 'completedAt'> & {
        startedAt: string | null;
        completedAt: string | null;
      })
    | null;
  proof: { approved: boolean; approvedBy: string | null; approvedAt: string | null };
  bookletsPdf: {
    state: BookletRenderRecord['state'];
    renderedPasses: number;
    totalPasses: number;
    bytes: number | null;
    completedAt: string | null;
    lastError: string | null;
  } | null;
  createdAt: string;
  submittedAt: string | null;
  activatedAt: string | null;
  closedAt: string | null;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** Assembles the view from rows read with `db` (pass the transaction when inside one). */
export function toBatchView(
  batch: Batch,
  order: Order,
  extras: {
    funderName: string | null;
    funding: Funding | undefined;
    generation: GenerationProgress | undefined;
    render: BookletRenderRecord | undefined;
  },
): BatchView {
  const { quote } = order;
  const { funding, generation, render } = extras;
  return {
    id: batch.id,
    reference: batchReference(batch.number),
    number: batch.number,
    funder: { id: batch.funderId, name: extras.funderName },
    status: batch.status,
    faceValue: Money.fromCents(batch.faceValueCents).toJSON(),
    bookletSize: batch.bookletSize,
    bookletCount: batch.bookletCount,
    voucherCount: batch.voucherCount,
    validFrom: batch.validFrom,
    validUntil: batch.validUntil,
    toleranceDays: batch.toleranceDays,
    lastAcceptedDate: lastAcceptedDate(batch),
    distributionStopDate: distributionStopDate(batch),
    territory: batch.territory,
    serviceCategories: batch.serviceCategories,
    wording: order.wording,
    quote: {
      faceTotal: quote.faceTotal.toJSON(),
      upstreamFeeRate: quote.upstreamFeeRate,
      upstreamFee: quote.upstreamFee.toJSON(),
      vatRate: quote.vatRate,
      vat: quote.vat.toJSON(),
      total: quote.total.toJSON(),
    },
    funding: funding
      ? {
          amount: funding.amount.toJSON(),
          method: funding.method,
          reference: funding.reference,
          receivedOn: funding.receivedOn,
          recordedBy: funding.recordedBy,
          recordedAt: funding.recordedAt.toISOString(),
        }
      : null,
    generation: generation
      ? { ...generation, startedAt: iso(generation.startedAt), completedAt: iso(generation.completedAt) }
      : null,
    proof: {
      approved: order.proofApprovedAt !== null,
      approvedBy: order.proofApprovedBy,
      approvedAt: iso(order.proofApprovedAt),
    },
    bookletsPdf: render
      ? {
          state: render.state,
          renderedPasses: render.rendered,
          totalPasses: render.total,
          bytes: render.bytes,
          completedAt: iso(render.completedAt),
          lastError: render.lastError,
        }
      : null,
    createdAt: batch.createdAt.toISOString(),
    submittedAt: iso(batch.submittedAt),
    activatedAt: iso(batch.activatedAt),
    closedAt: iso(batch.closedAt),
  };
}

/** Loads everything a BatchView shows; 404 `batch_not_found` when the batch does not exist. */
export async function loadBatchView(db: Db, batchId: string, now: Date): Promise<BatchView> {
  const batch = await getBatch(db, batchId);
  if (!batch) throw new NotFoundError('batch_not_found', 'No such batch.');
  return loadViewOf(db, batch, now);
}

/** Same, for a batch already read. */
export async function loadViewOf(db: Db, batch: Batch, now: Date): Promise<BatchView> {
  const order = await getOrder(db, batch);
  if (!order) throw new NotFoundError('batch_not_found', 'No such batch.');
  const names = await organisationNames(db, [batch.funderId]);
  const generation = await getGeneration(db, batch.id);
  return toBatchView(batch, order, {
    funderName: names.get(batch.funderId) ?? null,
    funding: await findFunding(db, batch.id),
    generation: generation ? generationProgress(generation, now) : undefined,
    render: await getBookletRender(db, batch.id),
  });
}
