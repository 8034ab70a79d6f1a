import { statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteDialect,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type SqliteDialectConfig,
} from 'kysely';

/**
 * SQLite with group commit. A durable COMMIT waits for the disk (a millisecond or more), and
 * better-sqlite3 runs it on the event loop, which would stall every request meanwhile. Instead,
 * transactions run one at a time as SAVEPOINTs inside one open write transaction (a "batch"), and
 * the batch COMMITs as soon as no transaction is running; the COMMIT only writes the WAL
 * (synchronous=NORMAL), and the WAL is then flushed to disk with fdatasync on libuv's thread pool
 * while the next batch already runs. A transaction's commit resolves only after that flush, so an
 * acknowledged write is never lost (what synchronous=FULL gives, without blocking); a transaction
 * that fails rolls back to its savepoint, leaving the others in the batch untouched. If the batch
 * COMMIT or its flush fails, every transaction in it is told so.
 *
 * Reads outside a transaction may see writes of the open batch a moment before they are durable.
 */
export class GroupCommitSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new GroupCommitDriver(this.#config);
  }
}

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

/** Flush a batch at once when it is this old, even if transactions keep arriving. */
const MAX_BATCH_AGE_MS = 10;
const STATEMENT_CACHE_SIZE = 500;

class GroupCommitDriver implements Driver {
  readonly #config: SqliteDialectConfig;
  #db!: BetterSqlite3.Database;
  readonly #lock = new Mutex();
  readonly #statements = new Map<string, BetterSqlite3.Statement>();
  #batchOpenedAt: number | null = null;
  #savepointOpen = false;
  #waiters: Waiter[] = [];
  #flushScheduled = false;
  #wal: Promise<FileHandle> | undefined;
  #lastSync: Promise<void> = Promise.resolve();

  constructor(config: SqliteDialectConfig) {
    this.#config = config;
  }

  async init(): Promise<void> {
    const database = this.#config.database;
    this.#db = (typeof database === 'function' ? await database() : database) as unknown as BetterSqlite3.Database;
    // Durability comes from flushing the WAL after each batch's COMMIT (see #flush), off the event loop.
    this.#db.pragma('synchronous = NORMAL');
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#lock.lock();
    return new GroupConnection(this);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.#batchOpenedAt !== null && this.#waiters.length > 0 && Date.now() - this.#batchOpenedAt >= MAX_BATCH_AGE_MS) {
      this.#flush();
    }
    this.#openBatch();
    this.#run('SAVEPOINT chartroom_tx');
    this.#savepointOpen = true;
    (connection as GroupConnection).inTransaction = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const conn = connection as GroupConnection;
    this.#run('RELEASE chartroom_tx');
    this.#savepointOpen = false;
    conn.inTransaction = false;
    const durable = this.#whenDurable();
    // Let the next transaction in while this one waits for the disk with the rest of its batch.
    this.#release(conn);
    await durable;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    this.#run('ROLLBACK TO chartroom_tx');
    this.#run('RELEASE chartroom_tx');
    this.#savepointOpen = false;
    (connection as GroupConnection).inTransaction = false;
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.#release(connection as GroupConnection);
  }

  async destroy(): Promise<void> {
    await this.#lock.lock();
    if (this.#batchOpenedAt !== null) this.#flush();
    await this.#lastSync;
    await (await this.#wal?.catch(() => undefined))?.close().catch(() => undefined);
    this.#db.close();
  }

  /** Runs one statement for a connection. A write outside a transaction joins the batch and waits for it. */
  async execute(conn: GroupConnection, compiled: CompiledQuery): Promise<QueryResult<unknown>> {
    const stmt = this.#statement(compiled.sql);
    const parameters = compiled.parameters as unknown[];
    const autonomousWrite = !conn.inTransaction && !stmt.readonly;
    if (autonomousWrite) this.#openBatch();
    let result: QueryResult<unknown>;
    if (stmt.reader) {
      result = { rows: stmt.all(parameters) };
    } else {
      const { changes, lastInsertRowid } = stmt.run(parameters);
      result = {
        numAffectedRows: changes != null ? BigInt(changes) : undefined,
        insertId: lastInsertRowid != null ? BigInt(lastInsertRowid) : undefined,
        rows: [],
      };
    }
    if (autonomousWrite) {
      const durable = this.#whenDurable();
      this.#scheduleFlush();
      await durable;
    }
    return result;
  }

  async *stream(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<unknown>> {
    const stmt = this.#statement(compiled.sql);
    for (const row of stmt.iterate(compiled.parameters as unknown[])) yield { rows: [row] };
  }

  #statement(sql: string): BetterSqlite3.Statement {
    let stmt = this.#statements.get(sql);
    if (!stmt) {
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) this.#statements.clear();
      stmt = this.#db.prepare(sql);
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }

  #run(sql: string): void {
    this.#statement(sql).run();
  }

  #openBatch(): void {
    if (this.#batchOpenedAt !== null) return;
    this.#run('BEGIN IMMEDIATE');
    this.#batchOpenedAt = Date.now();
  }

  #whenDurable(): Promise<void> {
    return new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  #release(conn: GroupConnection): void {
    if (conn.released) return;
    conn.released = true;
    this.#lock.unlock();
    this.#scheduleFlush();
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled || this.#batchOpenedAt === null) return;
    this.#flushScheduled = true;
    // After the current burst of work: every transaction that ran meanwhile shares this COMMIT.
    setImmediate(() => {
      this.#flushScheduled = false;
      if (this.#savepointOpen) return; // that transaction's commit or rollback schedules the flush again
      if (this.#batchOpenedAt !== null) this.#flush();
    });
  }

  #flush(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    this.#batchOpenedAt = null;
    try {
      this.#run('COMMIT');
    } catch (err) {
      try {
        this.#db.exec('ROLLBACK');
      } catch {
        // the failed COMMIT may already have rolled back
      }
      for (const w of waiters) w.reject(err);
      return;
    }
    // The batch is in the WAL; it is durable once the WAL is on disk.
    const synced = this.#syncWal();
    this.#lastSync = synced.catch(() => undefined);
    synced.then(
      () => {
        for (const w of waiters) w.resolve();
      },
      (err: unknown) => {
        for (const w of waiters) w.reject(err);
      },
    );
  }

  /**
   * fdatasync of the WAL file, started after the COMMIT returned: it covers that COMMIT's frames
   * (and the WAL header when the WAL restarted). The WAL is opened once and again if SQLite ever
   * replaces the file.
   */
  async #syncWal(): Promise<void> {
    const path = `${this.#db.name}-wal`;
    let wal = await this.#wal;
    if (wal && statSync(path, { throwIfNoEntry: false })?.ino !== (await wal.stat()).ino) {
      if (this.#wal && (await this.#wal) === wal) this.#wal = undefined;
      await wal.close().catch(() => undefined);
      wal = undefined;
    }
    if (!wal) {
      const opening = (this.#wal ??= open(path, 'r'));
      // A failed open is tried again at the next flush rather than remembered.
      wal = await opening.catch((err: unknown) => {
        if (this.#wal === opening) this.#wal = undefined;
        throw err;
      });
    }
    await wal.datasync();
  }
}

class GroupConnection implements DatabaseConnection {
  inTransaction = false;
  released = false;
  constructor(private readonly driver: GroupCommitDriver) {}
  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    return this.driver.execute(this, compiled) as Promise<QueryResult<R>>;
  }
  streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    return this.driver.stream(compiled) as AsyncIterableIterator<QueryResult<R>>;
  }
}

class Mutex {
  #held = false;
  #queue: (() => void)[] = [];
  lock(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#queue.push(resolve));
  }
  unlock(): void {
    const next = this.#queue.shift();
    if (next) next();
    else this.#held = false;
  }
}
