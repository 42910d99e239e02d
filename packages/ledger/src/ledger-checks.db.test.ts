import { createTestDatabase, type TestDatabase } from '@pass/db/testing';
import { expect } from 'chai';
import { balancesByPurpose } from './balance';
import { type LedgerCheck, runLedgerChecks } from './ledger-checks';
import { ledgerCheckCommand, ledgerSealCommand, ledgerVerifyCommand } from './ledger-commands';
import { ledgerMigrations } from './ledger-migrations';
import {
  asSuperuserWithoutTriggers,
  buildActivation,
  buildFunding,
  buildRedemption,
  FUNDER,
} from './ledger-test-builders';
import { post, reverse } from './post';
import { sealPending } from './seal';

async function healthyLedger(): Promise<{ db: TestDatabase; ids: string[] }> {
  const db = await createTestDatabase(ledgerMigrations);
  const ids = [
    (await post(db.knex, buildFunding())).id,
    (await post(db.knex, buildActivation())).id,
    (await post(db.knex, buildRedemption({ amount: 1000n }))).id,
    (await post(db.knex, buildRedemption({ amount: 2000n }))).id,
  ];
  ids.push((await reverse(db.knex, ids[3]!, { actor: 'a', reason: 'undo', kind: 'redemption_undone' })).id);
  await sealPending(db.knex, { waitMs: 20_000 });
  return { db, ids };
}

const failedChecks = async (db: TestDatabase, extra: LedgerCheck[] = []) =>
  (await runLedgerChecks(db.knex, extra)).checks.filter((check) => !check.ok).map((check) => check.name);

/** The check a funder-side service would register: outstanding equals the face value of usable vouchers. */
function outstandingCheck(expectedCents: bigint): LedgerCheck {
  return {
    name: 'funder_outstanding_matches_vouchers',
    async run(db) {
      const outstanding = (await balancesByPurpose(db, 'vouchers_outstanding')).get(FUNDER) ?? 0n;
      return outstanding === expectedCents
        ? { ok: true, summary: 'every funder matches', problems: [] }
        : {
            ok: false,
            summary: '1 funder disagrees',
            problems: [
              {
                message: `funder ${FUNDER}: outstanding ${outstanding}, vouchers ${expectedCents}`,
                rows: [{ outstanding }],
              },
            ],
          };
    },
  };
}

describe('ledger checks (PostgreSQL)', function () {
  this.timeout(120_000);
  const opened: TestDatabase[] = [];
  const fresh = async () => {
    const ledger = await healthyLedger();
    opened.push(ledger.db);
    return ledger;
  };
  after(async () => {
    // In parallel: each DROP DATABASE waits for a checkpoint, which concurrent drops share.
    await Promise.all(opened.map((db) => db.destroy()));
  });

  it('passes every built-in check on a healthy ledger, and a registered one', async () => {
    const { db } = await fresh();
    const report = await runLedgerChecks(db.knex, [outstandingCheck(99_000n)]);
    expect(report.checks.map((check) => [check.name, check.ok])).to.deep.equal([
      ['accounts_well_formed', true],
      ['entries_balanced', true],
      ['books_sum_to_zero', true],
      ['reversals_exact', true],
      ['checkpoints_match_lines', true],
      ['chain_intact', true],
      ['funder_outstanding_matches_vouchers', true],
    ]);
    expect(report.ok).to.equal(true);
    const command = await ledgerCheckCommand(db.knex, [outstandingCheck(99_000n)]);
    expect(command.exitCode).to.equal(0);
    expect(command.output).to.contain('7 passed, 0 failed').and.contain('All invariants hold.');
  });

  it('fails with a readable report and exit code 1 when a registered check fails', async () => {
    const { db } = await fresh();
    const command = await ledgerCheckCommand(db.knex, [outstandingCheck(1n)]);
    expect(command.exitCode).to.equal(1);
    expect(command.output).to.contain('[FAIL] funder_outstanding_matches_vouchers: 1 funder disagrees');
    expect(command.output).to.contain(`funder ${FUNDER}: outstanding 99000, vouchers 1`);
    const json = JSON.parse(
      (await ledgerCheckCommand(db.knex, [outstandingCheck(1n)], { json: true })).output,
    );
    expect(json.ok).to.equal(false);
    expect(json.checks.at(-1).problems[0].rows).to.deep.equal([{ outstanding: '99000' }]);
  });

  it('reports a check that throws as failed instead of stopping', async () => {
    const { db } = await fresh();
    const broken: LedgerCheck = {
      name: 'broken_check',
      run: async () => {
        throw new Error('relation "settlement.payouts" does not exist');
      },
    };
    const report = await runLedgerChecks(db.knex, [broken]);
    expect(report.ok).to.equal(false);
    expect(report.checks.at(-1)).to.include({
      name: 'broken_check',
      ok: false,
      summary: 'the check could not run',
    });
  });

  it('catches an entry unbalanced behind the triggers, and the books no longer summing to zero', async () => {
    const { db, ids } = await fresh();
    await asSuperuserWithoutTriggers(
      db.knex,
      'update ledger.lines set amount_cents = 1 where entry_id = ? and line_no = 1',
      [ids[2]],
    );
    expect(await failedChecks(db)).to.deep.equal([
      'entries_balanced',
      'books_sum_to_zero',
      'checkpoints_match_lines',
      'chain_intact',
    ]);
    const output = (await ledgerCheckCommand(db.knex)).output;
    expect(output).to.contain(`entry ${ids[2]}: 2 line(s), debits 0.01, credits 10.00`);
  });

  it('catches a reversal that no longer mirrors its original', async () => {
    const { db, ids } = await fresh();
    await asSuperuserWithoutTriggers(
      db.knex,
      'update ledger.lines set amount_cents = 1999 where entry_id = ?',
      [ids[4]],
    );
    expect(await failedChecks(db)).to.include('reversals_exact');
  });

  it('catches a checkpoint that disagrees with its lines', async () => {
    const { db } = await fresh();
    await db.knex.raw('update ledger.account_checkpoints set debit_cents = debit_cents + 5');
    expect(await failedChecks(db)).to.deep.equal(['checkpoints_match_lines']);
  });

  it('catches an account whose kind no longer matches its code', async () => {
    const { db } = await fresh();
    await asSuperuserWithoutTriggers(
      db.knex,
      `update ledger.accounts set kind = 'asset' where code = 'operator:fees'`,
    );
    expect(await failedChecks(db)).to.deep.equal(['accounts_well_formed']);
  });

  it('ledger:verify exits 0 on an intact chain and 1 naming the broken link', async () => {
    const { db, ids } = await fresh();
    const ok = await ledgerVerifyCommand(db.knex);
    expect(ok.exitCode).to.equal(0);
    expect(ok.output).to.match(/^Hash chain intact: 5 sealed entries in 1 blocks/);
    await asSuperuserWithoutTriggers(db.knex, `update ledger.entries set reference = 'forged' where id = ?`, [
      ids[1],
    ]);
    const broken = await ledgerVerifyCommand(db.knex);
    expect(broken.exitCode).to.equal(1);
    expect(broken.output).to.contain(
      `HASH CHAIN BROKEN: entry ${ids[1]} (block 1) was changed after sealing`,
    );
    const json = JSON.parse((await ledgerVerifyCommand(db.knex, { json: true })).output);
    expect(json.firstBrokenLink).to.include({ entryId: ids[1], reason: 'entry_changed' });
  });

  it('ledger:seal reports what it sealed', async () => {
    const { db } = await fresh();
    await post(db.knex, buildRedemption());
    const sealed = await ledgerSealCommand(db.knex, { waitMs: 20_000 });
    expect(sealed.exitCode).to.equal(0);
    expect(sealed.output).to.match(/^Sealed 1 entries in 1 blocks/);
  });
});
