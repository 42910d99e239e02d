import { createTestDatabase, type TestDatabase } from '@pass/db/testing';
import { expect } from 'chai';
import fc from 'fast-check';
import { accounts } from './account-code';
import { balance } from './balance';
import { credit, debit } from './entry';
import { hashEntry } from './entry-hash';
import { readEntryHashes } from './entry-pages';
import { ledgerMigrations } from './ledger-migrations';
import {
  ASSOCIATION,
  asSuperuserWithoutTriggers,
  buildActivation,
  buildFunding,
  buildRedemption,
  FUNDER,
} from './ledger-test-builders';
import { getEntry, post, reverse } from './post';
import { sealPending } from './seal';
import { latestRoot, verifyChain } from './verify-chain';

const WAIT = { waitMs: 20_000 };

async function ledgerWithEntries(count: number): Promise<{ db: TestDatabase; ids: string[] }> {
  const db = await createTestDatabase(ledgerMigrations);
  const ids: string[] = [];
  ids.push((await post(db.knex, buildFunding())).id);
  ids.push((await post(db.knex, buildActivation())).id);
  for (let i = 0; i < count; i++)
    ids.push((await post(db.knex, buildRedemption({ amount: BigInt(100 + i) }))).id);
  return { db, ids };
}

describe('sealing and the hash chain (PostgreSQL)', function () {
  this.timeout(120_000);
  const opened: TestDatabase[] = [];
  const fresh = async (count = 10) => {
    const ledger = await ledgerWithEntries(count);
    opened.push(ledger.db);
    return ledger;
  };
  after(async () => {
    // In parallel: each DROP DATABASE waits for a checkpoint, which concurrent drops share.
    await Promise.all(opened.map((db) => db.destroy()));
  });

  it('seals every entry in blocks and verifies the chain', async () => {
    const { db, ids } = await fresh(25);
    const result = await sealPending(db.knex, { blockSize: 10, ...WAIT });
    expect(result).to.include({
      sealedEntries: ids.length,
      blocks: 3,
      sealedThroughEntryId: ids.at(-1),
      waiting: false,
    });
    const verified = await verifyChain(db.knex, { chunkEntries: 7 });
    expect(verified).to.include({
      ok: true,
      entriesChecked: ids.length,
      blocksChecked: 3,
      unsealedEntries: 0,
    });
    const root = await latestRoot(db.knex);
    expect(root?.blockNo).to.equal('3');
    expect(root?.hash).to.equal(verified.lastHash);
    expect(await sealPending(db.knex, WAIT)).to.include({ sealedEntries: 0, blocks: 0 });
  });

  it('counts entries posted after the last seal as not covered yet', async () => {
    const { db } = await fresh(3);
    await sealPending(db.knex, WAIT);
    await post(db.knex, buildRedemption());
    const verified = await verifyChain(db.knex);
    expect(verified).to.include({ ok: true, unsealedEntries: 1 });
    expect(await latestRoot(db.knex, { at: new Date(Date.now() - 3_600_000) })).to.equal(undefined);
  });

  it('never seals past an entry whose transaction is still open, then seals it in id order', async () => {
    const { db } = await fresh(2);
    await sealPending(db.knex, WAIT);
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let openId = '';
    let posted!: () => void;
    const postedInOpenTransaction = new Promise<void>((resolve) => {
      posted = resolve;
    });
    const open = db.knex.transaction(async (trx) => {
      openId = (await post(trx, buildRedemption())).id;
      posted();
      await held;
    });
    await postedInOpenTransaction;
    const later = await post(db.knex, buildRedemption());
    expect(BigInt(later.id) > BigInt(openId)).to.equal(true);

    const whileOpen = await sealPending(db.knex);
    expect(whileOpen).to.include({ sealedEntries: 0, waiting: true });
    release();
    await open;
    const afterCommit = await sealPending(db.knex, WAIT);
    expect(afterCommit.sealedEntries).to.equal(2);
    const block = await db.knex.raw(
      'select entry_ids::text[] as ids from ledger.blocks order by block_no desc limit 1',
    );
    expect(block.rows[0].ids).to.deep.equal([openId, later.id]);
    expect((await verifyChain(db.knex)).ok).to.equal(true);
  });

  it('verifies across ids left unused by rolled-back postings, between and inside blocks', async () => {
    const { db } = await fresh(3);
    const rollBack = () =>
      db.knex
        .transaction(async (trx) => {
          await post(trx, buildRedemption());
          throw new Error('rolled back');
        })
        .catch(() => undefined);
    await rollBack();
    await sealPending(db.knex, WAIT);
    await rollBack();
    await rollBack();
    await sealPending(db.knex, WAIT);
    await post(db.knex, buildRedemption());
    await rollBack();
    await post(db.knex, buildRedemption());
    await sealPending(db.knex, WAIT);
    const verified = await verifyChain(db.knex);
    expect(verified).to.include({ ok: true, entriesChecked: 7, blocksChecked: 2, unsealedEntries: 0 });
  });

  it('refuses to run inside a transaction', async () => {
    const { db } = await fresh(0);
    const error = await db.knex.transaction((trx) => sealPending(trx).catch((e: Error) => e));
    expect(error).to.be.instanceOf(Error);
  });

  describe('tampering by someone who can disable triggers', () => {
    it('names the entry whose amount was changed on both lines (still balanced)', async () => {
      const { db, ids } = await fresh(30);
      await sealPending(db.knex, { blockSize: 8, ...WAIT });
      const target = ids[17]!;
      await asSuperuserWithoutTriggers(
        db.knex,
        'update ledger.lines set amount_cents = amount_cents + 100 where entry_id = ?',
        [target],
      );
      const verified = await verifyChain(db.knex);
      expect(verified.ok).to.equal(false);
      expect(verified.firstBrokenLink).to.include({ entryId: target, reason: 'entry_changed', blockNo: '3' });
      expect(verified.entriesChecked).to.equal(17);
    });

    it('names an entry deleted after sealing', async () => {
      const { db, ids } = await fresh(5);
      await sealPending(db.knex, WAIT);
      const target = ids[3]!;
      await asSuperuserWithoutTriggers(
        db.knex,
        'with gone as (delete from ledger.lines where entry_id = ?) delete from ledger.entries where id = ?',
        [target, target],
      );
      expect((await verifyChain(db.knex)).firstBrokenLink).to.include({
        entryId: target,
        reason: 'entry_missing',
      });
    });

    it('names an entry forged with an id inside the sealed range', async () => {
      const { db, ids } = await fresh(5);
      await sealPending(db.knex, WAIT);
      const last = BigInt(ids.at(-1)!);
      await asSuperuserWithoutTriggers(db.knex, 'update ledger.seal_state set sealed_through_entry_id = ?', [
        (last + 5n).toString(),
      ]);
      await asSuperuserWithoutTriggers(
        db.knex,
        `insert into ledger.entries (id, kind, reference, actor, currency) values (?, 'redemption', 'forged', 'x', 'EUR')`,
        [(last + 2n).toString()],
      );
      expect((await verifyChain(db.knex)).firstBrokenLink).to.include({
        entryId: (last + 2n).toString(),
        reason: 'entry_not_in_block',
      });
    });

    it('catches a line moved to another account and a renamed account', async () => {
      const { db, ids } = await fresh(3);
      await sealPending(db.knex, WAIT);
      await asSuperuserWithoutTriggers(
        db.knex,
        `update ledger.accounts set code = 'funder:00000000-0000-4000-8000-000000000000:vouchers_outstanding'
          where code = ?`,
        [accounts.funderVouchersOutstanding(FUNDER)],
      );
      const verified = await verifyChain(db.knex);
      expect(verified.firstBrokenLink).to.include({ entryId: ids[1], reason: 'entry_changed' });
    });

    it('catches a rewritten block hash', async () => {
      const { db } = await fresh(12);
      await sealPending(db.knex, { blockSize: 5, ...WAIT });
      await asSuperuserWithoutTriggers(
        db.knex,
        `update ledger.blocks set hash = sha256('forged') where block_no = 2`,
      );
      expect((await verifyChain(db.knex)).firstBrokenLink).to.include({
        blockNo: '2',
        reason: 'block_hash_mismatch',
        entryId: null,
      });
    });
  });

  describe('checkpoint balances', () => {
    it('gives the same balances before and after sealing, and after new postings', async () => {
      const { db } = await fresh(20);
      const payable = accounts.associationPayable(ASSOCIATION);
      const before = await balance(db.knex, payable);
      await sealPending(db.knex, { blockSize: 6, ...WAIT });
      const checkpoint = await db.knex.raw(
        `select c.through_entry_id::text as through, c.credit_cents::text as credit from ledger.account_checkpoints c
           join ledger.accounts a on a.id = c.account_id where a.code = ?`,
        [payable],
      );
      expect(checkpoint.rows[0].credit).to.equal(before.toString());
      expect(await balance(db.knex, payable)).to.equal(before);
      const entry = await post(db.knex, buildRedemption({ amount: 55n }));
      await reverse(db.knex, entry.id, { actor: 'a', reason: 'undo' });
      await post(db.knex, buildRedemption({ amount: 45n }));
      expect(await balance(db.knex, payable)).to.equal(before + 45n);
      await sealPending(db.knex, WAIT);
      expect(await balance(db.knex, payable)).to.equal(before + 45n);
    });

    it('reads the checkpoint, so a tampered checkpoint shows in the balance', async () => {
      const { db } = await fresh(4);
      await sealPending(db.knex, WAIT);
      const payable = accounts.associationPayable(ASSOCIATION);
      const before = await balance(db.knex, payable);
      await db.knex.raw(
        `update ledger.account_checkpoints set credit_cents = credit_cents + 1
          where account_id = (select id from ledger.accounts where code = ?)`,
        [payable],
      );
      expect(await balance(db.knex, payable)).to.equal(before + 1n);
    });
  });

  it('hashes from binary COPY and from queries exactly the canonical form documented in TypeScript (property)', async () => {
    const { db } = await fresh(0);
    const text = fc
      .string({ unit: 'binary', minLength: 1, maxLength: 40 })
      .filter((value) => !value.includes('\u0000') && value.trim() !== '');
    const date = fc
      .date({
        min: new Date('0100-01-01T00:00:00Z'),
        max: new Date('9999-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((value) => value.toISOString().slice(0, 10));
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          reference: text,
          actor: text,
          description: fc.option(text),
          key: fc.option(text),
          effectiveDate: fc.option(date),
        }),
        fc.array(fc.bigInt({ min: 1n, max: 10n ** 15n }), { minLength: 1, maxLength: 4 }),
        async ({ reference, actor, description, key, effectiveDate }, amounts) => {
          const total = amounts.reduce((sum, amount) => sum + amount, 0n);
          const posted = await post(db.knex, {
            kind: 'manual_adjustment',
            reference,
            actor,
            ...(description === null ? {} : { description }),
            ...(key === null ? {} : { idempotencyKey: `${key}${Math.random()}` }),
            ...(effectiveDate === null ? {} : { effectiveDate }),
            lines: [
              ...amounts.map((amount) => debit(accounts.operatorBank(), amount)),
              credit(accounts.operatorFees(), total),
            ],
          });
          const stored = (await getEntry(db.knex, posted.id))!;
          const micros = await db.knex.raw(
            'select (extract(epoch from posted_at) * 1000000)::bigint::text as us from ledger.entries where id = ?',
            [posted.id],
          );
          const expected = hashEntry({
            ...stored,
            postedAtMicros: micros.rows[0].us,
            lines: stored.lines.map((line) => ({ ...line, amount: line.amount.toString() })),
          }).toString('latin1');
          const range = [BigInt(posted.id) - 1n, BigInt(posted.id)] as const;
          const copied = await readEntryHashes(db.knex, ...range, { via: 'copy' });
          const queried = await readEntryHashes(db.knex, ...range, { via: 'query' });
          expect(copied).to.deep.equal({ ids: [posted.id], hashes: [expected] });
          expect(queried).to.deep.equal(copied);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('hashes alike from binary COPY and from queries at the edges of dates, times and amounts', async () => {
    const { db, ids } = await fresh(0);
    const first = BigInt(ids.at(-1)!);
    // Written by raw SQL, which the database accepts as long as each entry balances.
    const edges: [string, string, string][] = [
      ['0044-03-15 BC', '1800-06-01 00:00:00.000001+00', '1'],
      ['0001-01-01', '1969-12-31 23:59:59.999999+00', '9007199254740993'],
      ['2000-02-29', '2000-01-01 00:00:00+00', '999999999999999'],
      ['9999-12-31', '4000-01-01 00:00:00.123457+00', '4611686018427387904'],
      ['20000-01-01', '2100-03-01 12:00:00+00', '42'],
      ['infinity', '2026-11-22 10:00:00+01', '7'],
    ];
    await db.knex.transaction(async (trx) => {
      for (const [effective, postedAt, amount] of edges) {
        await trx.raw(
          `with e as (
             insert into ledger.entries (kind, reference, actor, description, currency, effective_date, posted_at)
             values ('manual_adjustment', 'edge', 'test', E'tab\there\nnewline \\ é€', 'EUR', ?::date, ?::timestamptz)
             returning id)
           insert into ledger.lines (entry_id, line_no, account_id, side, amount_cents)
           select e.id, l.line_no, a.id, l.side, ?::bigint
             from e cross join (values (1, 'debit', 'operator:bank'), (2, 'credit', 'operator:fees')) l (line_no, side, code)
             join ledger.accounts a on a.code = l.code`,
          [effective, postedAt, amount],
        );
      }
    });
    const last = first + BigInt(edges.length);
    const copied = await readEntryHashes(db.knex, first, last, { via: 'copy' });
    expect(copied.ids).to.have.length(edges.length);
    expect(await readEntryHashes(db.knex, first, last, { via: 'query' })).to.deep.equal(copied);
    await sealPending(db.knex, WAIT);
    expect(await verifyChain(db.knex)).to.include({ ok: true, unsealedEntries: 0 });
  });
});
