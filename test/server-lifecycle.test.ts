import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/server.js';
import { testConfig } from './support/chartroom.js';

const dirs: string[] = [];
const freshDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'chartroom-start-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const login = (url: string, username: string, password: string) =>
  fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });

describe('starting and stopping the server', () => {
  it('creates admin with a one-time password at first start only, and the key file with mode 0600', async () => {
    const dataDir = freshDataDir();
    const first = await startServer(testConfig(dataDir, { port: 0 }));
    expect(first.adminPassword).toMatch(/^[A-Za-z0-9]{20}$/);
    const signIn = await login(first.url, 'admin', first.adminPassword!);
    expect(signIn.status).toBe(200);
    expect((await signIn.json()).stage).toBe('password_change');
    await first.stop();

    expect(statSync(join(dataDir, 'master.key')).mode & 0o777).toBe(0o600);
    const second = await startServer(testConfig(dataDir, { port: 0 }));
    expect(second.adminPassword).toBeUndefined();
    expect((await fetch(`${second.url}/healthz`).then((r) => r.json()))).toEqual({ status: 'ok' });
    await second.stop();
  });

  it('takes the first admin password from CHARTROOM_ADMIN_PASSWORD', async () => {
    const server = await startServer(testConfig(freshDataDir(), { port: 0, adminPassword: 'given at install time' }));
    expect((await login(server.url, 'admin', 'given at install time')).status).toBe(200);
    await server.stop();
  });

  it('lets an in-flight request finish before it stops, then closes the database cleanly', async () => {
    const dataDir = freshDataDir();
    // Watch the server's log for the moment the request has arrived.
    let arrived: () => void;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    const logger = pino({ level: 'info' }, new Writable({
      write(chunk, _encoding, done) {
        if (String(chunk).includes('incoming request') && String(chunk).includes('/api/auth/login')) arrived();
        done();
      },
    }));
    const server = await startServer(testConfig(dataDir, { port: 0, adminPassword: 'given at install time' }), { logger });
    // Signing in hashes a password (tens of milliseconds): stop while it runs.
    const inFlight = login(server.url, 'admin', 'given at install time');
    await requestArrived;
    const stopped = server.stop();
    const response = await inFlight;
    expect(response.status).toBe(200);
    await stopped;
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();

    const db = new Database(join(dataDir, 'chartroom.sqlite'));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const logins = db.prepare(`SELECT count(*) FROM audit_events WHERE action = 'login'`).pluck().get();
    db.close();
    expect(logins).toBe(1);
    expect(existsSync(join(dataDir, 'chartroom.sqlite-wal')) ? statSync(join(dataDir, 'chartroom.sqlite-wal')).size : 0).toBe(0);
  });

  it('rate-limits sign-in attempts from one address with a problem+json 429', async () => {
    const server = await startServer(testConfig(freshDataDir(), { port: 0, authRateLimitPerMinute: 3 }));
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await login(server.url, 'admin', 'wrong password here')).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const limited = await login(server.url, 'admin', 'wrong password here');
    expect(limited.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect((await limited.json()).code).toBe('rate-limited');
    await server.stop();
  });

  it('refuses to start on a bad setting, naming it', async () => {
    const { loadConfig } = await import('../src/config.js');
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrow(/PORT[\s\S]*DATABASE_URL: must be a postgres:\/\/ URL/);
  });
});
