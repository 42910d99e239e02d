import { randomUUID } from 'node:crypto';
import { idempotencyLockKey } from '@pass/http';
import { expect } from 'chai';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import { createPgliteTestDb } from '../../../../test/support/database';
import { accounts, balance } from '../shared/ledger';
import { insertAssociation, insertVenue, issueBatch, type TestVenue } from '../testing/redemption-test-kit';
import { PostgresRedemptionStore } from './postgres-redemption-store';
import type { BasketWrite } from './redemption-store';

// redemption.redeem_baskets on its own: the outcomes the API cannot easily provoke (a first request that
// commits between a second request's read and its write), the all-or-nothing rollback of a lost race, and
// groups of baskets written by one call (what the API does under load).
for (const mode of ['PostgreSQL', 'embedded PGlite'] as const) {
  describe(`redemption.redeem_baskets (${mode})`, function () {
    this.timeout(120_000);
    let t: TestApp;
    let venue: TestVenue;
    const store = new PostgresRedemptionStore();

    before(async () => {
      t = await createTestApp(mode === 'PostgreSQL' ? {} : { db: await createPgliteTestDb() });
      venue = await insertVenue(t.db.knex, { associationId: await insertAssociation(t.db.knex) });
    });
    after(async () => {
      await t.close();
    });

    async function basket(
      count: number,
      key: string = randomUUID(),
    ): Promise<{ write: BasketWrite; funderId: string }> {
      const issued = await issueBatch(t.db.knex, t.config, { count: 5 });
      const funderId = issued.batch.funderId;
      const id = randomUUID();
      const cents = 1000n * BigInt(count);
      const outstanding = accounts.funderVouchersOutstanding(funderId);
      const payable = accounts.associationPayable(venue.associationId);
      return {
        funderId,
        write: {
          idempotency: {
            scope: 'redemption:test',
            key,
            lockKey: idempotencyLockKey('redemption:test', key),
            requestHash: 'hash-of-the-request',
            response: { id, note: 'the first answer' },
          },
          redemption: {
            id,
            venueId: venue.venueId,
            associationId: venue.associationId,
            catalogueServiceId: venue.services[1],
            serviceCategory: 'maitrise-outils-numeriques',
            voucherCount: count,
            amountCents: cents,
            status: 'live',
            redeemedAt: new Date(),
            redeemedBy: 'device:test',
            undoneAt: null,
            undoneBy: null,
            ledgerEntryId: '',
            undoEntryId: null,
          },
          vouchers: issued.voucherIds.slice(0, count).map((voucherId) => ({
            voucherId,
            batchId: issued.batch.id,
            funderId,
            faceValueCents: 1000n,
            live: true,
          })),
          actor: { kind: 'device', role: 'venue_agent' },
          requestId: null,
          auditSummary: { passCount: count },
          entry: {
            kind: 'redemption',
            currency: 'EUR',
            effectiveDate: null,
            lines: [
              {
                code: outstanding,
                side: 'debit',
                amount: cents,
                kind: 'liability',
                ownerType: 'funder',
                ownerId: funderId,
                purpose: 'vouchers_outstanding',
              },
              {
                code: payable,
                side: 'credit',
                amount: cents,
                kind: 'liability',
                ownerType: 'association',
                ownerId: venue.associationId,
                purpose: 'payable',
              },
            ],
          },
        },
      };
    }

    const one = async (write: BasketWrite) => {
      const outcomes = await store.redeemBaskets(t.db.knex, [write]);
      expect(outcomes).to.have.length(1);
      return outcomes[0];
    };
    const statusesOf = (write: BasketWrite) =>
      t.db
        .knex('vouchers.vouchers')
        .whereIn(
          'id',
          write.vouchers.map((v) => v.voucherId),
        )
        .orderBy('id')
        .pluck('status');

    const countWhere = async (table: string, where: Record<string, string>) =>
      Number((await t.db.knex(table).where(where).count<{ count: string }[]>('* as count'))[0]!.count);

    it('writes passes, ledger entry, redemption, audit row and stored answer together', async () => {
      const { write, funderId } = await basket(2);
      expect(await one(write)).to.deep.equal({ outcome: 'created' });
      const id = write.redemption.id;
      expect(await countWhere('redemption.redemption_vouchers', { redemption_id: id })).to.equal(2);
      expect(await countWhere('ledger.entries', { reference: `redemption:${id}` })).to.equal(1);
      expect(
        await countWhere('platform.audit_log', { target_id: id, action: 'redemption.created' }),
      ).to.equal(1);
      expect(await countWhere('platform.idempotency_keys', { key: write.idempotency.key })).to.equal(1);
      expect((await balance(t.db.knex, accounts.funderVouchersOutstanding(funderId))).toString()).to.equal(
        '3000',
      );
    });

    it('answers replay with the first answer when the key was used meanwhile, and writes nothing', async () => {
      const { write } = await basket(1);
      await one(write);
      const second = { ...write, redemption: { ...write.redemption, id: randomUUID() } };
      const outcome = await one(second);
      expect(outcome).to.deep.equal({
        outcome: 'replay',
        stored: {
          request_hash: 'hash-of-the-request',
          response_status: 201,
          response_body: { id: write.redemption.id, note: 'the first answer' },
        },
      });
      expect(await countWhere('redemption.redemptions', { id: second.redemption.id })).to.equal(0);
    });

    // PGlite has one connection: no second transaction can hold the key beside the request.
    if (mode === 'PostgreSQL')
      it('answers in_flight while another transaction holds the key', async () => {
        const { write } = await basket(1);
        const holder = await t.db.knex.transaction();
        try {
          await holder.raw('select pg_advisory_xact_lock(?::bigint)', [write.idempotency.lockKey]);
          expect(await one(write)).to.deep.equal({ outcome: 'in_flight' });
        } finally {
          await holder.rollback();
        }
        expect(await countWhere('redemption.redemptions', { id: write.redemption.id })).to.equal(0);
      });

    it('rolls everything back when one pass of the basket is already taken', async () => {
      const { write } = await basket(3);
      // Another redemption took the third pass first.
      await t.db
        .knex('vouchers.vouchers')
        .where({ id: write.vouchers[2]!.voucherId })
        .update({ status: 'redeemed' });
      expect(await one(write)).to.deep.equal({ outcome: 'taken' });
      const id = write.redemption.id;
      expect(await countWhere('redemption.redemptions', { id })).to.equal(0);
      expect(await countWhere('ledger.entries', { reference: `redemption:${id}` })).to.equal(0);
      expect(await countWhere('platform.audit_log', { target_id: id })).to.equal(0);
      expect(await countWhere('platform.idempotency_keys', { key: write.idempotency.key })).to.equal(0);
      expect(await statusesOf(write)).to.deep.equal(['available', 'available', 'redeemed']);
    });

    it('writes a group of baskets in one call, each with its own passes, entry, audit row and answer', async () => {
      const first = await basket(1);
      const second = await basket(2);
      const third = await basket(3);
      const outcomes = await store.redeemBaskets(t.db.knex, [first.write, second.write, third.write]);
      expect(outcomes).to.deep.equal([
        { outcome: 'created' },
        { outcome: 'created' },
        { outcome: 'created' },
      ]);
      for (const [{ write, funderId }, count] of [
        [first, 1],
        [second, 2],
        [third, 3],
      ] as const) {
        const id = write.redemption.id;
        expect(await statusesOf(write)).to.deep.equal(Array(count).fill('redeemed'));
        expect(await countWhere('redemption.redemption_vouchers', { redemption_id: id })).to.equal(count);
        const [redemption] = await t.db.knex('redemption.redemptions').where({ id });
        const [entry] = await t.db.knex('ledger.entries').where({ reference: `redemption:${id}` });
        expect(String(redemption.ledger_entry_id)).to.equal(String(entry.id));
        const lines = await t.db.knex('ledger.lines').where({ entry_id: entry.id }).orderBy('line_no');
        expect(lines.map((l) => [l.line_no, l.side, String(l.amount_cents)])).to.deep.equal([
          [1, 'debit', String(1000 * count)],
          [2, 'credit', String(1000 * count)],
        ]);
        const [audit] = await t.db
          .knex('platform.audit_log')
          .where({ target_id: id, action: 'redemption.created' });
        expect(audit.summary).to.deep.include({ passCount: count, ledgerEntryId: String(entry.id) });
        const [event] = await t.db.knex('vouchers.events').where({ reference: `redemption:${id}` });
        expect([event.kind, event.serial_to - event.serial_from + 1]).to.deep.equal([
          'voucher.redeemed',
          count,
        ]);
        expect((await balance(t.db.knex, accounts.funderVouchersOutstanding(funderId))).toString()).to.equal(
          String(5000 - 1000 * count),
        );
      }
    });

    it('in a group, refuses a key used twice and a pass claimed twice without touching the rest', async () => {
      const first = await basket(2);
      const sameKey = await basket(1, first.write.idempotency.key);
      // A second basket wanting the first basket's second pass, plus one of its own.
      const rival = await basket(2);
      const rivalWrite: BasketWrite = {
        ...rival.write,
        vouchers: [first.write.vouchers[1]!, rival.write.vouchers[0]!],
      };
      const replayed = await basket(1);
      await one(replayed.write);
      const replayAgain = {
        ...replayed.write,
        redemption: { ...replayed.write.redemption, id: randomUUID() },
      };
      const outcomes = await store.redeemBaskets(t.db.knex, [
        first.write,
        sameKey.write,
        rivalWrite,
        replayAgain,
      ]);
      expect(outcomes.map((o) => o.outcome)).to.deep.equal(['created', 'in_flight', 'taken', 'replay']);
      expect(await statusesOf(first.write)).to.deep.equal(['redeemed', 'redeemed']);
      expect(await statusesOf(sameKey.write)).to.deep.equal(['available']);
      expect(await statusesOf(rival.write)).to.deep.equal(['available', 'available']);
      for (const write of [sameKey.write, rivalWrite, replayAgain]) {
        expect(await countWhere('redemption.redemptions', { id: write.redemption.id })).to.equal(0);
        expect(
          await countWhere('ledger.entries', { reference: `redemption:${write.redemption.id}` }),
        ).to.equal(0);
      }
    });

    it('writes nothing of a group when one basket fails unexpectedly', async () => {
      const good = await basket(1);
      const bad = await basket(1);
      // An account kept in euros used by an entry in another currency: the ledger refuses the whole call.
      const badWrite: BasketWrite = { ...bad.write, entry: { ...bad.write.entry, currency: 'USD' } };
      let failure: unknown;
      try {
        await store.redeemBaskets(t.db.knex, [good.write, badWrite]);
      } catch (err) {
        failure = err;
      }
      expect((failure as { code?: string } | undefined)?.code).to.equal('23514');
      expect(await statusesOf(good.write)).to.deep.equal(['available']);
      expect(await countWhere('redemption.redemptions', { id: good.write.redemption.id })).to.equal(0);
      expect(await countWhere('platform.idempotency_keys', { key: good.write.idempotency.key })).to.equal(0);
      // Alone, the good basket goes through (what the API's grouping does after a failed group).
      expect(await one(good.write)).to.deep.equal({ outcome: 'created' });
    });

    // PGlite has one connection: no other transaction can hold a pass.
    if (mode === 'PostgreSQL')
      it('gives up a group blocked by a lock held elsewhere; a basket alone waits for it', async () => {
        const blocked = await basket(1);
        const free = await basket(1);
        const holder = await t.db.knex.transaction();
        try {
          await holder.raw('select id from vouchers.vouchers where id = ? for update', [
            blocked.write.vouchers[0]!.voucherId,
          ]);
          const started = Date.now();
          let failure: unknown;
          try {
            await store.redeemBaskets(t.db.knex, [free.write, blocked.write]);
          } catch (err) {
            failure = err;
          }
          expect((failure as { code?: string } | undefined)?.code).to.equal('55P03');
          expect(Date.now() - started).to.be.below(5000);
          expect(await statusesOf(free.write)).to.deep.equal(['available']);
          // Alone, the blocked basket waits for the holder instead of giving up.
          const alone = one(blocked.write);
          await new Promise((resolve) => setTimeout(resolve, 400));
          await holder.commit();
          expect(await alone).to.deep.equal({ outcome: 'created' });
        } finally {
          if (!holder.isCompleted()) await holder.rollback();
        }
        expect(await one(free.write)).to.deep.equal({ outcome: 'created' });
      });

    it('runs the hot path with index plans only and without JIT, whatever the statistics', async () => {
      const rows = await t.db.knex.raw(
        `select p.proname, p.proconfig from pg_proc p join pg_namespace n on n.oid = p.pronamespace
          where n.nspname = 'redemption' and p.proname in ('redeem_baskets', 'load_contexts') order by p.proname`,
      );
      const config = (rows.rows ?? rows) as { proname: string; proconfig: string[] }[];
      const expected = ['enable_seqscan=off', 'enable_hashjoin=off', 'enable_mergejoin=off', 'jit=off'];
      expect(config.map((row) => row.proname)).to.deep.equal(['load_contexts', 'redeem_baskets']);
      for (const row of config) expect([...row.proconfig].sort()).to.deep.equal([...expected].sort());
    });
  });
}
