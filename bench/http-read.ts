import { createRequire } from 'node:module';
import { ChildServer } from './child-server.js';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChainVerdict } from '../src/audit/verify.js';
import { formatNumber, printRow, type BenchOptions, type BenchResult, type Benchmark, type Row } from './report.js';

export const HTTP_READ_TARGET = 2_000;

// autocannon ships no types (and @types/autocannon is not a dependency): the part used here.
interface Histogram { average: number; p50: number; p90: number; p99: number; max: number }
interface AutocannonResult {
  requests: Histogram & { total: number; sent: number };
  latency: Histogram;
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  resets: number;
  '2xx': number;
  statusCodeStats: Record<string, { count: number }>;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  headers: Record<string, string>;
  timeout?: number;
}
type Autocannon = (options: AutocannonOptions) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface Ready { ready: true; url: string; hl7Port: number; clientId: string; clientSecret: string; adminId: string; pid: number }

/** The server of bench/serve-for-bench.ts in its own process. */
export class ServerProcess extends ChildServer {
  constructor(dialect: string) {
    super(root, join(root, 'bench', 'serve-for-bench.ts'), [dialect]);
  }

  ready(): Promise<Ready> {
    return this.next(60_000, 'ready') as Promise<unknown> as Promise<Ready>;
  }
}

async function fetchToken(url: string, clientId: string, clientSecret: string): Promise<string> {
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

/**
 * The read-event count once the server is idle: requests autocannon gave up on at the end of its
 * run may still be committing. Bounded: at most 10 s.
 */
async function settledCount(server: ServerProcess): Promise<number> {
  let last = Number((await server.command('count')).count);
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 200));
    const now = Number((await server.command('count')).count);
    if (now === last) return now;
    last = now;
  }
  return last;
}

const statusSummary = (r: AutocannonResult) =>
  Object.entries(r.statusCodeStats ?? {}).map(([code, s]) => `${code}: ${s.count}`).join(', ') || 'none';

async function run({ dialect, quick, log }: BenchOptions): Promise<BenchResult> {
  const seconds = quick ? 5 : 10;
  const rows: Row[] = [];
  const problems: string[] = [];
  const server = new ServerProcess(dialect);
  try {
    const ready = await server.ready();
    log(`server in a child process (pid ${ready.pid}) at ${ready.url}; autocannon runs in this process - the two share the machine's cores`);
    const token = await fetchToken(ready.url, ready.clientId, ready.clientSecret);
    const target = `${ready.url}/api/users/${ready.adminId}`;
    const headers = { authorization: `Bearer ${token}`, 'user-agent': 'chartroom-bench (autocannon)', accept: 'application/json' };

    // Sanity: one request answers the admin.
    const probe = await fetch(target, { headers, signal: AbortSignal.timeout(15_000) });
    if (probe.status !== 200) throw new Error(`GET /api/users/:id answered ${probe.status}: ${await probe.text()}`);
    await probe.arrayBuffer().catch(() => undefined);

    log(`warm-up: ${quick ? 1 : 2} s, 10 connections`);
    await autocannon({ url: target, connections: 10, duration: quick ? 1 : 2, headers });

    for (const connections of [10, 50]) {
      const before = await settledCount(server);
      log(`GET /api/users/:id, ${connections} connections, ${seconds} s`);
      const result = await autocannon({ url: target, connections, duration: seconds, headers, timeout: 10 });
      const after = await settledCount(server);
      const ok = result['2xx'];
      const reqPerSec = ok / result.duration;
      const note =
        `${connections} conns, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ` +
        `2xx ${formatNumber(ok)}, non-2xx ${result.non2xx}, errors ${result.errors}, audit +${formatNumber(after - before)}`;
      const row: Row = { name: `http-read GET user (${connections} conns)`, dialect, figure: reqPerSec, unit: 'req/s', target: HTTP_READ_TARGET, note };
      rows.push(row);
      printRow(row, log);
      log(`  autocannon: mean ${formatNumber(result.requests.average)} req/s per 1 s sample, latency mean ${result.latency.average.toFixed(2)} ms, max ${result.latency.max} ms; status codes ${statusSummary(result)}; timeouts ${result.timeouts}`);
      if (result.non2xx > 0) problems.push(`http-read [${dialect}, ${connections} conns]: ${result.non2xx} non-2xx responses (${statusSummary(result)})`);
      if (result.errors > 0) problems.push(`http-read [${dialect}, ${connections} conns]: ${result.errors} connection errors (${result.timeouts} timeouts)`);
      if (ok === 0) problems.push(`http-read [${dialect}, ${connections} conns]: no 2xx responses at all`);
      if (after - before < ok) {
        problems.push(`http-read [${dialect}, ${connections} conns]: ${ok} reads answered 2xx but only ${after - before} read events were audited`);
      }
    }

    // Verified once idle (settledCount above): verifyAuditChain reads the events and then the head
    // in separate queries, so on PostgreSQL a run overlapping commits reports a false break.
    const verdict = (await server.command('verify', 120_000)).verdict as ChainVerdict;
    if (!verdict.ok) problems.push(`http-read [${dialect}]: the audit chain does not verify after the load: ${verdict.problem}`);
    log(`check: audit chain ${verdict.ok ? `verifies (${formatNumber(verdict.events)} events)` : 'BROKEN'}`);
  } finally {
    await server.stopAndReport(log);
  }
  if (server.stderrCount > 0) problems.push(`http-read [${dialect}]: the server logged ${server.stderrCount} warning/error line(s), e.g. ${server.stderrLines[0]}`);
  return { rows, problems };
}

export const httpRead: Benchmark = {
  name: 'http-read',
  summary: `authenticated GET reading one row and durably auditing it, over loopback (target ${formatNumber(HTTP_READ_TARGET)} req/s)`,
  run,
};
