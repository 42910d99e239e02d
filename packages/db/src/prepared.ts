import type { Knex } from 'knex';
import type { Db } from './database';

/** What knex's pg client exposes to lend one pooled connection (internal API, stable across knex 2 and 3). */
interface PooledClient {
  config: { client?: unknown };
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<unknown>;
}
interface PgConnection {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * One statement run as a named prepared statement on PostgreSQL: parsed and planned once per connection
 * instead of on every call. For a hot path (a redemption is two statements, a posting one). `sql` is written
 * with knex's `?` placeholders (no `??` identifiers, no literal `?`). Outside a transaction it is sent on a
 * pooled connection without knex's query building; inside one, through `knex.raw` on the transaction's
 * connection, still named; on embedded PGlite through `knex.raw` (PGlite has no named statements). The rows
 * are the same in every case.
 */
export function preparedStatement<Row>(
  name: string,
  sql: string,
): (db: Db, bindings: unknown[]) => Promise<Row[]> {
  if (sql.includes('??'))
    throw new Error(`prepared statement ${name}: identifier bindings are not supported`);
  let position = 0;
  const text = sql.replace(/\?/g, () => `$${++position}`);
  return async (db, bindings) => {
    if (bindings.length !== position) {
      throw new Error(`prepared statement ${name} takes ${position} bindings, got ${bindings.length}`);
    }
    const client = (db as Knex).client as unknown as PooledClient;
    const isTransaction = (db as Knex.Transaction).isTransaction === true;
    const onPostgres = client.config.client === 'pg';
    if (isTransaction || !onPostgres) {
      const query = db.raw(sql, bindings as Knex.RawBinding[]);
      const result = await (onPostgres ? query.options({ name }) : query);
      return (Array.isArray(result) ? result : (result as { rows: Row[] }).rows) as Row[];
    }
    const connection = await client.acquireConnection();
    try {
      return (await connection.query({ name, text, values: bindings })).rows as Row[];
    } finally {
      await client.releaseConnection(connection);
    }
  };
}
