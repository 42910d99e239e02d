// Redemption throughput (issue #6), in one run on a fresh PostgreSQL database:
//   (a) raw: the same transaction in bare SQL through pg at concurrency 32 (BEGIN; conditional UPDATE of the
//       pass; ledger entry with its two lines; redemption row with its pass; COMMIT), prepared statements;
//   (b) api: POST /api/v1/redemptions on the real server (production start-up in a child process: device-token
//       auth, zod validation, signature or check character, keyed-hash lookup, every check, idempotency, ledger,
//       audit), driven by autocannon at concurrency 32, first flat out, then at half that rate for latency.
// Both flat-out measurements run REDEMPTION_BENCH_ROUNDS times (default 3), alternated raw, API, raw, API...
// Last line: RESULT redemption api_per_s=<n> raw_per_s=<n> ratio=<r> p50_ms=<n> p99_ms=<n>
//   (medians of the rounds; p50/p99 measured at half the median API throughput).
// Run: npm run bench:redemption   (or npx tsx services/redemption/bench/redemption-bench.ts)
// Env: REDEMPTION_BENCH_SECONDS (per measured phase, default 10), REDEMPTION_BENCH_INPUT (qr | typed, default qr),
//      REDEMPTION_BENCH_POOL (API database pool per process, default 16), REDEMPTION_BENCH_WORKERS (API processes
//      sharing one port, default 1), REDEMPTION_BENCH_LOG_LEVEL (API log level, default info: access logs on, as in
//      production), REDEMPTION_BENCH_PROFILE_DIR (writes a CPU profile of the API process(es) for each flat-out
//      round and for the half-load phase there), REDEMPTION_BENCH_GROUPS (JSON replacing stages of the API's
//      DEFAULT_GROUPS, see redemption-bench-server.ts), TEST_DATABASE_URL.
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { availableParallelism, cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSecrets, loadConfig } from '@pass/config';
import { createTestDatabase, dropTestDatabases } from '@pass/db/testing';
import { createLogger } from '@pass/logger';
import { allMigrations, createRuntime } from '@pass/gateway';
import { InProcessQueue } from '@pass/queue';
import { createRedemptionService } from '@pass/redemption';
import { registryModule } from '@pass/registry';
import autocannon from 'autocannon';
import pg from 'pg';
import { redemptionInvariants } from '../src/invariants/redemption-invariants';
import { machineSince, machineTimes, ownCpuMs, postgresCpuMs } from './machine';
import { pacedLoad, SLOW_MS } from './paced-load';
import type { ServerStats } from './redemption-bench-server';
import { insertAssociation, insertVenue, issueBatch, payloadOf } from '../src/testing/redemption-test-kit';

const CONCURRENCY = 32;
const SECONDS = Number(process.env.REDEMPTION_BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 2;
/** Measured rounds of each side, alternated (raw, API, raw, API...); the RESULT compares their medians. */
const ROUNDS = Number(process.env.REDEMPTION_BENCH_ROUNDS ?? 3);
const INPUT = process.env.REDEMPTION_BENCH_INPUT === 'typed' ? 'typed' : 'qr';
const API_POOL = Number(process.env.REDEMPTION_BENCH_POOL ?? 16);
const API_LOG_LEVEL = process.env.REDEMPTION_BENCH_LOG_LEVEL ?? 'info';
/** API server processes (node:cluster, one port); one by default, the single server the issue describes. */
const API_PROCESSES = Number(process.env.REDEMPTION_BENCH_WORKERS ?? 1);
const here = path.dirname(fileURLToPath(import.meta.url));

const fmt = (n: number) => Math.round(n).toLocaleString('en');
const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  log(
    `redemption bench: ${cpus()[0]?.model ?? 'cpu'} × ${availableParallelism()}, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}, concurrency ${CONCURRENCY}, ${SECONDS} s per phase, input ${INPUT}, ` +
      `${API_PROCESSES} API process(es), API pool ${API_POOL} each`,
  );
  const db = await createTestDatabase(allMigrations, { poolMax: 4 });
  const secrets = generateSecrets();
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    DATABASE_URL: db.url!,
    DATABASE_POOL_MAX: String(API_POOL),
    SERVICE_ROLE: 'redemption',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: API_LOG_LEVEL,
    MIGRATE_ON_START: 'false',
    DEMO_SEED: 'false',
    JWT_PRIVATE_KEY: secrets.jwtPrivateKeyPem,
    JWT_PUBLIC_KEY: secrets.jwtPublicKeyPem,
    VOUCHER_SIGNING_KEY: secrets.voucherSigningKeyPem,
    VOUCHER_SIGNING_KID: secrets.voucherSigningKid,
    VOUCHER_HASH_KEY: secrets.voucherHashKey,
    VOUCHER_ENCRYPTION_KEY: secrets.voucherEncryptionKey,
  };
  const config = loadConfig(env);
  let child: ChildProcess | undefined;
  try {
    const associationId = await insertAssociation(db.knex, 'Association du banc d’essai');
    const venue = await insertVenue(db.knex, { associationId, name: 'Lieu du banc d’essai' });

    // (a) raw SQL baseline, first round (the others alternate with the API's, below).
    const rawRound = await prepareRawBaseline(db.url!, db.knex, associationId, venue);
    const rawRounds: RawRound[] = [];
    const runRaw = async () => {
      const raw = await rawRound();
      rawRounds.push(raw);
      log(
        `raw   ${fmt(raw.perSecond)} redemptions/s (${fmt(raw.done)} in ${SECONDS} s, ${raw.lost} lost races; ` +
          `CPU per transaction: client ${raw.cpuPerTransaction.toFixed(2)} ms, PostgreSQL ${raw.postgresCpuPerTransaction.toFixed(2)} ms; ` +
          `${raw.machine})`,
      );
    };
    await runRaw();
    const firstRaw = rawRounds[0]!;

    // (b) the API: enough passes for the warm-ups and every phase even if it ran as fast as raw SQL.
    const needed = Math.min(
      400_000,
      Math.ceil(firstRaw.perSecond * (3 * WARMUP_SECONDS + (ROUNDS + 3) * SECONDS + 4) * 1.2) + 5000,
    );
    const started = performance.now();
    const batch = await issueBatch(db.knex, config, { count: needed, bookletSize: 10 });
    const inputs = INPUT === 'qr' ? batch.codes.map((code) => payloadOf(code, config)) : batch.codes;
    log(
      `issued ${fmt(needed)} passes for the API run in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    let next = 0;
    const takeInput = () => {
      const n = next++;
      if (n >= inputs.length) throw new Error('the benchmark ran out of passes');
      return { n, input: inputs[n]! };
    };

    // (c) the same redemptions without HTTP: the service called in this process at concurrency 32, on the
    // production start-up's runtime (same pool size, prepared statements, checks, ledger, audit, idempotency).
    // Diagnostic only: how much of the API's cost is the HTTP stack and the load generator.
    const direct = await inProcessService(config, venue, takeInput);
    log(
      `direct ${fmt(direct.perSecond)} redemptions/s (the service without HTTP, in this process; CPU per redemption: ` +
        `Node ${direct.nodeCpu.toFixed(2)} ms, PostgreSQL ${direct.postgresCpu.toFixed(2)} ms)`,
    );

    child = fork(path.join(here, 'redemption-bench-server.ts'), [], {
      env: { ...process.env, ...env, REDEMPTION_BENCH_WORKERS: String(API_PROCESSES) },
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      child!.once('message', (message) => resolve((message as { url: string }).url));
      child!.once('exit', (code) => reject(new Error(`API server exited with ${code}`)));
    });
    // What the server did since the previous question (CPU, statements sent, event-loop delay, GC pauses).
    const childStats = () =>
      new Promise<ServerStats>((resolve) => {
        const onMessage = (message: unknown) => {
          const stats = (message as { stats?: ServerStats }).stats;
          if (!stats) return;
          child!.off('message', onMessage);
          resolve(stats);
        };
        child!.on('message', onMessage);
        child!.send('stats');
      });
    const describeServer = (stats: ServerStats, answered: number) =>
      `main thread ${(100 * stats.mainThreadBusy).toFixed(0)} % busy, ` +
      `${(stats.queries / Math.max(1, answered)).toFixed(2)} statements per request, event-loop delay p99 ` +
      `${stats.loopP99Ms.toFixed(1)} ms max ${stats.loopMaxMs.toFixed(1)} ms, GC ${stats.gcCount} pauses ` +
      `${stats.gcTotalMs.toFixed(0)} ms in all, longest ${stats.gcMaxMs.toFixed(1)} ms, heap ${stats.heapUsedMb.toFixed(0)} MB, ` +
      `${stats.slowStatements} statements answered after 40 ms or more` +
      (stats.slowStatementSamples.length > 0
        ? ` (${stats.slowStatementSamples.map((s) => `${s.at} ${s.ms.toFixed(0)} ms ${s.name}`).join('; ')})`
        : '');
    const cannon = (options: { duration: number; overallRate?: number; connections?: number }) =>
      autocannon({
        url: `${url.replace('localhost', '127.0.0.1')}/api/v1/redemptions`,
        connections: options.connections ?? CONCURRENCY,
        duration: options.duration,
        ...(options.overallRate ? { overallRate: options.overallRate } : {}),
        requests: [
          {
            method: 'POST',
            setupRequest: (request) => {
              const { n, input } = takeInput();
              return {
                ...request,
                headers: {
                  'content-type': 'application/json',
                  authorization: `Device ${venue.deviceToken}`,
                  'idempotency-key': `bench-${n}-${randomUUID()}`,
                },
                body: JSON.stringify({ catalogueServiceId: venue.services[1], codes: [input] }),
              };
            },
          },
        ],
      });

    await cannon({ duration: WARMUP_SECONDS });
    // ROUNDS flat-out rounds of the API, each after a raw round (the first raw round ran above): a drift of
    // the machine's speed during the run (a shared VM) touches both sides alike, and the medians are compared.
    const apiRounds: { perSecond: number; non2xx: number }[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      child.send('profile:start');
      await childStats();
      const postgresBefore = postgresCpuMs();
      const loaderBefore = ownCpuMs();
      const machineBefore = machineTimes();
      const max = await cannon({ duration: SECONDS });
      const machine = machineSince(machineBefore);
      const answered = Math.max(1, max['2xx'] + max.non2xx);
      const loaderCpuPerRequest = (ownCpuMs() - loaderBefore) / answered;
      const postgresCpuPerRequest = (postgresCpuMs() - postgresBefore) / answered;
      const server = await childStats();
      child.send('profile:stop');
      const apiCpuPerRequest = server.cpuMs / answered;
      apiRounds.push({ perSecond: max['2xx'] / SECONDS, non2xx: max.non2xx + max.errors });
      log(
        `api   ${fmt(max['2xx'] / SECONDS)} redemptions/s flat out (${fmt(max['2xx'])} × 201, ${max.non2xx} other, ` +
          `${max.errors} errors; p50 ${max.latency.p50} ms, p99 ${max.latency.p99} ms; ` +
          `CPU per request: API ${apiCpuPerRequest.toFixed(2)} ms, PostgreSQL ${postgresCpuPerRequest.toFixed(2)} ms, ` +
          `load generator ${loaderCpuPerRequest.toFixed(2)} ms; ${machine}; ` +
          `${describeServer(server, answered)})`,
      );
      // The raw rounds ran while the API waited: warm its connections again before the next round.
      if (round < ROUNDS) await runRaw().then(() => cannon({ duration: WARMUP_SECONDS }));
    }
    const apiPerSecond = median(apiRounds.map((r) => r.perSecond));
    const rawPerSecond = median(rawRounds.map((r) => r.perSecond));
    log(
      `medians of ${ROUNDS} rounds: raw ${fmt(rawPerSecond)}/s (${rawRounds.map((r) => fmt(r.perSecond)).join(', ')}), ` +
        `api ${fmt(apiPerSecond)}/s (${apiRounds.map((r) => fmt(r.perSecond)).join(', ')})`,
    );
    // Half the maximum, paced evenly (see pacedLoad: autocannon's rate mode sends in bursts).
    // The half-load requests, built before the phase (the worker that sends them gets them all at once).
    const halfRate = Math.max(1, apiPerSecond / 2);
    const halfRequests = Array.from({ length: Math.floor(halfRate * SECONDS) }, () => {
      const { n, input } = takeInput();
      return {
        headers: {
          'content-type': 'application/json',
          authorization: `Device ${venue.deviceToken}`,
          'idempotency-key': `bench-${n}-${randomUUID()}`,
        },
        body: JSON.stringify({ catalogueServiceId: venue.services[1], codes: [input] }),
      };
    });
    child.send('profile:start');
    await childStats();
    const machineBeforeHalf = machineTimes();
    // The generator's CPU from its first request (its worker's start-up is not part of it).
    let loaderBeforeHalf = ownCpuMs();
    const half = await pacedLoad(
      {
        url: `${url.replace('localhost', '127.0.0.1')}/api/v1/redemptions`,
        ratePerSecond: halfRate,
        seconds: SECONDS,
        connections: CONCURRENCY,
        requests: halfRequests,
      },
      () => {
        loaderBeforeHalf = ownCpuMs();
      },
    );
    const loaderCpuHalf = (ownCpuMs() - loaderBeforeHalf) / Math.max(1, half.ok + half.other);
    const halfServer = await childStats();
    child.send('profile:stop');
    log(
      `api   at ${fmt(apiPerSecond / 2)}/s (half, paced): ${fmt(half.ok / SECONDS)}/s served, p50 ${half.p50} ms, ` +
        `p97.5 ${half.p97_5} ms, p99 ${half.p99} ms, max ${half.max} ms (${half.other} other, ${half.errors} errors); ` +
        `${half.slow} answers over ${SLOW_MS} ms, in ${half.slowSeconds.length} distinct seconds of the ${SECONDS}` +
        `${half.slowSeconds.length > 0 ? ` (starting ${half.slowSeconds.join(', ')})` : ''}; ` +
        `${machineSince(machineBeforeHalf)}; load generator ${loaderCpuHalf.toFixed(2)} ms CPU per request, at most ` +
        `${half.generator.lateMaxMs} ms late ` +
        `(${half.generator.late} sends over ${SLOW_MS / 5} ms late, GC pause at most ${half.generator.gcMaxMs} ms); ` +
        `API CPU ${(halfServer.cpuMs / Math.max(1, half.ok + half.other)).toFixed(2)} ms per request, ` +
        describeServer(halfServer, half.ok + half.other),
    );

    // One client, one request at a time: the latency of a redemption with no queueing at all.
    const alone = await cannon({ duration: Math.min(SECONDS, 4), connections: 1 });
    log(
      `api   one client: ${fmt(alone['2xx'] / Math.min(SECONDS, 4))}/s, p50 ${alone.latency.p50} ms, ` +
        `p99 ${alone.latency.p99} ms (${alone.non2xx} other)`,
    );

    // Where the API's time goes: the same server answering /healthz (HTTP stack only) and an authenticated
    // request refused right after the device-token lookup (HTTP stack + auth), at the same concurrency.
    for (const [name, urlPath] of [
      ['floor http', '/healthz'],
      ['floor auth', '/api/v1/fraud-flags'],
    ] as const) {
      await childStats();
      const floor = await autocannon({
        url: `${url.replace('localhost', '127.0.0.1')}${urlPath}`,
        connections: CONCURRENCY,
        duration: Math.min(SECONDS, 4),
        headers: { authorization: `Device ${venue.deviceToken}` },
      });
      const answered = floor['2xx'] + floor.non2xx;
      log(
        `${name} ${fmt(answered / Math.min(SECONDS, 4))} answers/s, p50 ${floor.latency.p50} ms, ` +
          `API CPU ${((await childStats()).cpuMs / Math.max(1, answered)).toFixed(2)} ms per answer`,
      );
    }

    child.send('stop');
    await new Promise((resolve) => child!.once('exit', resolve));
    child = undefined;

    // Every 201 is one redemption; every check of the module holds.
    const [stored] = await db
      .knex('redemption.redemptions')
      .where({ venue_id: venue.venueId })
      .whereNot({ redeemed_by: 'bench' })
      .count<{ count: string }[]>('* as count');
    log(
      `check ${stored?.count} redemptions stored for ${next} sent (API requests and direct calls; ${direct.refused} direct refusals)`,
    );
    for (const check of redemptionInvariants()) {
      const result = await check.run(db.knex);
      if (!result.ok) log(`check ${check.name} FAILED: ${JSON.stringify(result.problems.slice(0, 3))}`);
    }
    const other = apiRounds.reduce((sum, r) => sum + r.non2xx, 0) + half.other + half.errors + alone.non2xx;
    if (other > 0) log(`WARNING ${other} answers were not 201`);

    const ratio = apiPerSecond / rawPerSecond;
    log(
      `RESULT redemption api_per_s=${Math.round(apiPerSecond)} raw_per_s=${Math.round(rawPerSecond)} ` +
        `ratio=${ratio.toFixed(2)} p50_ms=${half.p50} p99_ms=${half.p99}`,
    );
  } finally {
    if (child) child.kill();
    await db.destroy();
    await dropTestDatabases();
  }
}

/**
 * The redemption service called directly (no HTTP) at concurrency 32 for the measured time, after the warm-up,
 * on its own runtime (the configuration of the API child: same pool size, in-process queue, silent logger).
 */
async function inProcessService(
  config: import('@pass/config').Config,
  venue: { deviceToken: string; services: Record<1 | 2 | 3, string> },
  takeInput: () => { n: number; input: string },
): Promise<{ perSecond: number; nodeCpu: number; postgresCpu: number; refused: number }> {
  const runtime = await createRuntime(config, {
    logger: createLogger({ level: 'silent' }),
    queue: new InProcessQueue({ logger: createLogger({ level: 'silent' }) }),
  });
  const service = createRedemptionService(runtime.ctx);
  // The scanner's principal as the API resolves its device token.
  const principal = await registryModule.deviceResolver!(runtime.ctx)(venue.deviceToken);
  if (!principal) throw new Error('the bench venue has no device token');
  let done = 0;
  let refused = 0;
  let counting = false;
  let cpuAtStart = ownCpuMs();
  let postgresAtStart = postgresCpuMs();
  const stopAt = performance.now() + (WARMUP_SECONDS + SECONDS) * 1000;
  setTimeout(() => {
    counting = true;
    cpuAtStart = ownCpuMs();
    postgresAtStart = postgresCpuMs();
  }, WARMUP_SECONDS * 1000);
  try {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < stopAt) {
          const { n, input } = takeInput();
          const result = await service
            .redeem(
              principal,
              { catalogueServiceId: venue.services[1], codes: [input] },
              `direct-${n}-${randomUUID()}`,
              undefined,
            )
            .catch(() => undefined); // a refusal is an AppError: counted, never expected here
          if (result?.status !== 201) refused++;
          else if (counting) done++;
        }
      }),
    );
    const nodeCpu = (ownCpuMs() - cpuAtStart) / Math.max(1, done);
    const postgresCpu = (postgresCpuMs() - postgresAtStart) / Math.max(1, done);
    return { perSecond: done / SECONDS, nodeCpu, postgresCpu, refused };
  } finally {
    await runtime.close();
  }
}

/**
 * The bare transaction at concurrency 32 on its own batch of passes, each worker on its own connection with
 * prepared statements: the floor of what PostgreSQL costs for one redemption on this machine.
 */
async function prepareRawBaseline(
  url: string,
  knex: import('knex').Knex,
  associationId: string,
  venue: { venueId: string; services: Record<1 | 2 | 3, string> },
): Promise<() => Promise<RawRound>> {
  const funderId = randomUUID();
  const count = 250_000;
  // Passes without codes (the baseline never looks them up): random 32-byte hashes.
  const [batch] = await knex('vouchers.batches')
    .insert({
      funder_id: funderId,
      status: 'active',
      face_value_cents: 1000,
      booklet_size: 10,
      booklet_count: count / 10,
      voucher_count: count,
      valid_from: '2020-01-01',
      valid_until: '2099-12-31',
    })
    .returning<{ id: string }[]>('id');
  await knex.raw(
    `insert into vouchers.vouchers (batch_id, serial, lookup_hash)
     select ?, s, decode(md5(random()::text) || md5(random()::text), 'hex') from generate_series(1, ?) s`,
    [batch!.id, count],
  );
  const ids = (await knex('vouchers.vouchers').where({ batch_id: batch!.id }).orderBy('id').pluck('id')).map(
    String,
  );
  const accountIds: string[] = [];
  for (const [code, ownerType, ownerId, purpose] of [
    [`funder:${funderId}:vouchers_outstanding`, 'funder', funderId, 'vouchers_outstanding'],
    [`association:${associationId}:payable`, 'association', associationId, 'payable'],
  ] as const) {
    await knex.raw(
      `insert into ledger.accounts (code, kind, owner_type, owner_id, purpose, currency)
       values (?, 'liability', ?, ?, ?, 'EUR') on conflict (code) do nothing`,
      [code, ownerType, ownerId, purpose],
    );
    accountIds.push(String((await knex('ledger.accounts').where({ code }).first('id'))!.id));
  }

  let next = 0;
  // One measured round: warm-up, then SECONDS counted; each round takes the next unused passes.
  return async () => {
    const pool = new pg.Pool({ connectionString: url, max: CONCURRENCY });
    let done = 0;
    let lost = 0;
    let counting = false;
    let cpuAtStart = process.cpuUsage();
    let postgresAtStart = postgresCpuMs();
    let machineAtStart = machineTimes();
    const stopAt = performance.now() + (WARMUP_SECONDS + SECONDS) * 1000;
    setTimeout(() => {
      counting = true;
      cpuAtStart = process.cpuUsage();
      postgresAtStart = postgresCpuMs();
      machineAtStart = machineTimes();
    }, WARMUP_SECONDS * 1000);
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        const client = await pool.connect();
        try {
          while (performance.now() < stopAt) {
            const voucherId = ids[next++];
            if (!voucherId) throw new Error('raw baseline ran out of passes');
            const redemptionId = randomUUID();
            const now = new Date();
            await client.query('begin');
            const updated = await client.query({
              name: 'raw-update',
              text: `update vouchers.vouchers set status = 'redeemed', status_changed_at = $2
                    where id = $1 and status = 'available' returning id`,
              values: [voucherId, now],
            });
            if (updated.rowCount !== 1) {
              await client.query('rollback');
              lost++;
              continue;
            }
            const entry = await client.query({
              name: 'raw-ledger',
              text: `with e as (
                     insert into ledger.entries (kind, reference, actor, currency)
                     values ('redemption', $1, 'bench', 'EUR') returning id
                   ), l as (
                     insert into ledger.lines (entry_id, line_no, account_id, side, amount_cents)
                     select e.id, v.line_no, v.account_id, v.side, 1000
                       from e, (values (1, $2::bigint, 'debit'), (2, $3::bigint, 'credit')) v (line_no, account_id, side)
                   )
                   select id::text from e`,
              values: [`redemption:${redemptionId}`, accountIds[0], accountIds[1]],
            });
            await client.query({
              name: 'raw-redemption',
              text: `with r as (
                     insert into redemption.redemptions (id, venue_id, association_id, catalogue_service_id,
                       service_category, voucher_count, amount_cents, status, redeemed_at, redeemed_by, ledger_entry_id)
                     values ($1, $2, $3, $4, 'maitrise-outils-numeriques', 1, 1000, 'live', $5, 'bench', $6)
                     returning id
                   )
                   insert into redemption.redemption_vouchers (redemption_id, voucher_id, batch_id, funder_id,
                                                               face_value_cents)
                   select r.id, $7, $8, $9, 1000 from r`,
              values: [
                redemptionId,
                venue.venueId,
                associationId,
                venue.services[1],
                now,
                entry.rows[0].id,
                voucherId,
                batch!.id,
                funderId,
              ],
            });
            await client.query('commit');
            if (counting) done++;
          }
        } finally {
          client.release();
        }
      }),
    );
    const cpu = process.cpuUsage(cpuAtStart);
    const postgresCpu = postgresCpuMs() - postgresAtStart;
    const machine = machineSince(machineAtStart);
    await pool.end();
    return {
      perSecond: done / SECONDS,
      done,
      lost,
      cpuPerTransaction: (cpu.user + cpu.system) / 1000 / Math.max(1, done),
      postgresCpuPerTransaction: postgresCpu / Math.max(1, done),
      machine,
    };
  };
}

interface RawRound {
  perSecond: number;
  done: number;
  lost: number;
  cpuPerTransaction: number;
  postgresCpuPerTransaction: number;
  /** How the machine's CPU time went during the round (machineSince). */
  machine: string;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
