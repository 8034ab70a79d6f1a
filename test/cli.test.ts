import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, withPgClient } from './support/chartroom.js';

/** Runs the real `chartroom` command (bin/chartroom.js) in a child process. */
function chartroom(env: NodeJS.ProcessEnv, args: string[], input?: string) {
  const result = spawnSync(process.execPath, ['bin/chartroom.js', ...args], {
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: the chartroom command`, () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'chartroom-cli-'));
    const schema = `cli_${randomBytes(5).toString('hex')}`;
    const databaseUrl = `${process.env.TEST_DATABASE_URL}${process.env.TEST_DATABASE_URL?.includes('?') ? '&' : '?'}options=-c%20search_path%3D${schema}`;
    const env: NodeJS.ProcessEnv = { CHARTROOM_DATA: dataDir, ...(dialect === 'postgres' ? { DATABASE_URL: databaseUrl } : {}) };

    beforeAll(async () => {
      if (dialect === 'postgres') await withPgClient((c) => c.query(`CREATE SCHEMA ${schema}`));
    });
    afterAll(async () => {
      if (dialect === 'postgres') await withPgClient((c) => c.query(`DROP SCHEMA ${schema} CASCADE`));
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('migrates a new database', () => {
      const run = chartroom(env, ['migrate']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/up to date/);
    });

    it('creates a user with the password from standard input, and refuses a weak one', () => {
      const ok = chartroom(env, ['user', 'create', '--username', 'mclerk', '--role', 'records_clerk'], 'a long enough passphrase\n');
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/Created user mclerk \(records_clerk\)/);
      const weak = chartroom(env, ['user', 'create', '--username', 'weak', '--role', 'records_clerk'], 'short\n');
      expect(weak.code).not.toBe(0);
      expect(weak.stderr).toMatch(/at least 12 characters/);
      const badRole = chartroom(env, ['user', 'create', '--username', 'x1', '--role', 'janitor'], 'a long enough passphrase\n');
      expect(badRole.code).not.toBe(0);
      expect(badRole.stderr).toMatch(/role/);
    });

    it('unlocks a user and issues a one-time password', () => {
      expect(chartroom(env, ['user', 'unlock', '--username', 'mclerk']).stdout).toMatch(/Unlocked mclerk/);
      const reset = chartroom(env, ['user', 'reset-password', '--username', 'mclerk']);
      expect(reset.code).toBe(0);
      expect(reset.stdout).toMatch(/One-time password for mclerk: \S{16}/);
      const unknown = chartroom(env, ['user', 'unlock', '--username', 'nobody']);
      expect(unknown.code).not.toBe(0);
      expect(unknown.stderr).toMatch(/No user is named "nobody"/);
    });

    it('creates an API client and prints its credentials as JSON', () => {
      const run = chartroom(env, ['api-client', 'create', '--name', 'Bed board', '--role', 'registrar']);
      expect(run.code).toBe(0);
      const creds = JSON.parse(run.stdout);
      expect(Object.keys(creds).sort()).toEqual(['client_id', 'client_secret']);
      expect(creds.client_secret.length).toBeGreaterThanOrEqual(40);
    });

    it('verifies the audit trail, then names the first event edited underneath it', async () => {
      const intact = chartroom(env, ['audit', 'verify']);
      expect(intact.code).toBe(0);
      expect(intact.stdout).toMatch(/verified: \d+ events/);

      const edit = `UPDATE audit_events SET record_type = 'forged' WHERE seq = 2`;
      if (dialect === 'postgres') {
        await withPgClient(async (c) => {
          await c.query('ALTER TABLE audit_events DISABLE TRIGGER USER');
          await c.query(edit);
          await c.query('ALTER TABLE audit_events ENABLE TRIGGER USER');
        }, schema);
      } else {
        const { default: Database } = await import('better-sqlite3');
        const db = new Database(join(dataDir, 'chartroom.sqlite'));
        db.exec('DROP TRIGGER audit_events_no_update');
        db.exec(edit);
        db.close();
      }
      const broken = chartroom(env, ['audit', 'verify']);
      expect(broken.code).not.toBe(0);
      expect(broken.stderr).toMatch(/BROKEN at event 2 \(id [0-9a-f-]{36}\)/);
    });

    it('explains itself with --help and refuses unknown commands', () => {
      const help = chartroom(env, ['user', 'create', '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/--username/);
      const unknown = chartroom(env, ['frobnicate']);
      expect(unknown.code).not.toBe(0);
      expect(unknown.stderr).toMatch(/unknown command/);
    });
  });
}
