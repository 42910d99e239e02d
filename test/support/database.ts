import { createPgliteTestDatabase, createTestDatabase, type TestDatabase } from '@pass/db/testing';
import { allMigrations } from '@pass/gateway';

/** A fresh PostgreSQL database with every migration of the system, for one test file. */
export function createTestDb(options: { poolMax?: number } = {}): Promise<TestDatabase> {
  return createTestDatabase(allMigrations, options);
}

/** The same on embedded PGlite (a clone of a migrated in-memory instance). */
export function createPgliteTestDb(): Promise<TestDatabase> {
  return createPgliteTestDatabase(allMigrations);
}

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
