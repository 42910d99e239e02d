import { hashPassword } from '@pass/auth';
import { buildTestConfig } from '@pass/config';
import type { TestDatabase } from '@pass/db/testing';
import { createApp, createRuntime, type Runtime, serviceModules } from '@pass/gateway';
import { createLogger } from '@pass/logger';
import { InProcessQueue } from '@pass/queue';
import type { Express } from 'express';
import request from 'supertest';
import { TEST_PASSWORD, TestClock } from '../../../../test/support/app';
import { createTestDb } from '../../../../test/support/database';

export interface BareTestApp {
  app: Express;
  runtime: Runtime;
  db: TestDatabase;
  clock: TestClock;
  operatorId: string;
  /** Access token of an operator admin (the only user). */
  token: string;
  close(): Promise<void>;
}

export const BARE_OPERATOR_EMAIL = 'admin@bare.example.fr';

/**
 * The composed app on a fresh PostgreSQL database WITHOUT the demo (the demo already imports the Hinaura
 * venues): one operator organisation and its administrator, nothing else.
 */
export async function createBareTestApp(): Promise<BareTestApp> {
  const db = await createTestDb();
  const logger = createLogger({ level: 'silent' });
  const clock = new TestClock();
  const runtime = await createRuntime(buildTestConfig(), {
    database: db,
    logger,
    queue: new InProcessQueue({ logger }),
    clock: clock.now,
  });
  const app = createApp(runtime.ctx, serviceModules);
  const [operator] = await db
    .knex('registry.organisations')
    .insert({ kind: 'operator', name: 'Opérateur' })
    .returning<{ id: string }[]>('id');
  await db.knex('registry.users').insert({
    organisation_id: operator!.id,
    email: BARE_OPERATOR_EMAIL,
    display_name: 'Admin',
    role: 'operator_admin',
    org_admin: true,
    password_hash: await hashPassword(TEST_PASSWORD),
    status: 'active',
  });
  const login = await request(app)
    .post('/api/v1/auth/login')
    .send({ email: BARE_OPERATOR_EMAIL, password: TEST_PASSWORD });
  if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
  return {
    app,
    runtime,
    db,
    clock,
    operatorId: operator!.id,
    token: login.body.accessToken as string,
    close: async () => {
      await runtime.ctx.outbox.stop();
      await runtime.ctx.queue.close();
      await db.destroy();
    },
  };
}
