/**
 * The patient-index benchmarks' server: the real Chartroom server in its own process, its index
 * filled with synthetic patients, so the load generator (autocannon, in the bench process) does not
 * share its event loop. Run as
 *
 *   node --import tsx bench/serve-patients-for-bench.ts <sqlite|postgres> <patients>
 *
 * it starts the server, creates an API client with role records_clerk, fills the index
 * (bench/synthetic-index.ts; a `{progress}` line every 10%), and prints one JSON line when ready:
 * { ready, url, clientId, clientSecret, pid, fill: {patients, seconds}, sample, storage }. Then it
 * answers one JSON line per command read on stdin: `seq` (the audit chain head), `patients` (count),
 * `profile-start`, `profile-stop FILE` (a CPU profile of the server, written as FILE), `stop` (stops,
 * removes its data dir and schema, exits). When stdin closes (the bench process is gone) it stops
 * and cleans up too. Server logs at warn and above go to stderr.
 *
 * Imported (not run), it is the bench process's side: PatientServer, and one filled index per
 * dialect kept between patient-search and patient-create, so a run fills each index once.
 * With BENCH_PROFILE_DIR=<dir>, each measured run also writes a CPU profile of the server there.
 */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SampledPatient } from './synthetic-index.js';
import { formatNumber, type Row } from './report.js';
import { ChildServer } from './child-server.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = fileURLToPath(import.meta.url);

// ---------------------------------------------------------------------------------------------
// The bench process's side.
// ---------------------------------------------------------------------------------------------

export interface PatientServerReady {
  ready: true;
  url: string;
  clientId: string;
  clientSecret: string;
  pid: number;
  fill: { patients: number; seconds: number };
  sample: SampledPatient[];
  /** Database size after the fill. */
  storage: string;
}

/** The server child of this file, filling its index first (progress lines are passed to onProgress). */
export class PatientServer extends ChildServer {
  readonly dialect: 'sqlite' | 'postgres';
  readonly patients: number;
  ready?: PatientServerReady;

  constructor(dialect: 'sqlite' | 'postgres', patients: number, onProgress?: (done: number, seconds: number) => void) {
    super(root, ENTRY, [dialect, String(patients)], (message) => {
      if (typeof message.progress !== 'number') return false;
      onProgress?.(message.progress, Number(message.seconds));
      return true;
    });
    this.dialect = dialect;
    this.patients = patients;
  }

  /** Waits for the fill; `ms` bounds it. */
  async waitReady(ms: number): Promise<PatientServerReady> {
    this.ready = (await this.next(ms, 'ready (the fill)')) as unknown as PatientServerReady;
    return this.ready;
  }

  /** The audit chain head once the server is idle: requests autocannon gave up on may still be committing. Bounded: 10 s. */
  async settledSeq(): Promise<number> {
    let last = Number((await this.command('seq')).seq);
    for (let i = 0; i < 50; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const now = Number((await this.command('seq')).seq);
      if (now === last) return now;
      last = now;
    }
    return last;
  }

  override stop(): Promise<void> {
    return super.stop(60_000);
  }
}

/** One filled index per dialect for the run: patient-search fills it and parks it, patient-create reuses it. */
const filled = new Map<string, PatientServer>();
let exitHookSet = false;

/**
 * A server whose index holds `patients` synthetic patients: the one parked by an earlier benchmark
 * of this run if it has that size, otherwise a new one (the fill is logged every 10%).
 */
export async function filledIndexServer(dialect: 'sqlite' | 'postgres', patients: number, log: (line: string) => void): Promise<{ server: PatientServer; reused: boolean }> {
  const parked = filled.get(dialect);
  if (parked) {
    filled.delete(dialect);
    if (parked.alive && parked.patients === patients && parked.ready) {
      parked.unpark();
      return { server: parked, reused: true };
    }
    await parked.stop();
  }
  let lastTenth = 0;
  const server = new PatientServer(dialect, patients, (done, seconds) => {
    const tenth = Math.floor((10 * done) / patients);
    if (tenth > lastTenth && done < patients) {
      lastTenth = tenth;
      log(`  filled ${formatNumber(done)} of ${formatNumber(patients)} in ${seconds.toFixed(0)} s (${formatNumber(done / seconds)} patients/s)`);
    }
  });
  try {
    // A slow machine fills at a few thousand a second: allow for it, but not for ever.
    await server.waitReady(Math.max(120_000, patients * 3));
  } catch (err) {
    await server.stop();
    throw err;
  }
  return { server, reused: false };
}

/** Keeps the server for a later benchmark of this run (stopped when the bench process ends). */
export function parkIndexServer(server: PatientServer): void {
  if (!server.alive) return;
  filled.set(server.dialect, server);
  server.park();
  if (!exitHookSet) {
    exitHookSet = true;
    // The run is over and nothing else keeps the process alive: ask the parked servers to clean up
    // (each removes its data dir and schema; not waited for, they finish on their own).
    process.once('beforeExit', () => {
      for (const s of filled.values()) s.detach();
      filled.clear();
    });
  }
}

/** The fill of a new index as an information row (a reused index was reported by the benchmark that filled it). */
export function fillRow(dialect: string, ready: PatientServerReady): Row {
  return {
    name: 'patient index fill',
    dialect,
    figure: ready.fill.patients / ready.fill.seconds,
    unit: 'patients/s',
    note: `${formatNumber(ready.fill.patients)} patients in ${ready.fill.seconds.toFixed(0)} s, insertPatients + audit events, 1,000/tx; ${ready.storage}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Load: autocannon with a query per request, latencies measured per response (not rounded to ms).
// ---------------------------------------------------------------------------------------------

// autocannon ships no types (and @types/autocannon is not a dependency): the part used here.
interface AutocannonClient { on(event: 'response', listener: (status: number, bytes: number, ms: number) => void): void }
interface AutocannonRequest { method?: string; path?: string; body?: string; headers?: Record<string, string> }
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  timeout?: number;
  headers: Record<string, string>;
  method?: string;
  requests?: { setupRequest(request: AutocannonRequest): AutocannonRequest }[];
  setupClient?(client: AutocannonClient): void;
}
interface AutocannonResult { duration: number; errors: number; timeouts: number; non2xx: number; '2xx': number; statusCodeStats: Record<string, { count: number }> }
const autocannon = createRequire(import.meta.url)('autocannon') as (options: AutocannonOptions) => Promise<AutocannonResult>;

export interface LoadRun {
  connections: number;
  seconds: number;
  ok: number;
  /** Completed responses by status code. */
  byStatus: Record<string, number>;
  errors: number;
  timeouts: number;
  /** Of every completed response (2xx or not), in milliseconds. */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export const percentile = (sorted: Float64Array, p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

/**
 * Sends `next()`'s requests from `connections` keep-alive connections for `seconds`: each request is
 * built when it is sent, so every one may differ (caches do not flatter the figures).
 */
export async function runLoad(options: {
  url: string;
  token: string;
  connections: number;
  seconds: number;
  next: () => AutocannonRequest;
}): Promise<LoadRun> {
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  const byStatus: Record<string, number> = {};
  const started = performance.now();
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    timeout: 10,
    headers: { authorization: `Bearer ${options.token}`, 'user-agent': 'chartroom-bench (autocannon)', accept: 'application/json' },
    requests: [{
      setupRequest: (request) => {
        const next = options.next();
        // The request's own headers (content-type) go with the run's (authorization), not instead of them.
        return { ...request, ...next, headers: { ...request.headers, ...next.headers } };
      },
    }],
    setupClient: (client) =>
      client.on('response', (status, _bytes, ms) => {
        if (count === latencies.length) {
          const grown = new Float64Array(latencies.length * 2);
          grown.set(latencies);
          latencies = grown;
        }
        latencies[count++] = ms;
        byStatus[status] = (byStatus[status] ?? 0) + 1;
      }),
  });
  const sorted = latencies.subarray(0, count).sort();
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    connections: options.connections,
    seconds: result.duration || (performance.now() - started) / 1000,
    ok: result['2xx'],
    byStatus,
    errors: result.errors,
    timeouts: result.timeouts,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    mean: count ? sum / count : NaN,
  };
}

export const statusSummary = (run: LoadRun) => Object.entries(run.byStatus).map(([code, n]) => `${code}: ${formatNumber(n)}`).join(', ') || 'none';
export const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(2));

export async function fetchToken(url: string, clientId: string, clientSecret: string): Promise<string> {
  const response = await fetch(`${url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await response.json()) as { access_token?: string; error?: string };
  if (response.status !== 200 || !body.access_token) throw new Error(`POST /oauth2/token answered ${response.status}: ${JSON.stringify(body)}`);
  return body.access_token;
}

/** When the server needs profiling (BENCH_PROFILE_DIR set): a CPU profile of it around `work`, named `name`. */
export async function profiled<T>(server: PatientServer, name: string, log: (line: string) => void, work: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_PROFILE_DIR;
  if (!dir) return work();
  await server.command('profile-start');
  try {
    return await work();
  } finally {
    const file = join(dir, `${name.replace(/[^A-Za-z0-9.-]+/g, '_')}.cpuprofile`);
    await server.command(`profile-stop ${file}`);
    log(`  CPU profile of the server: ${file}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The server process.
// ---------------------------------------------------------------------------------------------

async function serve(): Promise<void> {
  const { pino } = await import('pino');
  const { sql } = await import('kysely');
  const { startServer } = await import('../src/server.js');
  const { createApiClient } = await import('../src/access/api-clients.js');
  const { SYSTEM_ACTOR } = await import('../src/audit/actions.js');
  const { REDACTED_PATHS } = await import('../src/platform/log.js');
  const { testConfig, withPgClient } = await import('../test/support/chartroom.js');
  const { dropBench, taggedDatabaseUrl } = await import('./support.js');
  const { fillSyntheticIndex } = await import('./synthetic-index.js');
  type RunningServer = Awaited<ReturnType<typeof startServer>>;

  const dialect = process.argv[2];
  const patients = Number(process.argv[3]);
  if ((dialect !== 'sqlite' && dialect !== 'postgres') || !Number.isInteger(patients) || patients < 1) {
    process.stderr.write('usage: serve-patients-for-bench.ts <sqlite|postgres> <patients>\n');
    process.exit(2);
  }
  if (dialect === 'postgres' && !process.env.TEST_DATABASE_URL) {
    process.stderr.write('TEST_DATABASE_URL is not set\n');
    process.exit(2);
  }
  const send = (message: unknown) => process.stdout.write(`${JSON.stringify(message)}\n`);
  const dataDir = mkdtempSync(join(tmpdir(), 'chartroom-bench-patients-'));
  let schema: string | undefined;
  let server: RunningServer | undefined;
  let cleaning: Promise<void> | undefined;
  let profiler: Session | undefined;

  const cleanUp = () =>
    (cleaning ??= (async () => {
      let stopped = !server;
      try {
        if (server) stopped = await Promise.race([server.stop().then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 10_000).unref())]);
      } finally {
        await dropBench(dataDir, schema, { terminate: !stopped }).catch(() => undefined);
      }
    })());

  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  process.on('uncaughtException', (err) => {
    process.stderr.write(`serve-patients-for-bench: ${err?.stack ?? err}\n`);
    cleanUp().finally(() => process.exit(1));
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(1)));

  try {
    if (dialect === 'postgres') {
      schema = `bench_${randomBytes(6).toString('hex')}`;
      await withPgClient((c) => c.query(`CREATE SCHEMA ${schema}`));
    }
    const config = testConfig(dataDir, { port: 0, host: '127.0.0.1', adminPassword: `Adm-${randomBytes(9).toString('base64url')}`, logLevel: 'warn' }, dialect);
    if (schema) config.databaseUrl = taggedDatabaseUrl(schema);
    const destination = pino.destination({ fd: 2, sync: false });
    destination.on('error', () => undefined);
    const logger = pino({ level: 'warn', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
    server = await startServer(config, { schema, logger });
    const ctx = server.chartroom;
    const { client_id, client_secret } = await createApiClient(ctx, SYSTEM_ACTOR, 'bench patient index', 'records_clerk');

    let lastTenth = 0;
    const fill = await fillSyntheticIndex(ctx, patients, {
      onProgress: (done, seconds) => {
        const tenth = Math.floor((10 * done) / patients);
        if (tenth > lastTenth) {
          lastTenth = tenth;
          send({ progress: done, seconds });
        }
      },
    });
    // The steady state of a server some time after a bulk load, not the minutes right after it: on
    // PostgreSQL autovacuum would vacuum and analyze the new rows (done here, this schema's tables
    // only, so it does not run during the measurements); on SQLite the WAL is checkpointed. No
    // ANALYZE on SQLite: Chartroom never runs one, so the planner works without statistics.
    if (ctx.dialect === 'postgres') {
      const tables = await sql<{ name: string }>`SELECT tablename AS name FROM pg_tables WHERE schemaname = ${schema!}`.execute(ctx.db);
      await sql.raw(`VACUUM (ANALYZE) ${tables.rows.map((t) => `"${schema}"."${t.name}"`).join(', ')}`).execute(ctx.db);
    } else {
      // From a connection of its own: Chartroom's runs every write statement inside its group-commit batch.
      const { default: SQLite } = await import('better-sqlite3');
      const own = new SQLite(ctx.sqlitePath!);
      try {
        own.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        own.close();
      }
    }
    let storage: string;
    if (ctx.dialect === 'postgres') {
      const size = await sql<{ bytes: string }>`SELECT sum(pg_total_relation_size(c.oid))::text AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ${schema!} AND c.relkind = 'r'`.execute(ctx.db);
      storage = `${formatNumber(Number(size.rows[0]?.bytes ?? 0) / 2 ** 20)} MiB in schema ${schema}`;
    } else {
      const bytes = [ctx.sqlitePath!, `${ctx.sqlitePath}-wal`].reduce((sum, f) => sum + (statSafe(f) ?? 0), 0);
      storage = `${formatNumber(bytes / 2 ** 20)} MiB SQLite file (with WAL)`;
    }
    send({ ready: true, url: server.url, clientId: client_id, clientSecret: client_secret, pid: process.pid, fill: { patients: fill.patients, seconds: fill.seconds }, sample: fill.sample, storage });

    const lines = createInterface({ input: process.stdin });
    for await (const line of lines) {
      const [command, argument] = line.trim().split(/\s+/, 2);
      try {
        if (command === 'seq') {
          const head = await ctx.db.selectFrom('auditChainHead').select('seq').where('id', '=', 1).executeTakeFirstOrThrow();
          send({ seq: Number(head.seq) });
        } else if (command === 'patients') {
          const row = await ctx.db.selectFrom('patients').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
          send({ patients: Number(row.n) });
        } else if (command === 'profile-start') {
          profiler = new Session();
          profiler.connect();
          await profiler.post('Profiler.enable');
          await profiler.post('Profiler.start');
          send({ profiling: true });
        } else if (command === 'profile-stop') {
          if (!profiler) throw new Error('no profile was started');
          const { profile } = await profiler.post('Profiler.stop');
          profiler.disconnect();
          profiler = undefined;
          writeFileSync(argument, JSON.stringify(profile));
          send({ profile: argument });
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
    process.exit(0);
  } catch (err) {
    process.stderr.write(`serve-patients-for-bench failed: ${(err as Error)?.stack ?? err}\n`);
    send({ error: String((err as Error)?.message ?? err) });
    await cleanUp().catch(() => undefined);
    process.exit(1);
  }
}

function statSafe(file: string): number | undefined {
  try {
    return statSync(file).size;
  } catch {
    return undefined;
  }
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) void serve();
