import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { GroupCommitSqliteDialect } from './sqlite-group-commit.js';
import {
  CamelCasePlugin,
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  type Kysely as KyselyType,
  type Transaction,
} from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

export interface Database<DB> {
  db: Kysely<DB>;
  dialect: DialectName;
  /** The SQLite file, when the dialect is SQLite. */
  sqlitePath?: string;
  destroy(): Promise<void>;
}

export interface ConnectOptions {
  dataDir: string;
  databaseUrl?: string;
  /** PostgreSQL schema to work in (tests isolate each file in its own). */
  schema?: string;
  /** SQLite file name inside dataDir. */
  sqliteFile?: string;
}

// PostgreSQL bigint (int8) arrives as text by default; our sequences fit in a JS number.
pg.types.setTypeParser(20, (v: string) => Number(v));

/**
 * Opens the database: SQLite at $CHARTROOM_DATA/chartroom.sqlite by default (WAL, durable commits,
 * foreign keys, busy timeout), PostgreSQL when a URL is given.
 */
export function connectDatabase<DB>(options: ConnectOptions): Database<DB> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: 10,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] });
    return { db, dialect: 'postgres', destroy: () => db.destroy() };
  }
  mkdirSync(options.dataDir, { recursive: true });
  const file = join(options.dataDir, options.sqliteFile ?? 'chartroom.sqlite');
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // Durable commits: synchronous=FULL until the group-commit driver takes over (it flushes the WAL itself, off the event loop).
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  // Sorts and temporary indexes stay in memory rather than in files under /var/tmp.
  sqlite.pragma('temp_store = MEMORY');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<DB>({ dialect: new GroupCommitSqliteDialect({ database: sqlite }), plugins: [new CamelCasePlugin()] });
  return { db, dialect: 'sqlite', sqlitePath: file, destroy: () => db.destroy() };
}

/** True when a query runs on PostgreSQL: used where the dialects differ (row locks). */
export function isPostgres(executor: KyselyType<any> | Transaction<any>): boolean {
  return executor.getExecutor().adapter instanceof PostgresAdapter;
}

/** Asserts that a write is inside a transaction, so its audit event commits or rolls back with it. */
export function assertTransaction(executor: KyselyType<any> | Transaction<any>): asserts executor is Transaction<any> {
  if (!executor.isTransaction) throw new Error('This write must run inside a transaction.');
}
