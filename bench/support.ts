/** What the benchmarks share: their own Chartroom, realistic audit events, the two ways of appending them. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { recordAuditEvent, recordAuditEvents } from '../src/audit/trail.js';
import { verifyAuditChain, type ChainVerdict } from '../src/audit/verify.js';
import type { AuditEntry } from '../src/audit/actions.js';
import type { AppContext } from '../src/context.js';
import { openChartroom, type Chartroom } from '../src/runtime.js';
import type { DialectName } from '../src/platform/db/connection.js';
import { testConfig, withPgClient } from '../test/support/chartroom.js';

export interface BenchChartroom extends Chartroom {
  dataDir: string;
  schema?: string;
}

/**
 * A fresh Chartroom in its own temp dir and, on PostgreSQL, its own schema (named bench_..., so a
 * schema left by a killed run is easy to tell from the tests' test_...). close() removes both.
 */
export async function openBenchChartroom(dialect: DialectName): Promise<BenchChartroom> {
  const dataDir = mkdtempSync(join(tmpdir(), 'chartroom-bench-'));
  let schema: string | undefined;
  let opened: Chartroom | undefined;
  // For an interrupted run: close what can be closed quickly, then end the pool's connections and drop.
  const leftovers = async () => {
    if (opened) await Promise.race([opened.close().catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())]);
    await dropBench(dataDir, schema, { terminate: true });
  };
  openResources.add(leftovers);
  try {
    const config = testConfig(dataDir, {}, dialect);
    if (dialect === 'postgres') {
      schema = `bench_${randomBytes(6).toString('hex')}`;
      await withPgClient((c) => c.query(`CREATE SCHEMA ${schema}`));
      config.databaseUrl = taggedDatabaseUrl(schema);
    }
    const chartroom = await openChartroom(config, { schema });
    opened = chartroom;
    return {
      ...chartroom,
      dataDir,
      schema,
      close: async () => {
        try {
          await chartroom.close();
        } finally {
          openResources.delete(leftovers);
          await dropBench(dataDir, schema);
        }
      },
    };
  } catch (err) {
    openResources.delete(leftovers);
    await dropBench(dataDir, schema);
    throw err;
  }
}

/** Temp dirs and schemas not yet removed, for run.ts to remove when interrupted. */
const openResources = new Set<() => Promise<void>>();

export async function removeLeftovers(): Promise<void> {
  await Promise.allSettled([...openResources].map((remove) => remove()));
  openResources.clear();
}

/** TEST_DATABASE_URL with application_name set to the schema, so an interrupted run can find its connections. */
export function taggedDatabaseUrl(schema: string): string {
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.searchParams.set('application_name', schema);
  return url.toString();
}

/**
 * Removes a run's temp dir and schema. With `terminate` (an interrupted run, whose pool may still
 * hold locks) it first ends the connections tagged with the schema's name, so DROP does not wait.
 */
export async function dropBench(dataDir: string, schema: string | undefined, options: { terminate?: boolean } = {}): Promise<void> {
  try {
    if (schema) {
      await withPgClient(async (c) => {
        if (options.terminate) {
          await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()', [schema]);
        }
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      });
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Verifies the whole chain as `chartroom verify-audit` does: on SQLite with the database file, so
 * the walk reads it directly (worker threads, read-only connections); on PostgreSQL through Kysely.
 */
export function verifyChain(ctx: AppContext): Promise<ChainVerdict> {
  return verifyAuditChain(ctx.db, { sqlitePath: ctx.sqlitePath });
}

const BROWSER_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0';
const SECTIONS = ['progress-notes', 'discharge-summary', 'lab-results', 'medications', 'problem-list'];

/**
 * A pool of realistic events: a records clerk at a workstation reading one record of a patient.
 * Made before timing so the figures measure the trail, not the test data.
 */
export function realisticEntries(count: number): AuditEntry[] {
  const clerks = Array.from({ length: 8 }, (_, i) => ({ id: randomUUID(), name: `clerk${i + 1}`, ip: `10.20.31.${40 + i}` }));
  return Array.from({ length: count }, (_, i) => {
    const clerk = clerks[i % clerks.length];
    const patientId = `pat-${(100_000 + ((i * 7919) % 90_000)).toString(36)}`;
    return {
      actor: { type: 'user', id: clerk.id, name: clerk.name, role: 'records_clerk', ip: clerk.ip, userAgent: BROWSER_UA },
      action: 'read',
      patientId,
      recordType: 'document',
      recordId: randomUUID(),
      details: { section: SECTIONS[i % SECTIONS.length], version: 1 + (i % 4), via: 'chart-viewer' },
    };
  });
}

export async function countAuditEvents(ctx: AppContext): Promise<number> {
  const row = await ctx.db.selectFrom('auditEvents').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface Timed {
  events: number;
  seconds: number;
  /** True when the time cap stopped the loop before the planned count. */
  capped: boolean;
  failures: number;
  firstErrors: string[];
}

/**
 * The request path: `inFlight` concurrent writers, each running one transaction that appends one
 * event, as a request handler does, until `total` events are acknowledged or `capMs` has passed.
 */
export async function appendConcurrently(ctx: AppContext, entries: AuditEntry[], total: number, inFlight: number, capMs: number): Promise<Timed> {
  let next = 0;
  let acked = 0;
  let failures = 0;
  const firstErrors: string[] = [];
  const start = performance.now();
  const deadline = start + capMs;
  const writer = async () => {
    while (next < total && failures < 100 && performance.now() < deadline) {
      const i = next++;
      try {
        await ctx.db.transaction().execute((trx) => recordAuditEvent(trx, entries[i % entries.length], ctx.clock));
        acked += 1;
      } catch (err) {
        failures += 1;
        if (firstErrors.length < 3) firstErrors.push(String((err as Error)?.stack ?? err).split('\n').slice(0, 3).join(' | '));
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, writer));
  return { events: acked, seconds: (performance.now() - start) / 1000, capped: acked + failures < total, failures, firstErrors };
}

/** Batched append: `batch` events per transaction, one transaction after another. */
export async function appendBatched(
  ctx: AppContext,
  entries: AuditEntry[],
  total: number,
  batch: number,
  capMs: number,
  progress?: (done: number) => void,
): Promise<Timed> {
  let done = 0;
  const start = performance.now();
  const deadline = start + capMs;
  let offset = 0;
  while (done < total && performance.now() < deadline) {
    const n = Math.min(batch, total - done);
    if (offset + n > entries.length) offset = 0;
    const slice = entries.slice(offset, offset + n);
    offset += n;
    await ctx.db.transaction().execute((trx) => recordAuditEvents(trx, slice, ctx.clock));
    done += n;
    progress?.(done);
  }
  return { events: done, seconds: (performance.now() - start) / 1000, capped: done < total, failures: 0, firstErrors: [] };
}

/** The settings that make a SQLite commit durable, to print next to the figure. */
export async function sqliteDurability(ctx: AppContext): Promise<string> {
  if (ctx.dialect !== 'sqlite') return '';
  // The CamelCasePlugin renames result columns, so read each pragma's one value by position.
  const value = async (pragma: string) => {
    const result = await sql.raw<Record<string, unknown>>(`PRAGMA ${pragma}`).execute(ctx.db);
    return result.rows[0] ? Object.values(result.rows[0])[0] : undefined;
  };
  const journal = await value('journal_mode');
  const sync = await value('synchronous');
  const names = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];
  return `journal_mode=${journal}, synchronous=${typeof sync === 'number' ? (names[sync] ?? sync) : sync}`;
}

