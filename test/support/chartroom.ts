import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { openChartroom, type Chartroom } from '../../src/runtime.js';
import { ManualClock } from '../../src/platform/clock.js';
import type { DialectName } from '../../src/platform/db/connection.js';

/**
 * The dialects every data-layer suite runs on: SQLite always, PostgreSQL whenever TEST_DATABASE_URL
 * is set. Use as `for (const dialect of DIALECTS) describe(`${dialect}: ...`, ...)`.
 */
export const DIALECTS: DialectName[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export function testConfig(dataDir: string, overrides: Partial<Config> = {}, dialect: DialectName = 'sqlite'): Config {
  const base = loadConfig({
    CHARTROOM_DATA: dataDir,
    LOG_LEVEL: 'silent',
    // Tests run servers side by side: the HL7 listener takes a free port, like HTTP.
    HL7_PORT: '0',
    CHARTROOM_AUTH_RATE_LIMIT: '100000',
    ...(dialect === 'postgres' ? { DATABASE_URL: process.env.TEST_DATABASE_URL } : {}),
  });
  return { ...base, ...overrides };
}

export interface TestChartroom extends Chartroom {
  clock: ManualClock;
  dataDir: string;
  /** The PostgreSQL schema this suite owns, or undefined on SQLite. */
  schema?: string;
}

/** A fresh Chartroom (own data dir; on PostgreSQL its own schema) with a manual clock. */
export async function openTestChartroom(dialect: DialectName, overrides: Partial<Config> = {}): Promise<TestChartroom> {
  const dataDir = mkdtempSync(join(tmpdir(), 'chartroom-test-'));
  const config = testConfig(dataDir, overrides, dialect);
  const clock = new ManualClock(new Date('2026-11-25T09:00:00.000Z'));
  let schema: string | undefined;
  if (dialect === 'postgres') {
    schema = `test_${randomBytes(6).toString('hex')}`;
    await withPgClient((c) => c.query(`CREATE SCHEMA ${schema}`));
  }
  const chartroom = await openChartroom(config, { clock, schema }).catch(async (err) => {
    if (schema) await withPgClient((c) => c.query(`DROP SCHEMA ${schema} CASCADE`));
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  });
  return {
    ...chartroom,
    clock,
    dataDir,
    schema,
    close: async () => {
      await chartroom.close();
      if (schema) await withPgClient((c) => c.query(`DROP SCHEMA ${schema} CASCADE`));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function withPgClient<T>(fn: (c: pg.Client) => Promise<T>, schema?: string): Promise<T> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Opens a Chartroom for the enclosing describe block and closes it afterwards. */
export function useTestChartroom(dialect: DialectName, overrides: Partial<Config> = {}): () => TestChartroom {
  let current: TestChartroom | undefined;
  beforeAll(async () => {
    current = await openTestChartroom(dialect, overrides);
  });
  afterAll(async () => {
    await current?.close();
  });
  return () => {
    if (!current) throw new Error('The test Chartroom is not open yet.');
    return current;
  };
}
