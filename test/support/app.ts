import { hashPassword, type Role } from '@pass/auth';
import { buildTestConfig, type Config } from '@pass/config';
import type { TestDatabase } from '@pass/db/testing';
import { createApp, createRuntime, type Runtime, serviceModules } from '@pass/gateway';
import type { DemoBag } from '@pass/http';
import { createLogger } from '@pass/logger';
import { InProcessQueue } from '@pass/queue';
import type { Express } from 'express';
import request from 'supertest';
import { createTestDb } from './database';

export interface TestApp {
  app: Express;
  runtime: Runtime;
  db: TestDatabase;
  config: Config;
  demo: DemoBag;
  /** Mutable clock: tests move time with `clock.set(...)`. */
  clock: TestClock;
  /** Logs in with e-mail and the demo password; returns the access token. */
  login(email: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

export class TestClock {
  private current: Date;
  constructor(start = new Date()) {
    this.current = start;
  }
  now = (): Date => new Date(this.current);
  set(date: Date): void {
    this.current = date;
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export const TEST_PASSWORD = 'demo-pass-numerique';

/**
 * The composed app on a fresh PostgreSQL database with the demo data seeded (one organisation of each kind,
 * one user per role) and an in-process queue.
 */
export async function createTestApp(
  options: { config?: Partial<Config>; db?: TestDatabase } = {},
): Promise<TestApp> {
  const db = options.db ?? (await createTestDb());
  const config = buildTestConfig(options.config);
  const clock = new TestClock();
  const logger = createLogger({ level: 'silent' });
  const runtime = await createRuntime(config, {
    database: db,
    logger,
    queue: new InProcessQueue({ logger }),
    clock: clock.now,
  });
  const demo: DemoBag = { ids: {}, lines: [], logins: [] };
  for (const module of serviceModules) if (module.seedDemo) await module.seedDemo(runtime.ctx, demo);
  for (const module of serviceModules) if (module.registerJobs) await module.registerJobs(runtime.ctx);
  await runtime.ctx.queue.start();
  const app = createApp(runtime.ctx, serviceModules);
  // Tokens are stamped and judged by the test clock: reuse one only while the clock is near its login.
  const tokens = new Map<string, { token: string; at: number }>();
  return {
    app,
    runtime,
    db,
    config,
    demo,
    clock,
    login: async (email, password = TEST_PASSWORD) => {
      const cached = password === TEST_PASSWORD ? tokens.get(email) : undefined;
      if (cached && Math.abs(clock.now().getTime() - cached.at) < 60_000) return cached.token;
      const res = await request(app).post('/api/v1/auth/login').send({ email, password });
      if (res.status !== 200)
        throw new Error(`login ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
      if (password === TEST_PASSWORD)
        tokens.set(email, { token: res.body.accessToken, at: clock.now().getTime() });
      return res.body.accessToken as string;
    },
    close: async () => {
      await runtime.ctx.outbox.stop();
      await runtime.ctx.queue.close();
      await db.destroy();
    },
  };
}

/** E-mail of the demo user of a role. */
export function demoEmail(role: Role): string {
  const local: Record<Role, string> = {
    operator_admin: 'admin',
    operator_finance: 'finance',
    funder_manager: 'financeur',
    distributor_agent: 'distributeur',
    venue_agent: 'lieu',
    association_treasurer: 'tresorier',
  };
  return `${local[role]}@demo.pass-numerique.fr`;
}

/** Inserts an extra active user (for tests of other tenants). */
export async function insertUser(
  testApp: TestApp,
  fields: { organisationId: string; role: Role; email: string; venueId?: string; orgAdmin?: boolean },
): Promise<string> {
  const [row] = await testApp.db
    .knex('registry.users')
    .insert({
      organisation_id: fields.organisationId,
      venue_id: fields.venueId ?? null,
      email: fields.email,
      display_name: fields.email,
      role: fields.role,
      org_admin: fields.orgAdmin ?? false,
      password_hash: await hashPassword(TEST_PASSWORD),
      status: 'active',
    })
    .returning<{ id: string }[]>('id');
  return row!.id;
}
