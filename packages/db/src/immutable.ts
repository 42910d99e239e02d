/**
 * SQL that makes a table append-only: a trigger rejects UPDATE and DELETE (and TRUNCATE) with SQLSTATE
 * 55000 so that journal and audit rows can only be corrected by new rows. A superuser can still disable
 * triggers: that is what the hash chain of the ledger is for.
 */
export function appendOnlySql(schema: string, table: string): string {
  const fn = `${schema}.${table}_append_only`;
  return `
    create or replace function ${fn}() returns trigger language plpgsql as $$
    begin
      raise exception '%.% is append-only: % refused', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
        using errcode = '55000';
    end $$;
    create trigger ${table}_no_update before update or delete on ${schema}.${table}
      for each row execute function ${fn}();
    create trigger ${table}_no_truncate before truncate on ${schema}.${table}
      for each statement execute function ${fn}();
  `;
}

/** The reverse of appendOnlySql, for down migrations. */
export function dropAppendOnlySql(schema: string, table: string): string {
  return `
    drop trigger if exists ${table}_no_update on ${schema}.${table};
    drop trigger if exists ${table}_no_truncate on ${schema}.${table};
    drop function if exists ${schema}.${table}_append_only();
  `;
}
