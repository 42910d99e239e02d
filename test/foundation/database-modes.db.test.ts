import { createEmptyTestDatabase } from '@pass/db/testing';
import { migrateDownAll, migrateLatest, migrationStatus } from '@pass/db';
import { allMigrations } from '@pass/gateway';
import { expect } from 'chai';
import { createPgliteTestDb, createTestDb } from '../support/database';

const scenarios = [
  { name: 'PostgreSQL', create: createTestDb },
  { name: 'PGlite (embedded)', create: createPgliteTestDb },
];

for (const scenario of scenarios) {
  describe(`database on ${scenario.name}`, function () {
    this.timeout(120_000);

    it('returns bigint and numeric as strings and dates as ISO text, so money never becomes a float', async () => {
      const db = await scenario.create();
      try {
        const { rows } = await db.knex.raw(
          "select 9007199254740993::bigint as big, 12.345::numeric as num, date '2026-12-31' as day",
        );
        expect(rows[0]).to.deep.equal({ big: '9007199254740993', num: '12.345', day: '2026-12-31' });
      } finally {
        await db.destroy();
      }
    });

    it('refuses UPDATE and DELETE on the audit log (append-only trigger)', async () => {
      const db = await scenario.create();
      try {
        await db
          .knex('platform.audit_log')
          .insert({ at: new Date(), actor_kind: 'system', action: 'test.done', target_type: 'test' });
        let error: { code?: string } | undefined;
        try {
          await db.knex('platform.audit_log').update({ action: 'test.changed' });
        } catch (err) {
          error = err as { code?: string };
        }
        expect(error?.code).to.equal('55000');
        error = undefined;
        try {
          await db.knex('platform.audit_log').del();
        } catch (err) {
          error = err as { code?: string };
        }
        expect(error?.code).to.equal('55000');
      } finally {
        await db.destroy();
      }
    });

    it('rolls a transaction back as a whole', async () => {
      const db = await scenario.create();
      try {
        await db.knex
          .transaction(async (trx) => {
            await trx('registry.organisations').insert({ kind: 'funder', name: 'Rolled back' });
            throw new Error('boom');
          })
          .catch(() => undefined);
        const rows = await db.knex('registry.organisations').where({ name: 'Rolled back' });
        expect(rows).to.have.length(0);
      } finally {
        await db.destroy();
      }
    });
  });
}

describe('a fresh embedded database (createDatabase without a URL)', function () {
  this.timeout(120_000);
  it('applies the same text parsers as the cloned test instances', async () => {
    const { createDatabase } = await import('@pass/db');
    const db = await createDatabase({});
    try {
      const { rows } = await db.knex.raw("select 9007199254740993::bigint as big, date '2026-12-31' as day");
      expect(rows[0]).to.deep.equal({ big: '9007199254740993', day: '2026-12-31' });
    } finally {
      await db.close();
    }
  });
});

describe('migrations', function () {
  this.timeout(120_000);
  it('run up, down and up again on an empty PostgreSQL database', async () => {
    const db = await createEmptyTestDatabase();
    try {
      const up = await migrateLatest(db.knex, allMigrations);
      expect(up).to.have.length(allMigrations.length);
      const down = await migrateDownAll(db.knex, allMigrations);
      expect(down).to.have.length(allMigrations.length);
      const { rows } = await db.knex.raw(
        "select schema_name from information_schema.schemata where schema_name in ('registry', 'platform', 'ledger', 'issuance', 'vouchers', 'redemption', 'settlement')",
      );
      expect(rows).to.have.length(0);
      await migrateLatest(db.knex, allMigrations);
      const status = await migrationStatus(db.knex, allMigrations);
      expect(status.pending).to.deep.equal([]);
    } finally {
      await db.destroy();
    }
  });
});
