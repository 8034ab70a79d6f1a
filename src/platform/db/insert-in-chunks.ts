import type { Insertable, Transaction } from 'kysely';
import { isPostgres } from './connection.js';

/** Bound parameters one statement may carry: SQLite's SQLITE_MAX_VARIABLE_NUMBER, PostgreSQL's wire protocol limit. */
const MAX_PARAMETERS = { sqlite: 32_766, postgres: 65_535 } as const;

/** Most rows one multi-row INSERT should carry, given the columns of a row. */
export function rowsPerInsert(trx: Transaction<any>, columns: number): number {
  return Math.max(1, Math.floor(MAX_PARAMETERS[isPostgres(trx) ? 'postgres' : 'sqlite'] / Math.max(1, columns)));
}

/**
 * Inserts many rows with as few multi-row INSERTs as the dialect's parameter limit allows. Every
 * row must have the same columns (as rows built by one function do).
 */
export async function insertInChunks<DB, T extends keyof DB & string>(trx: Transaction<DB>, table: T, rows: Insertable<DB[T]>[]): Promise<void> {
  if (rows.length === 0) return;
  const size = rowsPerInsert(trx, Object.keys(rows[0] as object).length);
  for (let i = 0; i < rows.length; i += size) {
    // Kysely's typing of a generic table name is too wide for values(); the rows are typed above.
    await trx.insertInto(table).values(rows.slice(i, i + size) as never).execute();
  }
}
