// Ledger throughput on this machine: post() against raw pg inserts at the same concurrency, the
// maintained-balance-row alternative (for ADR 0002), balance reads, sealing and chain verification.
// Run: npm run bench:ledger   (or npx tsx packages/ledger/bench/ledger-bench.ts)
// Env: LEDGER_BENCH_SECONDS (per round, default 5), LEDGER_BENCH_ROUNDS (default 3),
//      LEDGER_BENCH_VERIFY_ENTRIES (entries in the verified chain, default 200000), TEST_DATABASE_URL.
import { randomUUID } from 'node:crypto';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { createTestDatabase, dropTestDatabases } from '@pass/db/testing';
import pg from 'pg';
import { accounts } from '../src/account-code';
import { balance } from '../src/balance';
import { credit, debit } from '../src/entry';
import { ledgerMigrations } from '../src/ledger-migrations';
import { post } from '../src/post';
import { sealPending } from '../src/seal';
import { verifyChain } from '../src/verify-chain';

const CONCURRENCY = 16;
const SECONDS = Number(process.env.LEDGER_BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.LEDGER_BENCH_ROUNDS ?? 3);
const VERIFY_ENTRIES = Number(process.env.LEDGER_BENCH_VERIFY_ENTRIES ?? 200_000);
const ASSOCIATIONS = 64;

const funderId = randomUUID();
const associationIds = Array.from({ length: ASSOCIATIONS }, () => randomUUID());
const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;

/** Runs `task` in CONCURRENCY loops for SECONDS; returns committed operations per second. */
async function drive(task: (worker: number, n: number) => Promise<unknown>): Promise<number> {
  const deadline = performance.now() + SECONDS * 1000;
  let done = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, worker) => {
      for (let n = 0; performance.now() < deadline; n++) {
        await task(worker, n);
        done++;
      }
    }),
  );
  return done / ((performance.now() - start) / 1000);
}

/** The 1, 5 and 15 minute load averages: other work on the machine skews every figure. */
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en');

// Same columns, keys, checks and indexes as ledger.entries and ledger.lines, without the ledger's
// triggers: what a bare "insert two rows" journal costs. The maintained variant adds balance rows.
// The raw baseline of the RESULT line writes the same three rows as post() (entry, two lines) and, like
// post(), uses named prepared statements; the unprepared form is printed too (it is much slower here).
const RAW_DDL = `
  create schema bench_raw;
  create table bench_raw.entries (
    id bigint generated always as identity primary key,
    kind text not null check (kind ~ '^[a-z][a-z_]*$'),
    reference text not null, actor text not null, description text,
    currency text not null check (currency ~ '^[A-Z]{3}$'),
    idempotency_key text unique,
    reverses_entry_id bigint unique references bench_raw.entries (id),
    effective_date date not null default ((now() at time zone 'Europe/Paris')::date),
    posted_at timestamptz not null default now());
  create table bench_raw.lines (
    entry_id bigint not null references bench_raw.entries (id),
    line_no smallint not null, account_id bigint not null,
    side text not null check (side in ('debit', 'credit')),
    amount_cents bigint not null check (amount_cents > 0),
    primary key (entry_id, line_no));
  create index on bench_raw.lines (account_id, entry_id) include (side, amount_cents);
  create schema bench_maintained;
  create table bench_maintained.entries (like bench_raw.entries including all);
  create table bench_maintained.lines (like bench_raw.lines including all);
  create table bench_maintained.balances (account_id bigint primary key, debit_cents bigint not null default 0,
    credit_cents bigint not null default 0);
  insert into bench_maintained.balances (account_id) select generate_series(1, ${ASSOCIATIONS + 16});
`;

async function rawPost(
  client: pg.PoolClient,
  schema: string,
  debitId: number,
  creditId: number,
  cents: number,
  prepared = false,
) {
  // `prepared`: named statements, parsed and planned once per connection, as post() does for its call.
  const statement = (name: string, text: string, values: unknown[]) =>
    prepared ? { name: `${schema}_${name}`, text, values } : { text, values };
  await client.query('begin');
  const { rows } = await client.query(
    statement(
      'entry',
      `insert into ${schema}.entries (kind, reference, actor, currency) values ('redemption', $1, 'bench', 'EUR') returning id`,
      [`redemption:${randomUUID()}`],
    ),
  );
  const id = rows[0].id as string;
  await client.query(
    statement(
      'lines',
      `insert into ${schema}.lines (entry_id, line_no, account_id, side, amount_cents)
       values ($1, 1, $2, 'debit', $4), ($1, 2, $3, 'credit', $4)`,
      [id, debitId, creditId, cents],
    ),
  );
  if (schema === 'bench_maintained') {
    // Balance rows locked in ascending account order so that concurrent postings never deadlock.
    for (const [accountId, column] of [
      [debitId, 'debit_cents'],
      [creditId, 'credit_cents'],
    ].sort((a, b) => Number(a[0]) - Number(b[0]))) {
      await client.query(
        statement(
          `update_${column}`,
          `update bench_maintained.balances set ${column} = ${column} + $2 where account_id = $1`,
          [accountId, cents],
        ),
      );
    }
  }
  await client.query('commit');
}

async function main(): Promise<void> {
  console.log(
    `node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores`,
  );
  const db = await createTestDatabase(ledgerMigrations, { poolMax: CONCURRENCY + 1 });
  const pool = new pg.Pool({ connectionString: db.url, max: CONCURRENCY });
  try {
    const server = await db.knex.raw(`select version() as v, current_setting('synchronous_commit') as sc`);
    console.log(`${server.rows[0].v.split(',')[0]}, synchronous_commit=${server.rows[0].sc}`);
    console.log(`concurrency ${CONCURRENCY}, ${ROUNDS} rounds of ${SECONDS} s, medians reported`);
    console.log(`load average at start: ${load()}\n`);
    await db.knex.raw(RAW_DDL);

    const outstanding = accounts.funderVouchersOutstanding(funderId);
    const payables = associationIds.map((id) => accounts.associationPayable(id));
    const redemption = () => ({
      kind: 'redemption',
      reference: `redemption:${randomUUID()}`,
      actor: 'bench',
      lines: [debit(outstanding, 1000n), credit(pick(payables), 1000n)],
    });
    // The function call is a single statement, hence its own transaction (deferred checks run at its end).
    const ledgerPost = () => post(db.knex, redemption());
    const ledgerPostInKnexTransaction = () => db.knex.transaction((trx) => post(trx, redemption()));
    // Raw: the hot funder is account 1 (or 1..16 when spread), associations 17..80.
    const raw =
      (schema: string, funders: number, prepared = false) =>
      async () => {
        const client = await pool.connect();
        try {
          const funder = 1 + Math.floor(Math.random() * funders);
          await rawPost(
            client,
            schema,
            funder,
            17 + Math.floor(Math.random() * ASSOCIATIONS),
            1000,
            prepared,
          );
        } finally {
          client.release();
        }
      };
    const rawSingleStatement = () =>
      pool.query(
        `with e as (insert into bench_raw.entries (kind, reference, actor, currency)
                    values ('redemption', $1, 'bench', 'EUR') returning id)
         insert into bench_raw.lines (entry_id, line_no, account_id, side, amount_cents)
         select e.id, l.line_no, l.account_id, l.side, 1000
           from e, (values (1, 1, 'debit'), (2, $2::bigint, 'credit')) l (line_no, account_id, side)`,
        [`redemption:${randomUUID()}`, 17 + Math.floor(Math.random() * ASSOCIATIONS)],
      );

    // Warm-up: creates the accounts, fills caches and pools.
    await Promise.all(Array.from({ length: 200 }, ledgerPost));
    for (let i = 0; i < 200; i++) await raw('bench_raw', 1, true)();

    const variants = {
      ledger: ledgerPost,
      raw: raw('bench_raw', 1, true),
      rawUnprepared: raw('bench_raw', 1),
      ledgerTrx: ledgerPostInKnexTransaction,
      rawSingle: rawSingleStatement,
      maintainedHot: raw('bench_maintained', 1, true),
      maintainedSpread: raw('bench_maintained', 16, true),
    };
    const rates = Object.fromEntries(Object.keys(variants).map((key) => [key, [] as number[]])) as Record<
      keyof typeof variants,
      number[]
    >;
    for (let round = 1; round <= ROUNDS; round++) {
      // Interleaved so that disk, cache and neighbour load drift hit every variant alike.
      for (const [key, task] of Object.entries(variants) as [
        keyof typeof variants,
        () => Promise<unknown>,
      ][]) {
        rates[key].push(await drive(task));
      }
      console.log(
        `round ${round}: ${Object.entries(rates)
          .map(([key, values]) => `${key} ${fmt(values.at(-1)!)}/s`)
          .join(', ')} (load ${load()})`,
      );
    }
    const m = (key: keyof typeof variants) => median(rates[key]);
    const postRate = m('ledger');
    const rawRate = m('raw');
    console.log(`\nentries per second, medians, concurrency ${CONCURRENCY}, one transaction per entry:`);
    const line = (label: string, value: number) =>
      console.log(`  ${label.padEnd(92)} ${fmt(value).padStart(7)}`);
    line('post(knex, entry): the entry is its own transaction (one round trip)', postRate);
    line('raw pg: BEGIN; INSERT entry RETURNING id; INSERT 2 lines; COMMIT (prepared, no triggers)', rawRate);
    line(
      'knex.transaction(trx => post(trx, entry)) (knex BEGIN/COMMIT, how services compose it)',
      m('ledgerTrx'),
    );
    line('raw pg: the same, unprepared (INSERTs parsed and planned each time)', m('rawUnprepared'));
    line('raw pg: entry and lines in one CTE statement, autocommit (no triggers)', m('rawSingle'));
    line(
      'maintained balance rows (raw pg + 2 UPDATEs in account order, prepared), one hot funder',
      m('maintainedHot'),
    );
    line('maintained balance rows, 16 funders', m('maintainedSpread'));
    console.log(
      `  ratios: post/raw ${(postRate / rawRate).toFixed(2)}, knex trx post/raw ${(m('ledgerTrx') / rawRate).toFixed(2)}, ` +
        `post/raw unprepared ${(postRate / m('rawUnprepared')).toFixed(2)}, ` +
        `post/raw single statement ${(postRate / m('rawSingle')).toFixed(2)}, ` +
        `maintained hot/raw ${(m('maintainedHot') / rawRate).toFixed(2)}`,
    );

    // Balance reads on the hot account, before and after a checkpoint exists.
    const lines = await db.knex.raw(
      `select count(*)::int as n from ledger.lines l join ledger.accounts a on a.id = l.account_id where a.code = ?`,
      [outstanding],
    );
    const timeReads = async (label: string, read: () => Promise<unknown>) => {
      const n = 200;
      const start = performance.now();
      for (let i = 0; i < n; i++) await read();
      const us = ((performance.now() - start) * 1000) / n;
      console.log(`${label.padEnd(66)} ${us.toFixed(0).padStart(7)} µs`);
    };
    console.log(`\nbalance of the hot account (${fmt(lines.rows[0].n)} lines):`);
    await timeReads('  computed, no checkpoint yet (sum of every line)', () => balance(db.knex, outstanding));

    // Bulk entries so that sealing and verification run over a chain of a realistic size.
    const existing = Number((await db.knex.raw('select count(*)::int as n from ledger.entries')).rows[0].n);
    const toAdd = Math.max(0, VERIFY_ENTRIES - existing);
    const bulkStart = performance.now();
    for (let added = 0; added < toAdd; added += 50_000) {
      await db.knex.transaction(async (trx) => {
        const n = Math.min(50_000, toAdd - added);
        await trx.raw(
          `with e as (
             insert into ledger.entries (kind, reference, actor, currency)
             select 'redemption', 'redemption:bulk-' || g, 'bench', 'EUR' from generate_series(1, ?) g
             returning id)
           insert into ledger.lines (entry_id, line_no, account_id, side, amount_cents)
           select e.id, s.line_no, case s.line_no when 1 then f.id else p.id end,
                  case s.line_no when 1 then 'debit' else 'credit' end, 1000
             from e cross join (values (1), (2)) s (line_no)
             cross join (select id from ledger.accounts where code = ?) f
             cross join lateral (select id from ledger.accounts where code = ? ) p`,
          [n, outstanding, pick(payables)],
        );
      });
    }
    const total = Number((await db.knex.raw('select count(*)::int as n from ledger.entries')).rows[0].n);
    console.log(
      `\nbulk-loaded ${fmt(toAdd)} entries in ${((performance.now() - bulkStart) / 1000).toFixed(1)} s`,
    );

    await db.knex.raw('vacuum analyze ledger.entries, ledger.lines');
    const sealStart = performance.now();
    let sealed = 0;
    for (;;) {
      const result = await sealPending(db.knex, { maxEntries: 50_000, waitMs: 5_000 });
      sealed += result.sealedEntries;
      if (result.sealedEntries === 0) break;
    }
    const sealSeconds = (performance.now() - sealStart) / 1000;
    console.log(
      `sealPending: ${fmt(sealed)} entries in ${sealSeconds.toFixed(1)} s (${fmt(sealed / sealSeconds)}/s)`,
    );
    // Steady state, as autovacuum would leave it: statistics and visibility map up to date.
    await db.knex.raw('vacuum analyze ledger.entries, ledger.lines, ledger.accounts, ledger.blocks');
    await timeReads('  computed, checkpoint + lines after it (after sealing)', () =>
      balance(db.knex, outstanding),
    );
    await timeReads('  maintained balance row (select by primary key)', () =>
      pool.query('select debit_cents, credit_cents from bench_maintained.balances where account_id = 1'),
    );

    // Three full verifications, median reported (the first one also warms caches and connections).
    const verifyRates: number[] = [];
    for (let run = 1; run <= 3; run++) {
      const verifyStart = performance.now();
      const verified = await verifyChain(db.knex);
      const verifySeconds = (performance.now() - verifyStart) / 1000;
      if (!verified.ok) throw new Error(`chain broken: ${JSON.stringify(verified.firstBrokenLink)}`);
      verifyRates.push(verified.entriesChecked / verifySeconds);
      console.log(
        `verifyChain run ${run}: ${fmt(verified.entriesChecked)} of ${fmt(total)} entries, ` +
          `${fmt(verified.blocksChecked)} blocks in ${verifySeconds.toFixed(2)} s (${fmt(verifyRates.at(-1)!)}/s)`,
      );
    }
    const verifyRate = median(verifyRates);

    console.log(`load average at end: ${load()}`);
    const ratio = postRate / rawRate;
    console.log(
      `RESULT ledger post_per_s=${Math.round(postRate)} raw_per_s=${Math.round(rawRate)} ` +
        `ratio=${ratio.toFixed(2)} verify_per_s=${Math.round(verifyRate)}`,
    );
  } finally {
    await pool.end();
    await db.destroy();
    await dropTestDatabases();
  }
}

await main();
