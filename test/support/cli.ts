import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { withPgClient } from './chartroom.js';
import type { DialectName } from '../../src/platform/db/connection.js';

/** Runs the real `chartroom` command (bin/chartroom.js) in a child process. */
export function runChartroom(env: NodeJS.ProcessEnv, args: string[], input?: string) {
  const result = spawnSync(process.execPath, ['bin/chartroom.js', ...args], {
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * A data dir (and on PostgreSQL a schema of its own, named in DATABASE_URL) for the commands of one
 * describe block, removed afterwards.
 */
export function useCliEnvironment(dialect: DialectName, prefix = 'cli'): { dataDir: string; schema: string; env: NodeJS.ProcessEnv } {
  const dataDir = mkdtempSync(join(tmpdir(), `chartroom-${prefix}-`));
  const schema = `${prefix.replace(/\W/g, '_')}_${randomBytes(5).toString('hex')}`;
  const url = process.env.TEST_DATABASE_URL;
  const databaseUrl = `${url}${url?.includes('?') ? '&' : '?'}options=-c%20search_path%3D${schema}`;
  const env: NodeJS.ProcessEnv = { CHARTROOM_DATA: dataDir, ...(dialect === 'postgres' ? { DATABASE_URL: databaseUrl } : {}) };
  beforeAll(async () => {
    if (dialect === 'postgres') await withPgClient((c) => c.query(`CREATE SCHEMA ${schema}`));
  });
  afterAll(async () => {
    if (dialect === 'postgres') await withPgClient((c) => c.query(`DROP SCHEMA ${schema} CASCADE`));
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { dataDir, schema, env };
}
