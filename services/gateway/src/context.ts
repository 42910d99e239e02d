import path from 'node:path';
import { TokenService } from '@pass/auth';
import type { Config } from '@pass/config';
import { createDatabase, type Database } from '@pass/db';
import type { AppContext } from '@pass/http';
import { createLogger, type Logger } from '@pass/logger';
import { BullMqQueue, InProcessQueue, type JobQueue, OutboxRelay } from '@pass/queue';

export interface Runtime {
  ctx: AppContext;
  database: Database;
  close(): Promise<void>;
}

/** Builds the shared context: database (pg or PGlite), queue (BullMQ or in-process), tokens, logger. */
export async function createRuntime(
  config: Config,
  options: { logger?: Logger; database?: Database; queue?: JobQueue; clock?: () => Date } = {},
): Promise<Runtime> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const database =
    options.database ??
    (await createDatabase({
      databaseUrl: config.databaseUrl,
      pgliteDir: config.databaseUrl ? undefined : path.join(config.dataDir, 'pglite'),
      poolMax: config.databasePoolMax,
    }));
  const queue =
    options.queue ??
    (config.redisUrl
      ? new BullMqQueue({ redisUrl: config.redisUrl, logger, timezone: config.businessTimezone })
      : new InProcessQueue({ logger, timezone: config.businessTimezone }));
  const outbox = new OutboxRelay(database.knex, queue, { logger });
  const tokens = new TokenService({
    privateKeyPem: config.secrets.jwtPrivateKeyPem,
    publicKeyPem: config.secrets.jwtPublicKeyPem,
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
    accessTokenTtlSeconds: config.jwt.accessTokenTtlSeconds,
  });
  const ctx: AppContext = {
    config,
    knex: database.knex,
    logger,
    queue,
    outbox,
    tokens,
    clock: options.clock ?? (() => new Date()),
  };
  return {
    ctx,
    database,
    close: async () => {
      await outbox.stop();
      await queue.close();
      await database.close();
    },
  };
}
