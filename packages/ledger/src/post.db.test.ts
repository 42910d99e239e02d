import { randomUUID } from 'node:crypto';
import { migrateDownAll, migrateLatest } from '@pass/db';
import { createEmptyTestDatabase, createTestDatabase, type TestDatabase } from '@pass/db/testing';
import { expect } from 'chai';
import { accounts } from './account-code';
import { balance, balances, balancesByPurpose } from './balance';
import { credit, debit } from './entry';
import { ledgerMigrations } from './ledger-migrations';
import {
  ASSOCIATION,
  buildActivation,
  buildFunding,
  buildRedemption,
  FUNDER,
  rejectionOf,
} from './ledger-test-builders';
import { getEntry, post, reverse } from './post';

describe('posting (PostgreSQL)', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase(ledgerMigrations);
  });
  after(() => db?.destroy());

  const outstanding = accounts.funderVouchersOutstanding(FUNDER);
  const payable = accounts.associationPayable(ASSOCIATION);

  it('posts a balanced entry, creating its accounts, and moves the balances', async () => {
    const funder = randomUUID();
    const entry = await db.knex.transaction((trx) =>
      post(trx, buildFunding({ funderId: funder, face: 10_000n, fee: 400n })),
    );
    expect(entry).to.include({
      kind: 'funding_received',
      currency: 'EUR',
      replayed: false,
      reversesEntryId: null,
    });
    expect(entry.id).to.match(/^\d+$/);
    expect(entry.effectiveDate).to.match(/^\d{4}-\d{2}-\d{2}$/);
    expect(await balance(db.knex, accounts.funderPrepaid(funder))).to.equal(10_000n);
    const stored = await getEntry(db.knex, entry.id);
    expect(stored?.lines).to.deep.equal(entry.lines);
    const kinds = await db.knex.raw(
      'select code, kind, owner_type, owner_id::text, purpose from ledger.accounts where owner_id = ?',
      [funder],
    );
    expect(kinds.rows).to.deep.equal([
      {
        code: accounts.funderPrepaid(funder),
        kind: 'liability',
        owner_type: 'funder',
        owner_id: funder,
        purpose: 'prepaid',
      },
    ]);
  });

  it('reads balances in each account natural sign', async () => {
    await post(db.knex, buildFunding());
    await post(db.knex, buildActivation({ amount: 50_000n }));
    await post(db.knex, buildRedemption({ amount: 1000n }));
    const read = await balances(db.knex, [
      outstanding,
      payable,
      accounts.operatorBank(),
      accounts.funderCreditNotes(FUNDER),
    ]);
    expect(read.get(outstanding)).to.equal(49_000n);
    expect(read.get(payable)).to.equal(1000n);
    expect(read.get(accounts.operatorBank())! > 0n).to.equal(true);
    expect(read.get(accounts.funderCreditNotes(FUNDER))).to.equal(0n);
    const byOwner = await balancesByPurpose(db.knex, 'vouchers_outstanding');
    expect(byOwner.get(FUNDER)).to.equal(49_000n);
    expect((await balancesByPurpose(db.knex, 'bank')).get(null)).to.equal(read.get(accounts.operatorBank()));
    expect((await balancesByPurpose(db.knex, 'credit_notes')).has(FUNDER)).to.equal(false);
  });

  it('rolls the entry back with the business transaction that fails', async () => {
    const before = await balance(db.knex, payable);
    const error = await rejectionOf(
      db.knex.transaction(async (trx) => {
        await post(trx, buildRedemption({ amount: 777n }));
        throw new Error('the redemption failed');
      }),
    );
    expect(error.message).to.equal('the redemption failed');
    expect(await balance(db.knex, payable)).to.equal(before);
  });

  it('keeps the date the caller gives as the accounting date', async () => {
    const entry = await post(db.knex, buildRedemption({ effectiveDate: '2025-12-31' }));
    expect(entry.effectiveDate).to.equal('2025-12-31');
    expect((await getEntry(db.knex, entry.id))?.effectiveDate).to.equal('2025-12-31');
  });

  describe('idempotency', () => {
    it('returns the first entry when the same key is posted again with the same content', async () => {
      const input = buildRedemption({ idempotencyKey: `redeem:${randomUUID()}` });
      const first = await post(db.knex, input);
      const before = await balance(db.knex, payable);
      const again = await post(db.knex, { ...input, actor: 'user:retry', description: 'retried' });
      expect(again.id).to.equal(first.id);
      expect(again.replayed).to.equal(true);
      expect(again.actor).to.equal(first.actor);
      expect(await balance(db.knex, payable)).to.equal(before);
    });

    it('refuses the same key with different content (422 idempotency_key_reused)', async () => {
      const input = buildRedemption({ idempotencyKey: `redeem:${randomUUID()}` });
      const first = await post(db.knex, input);
      const error = await rejectionOf(
        post(db.knex, { ...input, lines: [debit(outstanding, 2000n), credit(payable, 2000n)] }),
      );
      expect(error).to.include({ status: 422, code: 'idempotency_key_reused' });
      expect((error as { details?: unknown }).details).to.deep.equal({ entryId: first.id });
    });

    it('writes one entry when the same key is posted by concurrent transactions', async () => {
      const input = buildRedemption({ idempotencyKey: `redeem:${randomUUID()}` });
      const results = await Promise.all(
        Array.from({ length: 8 }, () => db.knex.transaction((trx) => post(trx, input))),
      );
      expect(new Set(results.map((entry) => entry.id)).size).to.equal(1);
      expect(results.filter((entry) => !entry.replayed)).to.have.length(1);
      const stored = await db.knex.raw(
        'select count(*)::int as n from ledger.entries where idempotency_key = ?',
        [input.idempotencyKey!],
      );
      expect(stored.rows[0].n).to.equal(1);
    });

    it('does not abort the caller transaction on a replay', async () => {
      const input = buildRedemption({ idempotencyKey: `redeem:${randomUUID()}` });
      await post(db.knex, input);
      const replayed = await db.knex.transaction(async (trx) => {
        const entry = await post(trx, input);
        await trx.raw('select 1');
        return entry;
      });
      expect(replayed.replayed).to.equal(true);
    });
  });

  describe('reversal', () => {
    it('posts the mirror entry linked to the original and restores the balances', async () => {
      const before = await balances(db.knex, [outstanding, payable]);
      const original = await post(db.knex, buildRedemption({ amount: 1500n }));
      const reversal = await db.knex.transaction((trx) =>
        reverse(trx, original.id, {
          actor: 'user:venue',
          reason: 'scanned twice',
          kind: 'redemption_undone',
        }),
      );
      expect(reversal).to.include({
        kind: 'redemption_undone',
        reversesEntryId: original.id,
        description: 'scanned twice',
      });
      expect(reversal.reference).to.equal(original.reference);
      expect(reversal.lines.map((line) => [line.account, line.side, line.amount])).to.deep.equal([
        [outstanding, 'credit', 1500n],
        [payable, 'debit', 1500n],
      ]);
      expect(await balances(db.knex, [outstanding, payable])).to.deep.equal(before);
    });

    it('reverses an entry at most once (409 ledger_entry_already_reversed)', async () => {
      const original = await post(db.knex, buildRedemption());
      await reverse(db.knex, original.id, { actor: 'a', reason: 'first' });
      const error = await rejectionOf(reverse(db.knex, original.id, { actor: 'a', reason: 'second' }));
      expect(error).to.include({ status: 409, code: 'ledger_entry_already_reversed' });
    });

    it('lets only one of two concurrent reversals win', async () => {
      const original = await post(db.knex, buildRedemption());
      const results = await Promise.allSettled(
        [1, 2].map((n) =>
          db.knex.transaction((trx) => reverse(trx, original.id, { actor: 'a', reason: `try ${n}` })),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
      const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(failure.reason.code).to.equal('ledger_entry_already_reversed');
    });

    it('answers 404 for an unknown entry', async () => {
      expect(await rejectionOf(reverse(db.knex, '999999999', { actor: 'a', reason: 'r' }))).to.include({
        status: 404,
        code: 'ledger_entry_not_found',
      });
    });
  });

  describe('what the database refuses by itself', () => {
    it('refuses UPDATE, DELETE and TRUNCATE of entries and lines (55000)', async () => {
      const entry = await post(db.knex, buildRedemption());
      for (const sql of [
        'update ledger.entries set reference = reference where id = ?',
        'delete from ledger.entries where id = ?',
        'update ledger.lines set amount_cents = amount_cents + 1 where entry_id = ?',
        'delete from ledger.lines where entry_id = ?',
        'update ledger.accounts set kind = kind where id = (select account_id from ledger.lines where entry_id = ? limit 1)',
      ]) {
        expect(await rejectionOf(db.knex.raw(sql, [entry.id]))).to.have.property('code', '55000');
      }
      expect(await rejectionOf(db.knex.raw('truncate ledger.lines'))).to.have.property('code', '55000');
      expect(await rejectionOf(db.knex.raw('truncate ledger.entries cascade'))).to.have.property(
        'code',
        '55000',
      );
    });

    it('refuses an unbalanced entry written with raw SQL (23514 at commit)', async () => {
      const error = await rejectionOf(
        db.knex.transaction(async (trx) => {
          const ids = await trx.raw('select id from ledger.accounts where code = any(?) order by code', [
            [outstanding, payable],
          ]);
          const [payableId, outstandingId] = ids.rows.map((row: { id: string }) => row.id);
          const entry = await trx.raw(
            `insert into ledger.entries (kind, reference, actor, currency) values ('redemption', 'raw', 'sql', 'EUR') returning id`,
          );
          await trx.raw(
            `insert into ledger.lines (entry_id, line_no, account_id, side, amount_cents)
             values (?, 1, ?, 'debit', 1000), (?, 2, ?, 'credit', 999)`,
            [entry.rows[0].id, outstandingId, entry.rows[0].id, payableId],
          );
        }),
      );
      expect(error).to.have.property('code', '23514');
      expect(error.message).to.match(/unbalanced/);
    });

    it('refuses an entry without lines and a one-line entry', async () => {
      const noLines = await rejectionOf(
        db.knex.raw(
          `insert into ledger.entries (kind, reference, actor, currency) values ('x', 'raw', 'sql', 'EUR')`,
        ),
      );
      expect(noLines).to.have.property('code', '23514');
      const oneLine = await rejectionOf(
        db.knex.raw(
          `with e as (insert into ledger.entries (kind, reference, actor, currency) values ('x', 'raw', 'sql', 'EUR') returning id)
           insert into ledger.lines select e.id, 1, (select id from ledger.accounts limit 1), 'debit', 5 from e`,
        ),
      );
      expect(oneLine).to.have.property('code', '23514');
    });

    it('refuses a line added later to an entry that balanced', async () => {
      const entry = await post(db.knex, buildRedemption());
      const error = await rejectionOf(
        db.knex.raw(
          `insert into ledger.lines select ?, 3, account_id, 'debit', 5 from ledger.lines where entry_id = ? and line_no = 1`,
          [entry.id, entry.id],
        ),
      );
      expect(error).to.have.property('code', '23514');
    });

    it('refuses a line on an account that does not exist', async () => {
      const error = await rejectionOf(
        db.knex.raw(
          `with e as (insert into ledger.entries (kind, reference, actor, currency) values ('x', 'raw', 'sql', 'EUR') returning id)
           insert into ledger.lines select e.id, n, 987654321, case n when 1 then 'debit' else 'credit' end, 5
             from e, generate_series(1, 2) n`,
        ),
      );
      expect(error).to.have.property('code', '23503');
    });

    it('refuses a posting to an account kept in another currency, without writing anything', async () => {
      const funder = randomUUID();
      await post(db.knex, buildActivation({ funderId: funder, amount: 100n }));
      const count = async () =>
        (await db.knex.raw('select count(*)::int as n from ledger.entries')).rows[0].n;
      const before = await count();
      const error = await rejectionOf(
        post(db.knex, {
          ...buildActivation({ funderId: funder, amount: 100n }),
          currency: 'CHF',
        }),
      );
      expect(error).to.include({ code: 'validation_failed' });
      expect(
        (error as unknown as { issues: { code: string }[] }).issues.map((issue) => issue.code),
      ).to.deep.equal(['currency_mismatch', 'currency_mismatch']);
      expect(await count()).to.equal(before);
    });
  });

  it('refuses an unbalanced entry before touching the database', async () => {
    const error = await rejectionOf(
      post(db.knex, buildRedemption({ lines: [debit(outstanding, 10n), credit(payable, 9n)] })),
    );
    expect(error).to.include({ status: 400, code: 'validation_failed' });
  });
});

describe('ledger migrations', function () {
  this.timeout(60_000);
  it('run up, down and up again', async () => {
    const db = await createEmptyTestDatabase();
    try {
      expect(await migrateLatest(db.knex, ledgerMigrations)).to.have.length(4);
      await post(db.knex, buildRedemption());
      expect(await migrateDownAll(db.knex, ledgerMigrations)).to.have.length(4);
      const schema = await db.knex.raw(
        `select count(*)::int as n from pg_namespace where nspname = 'ledger'`,
      );
      expect(schema.rows[0].n).to.equal(0);
      expect(await migrateLatest(db.knex, ledgerMigrations)).to.have.length(4);
      const entry = await post(db.knex, buildRedemption());
      expect(entry.id).to.equal('1');
    } finally {
      await db.destroy();
    }
  });
});
