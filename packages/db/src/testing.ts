import { randomBytes } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import knexFactory, { type Knex } from 'knex';
import { createDatabase, createPglite, type Database, PGLITE_PARSERS } from './database';
import { type Migration, migrateLatest } from './migrations';

/** Admin connection used by tests to create and drop databases. */
export const TEST_ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase extends Database {
  /** Connection string of the fresh database (PostgreSQL only). */
  url: string | undefined;
  /** Closes the pool and drops the database. */
  destroy(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

const created = new Set<string>();
/** One template per distinct migration list (keyed by the names), created lazily. */
const templates = new Map<string, Promise<string>>();
const templateNames = new Set<string>();

async function admin<T>(fn: (knex: Knex) => Promise<T>): Promise<T> {
  const knex = knexFactory({ client: 'pg', connection: TEST_ADMIN_URL, pool: { min: 0, max: 1 } });
  try {
    return await fn(knex);
  } finally {
    await knex.destroy();
  }
}

/**
 * Migrates a template database once per test run; every test database is then a cheap
 * `CREATE DATABASE … TEMPLATE` copy of it.
 */
async function ensureTemplate(migrations: readonly Migration[]): Promise<string> {
  const key = migrations.map((m) => m.name).join('|');
  let promise = templates.get(key);
  if (promise) return promise;
  promise = (async () => {
    const name = `pass_tpl_${process.pid}_${randomBytes(3).toString('hex')}`;
    await admin((knex) => knex.raw(`create database ${name}`));
    templateNames.add(name);
    const db = await createDatabase({ databaseUrl: withDatabase(TEST_ADMIN_URL, name), poolMax: 1 });
    try {
      await migrateLatest(db.knex, migrations);
    } finally {
      await db.close();
    }
    return name;
  })();
  templates.set(key, promise);
  return promise;
}

/** A fresh, migrated PostgreSQL database for one test file; `destroy()` drops it. */
export async function createTestDatabase(
  migrations: readonly Migration[],
  options: { poolMax?: number } = {},
): Promise<TestDatabase> {
  const template = await ensureTemplate(migrations);
  const name = `pass_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin((knex) => knex.raw(`create database ${name} template ${template}`));
  created.add(name);
  const url = withDatabase(TEST_ADMIN_URL, name);
  const db = await createDatabase({ databaseUrl: url, poolMax: options.poolMax ?? 10 });
  let destroyed = false;
  return {
    ...db,
    url,
    destroy: async () => {
      if (destroyed) return;
      destroyed = true;
      await db.close();
      await admin((knex) => knex.raw(`drop database if exists ${name} with (force)`));
      created.delete(name);
    },
  };
}

/** An empty (unmigrated) PostgreSQL database, for migration up/down tests. */
export async function createEmptyTestDatabase(): Promise<TestDatabase> {
  const name = `pass_empty_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin((knex) => knex.raw(`create database ${name}`));
  created.add(name);
  const url = withDatabase(TEST_ADMIN_URL, name);
  const db = await createDatabase({ databaseUrl: url, poolMax: 2 });
  return {
    ...db,
    url,
    destroy: async () => {
      await db.close();
      await admin((knex) => knex.raw(`drop database if exists ${name} with (force)`));
      created.delete(name);
    },
  };
}

const pgliteBases = new Map<string, Promise<PGlite>>();

/** A fresh, migrated embedded database: one PGlite is migrated per process, then cloned for each caller. */
export async function createPgliteTestDatabase(migrations: readonly Migration[]): Promise<TestDatabase> {
  const key = migrations.map((m) => m.name).join('|');
  let basePromise = pgliteBases.get(key);
  basePromise ??= (async () => {
    const base = await createPglite();
    const db = await createDatabase({ pglite: base });
    await migrateLatest(db.knex, migrations);
    // Keep the PGlite instance open: destroying knex would close it.
    return base;
  })();
  pgliteBases.set(key, basePromise);
  const base = await basePromise;
  // PGlite's clone() does not carry the parsers over: clone from a data-dir dump with ours.
  const { PGlite: PGliteClass } = await import('@electric-sql/pglite');
  const clone = await PGliteClass.create({
    loadDataDir: await base.dumpDataDir('none'),
    parsers: PGLITE_PARSERS,
  });
  const db = await createDatabase({ pglite: clone });
  return { ...db, url: undefined, destroy: () => db.close() };
}

/** Drops every database this process created (root after-all hook). */
export async function dropTestDatabases(): Promise<void> {
  const names = [...created, ...templateNames];
  if (names.length === 0) return;
  await admin(async (knex) => {
    for (const name of names) await knex.raw(`drop database if exists ${name} with (force)`);
  });
  created.clear();
  templateNames.clear();
  templates.clear();
}
