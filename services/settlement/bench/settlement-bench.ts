// Settlement throughput: one clearing run over 1,000,000 redemptions of 1,000 associations (statements with
// a line per pass, fees, payouts, the pain.001 file), and, in the same process, a raw SQL aggregate over the
// same rows for comparison.
// Run: npm run bench:settlement   (or npx tsx services/settlement/bench/settlement-bench.ts)
// Env: SETTLEMENT_BENCH_REDEMPTIONS (default 1000000), SETTLEMENT_BENCH_ASSOCIATIONS (default 1000),
//      SETTLEMENT_BENCH_CHUNK (redemptions per fill transaction, default 5000),
//      SETTLEMENT_BENCH_CONCURRENCY (statements filled at once, default 2), TEST_DATABASE_URL.
// Last line: RESULT settlement redemptions_per_s=<n> seconds=<n> raw_seconds=<n> rss_mb=<n>
import { availableParallelism, cpus } from 'node:os';
import { buildTestConfig } from '@pass/config';
import { createTestDatabase, dropTestDatabases } from '@pass/db/testing';
import { allMigrations } from '@pass/gateway';
import { accounts, credit, debit, post } from '@pass/ledger';
import { createLogger } from '@pass/logger';
import type { Knex } from 'knex';
import { executeRun } from '../src/clearing/clearing-runner';
import { ensureScheduledRun } from '../src/clearing/clearing-service';
import { validateWithXmllint } from '../src/sepa';

const REDEMPTIONS = Number(process.env.SETTLEMENT_BENCH_REDEMPTIONS ?? 1_000_000);
const ASSOCIATIONS = Number(process.env.SETTLEMENT_BENCH_ASSOCIATIONS ?? 1000);
const CHUNK = Number(process.env.SETTLEMENT_BENCH_CHUNK ?? 5000);
const CONCURRENCY = Number(process.env.SETTLEMENT_BENCH_CONCURRENCY ?? 2);
const FUNDERS = 10;
/** Passes of a booklet go to one beneficiary, who uses them at one venue: runs of 10 serials per association. */
const RUN = 10;
const AS_OF = new Date('2026-12-02T02:00:00Z'); // 2 December 03:00 in Paris: November is settled.

const log = (message: string) => process.stdout.write(`${message}\n`);
const seconds = (ms: number) => (ms / 1000).toFixed(2);

/** Deterministic uuids from a prefix and a number (the setup is plain SQL, no round trip per row). */
const UUID_SQL = (prefix: string, n: string) =>
  `(lpad(to_hex(${prefix}), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(${n}), 12, '0'))::uuid`;

async function setUp(knex: Knex): Promise<void> {
  let started = performance.now();
  await knex.raw(`
    insert into registry.organisations (id, kind, name)
    select ${UUID_SQL('1', 'a')}, 'association', 'Association ' || a from generate_series(1, ${ASSOCIATIONS}) a;
    insert into registry.associations (organisation_id, legal_name, rna, street_name, building_number, postcode, town,
                                       iban, bic, account_holder_name, bank_details_status, settlement_cadence,
                                       downstream_fee_rate)
    select ${UUID_SQL('1', 'a')}, 'Association ' || a || ' (loi 1901)', 'W691234567', 'Rue de la République', a::text,
           '69002', 'Lyon', 'FR1420041010050500013M02606', 'PSSTFRPPLYO', 'ASSOCIATION ' || a,
           -- one association in a hundred waits for a four-eyes bank change: its payout is held
           case when a % 100 = 0 then 'pending_change' else 'approved' end, 'monthly',
           (array['0', '0.01', '0.015', '0.02'])[a % 4 + 1]::numeric
      from generate_series(1, ${ASSOCIATIONS}) a;
    insert into registry.venues (id, association_id, name, insee_code, postcode, commune, accepts_pass, accreditation_status)
    select ${UUID_SQL('2', 'a')}, ${UUID_SQL('1', 'a')}, 'Espace numérique ' || a, '69382', '69002', 'Lyon', true, 'accredited'
      from generate_series(1, ${ASSOCIATIONS}) a;
    insert into registry.catalogue_services (id, venue_id, name, category, price_passes)
    select ${UUID_SQL('3', 'a')}, ${UUID_SQL('2', 'a')}, 'Atelier smartphone', 'maitrise-outils-numeriques', 1
      from generate_series(1, ${ASSOCIATIONS}) a;
    insert into registry.organisations (id, kind, name)
    select ${UUID_SQL('4', 'f')}, 'funder', 'Financeur ' || f from generate_series(1, ${FUNDERS}) f;
    insert into registry.funders (organisation_id, funder_kind) select ${UUID_SQL('4', 'f')}, 'departement' from generate_series(1, ${FUNDERS}) f;
  `);
  const perBatch = Math.ceil(REDEMPTIONS / FUNDERS);
  await knex.raw(`
    insert into vouchers.batches (id, funder_id, status, face_value_cents, booklet_size, booklet_count, voucher_count,
                                  valid_from, valid_until, activated_at)
    select ${UUID_SQL('5', 'f')}, ${UUID_SQL('4', 'f')}, 'active', 1000, 10, ${perBatch / 10}, ${perBatch},
           '2026-01-01', '2027-12-31', '2026-01-05T09:00:00Z'
      from generate_series(1, ${FUNDERS}) f`);
  for (let f = 1; f <= FUNDERS; f++) {
    await knex.raw(
      `insert into vouchers.vouchers (batch_id, serial, lookup_hash, status, status_changed_at)
       select ?::uuid, s, sha256(convert_to(?::text || ':' || s, 'UTF8')), 'redeemed', '2026-11-15T10:00:00Z'
         from generate_series(1, ${perBatch}) s`,
      [uuidOf(5, f), String(f)],
    );
  }
  log(`  registry and ${REDEMPTIONS.toLocaleString('en')} passes: ${seconds(performance.now() - started)} s`);
  started = performance.now();

  // Redemption n (0-based) takes pass n, serial (n % perBatch) + 1 of batch (n / perBatch) + 1, and belongs
  // to association ((n / RUN) % ASSOCIATIONS) + 1: each association gets runs of 10 consecutive passes.
  // One aggregate redemption entry per association stands for its redemptions (a million single entries is
  // the ledger benchmark's business): payable credited with the total, the funders' outstanding debited.
  const entryIds: string[] = [];
  const perAssociation = REDEMPTIONS / ASSOCIATIONS;
  await knex.transaction(async (trx) => {
    for (let f = 1; f <= FUNDERS; f++) {
      const cents = BigInt(perBatch) * 1000n;
      await post(trx, {
        kind: 'batch_activated',
        reference: `batch:${uuidOf(5, f)}`,
        actor: 'bench',
        lines: [
          debit(accounts.funderPrepaid(uuidOf(4, f)), cents),
          credit(accounts.funderVouchersOutstanding(uuidOf(4, f)), cents),
        ],
      });
    }
    for (let a = 1; a <= ASSOCIATIONS; a++) {
      const total = BigInt(perAssociation) * 1000n;
      // Runs of 10 consecutive passes go round the associations, and the passes round the funders' batches.
      const byFunder = new Map<string, bigint>();
      for (let k = 0; k < perAssociation; k++) {
        const funder = funderOfRedemption(redemptionNumber(a, k), perBatch);
        byFunder.set(funder, (byFunder.get(funder) ?? 0n) + 1000n);
      }
      const entry = await post(trx, {
        kind: 'redemption',
        reference: `bench:association:${a}`,
        actor: 'bench',
        lines: [
          ...[...byFunder].map(([funder, cents]) => debit(accounts.funderVouchersOutstanding(funder), cents)),
          credit(accounts.associationPayable(uuidOf(1, a)), total),
        ],
      });
      entryIds.push(entry.id);
    }
  });
  log(`  ledger entries: ${seconds(performance.now() - started)} s`);
  started = performance.now();

  await knex.raw(
    `create temporary table bench_entries (association integer primary key, entry_id bigint not null)`,
  );
  await knex.raw('insert into bench_entries select a, e from unnest(?::int[], ?::bigint[]) as t (a, e)', [
    entryIds.map((_, i) => i + 1),
    entryIds,
  ]);
  await knex.raw(`
    insert into redemption.redemptions (id, venue_id, association_id, catalogue_service_id, service_category,
                                        voucher_count, amount_cents, status, redeemed_at, redeemed_by, ledger_entry_id)
    select ${UUID_SQL('6', 'n + 1')}, ${UUID_SQL('2', 'x.a')}, ${UUID_SQL('1', 'x.a')}, ${UUID_SQL('3', 'x.a')},
           'maitrise-outils-numeriques', 1, 1000, 'live',
           timestamptz '2026-10-31T23:00:00Z' + (n % 2505600) * interval '1 second', 'bench', e.entry_id
      from generate_series(0, ${REDEMPTIONS - 1}) n
      cross join lateral (select ((n / ${RUN}) % ${ASSOCIATIONS}) + 1 as a) x
      join bench_entries e on e.association = x.a`);
  await knex.raw(`
    insert into redemption.redemption_vouchers (redemption_id, voucher_id, batch_id, funder_id, face_value_cents)
    select ${UUID_SQL('6', 'n + 1')}, v.id, v.batch_id, b.funder_id, 1000
      from generate_series(0, ${REDEMPTIONS - 1}) n
      join vouchers.batches b on b.id = ${UUID_SQL('5', `(n / ${perBatch}) + 1`)}
      join vouchers.vouchers v on v.batch_id = b.id and v.serial = (n % ${perBatch}) + 1`);
  await knex.raw('analyze');
  log(`  ${REDEMPTIONS.toLocaleString('en')} redemptions: ${seconds(performance.now() - started)} s`);
}

function uuidOf(prefix: number, n: number): string {
  return `${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** The k-th redemption (0-based) of association a (1-based). */
function redemptionNumber(a: number, k: number): number {
  return Math.floor(k / RUN) * RUN * ASSOCIATIONS + (a - 1) * RUN + (k % RUN);
}

function funderOfRedemption(n: number, perBatch: number): string {
  return uuidOf(4, Math.floor(n / perBatch) + 1);
}

async function main(): Promise<void> {
  if (REDEMPTIONS % (ASSOCIATIONS * RUN) !== 0 || REDEMPTIONS % FUNDERS !== 0) {
    throw new Error(`redemptions must be a multiple of ${ASSOCIATIONS * RUN} and of ${FUNDERS}`);
  }
  log(
    `Settlement benchmark: ${REDEMPTIONS.toLocaleString('en')} redemptions, ${ASSOCIATIONS} associations, ` +
      `chunks of ${CHUNK}, ${CONCURRENCY} fill(s) at once; ${cpus()[0]?.model ?? 'cpu'} x ${availableParallelism()}`,
  );
  const db = await createTestDatabase(allMigrations, { poolMax: CONCURRENCY + 2 });
  try {
    log('Setting up (not timed):');
    await setUp(db.knex);
    const deps = {
      knex: db.knex,
      logger: createLogger({ level: 'warn' }),
      config: buildTestConfig(),
      clock: () => new Date(AS_OF),
    };

    const rawStart = performance.now();
    const raw = await db.knex.raw(
      `select r.association_id, r.venue_id, rv.funder_id, count(*) as passes, sum(rv.face_value_cents) as cents
         from redemption.redemptions r
         join redemption.redemption_vouchers rv on rv.redemption_id = r.id and rv.live
        where r.status = 'live' and r.redeemed_at < ?
        group by r.association_id, r.venue_id, rv.funder_id`,
      [new Date('2026-11-30T23:00:00Z')],
    );
    const rawSeconds = (performance.now() - rawStart) / 1000;
    log(
      `Raw SQL aggregate by association, venue and funder: ${raw.rows.length} groups in ${rawSeconds.toFixed(2)} s`,
    );

    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);
    const walBefore = (await db.knex.raw('select pg_current_wal_lsn()::text as lsn')).rows[0].lsn as string;
    const runStart = performance.now();
    const run = await ensureScheduledRun(deps, AS_OF);
    const phases: Record<string, number> = {};
    let last = performance.now();
    const summary = await executeRun(deps, run.id, {
      chunkSize: CHUNK,
      fillConcurrency: CONCURRENCY,
      checkpoint: (point) => {
        const now = performance.now();
        phases[point] = (phases[point] ?? 0) + (now - last);
        last = now;
      },
    });
    log(
      `Phases (s, time since the previous checkpoint): ${Object.entries(phases)
        .map(([p, ms]) => `${p} ${seconds(ms)}`)
        .join(', ')}`,
    );
    const runSeconds = (performance.now() - runStart) / 1000;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);

    const wal = (
      await db.knex.raw('select pg_wal_lsn_diff(pg_current_wal_lsn(), ?::pg_lsn)::bigint::text as bytes', [
        walBefore,
      ])
    ).rows[0].bytes as string;
    log(`WAL written by the run: ${Math.round(Number(wal) / 1024 / 1024)} MB`);
    const [check] = (
      await db.knex.raw(
        `select (select count(*) from settlement.statements where status = 'issued')::int as statements,
                (select count(*) from settlement.statement_redemptions)::int as redemptions,
                (select count(*) from settlement.statement_lines)::int as lines,
                (select sum(gross_cents) from settlement.statements)::text as gross,
                (select count(*) from settlement.payouts where status = 'exported')::int as exported,
                (select count(*) from settlement.payouts where status = 'held')::int as held,
                (select count(*) from vouchers.vouchers where status = 'settled')::int as settled`,
      )
    ).rows as Record<string, number | string>[];
    log(
      `Clearing run: ${check!.statements} statements, ${check!.redemptions} redemptions, ${check!.lines} lines, ` +
        `gross ${Number(check!.gross) / 100} EUR, ${check!.exported} payouts exported, ${check!.held} held, ` +
        `${check!.settled} passes settled, ${summary.files.length} pain.001 file(s), ${summary.failures.length} failure(s)`,
    );
    if (Number(check!.redemptions) !== REDEMPTIONS || Number(check!.lines) !== REDEMPTIONS) {
      throw new Error('the run did not settle every redemption');
    }
    const file = await db.knex('settlement.payout_files').first<{ xml: string }>('xml');
    const xsd = validateWithXmllint(file!.xml, 'pain.001.001.09');
    log(`pain.001 file: ${xsd.valid ? 'valid' : 'INVALID'} against the official XSD`);

    log(
      `RESULT settlement redemptions_per_s=${Math.round(REDEMPTIONS / runSeconds)} seconds=${runSeconds.toFixed(1)} ` +
        `raw_seconds=${rawSeconds.toFixed(2)} rss_mb=${Math.round(peakRss / 1024 / 1024)}`,
    );
  } finally {
    await db.destroy();
    await dropTestDatabases();
  }
}

if (!process.env.SETTLEMENT_BENCH_NO_MAIN)
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
