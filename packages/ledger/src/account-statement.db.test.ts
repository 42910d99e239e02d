import { createTestDatabase, type TestDatabase } from '@pass/db/testing';
import { expect } from 'chai';
import { accounts } from './account-code';
import { accountStatement } from './account-statement';
import { balance } from './balance';
import { ledgerMigrations } from './ledger-migrations';
import { ASSOCIATION, buildRedemption, rejectionOf } from './ledger-test-builders';
import { post, reverse } from './post';

describe('account statements (PostgreSQL)', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  const payable = accounts.associationPayable(ASSOCIATION);
  before(async () => {
    db = await createTestDatabase(ledgerMigrations);
    await post(db.knex, buildRedemption({ amount: 1000n, effectiveDate: '2026-01-31' }));
    await post(
      db.knex,
      buildRedemption({ amount: 2000n, effectiveDate: '2026-02-03', description: 'Atelier' }),
    );
    const third = await post(db.knex, buildRedemption({ amount: 500n, effectiveDate: '2026-02-10' }));
    await reverse(db.knex, third.id, { actor: 'a', reason: 'erreur', effectiveDate: '2026-02-11' });
    await post(db.knex, buildRedemption({ amount: 700n, effectiveDate: '2026-03-01' }));
  });
  after(() => db?.destroy());

  it('gives opening balance, lines with running balance and closing balance for a period', async () => {
    const statement = await accountStatement(db.knex, payable, { from: '2026-02-01', to: '2026-02-28' });
    expect(statement).to.include({
      account: payable,
      kind: 'liability',
      currency: 'EUR',
      opening: 1000n,
      closing: 3000n,
    });
    expect(statement.totalCredit).to.equal(2500n);
    expect(statement.totalDebit).to.equal(500n);
    expect(statement.lines.map((line) => [line.date, line.side, line.amount, line.balance])).to.deep.equal([
      ['2026-02-03', 'credit', 2000n, 3000n],
      ['2026-02-10', 'credit', 500n, 3500n],
      ['2026-02-11', 'debit', 500n, 3000n],
    ]);
    expect(statement.lines[0]?.description).to.equal('Atelier');
    expect(statement.lines[2]?.kind).to.equal('reversal');
  });

  it('covers the whole history without bounds and closes on the current balance', async () => {
    const statement = await accountStatement(db.knex, payable);
    expect(statement.opening).to.equal(0n);
    expect(statement.lines).to.have.length(5);
    expect(statement.closing).to.equal(await balance(db.knex, payable));
  });

  it('shows an unused account as empty', async () => {
    const statement = await accountStatement(db.knex, accounts.funderCreditNotes(ASSOCIATION));
    expect(statement).to.include({ opening: 0n, closing: 0n });
    expect(statement.lines).to.deep.equal([]);
  });

  it('refuses a malformed date', async () => {
    expect(await rejectionOf(accountStatement(db.knex, payable, { from: '01/02/2026' }))).to.include({
      code: 'validation_failed',
    });
  });
});
