import { randomUUID } from 'node:crypto';
import { createPgliteTestDatabase, createTestDatabase, type TestDatabase } from '@pass/db/testing';
import { expect } from 'chai';
import { accounts } from './account-code';
import { accountStatement } from './account-statement';
import { balances } from './balance';
import { credit, debit, type PostedEntry } from './entry';
import { exportFec } from './fec';
import { auditFec } from './fec-audit';
import { runLedgerChecks } from './ledger-checks';
import { ledgerMigrations } from './ledger-migrations';
import { asSuperuserWithoutTriggers, rejectionOf } from './ledger-test-builders';
import { post, reverse } from './post';
import { sealPending } from './seal';
import { verifyChain } from './verify-chain';

// The life of one funder's batch, run on PostgreSQL and on the embedded PGlite: both modes must agree.
for (const [mode, create] of [
  ['PostgreSQL', createTestDatabase],
  ['PGlite', createPgliteTestDatabase],
] as const) {
  describe(`ledger scenario on ${mode}`, function () {
    this.timeout(120_000);
    let db: TestDatabase;
    before(async () => {
      db = await create(ledgerMigrations);
    });
    after(() => db?.destroy());

    const funder = randomUUID();
    const association = randomUUID();
    const bank = accounts.operatorBank();
    const fees = accounts.operatorFees();
    const prepaid = accounts.funderPrepaid(funder);
    const outstanding = accounts.funderVouchersOutstanding(funder);
    const creditNotes = accounts.funderCreditNotes(funder);
    const payable = accounts.associationPayable(association);
    const all = [bank, fees, prepaid, outstanding, creditNotes, payable];

    it('funds, activates, redeems, undoes, pays out and expires with exact balances', async () => {
      await db.knex.transaction((trx) =>
        post(trx, {
          kind: 'funding_received',
          reference: 'batch:1',
          actor: 'user:funder',
          idempotencyKey: 'funding:batch-1',
          effectiveDate: '2026-01-05',
          lines: [debit(bank, 10_400n), credit(prepaid, 10_000n), credit(fees, 400n)],
        }),
      );
      await db.knex.transaction((trx) =>
        post(trx, {
          kind: 'batch_activated',
          reference: 'batch:1',
          actor: 'user:funder',
          effectiveDate: '2026-01-06',
          lines: [debit(prepaid, 10_000n), credit(outstanding, 10_000n)],
        }),
      );
      const redemptions: PostedEntry[] = [];
      for (let i = 0; i < 3; i++) {
        redemptions.push(
          await db.knex.transaction((trx) =>
            post(trx, {
              kind: 'redemption',
              reference: `redemption:${i}`,
              actor: 'device:venue-1',
              effectiveDate: '2026-02-01',
              lines: [debit(outstanding, 1000n), credit(payable, 1000n)],
            }),
          ),
        );
      }
      await db.knex.transaction((trx) =>
        reverse(trx, redemptions[2]!.id, {
          actor: 'device:venue-1',
          reason: 'erreur',
          kind: 'redemption_undone',
          effectiveDate: '2026-02-01',
        }),
      );
      await post(db.knex, {
        kind: 'payout_sent',
        reference: 'payout:1',
        actor: 'job:settlement',
        effectiveDate: '2026-03-01',
        lines: [debit(payable, 2000n), credit(bank, 2000n)],
      });
      await post(db.knex, {
        kind: 'expiry',
        reference: 'batch:1',
        actor: 'job:expiry',
        effectiveDate: '2026-12-31',
        lines: [debit(outstanding, 8000n), credit(creditNotes, 8000n)],
      });
      expect(Object.fromEntries(await balances(db.knex, all))).to.deep.equal({
        [bank]: 8_400n,
        [fees]: 400n,
        [prepaid]: 0n,
        [outstanding]: 0n,
        [creditNotes]: 8_000n,
        [payable]: 0n,
      });
    });

    it('replays an idempotent posting and refuses a second reversal', async () => {
      const replay = await post(db.knex, {
        kind: 'funding_received',
        reference: 'batch:1',
        actor: 'user:retry',
        idempotencyKey: 'funding:batch-1',
        lines: [debit(bank, 10_400n), credit(prepaid, 10_000n), credit(fees, 400n)],
      });
      expect(replay.replayed).to.equal(true);
      const undone = (
        await db.knex.raw(
          `select reverses_entry_id::text as id from ledger.entries where kind = 'redemption_undone'`,
        )
      ).rows[0].id;
      expect(await rejectionOf(reverse(db.knex, undone, { actor: 'a', reason: 'again' }))).to.include({
        code: 'ledger_entry_already_reversed',
      });
    });

    it('refuses updates and unbalanced raw entries in the database itself', async () => {
      expect(await rejectionOf(db.knex.raw('update ledger.lines set amount_cents = 1'))).to.have.property(
        'code',
        '55000',
      );
      expect(await rejectionOf(db.knex.raw('delete from ledger.entries'))).to.have.property('code', '55000');
      const unbalanced = await rejectionOf(
        db.knex.raw(
          `with e as (insert into ledger.entries (kind, reference, actor, currency) values ('x', 'raw', 'sql', 'EUR') returning id)
           insert into ledger.lines select e.id, n, (select id from ledger.accounts where code = 'operator:bank'),
                  case n when 1 then 'debit' else 'credit' end, n from e, generate_series(1, 2) n`,
        ),
      );
      expect(unbalanced).to.have.property('code', '23514');
    });

    it('gives the association a statement that closes at zero after the payout', async () => {
      const statement = await accountStatement(db.knex, payable, { from: '2026-01-01', to: '2026-12-31' });
      expect(statement.lines.map((line) => line.balance)).to.deep.equal([1000n, 2000n, 3000n, 2000n, 0n]);
      expect(statement.closing).to.equal(0n);
    });

    it('seals, verifies, catches a change made behind the triggers, and exports a valid FEC', async () => {
      const sealed = await sealPending(db.knex, { waitMs: 20_000 });
      expect(sealed.sealedEntries).to.equal(8);
      expect((await runLedgerChecks(db.knex)).ok).to.equal(true);
      const { fileName, content } = await exportFec(db.knex, {
        siren: '732829320',
        fiscalYearEnd: '2026-12-31',
        from: '2026-01-01',
        to: '2026-12-31',
      });
      expect(
        auditFec(content, { fileName, fiscalYearStart: '2026-01-01', fiscalYearEnd: '2026-12-31' }).anomalies,
      ).to.deep.equal([]);

      const target = (
        await db.knex.raw(`select id::text as id from ledger.entries where reference = 'payout:1'`)
      ).rows[0].id;
      await asSuperuserWithoutTriggers(
        db.knex,
        'update ledger.lines set amount_cents = 1500 where entry_id = ?',
        [target],
      );
      const verified = await verifyChain(db.knex);
      expect(verified.firstBrokenLink).to.include({ entryId: target, reason: 'entry_changed' });
    });
  });
}
