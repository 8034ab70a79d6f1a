import { sql, type Kysely } from 'kysely';
import { isPostgres } from './connection.js';

/**
 * Makes the database itself refuse UPDATE and DELETE (and, on PostgreSQL, TRUNCATE) on a table whose
 * rows are a record that must never change: the audit trail, the disclosure log. `name` prefixes the
 * triggers (and names the PostgreSQL function `refuse_<name>_change`); `message` is the error raised.
 */
export async function makeAppendOnly(db: Kysely<any>, table: string, name: string, message: string): Promise<void> {
  const text = sql.lit(message);
  if (isPostgres(db)) {
    const fn = sql.raw(`refuse_${name}_change`);
    await sql`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION ${text}; END $$`.execute(db);
    await sql`CREATE TRIGGER ${sql.raw(`${table}_append_only`)} BEFORE UPDATE OR DELETE ON ${sql.table(table)}
      FOR EACH ROW EXECUTE FUNCTION ${fn}()`.execute(db);
    await sql`CREATE TRIGGER ${sql.raw(`${table}_no_truncate`)} BEFORE TRUNCATE ON ${sql.table(table)}
      FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`.execute(db);
  } else {
    await sql`CREATE TRIGGER ${sql.raw(`${table}_no_update`)} BEFORE UPDATE ON ${sql.table(table)}
      BEGIN SELECT RAISE(ABORT, ${text}); END`.execute(db);
    await sql`CREATE TRIGGER ${sql.raw(`${table}_no_delete`)} BEFORE DELETE ON ${sql.table(table)}
      BEGIN SELECT RAISE(ABORT, ${text}); END`.execute(db);
  }
}
