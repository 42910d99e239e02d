import { randomUUID } from 'node:crypto';
import { recordAudit } from '@pass/audit';
import type { Principal } from '@pass/auth';
import { isOperator } from '@pass/auth';
import type { Db } from '@pass/db';
import { NotFoundError, UnprocessableError, ValidationError } from '@pass/errors';
import { type AppContext, decodeCursor, encodeCursor, type Page } from '@pass/http';
import { Money } from '@pass/money';
import { enqueueInTransaction } from '@pass/queue';
import {
  type Batch,
  batchReference,
  batchVoucherCounts,
  businessDate,
  getBatch,
  insertBatch,
  listBatches,
  listVoucherEvents,
  recordVoucherEvents,
  transitionBatch,
  type VoucherEvent,
} from '@pass/vouchers';
import { actorOf, assertFunderAccess, funderScopeOf } from '../access';
import { encryptBatchSeed, newBatchSeed } from '../generation/batch-code-seed';
import { getGeneration, insertGeneration } from '../generation/generation-store';
import { generationProgress, type GenerationProgress } from '../generation/generation-progress';
import { batchRefusalError, batchRequestError } from '../issuance-errors';
import { type BatchJobData, ISSUANCE_JOBS } from '../jobs';
import { requestBookletRender } from '../printing/booklet-render-store';
import { findFunding } from '../funding/funding-store';
import { checkBatchRequest, normaliseTerritory } from './batch-request';
import { decideClose, decideSubmit } from './batch-rules';
import type { BatchRequestBody } from './batch-schemas';
import { type BatchView, loadBatchView, loadViewOf } from './batch-view';
import { findFunderContract } from './funder-directory';
import { approveProof, getOrder, insertOrder } from './order-store';
import { computeQuote, type Quote } from './quote';

/** A quote as JSON. */
export function quoteToJson(quote: Quote) {
  return {
    voucherCount: quote.voucherCount,
    faceValue: quote.faceValue.toJSON(),
    faceTotal: quote.faceTotal.toJSON(),
    upstreamFeeRate: quote.upstreamFeeRate,
    upstreamFee: quote.upstreamFee.toJSON(),
    vatRate: quote.vatRate,
    vat: quote.vat.toJSON(),
    total: quote.total.toJSON(),
  };
}

/** Orders and batches: quote, create, submit (starts generation), close, proof approval, reading. */
export class BatchService {
  constructor(private readonly ctx: AppContext) {}

  private now(): Date {
    return this.ctx.clock();
  }

  /** Which funder an order is for: a funder manager's own; an operator must name it. */
  private funderFor(principal: Principal, requested: string | undefined): string {
    if (isOperator(principal)) {
      if (!requested) {
        throw new ValidationError([
          { path: 'body.funderId', code: 'required', message: 'Operators must name the funder.' },
        ]);
      }
      return requested;
    }
    if (requested && requested !== principal.organisationId)
      throw new NotFoundError('funder_not_found', 'No such funder.');
    return principal.organisationId;
  }

  /** Validates an order and prices it, writing nothing. */
  private async priced(principal: Principal, body: BatchRequestBody) {
    const funderId = this.funderFor(principal, body.funderId);
    const territory = normaliseTerritory(body.territory);
    const request = { ...body, territory };
    const check = checkBatchRequest(request, businessDate(this.now(), this.ctx.config.businessTimezone));
    if (!check.ok) throw batchRequestError(check.refusal);
    const faceValue = Money.parse(body.faceValue.amount);
    if (!faceValue.isPositive()) {
      throw new UnprocessableError('invalid_face_value', 'The face value of a pass must be positive.');
    }
    const contract = await findFunderContract(this.ctx.knex, funderId);
    if (!contract) throw new NotFoundError('funder_not_found', 'No such funder.');
    const quote = computeQuote({
      faceValue,
      voucherCount: check.voucherCount,
      upstreamFeeRate: contract.upstreamFeeRate,
      vatRate: contract.vatRate,
    });
    return { funderId, request, quote };
  }

  /** The price of an order without creating it. */
  async quote(principal: Principal, body: BatchRequestBody) {
    return quoteToJson((await this.priced(principal, body)).quote);
  }

  /** Creates a draft batch and its order with the quote; its code seed is drawn now, encrypted. */
  async create(principal: Principal, body: BatchRequestBody, requestId?: string): Promise<BatchView> {
    const { funderId, request, quote } = await this.priced(principal, body);
    const batchId = randomUUID();
    const codeSeed = encryptBatchSeed(newBatchSeed(), this.ctx.config.secrets.voucherEncryptionKey, batchId);
    const now = this.now();
    const actor = actorOf(principal);
    return this.ctx.knex.transaction(async (trx) => {
      const batch = await insertBatch(
        trx,
        {
          id: batchId,
          funderId,
          faceValueCents: quote.faceValue.toCents(),
          bookletSize: request.bookletSize,
          bookletCount: request.bookletCount,
          validFrom: request.validFrom,
          validUntil: request.validUntil,
          toleranceDays: request.toleranceDays,
          territory: request.territory,
          serviceCategories: [...new Set(request.serviceCategories)],
        },
        { actor, at: now },
      );
      await insertOrder(trx, {
        batchId,
        funderId,
        wording: request.wording,
        quote,
        codeSeed,
        createdBy: actor,
        createdAt: now,
      });
      await recordAudit(trx, {
        actor: principal,
        action: 'batch.created',
        targetType: 'batch',
        targetId: batchId,
        organisationId: funderId,
        summary: {
          reference: batchReference(batch.number),
          passes: batch.voucherCount,
          total: quote.total.toString(),
        },
        requestId,
        at: now,
      });
      return loadViewOf(trx, batch, now);
    });
  }

  /** draft → awaiting_funding, and the generation job is queued (outbox, relayed after commit). */
  async submit(principal: Principal, batchId: string, requestId?: string): Promise<BatchView> {
    const now = this.now();
    const view = await this.ctx.knex.transaction(async (trx) => {
      const batch = await this.lockedBatch(trx, principal, batchId);
      const decision = decideSubmit(batch);
      if (!decision.ok) throw batchRefusalError(decision.refusal);
      const submitted = await transitionBatch(
        trx,
        batchId,
        { from: ['draft'], to: 'awaiting_funding' },
        { actor: actorOf(principal), at: now },
      );
      if (!submitted) throw batchRefusalError({ reason: 'batch_not_draft', status: batch.status });
      await insertGeneration(trx, batchId, batch.voucherCount, now);
      await enqueueInTransaction(trx, ISSUANCE_JOBS.generateVouchers, { batchId } satisfies BatchJobData);
      await recordAudit(trx, {
        actor: principal,
        action: 'batch.submitted',
        targetType: 'batch',
        targetId: batchId,
        organisationId: batch.funderId,
        requestId,
        at: now,
      });
      return loadViewOf(trx, submitted, now);
    });
    this.ctx.outbox.kick();
    return view;
  }

  /** → closed (see decideClose). */
  async close(principal: Principal, batchId: string, reason: string | undefined, requestId?: string) {
    const now = this.now();
    return this.ctx.knex.transaction(async (trx) => {
      const batch = await this.lockedBatch(trx, principal, batchId);
      const funded = (await findFunding(trx, batchId)) !== undefined;
      const counts = await batchVoucherCounts(trx, batchId);
      const decision = decideClose(batch, funded, counts);
      if (!decision.ok) throw batchRefusalError(decision.refusal);
      const closed = await transitionBatch(
        trx,
        batchId,
        { from: [batch.status], to: 'closed' },
        { actor: actorOf(principal), at: now, details: reason ? { reason } : {} },
      );
      if (!closed) throw batchRefusalError({ reason: 'batch_already_closed' });
      await recordAudit(trx, {
        actor: principal,
        action: 'batch.closed',
        targetType: 'batch',
        targetId: batchId,
        organisationId: batch.funderId,
        summary: { from: batch.status, reason: reason ?? null },
        requestId,
        at: now,
      });
      return loadViewOf(trx, closed, now);
    });
  }

  /**
   * The funder approves the proof of the first booklet; the full PDF is rendered once every pass exists
   * (now if generation is complete, else when it completes).
   */
  async approveProof(principal: Principal, batchId: string, requestId?: string): Promise<BatchView> {
    const now = this.now();
    const view = await this.ctx.knex.transaction(async (trx) => {
      const batch = await this.lockedBatch(trx, principal, batchId);
      if (batch.status === 'draft' || batch.status === 'closed') {
        throw batchRefusalError({ reason: 'batch_not_awaiting_funding', status: batch.status });
      }
      const actor = actorOf(principal);
      if (await approveProof(trx, batchId, actor, now)) {
        await transitionEvent(trx, batchId, 'batch.proof_approved', actor, now);
        await recordAudit(trx, {
          actor: principal,
          action: 'batch.proof_approved',
          targetType: 'batch',
          targetId: batchId,
          organisationId: batch.funderId,
          requestId,
          at: now,
        });
      }
      const generation = await getGeneration(trx, batchId);
      if (generation?.state === 'completed') await queueBookletRender(trx, batch, actor, now);
      return loadViewOf(trx, batch, now);
    });
    this.ctx.outbox.kick();
    return view;
  }

  /** One batch, if the principal may see it. */
  async get(principal: Principal, batchId: string): Promise<BatchView> {
    const view = await loadBatchView(this.ctx.knex, batchId, this.now());
    assertFunderAccess(principal, view.funder.id);
    return view;
  }

  /** Generation progress and ETA of a batch. */
  async generation(principal: Principal, batchId: string): Promise<GenerationProgress> {
    const batch = await this.visibleBatch(principal, batchId);
    const record = await getGeneration(this.ctx.knex, batch.id);
    if (!record) throw new NotFoundError('generation_not_started', 'The batch has not been submitted yet.');
    return generationProgress(record, this.now());
  }

  /** Batches the principal may see, newest first. */
  async list(
    principal: Principal,
    query: {
      status?: Batch['status'] | undefined;
      funderId?: string | undefined;
      cursor?: string | undefined;
      limit: number;
    },
  ): Promise<Page<BatchView>> {
    const scope = funderScopeOf(principal);
    if (scope && query.funderId && query.funderId !== scope) return { items: [], nextCursor: null };
    const before = query.cursor ? decodeCursor(query.cursor, 2) : undefined;
    const batches = await listBatches(this.ctx.knex, {
      funderId: scope ?? query.funderId,
      status: query.status,
      before: before ? { createdAt: new Date(before[0]!), id: before[1]! } : undefined,
      limit: query.limit + 1,
    });
    const now = this.now();
    const page = batches.slice(0, query.limit);
    const items: BatchView[] = [];
    for (const batch of page) items.push(await loadViewOf(this.ctx.knex, batch, now));
    const last = page[page.length - 1];
    return {
      items,
      nextCursor:
        batches.length > query.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
    };
  }

  /** History of a batch (or of one pass with `serial`), oldest first. */
  async events(
    principal: Principal,
    batchId: string,
    query: { serial?: number | undefined; cursor?: string | undefined; limit: number },
  ): Promise<Page<ReturnType<typeof eventToJson>>> {
    const batch = await this.visibleBatch(principal, batchId);
    const afterId = query.cursor ? decodeCursor(query.cursor, 1)[0] : undefined;
    const events = await listVoucherEvents(this.ctx.knex, {
      batchId: batch.id,
      ...(query.serial !== undefined ? { serial: query.serial } : {}),
      ...(afterId ? { afterId } : {}),
      limit: query.limit + 1,
    });
    const items = events.slice(0, query.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(eventToJson),
      nextCursor: events.length > query.limit && last ? encodeCursor([last.id]) : null,
    };
  }

  /** The batch if the principal may see it, else 404. */
  async visibleBatch(principal: Principal, batchId: string): Promise<Batch> {
    const batch = await getBatch(this.ctx.knex, batchId);
    if (!batch) throw new NotFoundError('batch_not_found', 'No such batch.');
    assertFunderAccess(principal, batch.funderId);
    return batch;
  }

  private async lockedBatch(trx: Db, principal: Principal, batchId: string) {
    const batch = await getBatch(trx, batchId, { forUpdate: true });
    if (!batch) throw new NotFoundError('batch_not_found', 'No such batch.');
    assertFunderAccess(principal, batch.funderId);
    return batch;
  }
}

/** An event as JSON. */
export function eventToJson(event: VoucherEvent) {
  return {
    id: event.id,
    kind: event.kind,
    serialFrom: event.serialFrom,
    serialTo: event.serialTo,
    actor: event.actor,
    at: event.at.toISOString(),
    place: event.place,
    reason: event.reason,
    reference: event.reference,
    details: event.details,
  };
}

function transitionEvent(trx: Db, batchId: string, kind: string, actor: string, at: Date): Promise<void> {
  return recordVoucherEvents(trx, [{ batchId, kind, actor, at }]);
}

/** Queues the full booklet PDF once (when both the proof is approved and every pass exists). */
export async function queueBookletRender(
  trx: Db,
  batch: Pick<Batch, 'id' | 'voucherCount'>,
  actor: string,
  now: Date,
): Promise<void> {
  if (await requestBookletRender(trx, batch.id, batch.voucherCount, actor, now)) {
    await enqueueInTransaction(trx, ISSUANCE_JOBS.renderBooklets, {
      batchId: batch.id,
    } satisfies BatchJobData);
  }
}

/** Renders the full PDF when generation completes if the proof was approved already. */
export async function queueRenderIfApproved(trx: Db, batchId: string, now: Date) {
  const batch = await getBatch(trx, batchId);
  if (!batch) return;
  const order = await getOrder(trx, batch);
  if (order?.proofApprovedAt && order.proofApprovedBy)
    await queueBookletRender(trx, batch, order.proofApprovedBy, now);
}
