import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { connectDatabase, type Database as Db } from './connection.js';

interface Ledger {
  entries: { id: number; note: string };
}

describe('SQLite group commit', () => {
  let dir: string;
  let database: Db<Ledger>;
  /** A second, independent connection: what it sees is on disk, not in the writer's open batch. */
  let observer: Database.Database;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'group-commit-'));
    database = connectDatabase<Ledger>({ dataDir: dir });
    await sql`CREATE TABLE entries (id INTEGER PRIMARY KEY, note TEXT NOT NULL)`.execute(database.db);
    observer = new Database(join(dir, 'chartroom.sqlite'), { readonly: true });
  });
  afterEach(async () => {
    observer.close();
    await database.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const onDisk = () => (observer.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n;

  it('makes a transaction durable before its commit resolves', async () => {
    await database.db.transaction().execute((trx) => trx.insertInto('entries').values({ id: 1, note: 'admitted' }).execute());
    expect(onDisk()).toBe(1);
  });

  it('makes a write outside a transaction durable before it resolves', async () => {
    await database.db.insertInto('entries').values({ id: 7, note: 'loose write' }).execute();
    expect(onDisk()).toBe(1);
  });

  it('keeps the other transactions of a batch when one of them fails', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) =>
        database.db.transaction().execute(async (trx) => {
          await trx.insertInto('entries').values({ id: i, note: `entry ${i}` }).execute();
          if (i % 3 === 0) throw new Error(`transaction ${i} fails after writing`);
          await trx.insertInto('entries').values({ id: 1000 + i, note: 'second row' }).execute();
        }),
      ),
    );
    const failed = results.filter((r) => r.status === 'rejected').length;
    expect(failed).toBe(20);
    // 40 transactions committed two rows each; the 20 that failed left nothing behind.
    expect(onDisk()).toBe(80);
    const leftovers = observer.prepare('SELECT count(*) AS n FROM entries WHERE id % 3 = 0 AND id < 1000').get() as { n: number };
    expect(leftovers.n).toBe(0);
  });

  it('groups concurrent transactions into fewer commits than transactions', async () => {
    const before = walFrames();
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => database.db.transaction().execute((trx) => trx.insertInto('entries').values({ id: i, note: 'x' }).execute())),
    );
    expect(onDisk()).toBe(200);
    // One commit per transaction would append at least 200 frames to the WAL; grouped, far fewer.
    expect(walFrames() - before).toBeLessThan(100);
  });

  it('rejects a constraint violation without disturbing the batch', async () => {
    await database.db.insertInto('entries').values({ id: 1, note: 'first' }).execute();
    const [dup, ok] = await Promise.allSettled([
      database.db.transaction().execute((trx) => trx.insertInto('entries').values({ id: 1, note: 'duplicate' }).execute()),
      database.db.transaction().execute((trx) => trx.insertInto('entries').values({ id: 2, note: 'second' }).execute()),
    ]);
    expect(dup.status).toBe('rejected');
    expect(ok.status).toBe('fulfilled');
    expect(observer.prepare('SELECT note FROM entries ORDER BY id').pluck().all()).toEqual(['first', 'second']);
  });

  /** Frames in the write-ahead log: every COMMIT appends at least one page-sized frame. */
  function walFrames(): number {
    const pageSize = observer.pragma('page_size', { simple: true }) as number;
    return Math.floor(statSync(join(dir, 'chartroom.sqlite-wal')).size / (pageSize + 24));
  }
});
