import type { Knex } from 'knex';

/**
 * One migration of one owner (a service or a package). Names are `<owner>/<timestamp>_<what>` so the knex
 * migrations table shows who owns each step; the order of the list is the order of execution.
 */
export interface Migration {
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** A knex migration source over an in-code list (no file globbing: works the same under tsx and bundlers). */
export function migrationSource(migrations: readonly Migration[]): Knex.MigrationSource<Migration> {
  const seen = new Set<string>();
  for (const migration of migrations) {
    if (seen.has(migration.name)) throw new Error(`Duplicate migration name ${migration.name}`);
    seen.add(migration.name);
  }
  return {
    getMigrations: async () => [...migrations],
    getMigrationName: (migration) => migration.name,
    getMigration: async (migration) => ({ up: migration.up, down: migration.down }),
  };
}

const TABLE = 'knex_migrations';

/** Runs every pending migration; returns the names applied. */
export async function migrateLatest(knex: Knex, migrations: readonly Migration[]): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest({
    migrationSource: migrationSource(migrations),
    tableName: TABLE,
  })) as [number, string[]];
  return applied;
}

/** Rolls back every migration (used by CI's up/down/up and by tests of the migrations themselves). */
export async function migrateDownAll(knex: Knex, migrations: readonly Migration[]): Promise<string[]> {
  const [, reverted] = (await knex.migrate.rollback(
    { migrationSource: migrationSource(migrations), tableName: TABLE },
    true,
  )) as [number, string[]];
  return reverted;
}

/** Lists applied and pending migrations. */
export async function migrationStatus(
  knex: Knex,
  migrations: readonly Migration[],
): Promise<{ applied: string[]; pending: string[] }> {
  const [completed, pending] = (await knex.migrate.list({
    migrationSource: migrationSource(migrations),
    tableName: TABLE,
  })) as [{ name: string }[], Migration[]];
  return { applied: completed.map((m) => m.name), pending: pending.map((m) => m.name) };
}

/** Helper for SQL-first migrations: runs each statement of a script in order. */
export async function runSql(knex: Knex, sql: string): Promise<void> {
  await knex.raw(sql);
}
