import { recordAudit } from '@pass/audit';
import { isOperator, type Principal } from '@pass/auth';
import type { Db } from '@pass/db';
import { NotFoundError, ValidationError } from '@pass/errors';
import type { AppContext } from '@pass/http';
import { Money } from '@pass/money';
import {
  type Batch,
  batchReference,
  batchVoucherCounts,
  bookletOf,
  bookletStateCounts,
  bookletUsage,
  distributionStopDate,
  getBatch,
  markDistributed,
  recordVoucherEvents,
  serialsOfBooklet,
} from '@pass/vouchers';
import { actorOf, assertFunderAccess } from '../access';
import { findDistributor, organisationNames } from '../batches/funder-directory';
import { type BookletRange, toRanges } from './booklet-ranges';
import { distributionError } from './distribution-errors';
import { decideHandOut, decideStockMove } from './distribution-rules';
import {
  assignBooklets,
  bookletsHandedOut,
  bookletsHeldBy,
  holderOf,
  holdersInRange,
  holdingCounts,
  moveBooklets,
  passesNotHandedOut,
  passesToHandOut,
  releaseBooklets,
} from './stock-store';

/** Result of a stock movement. */
export interface StockMove {
  batchId: string;
  fromBooklet: number;
  toBooklet: number;
  booklets: number;
  passes: number;
}

/**
 * Distribution (issue #5 §5): funders put booklets in distributors' stock, stock moves between distributors
 * or comes back, and distributor agents hand booklets or single passes to beneficiaries (with at most a
 * pseudonymous reference). Each movement is all or nothing and recorded per pass range in vouchers.events.
 *
 * Custody: a booklet is in a distributor's stock (a row of issuance.booklet_holdings) from its assignment
 * until it is returned, or until it has nothing left to hand out after a hand-out: a booklet handed out whole
 * leaves the stock at once, one handed out pass by pass when its last pass goes. A partly handed-out booklet
 * stays in stock; moving or returning it moves only its passes not handed out (events and `passes` count
 * those), the handed-out ones stay with their beneficiaries. A handed-out booklet can be neither moved,
 * returned nor assigned again (409 booklets_handed_out).
 */
export class DistributionService {
  constructor(private readonly ctx: AppContext) {}

  private range(body: { fromBooklet: number; toBooklet: number }): BookletRange {
    return { from: body.fromBooklet, to: body.toBooklet };
  }

  private async lockedBatch(trx: Db, batchId: string): Promise<Batch> {
    const batch = await getBatch(trx, batchId, { forUpdate: true });
    if (!batch) throw new NotFoundError('batch_not_found', 'No such batch.');
    return batch;
  }

  private async distributorOfFunder(trx: Db, distributorId: string, funderId: string) {
    const distributor = await findDistributor(trx, distributorId);
    if (!distributor) throw new NotFoundError('distributor_not_found', 'No such distributor.');
    if (distributor.funderId !== funderId) throw distributionError({ reason: 'distributor_not_of_funder' });
    return distributor;
  }

  /** The distributor a principal acts for: an agent's own organisation, or the one a funder names. */
  private actingDistributor(principal: Principal, named: string | undefined): string {
    if (principal.role === 'distributor_agent') {
      if (named && named !== principal.organisationId)
        throw new NotFoundError('distributor_not_found', 'No such distributor.');
      return principal.organisationId;
    }
    if (!named) {
      throw new ValidationError([
        { path: 'body.distributorId', code: 'required', message: 'Name the distributor.' },
      ]);
    }
    return named;
  }

  /** A distributor agent may act on batches of the funder it works for. */
  private async assertBatchAccess(trx: Db, principal: Principal, batch: Batch): Promise<void> {
    if (principal.role === 'distributor_agent') {
      const self = await findDistributor(trx, principal.organisationId);
      if (!self || self.funderId !== batch.funderId)
        throw new NotFoundError('batch_not_found', 'No such batch.');
      return;
    }
    assertFunderAccess(principal, batch.funderId);
  }

  /**
   * Records a stock movement of booklets `range` in vouchers.events, one event per run of passes not handed
   * out (those are the passes that move). Returns how many passes moved.
   */
  private async stockEvent(
    trx: Db,
    batch: Batch,
    range: BookletRange,
    kind: string,
    principal: Principal,
    place: string,
    details: Record<string, unknown>,
  ): Promise<number> {
    const serials = await passesNotHandedOut(trx, batch, range);
    const at = this.ctx.clock();
    await recordVoucherEvents(
      trx,
      serials.map((run) => ({
        batchId: batch.id,
        kind,
        serialFrom: run.from,
        serialTo: run.to,
        actor: actorOf(principal),
        at,
        place,
        details,
      })),
    );
    return serials.reduce((sum, run) => sum + run.to - run.from + 1, 0);
  }

  private moved(batch: Batch, range: BookletRange, passes: number): StockMove {
    return {
      batchId: batch.id,
      fromBooklet: range.from,
      toBooklet: range.to,
      booklets: range.to - range.from + 1,
      passes,
    };
  }

  /** Refuses a movement of booklets `range` when some were handed out (they are in no stock any more). */
  private async refuseHandedOut(trx: Db, batch: Batch, range: BookletRange): Promise<void> {
    const handedOut = await bookletsHandedOut(trx, batch, range);
    if (handedOut.length > 0) throw distributionError({ reason: 'booklets_handed_out', booklets: handedOut });
  }

  /** Funder → distributor: booklets with no holder go into the distributor's stock. */
  async assign(
    principal: Principal,
    batchId: string,
    body: { distributorId: string; fromBooklet: number; toBooklet: number },
  ) {
    const range = this.range(body);
    return this.ctx.knex.transaction(async (trx) => {
      const batch = await this.lockedBatch(trx, batchId);
      assertFunderAccess(principal, batch.funderId);
      const decision = decideStockMove(batch, range);
      if (!decision.ok) throw distributionError(decision.refusal);
      await this.distributorOfFunder(trx, body.distributorId, batch.funderId);
      // With no holder, a booklet is with the funder unless it was handed out (then it has left for good).
      await this.refuseHandedOut(trx, batch, range);
      const requested = range.to - range.from + 1;
      const taken = await assignBooklets(trx, batchId, range, body.distributorId, this.ctx.clock());
      // Rolled back whole: a range is assigned entirely or not at all.
      if (taken !== requested)
        throw distributionError({ reason: 'booklets_already_held', requested, free: taken });
      const passes = await this.stockEvent(
        trx,
        batch,
        range,
        'voucher.assigned',
        principal,
        `distributor:${body.distributorId}`,
        {
          booklets: requested,
        },
      );
      await this.audit(trx, principal, batch, 'stock.assigned', {
        ...range,
        distributorId: body.distributorId,
        passes,
      });
      return this.moved(batch, range, passes);
    });
  }

  /** Distributor → distributor (of the same funder). */
  async transfer(
    principal: Principal,
    batchId: string,
    body: {
      fromDistributorId?: string | undefined;
      toDistributorId: string;
      fromBooklet: number;
      toBooklet: number;
    },
  ) {
    const range = this.range(body);
    return this.ctx.knex.transaction(async (trx) => {
      const batch = await this.lockedBatch(trx, batchId);
      await this.assertBatchAccess(trx, principal, batch);
      const from = this.actingDistributor(principal, body.fromDistributorId);
      const decision = decideStockMove(batch, range);
      if (!decision.ok) throw distributionError(decision.refusal);
      if (from === body.toDistributorId) throw distributionError({ reason: 'same_distributor' });
      await this.distributorOfFunder(trx, body.toDistributorId, batch.funderId);
      const requested = range.to - range.from + 1;
      const moved = await moveBooklets(trx, batchId, range, from, body.toDistributorId, this.ctx.clock());
      if (moved !== requested) {
        await this.refuseHandedOut(trx, batch, range);
        throw distributionError({ reason: 'booklets_not_held', requested, held: moved });
      }
      const passes = await this.stockEvent(
        trx,
        batch,
        range,
        'voucher.transferred',
        principal,
        `distributor:${body.toDistributorId}`,
        {
          from: `distributor:${from}`,
        },
      );
      await this.audit(trx, principal, batch, 'stock.transferred', {
        ...range,
        from,
        to: body.toDistributorId,
        passes,
      });
      return this.moved(batch, range, passes);
    });
  }

  /**
   * Distributor → funder: booklets in stock come back with their passes not handed out (a partly handed-out
   * booklet brings back only its remaining passes; those handed out stay handed out). A booklet handed out
   * whole is no longer in stock: 409 booklets_handed_out.
   */
  async returnStock(
    principal: Principal,
    batchId: string,
    body: { distributorId?: string | undefined; fromBooklet: number; toBooklet: number },
  ) {
    const range = this.range(body);
    return this.ctx.knex.transaction(async (trx) => {
      const batch = await this.lockedBatch(trx, batchId);
      await this.assertBatchAccess(trx, principal, batch);
      const from = this.actingDistributor(principal, body.distributorId);
      if (!decideStockMove({ ...batch, status: 'active' }, range).ok) {
        throw distributionError({ reason: 'booklet_range_invalid', bookletCount: batch.bookletCount });
      }
      const requested = range.to - range.from + 1;
      const released = await releaseBooklets(trx, batchId, range, from);
      if (released !== requested) {
        await this.refuseHandedOut(trx, batch, range);
        throw distributionError({ reason: 'booklets_not_held', requested, held: released });
      }
      const passes = await this.stockEvent(
        trx,
        batch,
        range,
        'voucher.returned',
        principal,
        `distributor:${from}`,
        {},
      );
      await this.audit(trx, principal, batch, 'stock.returned', { ...range, distributorId: from, passes });
      return this.moved(batch, range, passes);
    });
  }

  /**
   * A distributor agent hands a booklet (its passes still to hand out) or one pass to a beneficiary. The
   * booklet leaves the agent's stock when nothing is left in it to hand out: at once for a whole booklet, with
   * its last pass otherwise (`leftStock`).
   */
  async handOut(
    principal: Principal,
    body: {
      batchId: string;
      booklet?: number | undefined;
      serial?: number | undefined;
      beneficiaryRef?: string | undefined;
    },
  ) {
    const now = this.ctx.clock();
    return this.ctx.knex.transaction(async (trx) => {
      const batch = await this.lockedBatch(trx, body.batchId);
      await this.assertBatchAccess(trx, principal, batch);
      if (body.serial !== undefined && body.serial > batch.voucherCount) {
        throw distributionError({ reason: 'serial_out_of_range', voucherCount: batch.voucherCount });
      }
      const booklet = body.booklet ?? bookletOf(body.serial!, batch.bookletSize);
      if (booklet > batch.bookletCount) {
        throw distributionError({ reason: 'booklet_range_invalid', bookletCount: batch.bookletCount });
      }
      const holder = await holderOf(trx, batch.id, booklet);
      if (holder !== principal.organisationId) {
        if (holder === undefined) await this.refuseHandedOut(trx, batch, { from: booklet, to: booklet });
        throw distributionError({ reason: 'booklet_not_in_stock' });
      }
      const decision = decideHandOut(batch, now, this.ctx.config.businessTimezone);
      if (!decision.ok) throw distributionError(decision.refusal);
      const serials =
        body.serial !== undefined
          ? { from: body.serial, to: body.serial }
          : serialsOfBooklet(booklet, batch.bookletSize);
      const changed = await markDistributed(
        trx,
        { batchId: batch.id, fromSerial: serials.from, toSerial: serials.to },
        {
          actor: actorOf(principal),
          at: now,
          place: `distributor:${principal.organisationId}`,
          details: body.beneficiaryRef ? { beneficiaryRef: body.beneficiaryRef } : {},
        },
      );
      if (changed.length === 0) throw distributionError({ reason: 'nothing_to_hand_out' });
      // Nothing left to hand out: the (now empty) booklet leaves the stock, it cannot be returned or moved.
      const leftStock = (await passesToHandOut(trx, batch, booklet)) === 0;
      if (leftStock)
        await releaseBooklets(trx, batch.id, { from: booklet, to: booklet }, principal.organisationId);
      await this.audit(trx, principal, batch, 'passes.handed_out', {
        booklet,
        whole: body.serial === undefined,
        passes: changed.length,
        leftStock,
      });
      return {
        batchId: batch.id,
        booklet,
        serials: changed.map((voucher) => voucher.serial),
        handedOut: changed.length,
        value: Money.fromCents(batch.faceValueCents).times(changed.length).toJSON(),
        leftStock,
      };
    });
  }

  /** The funder's view per booklet: state, counts and holder, `limit` booklets from `fromBooklet`. */
  async booklets(principal: Principal, batchId: string, query: { fromBooklet: number; limit: number }) {
    const { knex } = this.ctx;
    const batch = await getBatch(knex, batchId);
    if (!batch) throw new NotFoundError('batch_not_found', 'No such batch.');
    assertFunderAccess(principal, batch.funderId);
    const range = {
      from: query.fromBooklet,
      to: Math.min(query.fromBooklet + query.limit - 1, batch.bookletCount),
    };
    if (range.from > batch.bookletCount) return { items: [], nextFromBooklet: null };
    const usage = await bookletUsage(knex, batch, range.from, range.to);
    const holders = await holdersInRange(knex, batch.id, range);
    const names = await organisationNames(knex, [...holders.values()]);
    return {
      items: usage.map((row) => {
        const holder = holders.get(row.booklet);
        return { ...row, holder: holder ? { distributorId: holder, name: names.get(holder) ?? null } : null };
      }),
      nextFromBooklet: range.to < batch.bookletCount ? range.to + 1 : null,
    };
  }

  /** The funder's summary: booklets issued / distributed / started / finished, passes by state, stock. */
  async summary(principal: Principal, batchId: string) {
    const { knex } = this.ctx;
    const batch = await getBatch(knex, batchId);
    if (!batch) throw new NotFoundError('batch_not_found', 'No such batch.');
    assertFunderAccess(principal, batch.funderId);
    const states = await bookletStateCounts(knex, batch);
    const holdings = await holdingCounts(knex, batch.id);
    const names = await organisationNames(
      knex,
      holdings.map((h) => h.distributorId),
    );
    return {
      batchId: batch.id,
      booklets: {
        ...states,
        total: batch.bookletCount,
        withDistributors: holdings.reduce((sum, h) => sum + h.booklets, 0),
      },
      passes: await batchVoucherCounts(knex, batch.id),
      distributors: holdings.map((h) => ({ ...h, name: names.get(h.distributorId) ?? null })),
    };
  }

  /** A distributor agent's stock: held booklets per batch and the passes in them still to hand out. */
  async stock(principal: Principal) {
    const { knex } = this.ctx;
    if (principal.role !== 'distributor_agent' && !isOperator(principal)) {
      throw new NotFoundError('distributor_not_found', 'No such distributor.');
    }
    const distributorId = principal.organisationId;
    const held = await bookletsHeldBy(knex, distributorId);
    const batches = [];
    for (const [batchId, booklets] of held) {
      const batch = await getBatch(knex, batchId);
      if (!batch) continue;
      const ranges = toRanges(booklets);
      let passesInStock = 0;
      for (const range of ranges) {
        const usage = await bookletUsage(knex, batch, range.from, range.to);
        passesInStock += usage.reduce((sum, row) => sum + row.inStock, 0);
      }
      batches.push({
        batchId,
        reference: batchReference(batch.number),
        status: batch.status,
        validUntil: batch.validUntil,
        distributionStopDate: distributionStopDate(batch),
        booklets: booklets.length,
        ranges,
        passesInStock,
      });
    }
    return { distributorId, batches };
  }

  private async audit(
    trx: Db,
    principal: Principal,
    batch: Batch,
    action: string,
    summary: Record<string, unknown>,
  ) {
    await recordAudit(trx, {
      actor: principal,
      action,
      targetType: 'batch',
      targetId: batch.id,
      organisationId: batch.funderId,
      summary,
      at: this.ctx.clock(),
    });
  }
}
