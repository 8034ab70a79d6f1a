import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIALECTS, withPgClient } from './support/chartroom.js';
import { runChartroom, useCliEnvironment } from './support/cli.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: the chartroom command`, () => {
    const { dataDir, schema, env } = useCliEnvironment(dialect);

    it('migrates a new database', () => {
      const run = runChartroom(env, ['migrate']);
      expect(run.stderr).toBe('');
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/up to date/);
    });

    it('creates a user with the password from standard input, and refuses a weak one', () => {
      const ok = runChartroom(env, ['user', 'create', '--username', 'mclerk', '--role', 'records_clerk'], 'a long enough passphrase\n');
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/Created user mclerk \(records_clerk\)/);
      const weak = runChartroom(env, ['user', 'create', '--username', 'weak', '--role', 'records_clerk'], 'short\n');
      expect(weak.code).not.toBe(0);
      expect(weak.stderr).toMatch(/at least 12 characters/);
      const badRole = runChartroom(env, ['user', 'create', '--username', 'x1', '--role', 'janitor'], 'a long enough passphrase\n');
      expect(badRole.code).not.toBe(0);
      expect(badRole.stderr).toMatch(/role/);
    });

    it('unlocks a user and issues a one-time password', () => {
      expect(runChartroom(env, ['user', 'unlock', '--username', 'mclerk']).stdout).toMatch(/Unlocked mclerk/);
      const reset = runChartroom(env, ['user', 'reset-password', '--username', 'mclerk']);
      expect(reset.code).toBe(0);
      expect(reset.stdout).toMatch(/One-time password for mclerk: \S{16}/);
      const unknown = runChartroom(env, ['user', 'unlock', '--username', 'nobody']);
      expect(unknown.code).not.toBe(0);
      expect(unknown.stderr).toMatch(/No user is named "nobody"/);
    });

    it('creates an API client and prints its credentials as JSON', () => {
      const run = runChartroom(env, ['api-client', 'create', '--name', 'Bed board', '--role', 'registrar']);
      expect(run.code, run.stderr).toBe(0);
      const creds = JSON.parse(run.stdout);
      expect(Object.keys(creds).sort()).toEqual(['client_id', 'client_secret']);
      expect(creds.client_secret.length).toBeGreaterThanOrEqual(40);
    });

    it('verifies the audit trail, then names the first event edited underneath it', async () => {
      const intact = runChartroom(env, ['audit', 'verify']);
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
      const broken = runChartroom(env, ['audit', 'verify']);
      expect(broken.code).not.toBe(0);
      expect(broken.stderr).toMatch(/BROKEN at event 2 \(id [0-9a-f-]{36}\)/);
    });

    it('explains itself with --help and refuses unknown commands', () => {
      const help = runChartroom(env, ['user', 'create', '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/--username/);
      const unknown = runChartroom(env, ['frobnicate']);
      expect(unknown.code).not.toBe(0);
      expect(unknown.stderr).toMatch(/unknown command/);
    });
  });
}
