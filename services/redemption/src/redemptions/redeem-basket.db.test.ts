import { randomUUID } from 'node:crypto';
import { idempotencyLockKey } from '@pass/http';
import { expect } from 'chai';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import { createPgliteTestDb } from '../../../../test/support/database';
import { accounts, balance } from '../shared/ledger';
import { insertAssociation, insertVenue, issueBatch, type TestVenue } from '../testing/redemption-test-kit';
import { PostgresRedemptionStore } from './postgres-redemption-store';
import type { BasketWrite } from './redemption-store';

// redemption.redeem_basket on its own: the outcomes the API cannot easily provoke (a first request that
// commits between a second request's read and its write) and the all-or-nothing rollback of a lost race.
for (const mode of ['PostgreSQL', 'embedded PGlite'] as const) {
  describe(`redemption.redeem_basket (${mode})`, function () {
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
      key = randomUUID(),
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

    const countWhere = async (table: string, where: Record<string, string>) =>
      Number((await t.db.knex(table).where(where).count<{ count: string }[]>('* as count'))[0]!.count);

    it('writes passes, ledger entry, redemption, audit row and stored answer together', async () => {
      const { write, funderId } = await basket(2);
      expect(await store.redeemBasket(t.db.knex, write)).to.deep.equal({ outcome: 'created' });
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
      await store.redeemBasket(t.db.knex, write);
      const second = { ...write, redemption: { ...write.redemption, id: randomUUID() } };
      const outcome = await store.redeemBasket(t.db.knex, second);
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
          expect(await store.redeemBasket(t.db.knex, write)).to.deep.equal({ outcome: 'in_flight' });
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
      expect(await store.redeemBasket(t.db.knex, write)).to.deep.equal({ outcome: 'taken' });
      const id = write.redemption.id;
      expect(await countWhere('redemption.redemptions', { id })).to.equal(0);
      expect(await countWhere('ledger.entries', { reference: `redemption:${id}` })).to.equal(0);
      expect(await countWhere('platform.audit_log', { target_id: id })).to.equal(0);
      expect(await countWhere('platform.idempotency_keys', { key: write.idempotency.key })).to.equal(0);
      const statuses = await t.db
        .knex('vouchers.vouchers')
        .whereIn(
          'id',
          write.vouchers.map((v) => v.voucherId),
        )
        .orderBy('id')
        .pluck('status');
      expect(statuses).to.deep.equal(['available', 'available', 'redeemed']);
    });
  });
}
