// Fault injection: a clearing worker process is killed (SIGKILL) at each checkpoint of a run, then the run
// is executed again. The result must be the same statements as an uninterrupted run, one payout per
// statement, one ledger entry per fee and per transfer, and a balanced reconciliation.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildTestConfig } from '@pass/config';
import { createDatabase } from '@pass/db';
import { TEST_ADMIN_URL } from '@pass/db/testing';
import { createLogger } from '@pass/logger';
import { expect } from 'chai';
import knexFactory, { type Knex } from 'knex';
import { createTestDb } from '../../../../test/support/database';
import { reconcile } from '../reconciliation/reconcile';
import {
  insertAssociation,
  insertFunder,
  insertVenue,
  issueActiveBatch,
  paris,
  passesOf,
  redeem,
} from '../testing/settlement-test-builders';
import { ensureScheduledRun } from './clearing-service';

const CHILD = fileURLToPath(new URL('./clearing-worker-child.ts', import.meta.url));
const AS_OF = paris('2026-12-02T03:00:00');
const CHUNK_SIZE = 5;

/** Deterministic ids so that every copy of the seeded database is the same data. */
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

async function seed(knex: Knex): Promise<string> {
  const funder = await insertFunder(knex, 'Département de test', uuid(1));
  const { batch, voucherIds } = await issueActiveBatch(knex, {
    id: uuid(2),
    funderId: funder,
    bookletCount: 20,
  });
  const passes = passesOf(batch, voucherIds);
  const setups = [
    { feeRate: '0.015', cadence: 'monthly' as const },
    { feeRate: '0', cadence: 'weekly' as const },
    { feeRate: '0.02', cadence: 'daily' as const, bankDetailsStatus: 'pending_change' as const },
    { feeRate: '0.033333', cadence: 'monthly' as const },
    { feeRate: '0.01', cadence: 'daily' as const },
  ];
  let pass = 0;
  let redemption = 1000;
  for (const [index, setup] of setups.entries()) {
    const associationId = await insertAssociation(knex, {
      id: uuid(100 + index),
      name: `Asso ${index}`,
      ...setup,
    });
    const venue = await insertVenue(knex, associationId, {
      id: uuid(200 + index),
      serviceId: uuid(300 + index),
    });
    for (let r = 0; r < 12 + index * 3; r++) {
      const size = (r % 3) + 1;
      await redeem(knex, {
        id: uuid(redemption++),
        associationId,
        ...venue,
        passes: passes.slice(pass, pass + size),
        redeemedAt: paris(
          `2026-11-${String((r % 27) + 1).padStart(2, '0')}T${String(8 + (r % 10)).padStart(2, '0')}:15:00`,
        ),
      });
      pass += size;
    }
  }
  const run = await ensureScheduledRun(
    { knex, logger: createLogger({ level: 'silent' }), config: buildTestConfig(), clock: () => AS_OF },
    AS_OF,
  );
  return run.id;
}

function admin(): Knex {
  return knexFactory({ client: 'pg', connection: TEST_ADMIN_URL, pool: { min: 0, max: 1 } });
}

function urlOf(database: string): string {
  const url = new URL(TEST_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs the worker in a child process; resolves with its exit code and signal. */
function worker(
  url: string,
  runId: string,
  crashAt?: string,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: {
        ...process.env,
        SETTLEMENT_DATABASE_URL: url,
        SETTLEMENT_RUN_ID: runId,
        SETTLEMENT_NOW: AS_OF.toISOString(),
        SETTLEMENT_CHUNK_SIZE: String(CHUNK_SIZE),
        // Two statements per issuing transaction, so a crash can fall between two of them.
        SETTLEMENT_ISSUE_BATCH: '2',
        ...(crashAt ? { SETTLEMENT_CRASH_AT: crashAt } : { SETTLEMENT_CRASH_AT: '' }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
}

/** Everything a re-run must reproduce, without the random ids. */
async function snapshot(knex: Knex) {
  const statements = await knex('settlement.statements')
    .orderBy('number')
    .select(
      'association_id',
      'number',
      'cutoff',
      'status',
      'redemption_count',
      'voucher_count',
      'gross_cents',
      'fee_cents',
      'net_cents',
    );
  const onStatements = await knex('settlement.statement_redemptions as sr')
    .join('settlement.statements as s', 's.id', 'sr.statement_id')
    .orderBy('sr.redemption_id')
    .select('sr.redemption_id', 's.number');
  const lines = await knex('settlement.statement_lines').count<{ count: string }[]>('* as count');
  const payouts = await knex('settlement.payouts as p')
    .join('settlement.statements as s', 's.id', 'p.statement_id')
    .orderBy('s.number')
    .select('s.number', 'p.status', 'p.amount_cents', 'p.hold_reason', 'p.execution_date');
  const files = await knex('settlement.payout_files')
    .orderBy('message_id')
    .select('message_id', 'payment_count', 'control_sum_cents', 'execution_date');
  const entries = await knex('ledger.entries')
    .whereIn('kind', ['fee_charged', 'payout_sent'])
    .groupBy('kind')
    .orderBy('kind')
    .select('kind', knex.raw('count(*)::int as count'));
  const vouchers = await knex('vouchers.vouchers')
    .groupBy('status')
    .orderBy('status')
    .select('status', knex.raw('count(*)::int as count'));
  return { statements, onStatements, lines, payouts, files, entries, vouchers };
}

describe('clearing survives a worker killed at any point (fault injection, PostgreSQL)', function () {
  this.timeout(300_000);
  let adminKnex: Knex;
  let seedName: string;
  let runId: string;
  let reference: Awaited<ReturnType<typeof snapshot>>;
  const created: string[] = [];

  /** A fresh copy of the seeded database. */
  async function copy(label: string): Promise<{ name: string; url: string }> {
    const name = `${seedName}_${label}`.slice(0, 60);
    await adminKnex.raw(`create database ${name} template ${seedName}`);
    created.push(name);
    return { name, url: urlOf(name) };
  }

  async function withDatabase<T>(url: string, work: (knex: Knex) => Promise<T>): Promise<T> {
    const database = await createDatabase({ databaseUrl: url, poolMax: 2 });
    try {
      return await work(database.knex);
    } finally {
      await database.close();
    }
  }

  before(async () => {
    adminKnex = admin();
    const seeded = await createTestDb({ poolMax: 2 });
    seedName = new URL(seeded.url!).pathname.slice(1);
    runId = await seed(seeded.knex);
    // A template must have no session: close the pool, keep the database (the root hook drops it).
    await seeded.close();
    const clean = await copy('reference');
    const result = await worker(clean.url, runId);
    expect(result.stderr).to.equal('');
    expect(result.code).to.equal(0);
    reference = await withDatabase(clean.url, snapshot);
  });
  after(async () => {
    for (const name of created) await adminKnex.raw(`drop database if exists ${name} with (force)`);
    await adminKnex?.destroy();
  });

  it('settles the seeded data as expected when nothing goes wrong', () => {
    expect(reference.statements).to.have.length(5);
    expect(reference.statements.map((s) => s.number)).to.deep.equal(
      [1, 2, 3, 4, 5].map((n) => `RLV-2026-00000${n}`),
    );
    // One association waits for its bank change: its payout is held, not in the file.
    expect(reference.payouts.filter((p) => p.status === 'held')).to.have.length(1);
    expect(reference.files).to.have.length(1);
    expect(reference.files[0].payment_count).to.equal(4);
    expect(reference.entries).to.deep.equal([
      { kind: 'fee_charged', count: 4 },
      { kind: 'payout_sent', count: 4 },
    ]);
  });

  const crashes = [
    ['planned:1'],
    ['chunk_before_commit:3'],
    ['chunk_committed:7'],
    ['statement_issued:2'],
    ['file_before_commit:1'],
    ['file_exported:1'],
    ['chunk_committed:2', 'chunk_before_commit:4', 'statement_issued:2'],
  ];

  /** What each scenario ended with; two run at once (a worker process spends seconds loading its modules). */
  const outcomes = new Map<string, Promise<ScenarioOutcome>>();
  interface ScenarioOutcome {
    crashes: { signal: NodeJS.Signals | null; stderr: string }[];
    resumed: { code: number | null; stderr: string };
    snapshot: Awaited<ReturnType<typeof snapshot>>;
    livePayoutsTwice: unknown[];
    alerts: unknown[];
  }

  async function scenario(points: string[]): Promise<ScenarioOutcome> {
    const db = await copy(points.join('_').replace(/[^a-z0-9_]/g, '_'));
    const crashed: Awaited<ReturnType<typeof worker>>[] = [];
    for (const point of points) crashed.push(await worker(db.url, runId, point));
    const resumed = await worker(db.url, runId);
    return withDatabase(db.url, async (knex) => ({
      crashes: crashed.map(({ signal, stderr }) => ({ signal, stderr })),
      resumed: { code: resumed.code, stderr: resumed.stderr },
      snapshot: await snapshot(knex),
      livePayoutsTwice: await knex('settlement.payouts')
        .whereNot({ status: 'rejected' })
        .groupBy('statement_id')
        .havingRaw('count(*) > 1')
        .select('statement_id'),
      alerts: (await reconcile(knex, { from: null, to: null })).alerts,
    }));
  }

  before(async () => {
    const queue = [...crashes];
    const running: Promise<void>[] = [];
    for (let lane = 0; lane < 2; lane++) {
      running.push(
        (async () => {
          for (let points = queue.shift(); points; points = queue.shift()) {
            const outcome = scenario(points);
            outcomes.set(points.join(','), outcome);
            await outcome.catch(() => undefined);
          }
        })(),
      );
    }
    await Promise.all(running);
  });

  for (const points of crashes) {
    it(`gives the same statements and no duplicate payout after SIGKILL at ${points.join(', then ')}`, async () => {
      const outcome = await outcomes.get(points.join(','))!;
      for (const crash of outcome.crashes) expect(crash.signal, crash.stderr).to.equal('SIGKILL');
      expect(outcome.resumed.stderr).to.equal('');
      expect(outcome.resumed.code).to.equal(0);
      expect(outcome.snapshot).to.deep.equal(reference);
      expect(outcome.livePayoutsTwice).to.deep.equal([]);
      expect(outcome.alerts).to.deep.equal([]);
    });
  }
});
