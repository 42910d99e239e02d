import { expect } from 'chai';
import { migrateDownAll, migrateLatest } from '@pass/db';
import { createEmptyTestDatabase, type TestDatabase } from '@pass/db/testing';
import { allMigrations } from '@pass/gateway';

describe('registry migrations', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createEmptyTestDatabase();
  });
  after(async () => {
    await db.destroy();
  });

  it('migrates up, down and up again', async () => {
    await migrateLatest(db.knex, allMigrations);
    await migrateDownAll(db.knex, allMigrations);
    const schemas = await db.knex('information_schema.schemata').where({ schema_name: 'registry' });
    expect(schemas).to.deep.equal([]);
    await migrateLatest(db.knex, allMigrations);
    const view = await db.knex('registry.association_payout_accounts').select();
    expect(view).to.deep.equal([]);
  });

  it('refuses an accredited venue without association or INSEE code, and a catalogue price below one pass', async () => {
    const attempt = async (fn: () => Promise<unknown>) => {
      try {
        await fn();
        return undefined;
      } catch (err) {
        return (err as { constraint?: string; code?: string }).code;
      }
    };
    expect(
      await attempt(() =>
        db.knex('registry.venues').insert({ name: 'X', accreditation_status: 'accredited' }),
      ),
    ).to.equal('23514');
    expect(
      await attempt(() => db.knex('registry.venues').insert({ name: 'X', accreditation_status: 'listed' })),
    ).to.equal(undefined);
    const [venue] = await db.knex('registry.venues').insert({ name: 'Y' }).returning<{ id: string }[]>('id');
    expect(
      await attempt(() =>
        db
          .knex('registry.catalogue_services')
          .insert({ venue_id: venue!.id, name: 'Z', category: 'utilisation-securisee', price_passes: 0 }),
      ),
    ).to.equal('23514');
    expect(
      await attempt(() =>
        db
          .knex('registry.catalogue_services')
          .insert({ venue_id: venue!.id, name: 'Z', category: 'cuisine', price_passes: 1 }),
      ),
    ).to.equal('23514');
  });
});
