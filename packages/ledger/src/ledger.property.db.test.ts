import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@pass/db/testing';
import { expect } from 'chai';
import fc from 'fast-check';
import { accounts, naturalBalance, parseAccountCode } from './account-code';
import { accountTotals, balances } from './balance';
import { credit, debit, type LineInput } from './entry';
import { runLedgerChecks } from './ledger-checks';
import { ledgerMigrations } from './ledger-migrations';
import { buildRedemption, rejectionOf } from './ledger-test-builders';
import { post, reverse } from './post';
import { sealPending } from './seal';
import { verifyChain } from './verify-chain';

const FUNDER = randomUUID();
const POOL = [
  accounts.operatorBank(),
  accounts.operatorFees(),
  accounts.funderPrepaid(FUNDER),
  accounts.funderVouchersOutstanding(FUNDER),
  accounts.funderCreditNotes(FUNDER),
  accounts.associationPayable(randomUUID()),
  accounts.associationPayable(randomUUID()),
];

type Action =
  | { type: 'post'; debits: [number, bigint][]; credits: [number, bigint][] }
  | { type: 'post_then_fail'; debits: [number, bigint][]; credits: [number, bigint][] }
  | { type: 'reverse'; pick: number }
  | { type: 'seal' };

const side = fc.array(fc.tuple(fc.nat({ max: POOL.length - 1 }), fc.bigInt({ min: 1n, max: 10n ** 9n })), {
  minLength: 1,
  maxLength: 3,
});
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ type: fc.constant('post' as const), debits: side, credits: side }) },
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constant('post_then_fail' as const), debits: side, credits: side }),
  },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('reverse' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('seal' as const) }) },
);

/** Debits and credits made equal by one extra line on the lighter side. */
function balancedLines(debits: [number, bigint][], credits: [number, bigint][]): LineInput[] {
  const lines = [
    ...debits.map(([account, amount]) => debit(POOL[account]!, amount)),
    ...credits.map(([account, amount]) => credit(POOL[account]!, amount)),
  ];
  const difference = debits.reduce((s, [, a]) => s + a, 0n) - credits.reduce((s, [, a]) => s + a, 0n);
  if (difference > 0n) lines.push(credit(POOL[0]!, difference));
  if (difference < 0n) lines.push(debit(POOL[0]!, -difference));
  return lines;
}

describe('ledger invariants under random postings and reversals (PostgreSQL, fast-check)', function () {
  this.timeout(300_000);
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase(ledgerMigrations);
  });
  after(() => db?.destroy());

  it('keeps balances equal to a model, every entry balanced, the books at zero and the chain intact', async () => {
    // The model: debits minus credits per account, and which entries exist and are reversed.
    const net = new Map<string, bigint>(POOL.map((code) => [code, 0n]));
    const posted: { id: string; lines: LineInput[]; reversed: boolean }[] = [];
    const apply = (lines: LineInput[], sign: 1n | -1n) => {
      for (const line of lines)
        net.set(
          line.account,
          net.get(line.account)! + sign * (line.side === 'debit' ? line.amount : -line.amount),
        );
    };

    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 25 }), async (actions) => {
        for (const step of actions) {
          if (step.type === 'post') {
            const lines = balancedLines(step.debits, step.credits);
            const entry = await db.knex.transaction((trx) =>
              post(trx, { kind: 'manual_adjustment', reference: `test:${randomUUID()}`, actor: 'fc', lines }),
            );
            posted.push({ id: entry.id, lines, reversed: false });
            apply(lines, 1n);
          } else if (step.type === 'post_then_fail') {
            const lines = balancedLines(step.debits, step.credits);
            await rejectionOf(
              db.knex.transaction(async (trx) => {
                await post(trx, { kind: 'manual_adjustment', reference: 'doomed', actor: 'fc', lines });
                throw new Error('business rule failed after posting');
              }),
            );
          } else if (step.type === 'reverse' && posted.length > 0) {
            const target = posted[step.pick % posted.length]!;
            if (target.reversed) {
              const error = await rejectionOf(reverse(db.knex, target.id, { actor: 'fc', reason: 'again' }));
              expect(error.code).to.equal('ledger_entry_already_reversed');
            } else {
              const reversal = await reverse(db.knex, target.id, { actor: 'fc', reason: 'undo' });
              target.reversed = true;
              apply(target.lines, -1n);
              posted.push({
                id: reversal.id,
                lines: reversal.lines.map((line) => ({
                  account: line.account,
                  side: line.side,
                  amount: line.amount,
                })),
                reversed: false,
              });
            }
          } else if (step.type === 'seal') {
            await sealPending(db.knex, { blockSize: 7, waitMs: 20_000 });
          }
        }
        const read = await balances(db.knex, POOL);
        for (const code of POOL) {
          const expected = net.get(code)!;
          const kind = parseAccountCode(code).kind;
          expect(read.get(code), code).to.equal(
            naturalBalance(kind, expected > 0n ? expected : 0n, expected < 0n ? -expected : 0n),
          );
        }
        const totals = await accountTotals(db.knex, POOL);
        expect([...totals.values()].reduce((sum, t) => sum + t.debit - t.credit, 0n)).to.equal(0n);
      }),
      { numRuns: 15 },
    );

    await sealPending(db.knex, { waitMs: 20_000, maxEntries: 100_000 });
    const report = await runLedgerChecks(db.knex);
    expect(report.checks.filter((check) => !check.ok)).to.deep.equal([]);
    const verified = await verifyChain(db.knex);
    expect(verified).to.include({ ok: true, unsealedEntries: 0 });
    expect(verified.entriesChecked).to.equal(posted.length);
  });
});

describe('concurrent postings (PostgreSQL)', function () {
  this.timeout(300_000);
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase(ledgerMigrations, { poolMax: 20 });
  });
  after(() => db?.destroy());

  it('16 connections posting 50 entries each to the same accounts lose no update and never deadlock', async () => {
    const funder = randomUUID();
    const association = randomUUID();
    const outstanding = accounts.funderVouchersOutstanding(funder);
    const payable = accounts.associationPayable(association);
    const results = await Promise.allSettled(
      Array.from({ length: 16 }, async (_, worker) => {
        for (let n = 0; n < 50; n++) {
          // Half the workers write the two accounts in the other order: no lock order to get wrong.
          const lines =
            worker % 2 === 0
              ? [debit(outstanding, 1000n), credit(payable, 1000n)]
              : [credit(payable, 1000n), debit(outstanding, 1000n)];
          await db.knex.transaction((trx) => post(trx, buildRedemption({ lines })));
        }
      }),
    );
    expect(results.filter((result) => result.status === 'rejected')).to.deep.equal([]);
    const read = await balances(db.knex, [outstanding, payable]);
    expect(read.get(payable)).to.equal(800_000n);
    expect(read.get(outstanding)).to.equal(-800_000n);
    const count = await db.knex.raw('select count(*)::int as n from ledger.accounts where code = any(?)', [
      [outstanding, payable],
    ]);
    expect(count.rows[0].n).to.equal(2);
  });

  it('creates a new account once when many transactions use it first at the same time', async () => {
    const funder = randomUUID();
    await Promise.all(
      Array.from({ length: 16 }, () =>
        db.knex.transaction((trx) =>
          post(trx, buildRedemption({ funderId: funder, associationId: randomUUID() })),
        ),
      ),
    );
    const count = await db.knex.raw('select count(*)::int as n from ledger.accounts where owner_id = ?', [
      funder,
    ]);
    expect(count.rows[0].n).to.equal(1);
  });

  it('seals while postings run and still covers every entry exactly once', async () => {
    let running = true;
    const sealer = (async () => {
      let sealed = 0;
      while (running) sealed += (await sealPending(db.knex, { blockSize: 50 })).sealedEntries;
      return sealed;
    })();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let n = 0; n < 40; n++) await db.knex.transaction((trx) => post(trx, buildRedemption()));
      }),
    );
    running = false;
    await sealer;
    await sealPending(db.knex, { waitMs: 20_000, maxEntries: 100_000 });
    const total = (await db.knex.raw('select count(*)::int as n from ledger.entries')).rows[0].n;
    const verified = await verifyChain(db.knex);
    expect(verified).to.include({ ok: true, entriesChecked: total, unsealedEntries: 0 });
    const report = await runLedgerChecks(db.knex);
    expect(report.checks.filter((check) => !check.ok)).to.deep.equal([]);
  });
});
