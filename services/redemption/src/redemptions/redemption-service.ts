import { randomUUID } from 'node:crypto';
import { recordAudit } from '@pass/audit';
import { isOperator, type Principal } from '@pass/auth';
import {
  type AppError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  TooManyRequestsError,
  UnprocessableError,
} from '@pass/errors';
import {
  decodeCursor,
  encodeCursor,
  type IdempotentResult,
  idempotencyInFlight,
  idempotencyLockKey,
  idempotencyRequestHash,
  type Page,
  replayStored,
  inIdempotentTransaction,
} from '@pass/http';
import { accounts, credit, debit, parseAccountCode, reverse, validateEntry } from '../shared/ledger';
import { CallGrouper, type CallGrouperOptions } from '@pass/db';
import type { Logger } from '@pass/logger';
import { Money } from '@pass/money';
import { readVoucherInput, type VoucherKeyring, voucherLookupHash } from '@pass/voucher-code';
import { businessDate, type VoucherWithBatch } from '@pass/vouchers';
import type { Knex } from 'knex';
import { type FlagCandidate, passAtTwoVenues } from '../fraud/fraud-flag';
import type { PostgresFraudFlagStore } from '../fraud/postgres-fraud-flag-store';
import {
  FAILED_LOOKUP_POLICY,
  type LookupScopes,
  lookupAllowance,
  lookupScopesOf,
  lookupWindowStart,
} from '../lookups/failed-lookup-limit';
import type { PostgresFailedLookupStore } from '../lookups/postgres-failed-lookup-store';
import { restoreRedeemedVouchersInOrder } from '../shared/redemption-transitions';
import {
  type BasketVerdict,
  checkUndo,
  evaluateBasket,
  fundersShare,
  type PassReading,
  passToJson,
  RedemptionRefusedError,
  type Remainder,
  refusalMessage,
  remainderOf,
  type ServiceTerms,
  type UndoRefusal,
  undoDeadline,
  undoRefusalMessage,
  type VenueTerms,
} from './redemption';
import type { BasketRequest, ListQuery } from './redemption-schemas';
import type {
  BasketWrite,
  BasketWriteOutcome,
  ContextRequest,
  Redemption,
  RedemptionContext,
  RedemptionStore,
  RedemptionView,
  StoredAnswer,
} from './redemption-store';

export interface RedemptionServiceOptions {
  knex: Knex;
  store: RedemptionStore;
  flags: PostgresFraudFlagStore;
  lookups: PostgresFailedLookupStore;
  keyring: VoucherKeyring;
  /** VOUCHER_HASH_KEY: codes are looked up by their keyed hash. */
  hashKey: Buffer;
  undoWindowHours: number;
  timeZone: string;
  clock: () => Date;
  logger: Logger;
}

/** One input of a basket after parsing: refused before any lookup, a repeat, or a code to look up. */
type ParsedInput =
  | { kind: 'unreadable'; refusal: 'typo' | 'invalid_signature'; cause: string }
  | { kind: 'duplicate' }
  | { kind: 'code'; hashHex: string; hash: Buffer };

interface Evaluation {
  venue: VenueTerms;
  service: ServiceTerms;
  verdict: BasketVerdict;
  readings: PassReading[];
  unknownCount: number;
}

/** The JSON answer of a redemption (create, get, list, undo). */
export interface RedemptionJson {
  id: string;
  status: 'live' | 'undone';
  venueId: string;
  venueName: string | null;
  service: { id: string; name: string | null; category: string; pricePasses: number };
  passCount: number;
  paid: { amount: string; currency: string };
  remainder?: Remainder;
  serials: string[];
  redeemedAt: string;
  redeemedBy: string;
  undoDeadline: string;
  undoneAt: string | null;
  undoneBy: string | null;
}

const REDEEMED_STATES = new Set(['redeemed', 'settled']);

/**
 * Group commit of the hot path. Requests that arrive while earlier ones are being read or written leave
 * together in the next read or write, up to 32; an idle system, or one caller at a time, sends each request at
 * once, alone. Two context reads may run at once (reads never wait on each other). Under a steady moderate
 * flow (requests arriving less than 3 ms apart on average while others are under way in this process), a read
 * that would leave alone waits until it is 3 ms old for up to three others to join it: without that, at half
 * the benchmark's maximum each read went alone, and every extra statement costs the API and PostgreSQL a
 * round trip's CPU on cores they share (services/redemption/README.md, benchmark, session 6). Writes gather
 * behind the running write so that under load the baskets of a process form large groups (a group of 16 costs
 * PostgreSQL about a quarter of what 16 separate writes cost); a second write starts beside it once 8 baskets
 * wait, or once the oldest has waited 8 ms (a commit held up must not hold the next group for longer), so a
 * busy process keeps PostgreSQL writing while Node handles the last group's answers. A read or write still
 * running after 100 ms (a pass locked by another transaction) no longer holds its place, and a write group of
 * several baskets that waits on a lock gives up after GROUP_LOCK_TIMEOUT, its baskets then written one by one:
 * a contended pass delays only the baskets that hold it.
 */
export const DEFAULT_GROUPS = {
  reads: { maxGroup: 32, maxInFlight: 2, slowAfterMs: 100, gatherMs: 3 },
  writes: { maxGroup: 32, maxInFlight: 2, minGroupWhileBusy: 8, maxWaitWhileBusyMs: 8, slowAfterMs: 100 },
} as const satisfies { reads: CallGrouperOptions; writes: CallGrouperOptions };

/**
 * Check, redeem and undo (issue #6). Each public method is one unit of work: it opens the transaction,
 * and nothing but PostgreSQL is on its path (no Redis, no network call while a transaction is open).
 */
export class RedemptionService {
  private readonly reader: CallGrouper<ContextRequest, RedemptionContext>;
  private readonly writer: CallGrouper<BasketWrite, BasketWriteOutcome>;
  /** Checks and redemptions under way in this process: a context read waits for companions only if others are. */
  private inProgress = 0;

  constructor(private readonly o: RedemptionServiceOptions) {
    this.reader = new CallGrouper((requests) => o.store.loadContexts(o.knex, requests), {
      ...DEFAULT_GROUPS.reads,
      gatherWhile: () => this.inProgress > 1,
    });
    this.writer = new CallGrouper((writes) => o.store.redeemBaskets(o.knex, writes), DEFAULT_GROUPS.writes);
  }

  /** What a redemption of this basket would do now, without changing anything (failed lookups still count). */
  check(principal: Principal, request: BasketRequest) {
    return this.counted(() => this.checkNow(principal, request));
  }

  private async checkNow(principal: Principal, request: BasketRequest) {
    const venueId = venueOf(principal);
    const now = this.o.clock();
    const scopes = lookupScopesOf(principal, venueId);
    const parsed = this.parse(request.codes);
    const evaluation = await this.evaluate(principal, venueId, request, parsed, scopes, now);
    await this.afterEvaluation(evaluation, principal, venueId, scopes, now, { flagReuse: false });
    const { verdict, service } = evaluation;
    return {
      ok: verdict.ok,
      ...(verdict.ok ? {} : { code: verdict.code }),
      refusals: verdict.ok ? [] : verdict.refusals,
      passes: verdict.passes.map(passToJson),
      service: {
        id: service.id,
        name: service.name,
        category: service.category,
        pricePasses: service.pricePasses,
      },
      ...(verdict.ok ? { amount: verdict.amount.toJSON() } : {}),
      remainder: remainderOf(service),
    };
  }

  /**
   * Redeems a basket all or nothing: the passes, the redemption row, the ledger entry (funder outstanding →
   * association payable), the audit row and the idempotency record commit together or not at all. A refusal
   * changes nothing and is not stored under the key: retrying it is safe and re-evaluates it.
   *
   * Two round trips and no open transaction in between: one query reads the venue, the service, the passes,
   * the failed-lookup counters and any answer already stored under the key; the checks run here; then one
   * statement (redemption.redeem_baskets) writes everything, re-checking what can change concurrently (the
   * passes are locked in id order and must all still be available; the key by an advisory lock and a fresh
   * read). Requests that arrive together share each of these statements (DEFAULT_GROUPS); each basket stays
   * all or nothing.
   */
  async redeem(
    principal: Principal,
    request: BasketRequest,
    idempotencyKey: string,
    requestId?: string,
  ): Promise<IdempotentResult<RedemptionJson>> {
    return this.counted(() => this.redeemNow(principal, request, idempotencyKey, requestId));
  }

  /** Runs a check or a redemption counted in `inProgress` while it runs. */
  private async counted<T>(run: () => Promise<T>): Promise<T> {
    this.inProgress++;
    try {
      return await run();
    } finally {
      this.inProgress--;
    }
  }

  private async redeemNow(
    principal: Principal,
    request: BasketRequest,
    idempotencyKey: string,
    requestId?: string,
  ): Promise<IdempotentResult<RedemptionJson>> {
    const venueId = venueOf(principal);
    const now = this.o.clock();
    const scopes = lookupScopesOf(principal, venueId);
    // CPU only (check character, Ed25519 signature, HMAC): done before any query.
    const parsed = this.parse(request.codes);
    const idempotency = { scope: `redemption:${principal.subjectId}`, key: idempotencyKey };
    const requestHash = idempotencyRequestHash(request);
    const context = await this.load(venueId, request, parsed, scopes, now, idempotency);
    if (context.stored) return replayStored(storedAnswer(context.stored), requestHash);
    const evaluation = await this.evaluateContext(principal, context, parsed, now);
    const { verdict } = evaluation;
    if (!verdict.ok) {
      await this.afterEvaluation(evaluation, principal, venueId, scopes, now, { flagReuse: true });
      this.o.logger.info({ venueId, code: verdict.code }, 'redemption.refused');
      throw new RedemptionRefusedError(verdict);
    }
    const { body, ...write } = this.basketWrite(principal, evaluation, verdict.vouchers, now, requestId);
    const outcome = await this.writer.submit({
      ...write,
      idempotency: {
        ...idempotency,
        lockKey: idempotencyLockKey(idempotency.scope, idempotency.key),
        requestHash,
        response: body,
      },
    });
    switch (outcome.outcome) {
      case 'created':
        return { status: 201, body, replayed: false };
      case 'replay':
        return replayStored(storedAnswer(outcome.stored), requestHash);
      case 'in_flight':
        throw idempotencyInFlight();
      case 'taken': {
        // Nothing was written; the competitor has committed. Read again to say who took what.
        const again = await this.evaluate(principal, venueId, request, parsed, scopes, now);
        const refused = again.verdict.ok ? takenVerdict(evaluation) : again.verdict;
        await this.afterEvaluation(
          { ...again, verdict: refused, unknownCount: 0 },
          principal,
          venueId,
          scopes,
          now,
          { flagReuse: true },
        );
        this.o.logger.info({ venueId, code: refused.code }, 'redemption.refused_concurrently');
        throw new RedemptionRefusedError(refused);
      }
      default: {
        const unknown: never = outcome;
        throw new Error(`unknown basket outcome ${JSON.stringify(unknown)}`);
      }
    }
  }

  /** The rows of an accepted basket and the answer the caller gets (and a replay will get). */
  private basketWrite(
    principal: Principal,
    evaluation: Evaluation,
    vouchers: readonly VoucherWithBatch[],
    now: Date,
    requestId: string | undefined,
  ): Omit<BasketWrite, 'idempotency'> & { body: RedemptionJson } {
    const { venue, service } = evaluation;
    const associationId = venue.associationId!;
    const id = randomUUID();
    const currency = vouchers[0]!.batch.currency;
    const shares = fundersShare(vouchers);
    const amountCents = [...shares.values()].reduce((sum, cents) => sum + cents, 0n);
    // Checked by the ledger's own rules before it reaches the database (which checks again at commit).
    const entry = validateEntry({
      kind: 'redemption',
      reference: `redemption:${id}`,
      actor: principal.subjectId,
      currency,
      effectiveDate: businessDate(now, this.o.timeZone),
      lines: [
        ...[...shares].map(([funderId, cents]) => debit(accounts.funderVouchersOutstanding(funderId), cents)),
        credit(accounts.associationPayable(associationId), amountCents),
      ],
    });
    const redemption: Redemption = {
      id,
      venueId: venue.id,
      associationId,
      catalogueServiceId: service.id,
      serviceCategory: service.category,
      voucherCount: vouchers.length,
      amountCents,
      status: 'live',
      redeemedAt: now,
      redeemedBy: principal.subjectId,
      undoneAt: null,
      undoneBy: null,
      // Assigned by the ledger inside redemption.redeem_baskets; not part of the answer.
      ledgerEntryId: '',
      undoEntryId: null,
    };
    const body: RedemptionJson = {
      ...this.toJson({
        ...redemption,
        venueName: venue.name,
        serviceName: service.name,
        currency,
        serials: evaluation.verdict.passes.map((p) => p.serial!),
      }),
      service: {
        id: service.id,
        name: service.name,
        category: service.category,
        pricePasses: service.pricePasses,
      },
      remainder: remainderOf(service),
    };
    return {
      body,
      redemption,
      vouchers: vouchers.map((v) => ({
        voucherId: v.id,
        batchId: v.batchId,
        funderId: v.batch.funderId,
        faceValueCents: v.batch.faceValueCents,
        live: true,
      })),
      actor: { kind: principal.kind, role: principal.role },
      requestId: requestId ?? null,
      auditSummary: {
        venueId: venue.id,
        catalogueServiceId: service.id,
        passCount: vouchers.length,
        amount: Money.fromCents(amountCents).toString(),
      },
      entry: {
        kind: entry.kind,
        currency: entry.currency,
        effectiveDate: entry.effectiveDate,
        lines: entry.lines.map((line) => {
          const ref = parseAccountCode(line.account);
          return {
            code: ref.code,
            side: line.side,
            amount: line.amount,
            kind: ref.kind,
            ownerType: ref.ownerType,
            ownerId: ref.ownerId,
            purpose: ref.purpose,
          };
        }),
      },
    };
  }

  /** Undoes a live redemption within the window: reversal entry, passes usable again, audited. */
  async undo(
    principal: Principal,
    id: string,
    body: { reason?: string | undefined },
    idempotencyKey: string,
    requestId?: string,
  ): Promise<IdempotentResult<RedemptionJson>> {
    const now = this.o.clock();
    return inIdempotentTransaction(
      this.o.knex,
      {
        scope: `redemption-undo:${principal.subjectId}`,
        key: idempotencyKey,
        request: { id, ...body },
        now,
      },
      async (trx) => {
        const found = await this.o.store.findForUpdate(trx, id);
        if (!found || !canSee(principal, found.redemption)) {
          throw new NotFoundError('redemption_not_found', 'No such redemption.');
        }
        const { redemption, vouchers } = found;
        const allowed = checkUndo(
          redemption,
          { operator: isOperator(principal), venueId: principal.venueId },
          now,
          this.o.undoWindowHours,
        );
        if (!allowed.ok) throw undoRefused(allowed.reason);
        const context = {
          actor: principal.subjectId,
          at: now,
          place: `venue:${redemption.venueId}`,
          reference: `redemption:${id}`,
        };
        const restored = await restoreRedeemedVouchersInOrder(
          trx,
          vouchers.map((v) => v.voucherId),
          context,
        );
        // A pass no longer `redeemed` is settled (on a statement): the money has gone, the undo cannot.
        if (restored.length !== vouchers.length) throw undoRefused('already_settled');
        const reason = body.reason ?? 'Annulation de l’encaissement';
        const reversal = await reverse(trx, redemption.ledgerEntryId, {
          actor: principal.subjectId,
          reason,
          kind: 'redemption_undone',
          effectiveDate: businessDate(now, this.o.timeZone),
        });
        await this.o.store.markUndone(trx, id, {
          at: now,
          by: principal.subjectId,
          undoEntryId: reversal.id,
        });
        await recordAudit(trx, {
          actor: principal,
          action: 'redemption.undone',
          targetType: 'redemption',
          targetId: id,
          organisationId: redemption.associationId,
          summary: {
            reason,
            venueId: redemption.venueId,
            passCount: redemption.voucherCount,
            amount: Money.fromCents(redemption.amountCents).toString(),
            reversalEntryId: reversal.id,
          },
          requestId,
          at: now,
        });
        const view = await this.o.store.get(trx, id);
        return { status: 200, body: this.toJson(view!) };
      },
    );
  }

  /** One redemption, if the caller may see it. */
  async get(principal: Principal, id: string): Promise<RedemptionJson> {
    const view = await this.o.store.get(this.o.knex, id);
    if (!view || !canSee(principal, view))
      throw new NotFoundError('redemption_not_found', 'No such redemption.');
    return this.toJson(view);
  }

  /**
   * Redemptions of a day (today by default) or a date range, newest first: a venue agent sees their venue,
   * a treasurer their association's venues, operators everything. `all` reads up to `max` rows (CSV export).
   */
  async list(principal: Principal, query: ListQuery, all?: { max: number }): Promise<Page<RedemptionJson>> {
    const today = businessDate(this.o.clock(), this.o.timeZone);
    if ((query.from === undefined) !== (query.to === undefined)) {
      throw new BadRequestError('invalid_range', 'Give both `from` and `to`, or neither.');
    }
    if (query.date && query.from)
      throw new BadRequestError('invalid_range', 'Give `date` or a range, not both.');
    const firstDay = query.from ?? query.date ?? today;
    const lastDay = query.to ?? query.date ?? today;
    if (lastDay < firstDay) throw new BadRequestError('invalid_range', '`to` is before `from`.');
    const scope = this.listScope(principal, query.venueId);
    const before = query.cursor ? decodeCursor(query.cursor, 2) : undefined;
    const filter = {
      ...scope,
      status: query.status,
      firstDay,
      lastDay,
      timeZone: this.o.timeZone,
      before: before ? { redeemedAt: before[0]!, id: before[1]! } : undefined,
      limit: all ? all.max : query.limit + 1,
    };
    const rows = await this.o.store.list(this.o.knex, filter);
    if (all) return { items: rows.map((row) => this.toJson(row)), nextCursor: null };
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return {
      items: items.map((row) => this.toJson(row)),
      nextCursor:
        rows.length > query.limit && last ? encodeCursor([last.redeemedAt.toISOString(), last.id]) : null,
    };
  }

  private listScope(principal: Principal, venueId: string | undefined) {
    if (isOperator(principal)) return { venueId };
    if (principal.role === 'venue_agent') {
      const own = venueOf(principal);
      if (venueId && venueId !== own) throw new NotFoundError('venue_not_found', 'Venue not found.');
      return { venueId: own, associationId: principal.organisationId };
    }
    return { venueId, associationId: principal.organisationId };
  }

  private toJson(view: RedemptionView): RedemptionJson {
    return {
      id: view.id,
      status: view.status,
      venueId: view.venueId,
      venueName: view.venueName,
      service: {
        id: view.catalogueServiceId,
        name: view.serviceName,
        category: view.serviceCategory,
        pricePasses: view.voucherCount,
      },
      passCount: view.voucherCount,
      paid: Money.fromCents(view.amountCents, view.currency).toJSON(),
      serials: view.serials,
      redeemedAt: view.redeemedAt.toISOString(),
      redeemedBy: view.redeemedBy,
      undoDeadline: undoDeadline(view.redeemedAt, this.o.undoWindowHours).toISOString(),
      undoneAt: view.undoneAt?.toISOString() ?? null,
      undoneBy: view.undoneBy,
    };
  }

  /** Check characters, signatures and keyed hashes, and repeats of the same pass in one basket. */
  private parse(codes: readonly string[]): ParsedInput[] {
    const seen = new Set<string>();
    return codes.map((input): ParsedInput => {
      const read = readVoucherInput(input, this.o.keyring);
      if (!read.ok) {
        // A malformed typed code is a typing mistake like a wrong check character; a QR payload that does not
        // verify (bad signature, unknown key, unknown version, garbled) cannot be trusted either way.
        return read.source === 'typed'
          ? { kind: 'unreadable', refusal: 'typo', cause: read.reason }
          : { kind: 'unreadable', refusal: 'invalid_signature', cause: read.reason };
      }
      if (seen.has(read.code)) return { kind: 'duplicate' };
      seen.add(read.code);
      const hash = voucherLookupHash(read.code, this.o.hashKey);
      return { kind: 'code', hash, hashHex: hash.toString('hex') };
    });
  }

  private async evaluate(
    principal: Principal,
    venueId: string,
    request: BasketRequest,
    parsed: readonly ParsedInput[],
    scopes: LookupScopes,
    now: Date,
  ): Promise<Evaluation> {
    const context = await this.load(venueId, request, parsed, scopes, now);
    return this.evaluateContext(principal, context, parsed, now);
  }

  /**
   * The venue, the service, the passes, the failed-lookup counters (and any stored answer) in one query,
   * shared with the requests that arrive at the same moment.
   */
  private load(
    venueId: string,
    request: BasketRequest,
    parsed: readonly ParsedInput[],
    scopes: LookupScopes,
    now: Date,
    idempotency?: { scope: string; key: string },
  ): Promise<RedemptionContext> {
    return this.reader.submit({
      venueId,
      serviceId: request.catalogueServiceId,
      scopes,
      since: lookupWindowStart(now),
      lookupHashes: parsed.flatMap((p) => (p.kind === 'code' ? [p.hash] : [])),
      idempotency,
    });
  }

  private async evaluateContext(
    principal: Principal,
    context: RedemptionContext,
    parsed: readonly ParsedInput[],
    now: Date,
  ): Promise<Evaluation> {
    const { venue, service } = requireTerms(context);
    if (parsed.some((p) => p.kind === 'code')) {
      const allowance = lookupAllowance(context.failures);
      if (!allowance.ok) {
        throw new TooManyRequestsError(
          'too_many_failed_lookups',
          `Too many unknown codes from this ${allowance.scope}: wait before trying again.`,
          allowance.retryAfterSeconds,
        );
      }
    }
    const found = context.passes;
    const usedIds = [...found.values()].filter((v) => REDEEMED_STATES.has(v.status)).map((v) => v.id);
    const used = usedIds.length > 0 ? await this.o.store.liveRedemptionsOf(this.o.knex, usedIds) : new Map();
    let unknownCount = 0;
    const readings = parsed.map((p): PassReading => {
      if (p.kind !== 'code') return p;
      const voucher = found.get(p.hashHex);
      if (!voucher) {
        unknownCount++;
        return { kind: 'unknown' };
      }
      return { kind: 'found', voucher, usedAt: used.get(voucher.id) };
    });
    const verdict = evaluateBasket({
      venue,
      service,
      readings,
      now,
      timeZone: this.o.timeZone,
      callerAssociationId: principal.organisationId,
    });
    return { venue, service, verdict, readings, unknownCount };
  }

  /**
   * Outside any transaction, after the answer is known: counts failed lookups (and flags a scope that reaches
   * its limit) and flags passes already used at another venue. A failure here is logged, never returned:
   * flags are notes for operators, not part of the redemption.
   */
  private async afterEvaluation(
    evaluation: Evaluation,
    principal: Principal,
    venueId: string,
    scopes: LookupScopes,
    now: Date,
    options: { flagReuse: boolean },
  ): Promise<void> {
    try {
      const flags: FlagCandidate[] = [];
      if (evaluation.unknownCount > 0) {
        const totals = await this.o.lookups.record(this.o.knex, scopes, evaluation.unknownCount, now);
        const day = businessDate(now, this.o.timeZone);
        const reached = [
          { scope: scopes.device, total: totals.device, limit: FAILED_LOOKUP_POLICY.maxPerDevice },
          { scope: scopes.venue, total: totals.venue, limit: FAILED_LOOKUP_POLICY.maxPerVenue },
        ].filter((s) => s.total >= s.limit);
        for (const s of reached) {
          flags.push({
            kind: 'repeated_failed_lookups',
            dedupKey: `repeated_failed_lookups:${s.scope}:${day}`,
            venueId,
            associationId: principal.organisationId,
            details: { scope: s.scope, failures: s.total, windowMinutes: FAILED_LOOKUP_POLICY.windowMinutes },
            seenAt: now,
          });
        }
      }
      if (options.flagReuse) {
        for (const reading of evaluation.readings) {
          if (reading.kind !== 'found' || !reading.usedAt) continue;
          const flag = passAtTwoVenues({
            voucherId: reading.voucher.id,
            triedAtVenueId: venueId,
            redeemedAtVenueId: reading.usedAt.venueId,
            redemptionAssociationId: reading.usedAt.associationId,
            triedByAssociationId: principal.organisationId,
            at: now,
          });
          if (flag) flags.push(flag);
        }
      }
      await this.o.flags.record(this.o.knex, flags, 'count');
    } catch (err) {
      this.o.logger.error({ err, venueId }, 'redemption.flagging_failed');
    }
  }
}

/** The venue a venue agent or scanner acts for. */
function venueOf(principal: Principal): string {
  if (!principal.venueId)
    throw new ForbiddenError('no_venue', 'Only the agents and scanners of a venue redeem passes.');
  return principal.venueId;
}

function requireTerms(context: RedemptionContext): { venue: VenueTerms; service: ServiceTerms } {
  if (!context.venue) throw new NotFoundError('venue_not_found', 'Venue not found.');
  if (!context.service) {
    throw new NotFoundError('catalogue_service_not_found', 'This service is not in the venue’s catalogue.');
  }
  if (!context.service.active) {
    throw new UnprocessableError('service_inactive', 'This service is no longer offered by the venue.');
  }
  return { venue: context.venue, service: context.service };
}

/** Tenant scoping: operators see every redemption, an association (treasurer and venue agents) its own. */
function canSee(principal: Principal, redemption: Pick<Redemption, 'associationId'>): boolean {
  return isOperator(principal) || principal.organisationId === redemption.associationId;
}

function undoRefused(reason: UndoRefusal | 'already_settled'): AppError {
  const message = undoRefusalMessage(reason);
  switch (reason) {
    case 'undo_not_allowed':
      return new ForbiddenError(reason, 'Only the redeeming venue or an operator can undo.', {
        details: { message },
      });
    case 'already_undone':
      return new ConflictError(reason, 'This redemption is already undone.', { details: { message } });
    case 'undo_window_expired':
      return new UnprocessableError(reason, 'The undo window is over.', { details: { message } });
    case 'already_settled':
      return new UnprocessableError(reason, 'This redemption is settled and cannot be undone.', {
        details: { message },
      });
    default: {
      const unknown: never = reason;
      throw new Error(`unknown undo refusal ${String(unknown)}`);
    }
  }
}

/** A stored answer of this endpoint (written by redeem, so its body is a RedemptionJson). */
function storedAnswer(stored: StoredAnswer): StoredAnswer & { response_body: RedemptionJson } {
  return stored as StoredAnswer & { response_body: RedemptionJson };
}

/** When a re-read finds the basket usable again (the competitor rolled back late), still refuse this try. */
function takenVerdict(evaluation: Evaluation): Extract<BasketVerdict, { ok: false }> {
  return {
    ok: false,
    code: 'already_redeemed',
    refusals: [],
    passes: evaluation.verdict.passes.map((pass) => ({
      ...pass,
      ok: false,
      refusals: [{ code: 'already_redeemed' as const, message: refusalMessage('already_redeemed') }],
    })),
  };
}
