/**
 * The real Chartroom server in its own process, so the load generator (autocannon, in bench/run.ts)
 * does not share this event loop. Started by bench/http-read.ts as
 *
 *   node --import tsx bench/serve-for-bench.ts <sqlite|postgres>
 *
 * It prints one JSON line when ready ({ ready, url, clientId, clientSecret, adminId, pid }), then
 * answers one JSON line per command read on stdin: `count` (audit events reading users), `messages`
 * (HL7 interface messages by status, and visits), `verify`
 * (the chain verdict), `stop` (stops, removes its data dir and schema, exits). When stdin closes
 * (the parent died) it stops and cleans up too. Server logs at warn and above go to stderr.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { pino } from 'pino';
import { startServer, type RunningServer } from '../src/server.js';
import { createApiClient } from '../src/access/api-clients.js';
import { SYSTEM_ACTOR } from '../src/audit/actions.js';
import { REDACTED_PATHS } from '../src/platform/log.js';
import { testConfig, withPgClient } from '../test/support/chartroom.js';
import { dropBench, taggedDatabaseUrl, verifyChain } from './support.js';

const dialect = process.argv[2];
if (dialect !== 'sqlite' && dialect !== 'postgres') {
  process.stderr.write('usage: serve-for-bench.ts <sqlite|postgres>\n');
  process.exit(2);
}
if (dialect === 'postgres' && !process.env.TEST_DATABASE_URL) {
  process.stderr.write('TEST_DATABASE_URL is not set\n');
  process.exit(2);
}

const send = (message: unknown) => process.stdout.write(`${JSON.stringify(message)}\n`);

const dataDir = mkdtempSync(join(tmpdir(), 'chartroom-bench-http-'));
let schema: string | undefined;
let server: RunningServer | undefined;
let cleaning: Promise<void> | undefined;

function cleanUp(): Promise<void> {
  return (cleaning ??= (async () => {
    // In-flight requests finish first; bounded, so an interrupted run still removes its schema.
    let stopped = !server;
    try {
      if (server) stopped = await Promise.race([server.stop().then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 10_000).unref())]);
    } finally {
      // Only a server that did not stop still holds connections (and locks) to end before DROP.
      await dropBench(dataDir, schema, { terminate: !stopped }).catch(() => undefined);
    }
  })());
}

async function main(): Promise<void> {
  if (dialect === 'postgres') {
    schema = `bench_${randomBytes(6).toString('hex')}`;
    await withPgClient((c) => c.query(`CREATE SCHEMA ${schema}`));
  }
  const adminPassword = `Adm-${randomBytes(9).toString('base64url')}`;
  const config = testConfig(dataDir, { port: 0, host: '127.0.0.1', adminPassword, logLevel: 'warn' }, dialect as 'sqlite' | 'postgres');
  if (schema) config.databaseUrl = taggedDatabaseUrl(schema);
  // stdout carries the protocol; the server's warnings and errors go to stderr for the parent to count.
  const destination = pino.destination({ fd: 2, sync: false });
  destination.on('error', () => undefined); // the parent is gone: nowhere to log to, keep cleaning up
  const logger = pino({ level: 'warn', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
  server = await startServer(config, { schema, logger });
  const ctx = server.chartroom;
  const { client_id, client_secret } = await createApiClient(ctx, SYSTEM_ACTOR, 'bench', 'admin');
  const admin = await ctx.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow();
  send({ ready: true, url: server.url, hl7Port: server.hl7Port, clientId: client_id, clientSecret: client_secret, adminId: admin.id, pid: process.pid, schema });

  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const command = line.trim();
    try {
      if (command === 'count') {
        const row = await ctx.db
          .selectFrom('auditEvents')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .where('action', '=', 'read')
          .where('recordType', '=', 'user')
          .executeTakeFirstOrThrow();
        send({ count: Number(row.n) });
      } else if (command === 'messages') {
        // The HL7 interface's messages by status, and the visits they made.
        const rows = await ctx.db.selectFrom('interfaceMessages').select(['status', (eb) => eb.fn.countAll<number | string>().as('n')]).groupBy('status').execute();
        const visits = await ctx.db.selectFrom('encounters').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
        send({ messages: Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])), visits: Number(visits.n) });
      } else if (command === 'verify') {
        send({ verdict: await verifyChain(ctx) });
      } else if (command === 'stop') {
        await cleanUp();
        send({ stopped: true });
        break;
      } else if (command) {
        send({ error: `unknown command ${command}` });
      }
    } catch (err) {
      send({ error: String((err as Error)?.stack ?? err) });
    }
  }
  lines.close();
  await cleanUp();
}

// When the parent is gone, writes to its pipes fail (EPIPE): ignore them and still clean up.
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);
process.on('uncaughtException', (err) => {
  try {
    process.stderr.write(`serve-for-bench: ${(err as Error)?.stack ?? err}\n`);
  } catch {
    // nowhere to report it
  }
  cleanUp().finally(() => process.exit(1));
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    cleanUp().finally(() => process.exit(1));
  });
}

main().then(
  () => process.exit(0),
  async (err) => {
    process.stderr.write(`serve-for-bench failed: ${(err as Error)?.stack ?? err}\n`);
    send({ error: String((err as Error)?.message ?? err) });
    await cleanUp().catch(() => undefined);
    process.exit(1);
  },
);
