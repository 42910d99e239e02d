// A clearing worker in its own process, for the fault-injection test: executes one run against a database
// and, when SETTLEMENT_CRASH_AT=<checkpoint>:<n> is set, kills itself with SIGKILL at the n-th time the run
// reaches that checkpoint (no cleanup, no rollback by the process: exactly a crash).
//
//   SETTLEMENT_DATABASE_URL  postgres://... of the database
//   SETTLEMENT_RUN_ID        the run to execute (created by the caller)
//   SETTLEMENT_NOW           the clock, ISO instant
//   SETTLEMENT_CHUNK_SIZE    redemptions per fill transaction (default 2000)
//   SETTLEMENT_ISSUE_BATCH   statements issued per transaction (default 50)
//   SETTLEMENT_CRASH_AT      optional, e.g. chunk_before_commit:3
import { buildTestConfig } from '@pass/config';
import { createDatabase } from '@pass/db';
import { createLogger } from '@pass/logger';
import type { ClearingCheckpoint } from './clearing-run';
import { executeRun } from './clearing-runner';

async function main(): Promise<void> {
  const url = process.env.SETTLEMENT_DATABASE_URL;
  const runId = process.env.SETTLEMENT_RUN_ID;
  if (!url || !runId) throw new Error('SETTLEMENT_DATABASE_URL and SETTLEMENT_RUN_ID are required');
  const now = new Date(process.env.SETTLEMENT_NOW ?? Date.now());
  const [crashPoint, crashAfter] = (process.env.SETTLEMENT_CRASH_AT ?? '').split(':');
  const crashCount = Number(crashAfter ?? '1');
  let seen = 0;
  const database = await createDatabase({ databaseUrl: url, poolMax: 2 });
  const deps = {
    knex: database.knex,
    logger: createLogger({ level: 'silent' }),
    config: buildTestConfig(),
    clock: () => new Date(now),
  };
  try {
    const summary = await executeRun(deps, runId, {
      chunkSize: Number(process.env.SETTLEMENT_CHUNK_SIZE ?? 2000),
      issueBatchSize: Number(process.env.SETTLEMENT_ISSUE_BATCH ?? 50),
      checkpoint: (point: ClearingCheckpoint) => {
        if (point === crashPoint && ++seen === crashCount) process.kill(process.pid, 'SIGKILL');
      },
    });
    process.stdout.write(
      `${JSON.stringify({ issued: summary.statementsIssued.length, files: summary.files.length })}\n`,
    );
  } finally {
    await database.close();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
