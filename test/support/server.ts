import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startServer, type RunningServer } from '../../src/server.js';
import type { Config } from '../../src/config.js';
import { testConfig } from './chartroom.js';

export interface TestServer {
  url: string;
  dataDir: string;
  adminPassword: string;
  running: RunningServer;
  stop(): Promise<void>;
}

/**
 * The real server on 127.0.0.1 and a free port, with a fresh SQLite data dir, serving the built web
 * app. `admin` exists with `adminPassword` (to be changed at first log-in; MFA enrolment required).
 */
export async function startTestServer(options: { idleTimeoutMinutes?: number; lockoutThreshold?: number; authRateLimitPerMinute?: number; config?: Partial<Config> } = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'chartroom-server-'));
  const adminPassword = `Adm-${randomBytes(9).toString('base64url')}`;
  const config = testConfig(dataDir, {
    host: '127.0.0.1',
    port: 0,
    adminPassword,
    ...(options.idleTimeoutMinutes !== undefined ? { idleTimeoutSeconds: Math.round(options.idleTimeoutMinutes * 60) } : {}),
    ...(options.lockoutThreshold !== undefined ? { lockoutThreshold: options.lockoutThreshold } : {}),
    ...(options.authRateLimitPerMinute !== undefined ? { authRateLimitPerMinute: options.authRateLimitPerMinute } : {}),
    ...options.config,
  });
  const running = await startServer(config);
  return {
    url: running.url,
    dataDir,
    adminPassword,
    running,
    stop: async () => {
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
