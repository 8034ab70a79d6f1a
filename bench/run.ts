/**
 * `npm run bench [-- --quick] [-- --only <name> ...]`: Chartroom's performance figures against the
 * targets of the issue. Figures are printed, never asserted (machines are shared). Every benchmark
 * runs on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set.
 *
 * Exit code: 0 when every benchmark ran and every check held, even if a figure is BELOW its target;
 * 1 when a benchmark failed or a check did not hold (lost audit events, a broken chain, non-2xx).
 */
import os from 'node:os';
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { auditAppend } from './audit-append.js';
import { auditVerify } from './audit-verify.js';
import { httpRead } from './http-read.js';
import { patientMatching } from './patient-matching.js';
import { patientImport } from './patient-import.js';
import { patientCreate, patientSearch } from './patient-search.js';
import { adtIngest } from './adt-ingest.js';
import { releasePacket } from './release-packet.js';
import { disclosureAccounting } from './disclosure-accounting.js';
import { documentStore } from './document-store.js';
import { chartPdf } from './chart-pdf.js';
import { scanBatch } from './scan-batch.js';
import { formatTable, verdictOf, type Benchmark, type Row } from './report.js';
import { removeLeftovers } from './support.js';

const BENCHMARKS: Benchmark[] = [
  auditAppend, auditVerify, httpRead, patientMatching, patientImport, patientSearch, patientCreate, adtIngest,
  documentStore, chartPdf, scanBatch, releasePacket, disclosureAccounting,
];

function parseArgs(argv: string[]): { only: string[]; quick: boolean } {
  const only: string[] = [];
  let quick = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') quick = true;
    else if (arg === '--only') {
      const name = argv[++i];
      if (!name) throw new Error('--only needs a benchmark name');
      only.push(...name.split(','));
    } else if (arg.startsWith('--only=')) only.push(...arg.slice('--only='.length).split(','));
    else if (arg === '--help' || arg === '-h') {
      console.log(`usage: npm run bench -- [--quick] [--only <name>]...\nbenchmarks:\n${BENCHMARKS.map((b) => `  ${b.name.padEnd(14)} ${b.summary}`).join('\n')}`);
      process.exit(0);
    } else throw new Error(`unknown argument ${arg} (use --quick, --only <name>)`);
  }
  const unknown = only.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  return { only, quick };
}

/** How long a durable 4 KiB write takes where the benchmarks keep their SQLite files: what bounds a COMMIT. */
function fsyncProbe(): string {
  const dir = mkdtempSync(join(os.tmpdir(), 'chartroom-bench-disk-'));
  try {
    const fd = openSync(join(dir, 'probe'), 'w');
    const page = Buffer.alloc(4096, 7);
    const times: number[] = [];
    try {
      for (let i = 0; i < 40; i++) {
        const t = performance.now();
        writeSync(fd, page, 0, page.length, (i % 4) * 4096);
        fdatasyncSync(fd);
        times.push(performance.now() - t);
      }
    } finally {
      closeSync(fd);
    }
    times.sort((a, b) => a - b);
    return `disk: 4 KiB write + fdatasync in ${os.tmpdir()} median ${times[20].toFixed(2)} ms, p90 ${times[36].toFixed(2)} ms`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const loadAverage = () => `load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`;

async function postgresVersion(): Promise<string> {
  const { withPgClient } = await import('../test/support/chartroom.js');
  try {
    const r = await withPgClient((c) => c.query<{ server_version: string }>('SHOW server_version'));
    return r.rows[0]?.server_version ?? '?';
  } catch (err) {
    return `unreachable (${(err as Error).message})`;
  }
}

async function main(): Promise<number> {
  const { only, quick } = parseArgs(process.argv.slice(2));
  const selected = BENCHMARKS.filter((b) => only.length === 0 || only.includes(b.name));
  const dialects: ('sqlite' | 'postgres')[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
  const pgNote = process.env.TEST_DATABASE_URL
    ? `PostgreSQL ${await postgresVersion()} at ${process.env.TEST_DATABASE_URL.replace(/\/\/[^@/]*@/, '//***@')}`
    : 'PostgreSQL skipped: TEST_DATABASE_URL is not set (e.g. TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench)';
  const cpus = os.cpus();
  const machine = [
    `node ${process.version}`,
    `${os.platform()} ${os.arch()}`,
    `os.cpus().length ${cpus.length}${cpus[0] ? ` (${cpus[0].model.trim()})` : ''}`,
    `${Math.round(os.totalmem() / 2 ** 30)} GiB RAM`,
    `dialects ${dialects.join(', ')}`,
  ].join('; ');
  console.log(`Chartroom benchmarks${quick ? ' (--quick: smaller sizes)' : ''}: ${selected.map((b) => b.name).join(', ')}`);
  const disk = fsyncProbe();
  const loadAtStart = loadAverage();
  console.log(`machine: ${machine}`);
  console.log(`${disk}; ${loadAtStart} (other work on a shared machine moves the figures)`);
  console.log(pgNote);

  const rows: Row[] = [];
  const problems: string[] = [];
  const started = performance.now();
  for (const bench of selected) {
    for (const dialect of dialects) {
      const t0 = performance.now();
      console.log(`\n== ${bench.name} [${dialect}]: ${bench.summary}`);
      try {
        const result = await bench.run({ dialect, quick, log: (line) => console.log(`  ${line}`) });
        rows.push(...result.rows);
        problems.push(...result.problems);
      } catch (err) {
        const message = `${bench.name} [${dialect}] failed: ${(err as Error)?.stack ?? err}`;
        console.log(`  ERROR ${message}`);
        problems.push(message.split('\n').slice(0, 4).join('\n    '));
      }
      console.log(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
  }

  console.log(`\n== Results (${((performance.now() - started) / 1000).toFixed(0)} s${quick ? ', --quick' : ''})\n`);
  console.log(formatTable(rows));
  console.log('');
  console.log(`machine: ${machine}`);
  console.log(`${disk}; ${loadAtStart} at the start, ${loadAverage()} at the end`);
  console.log(pgNote);
  console.log('ratio = figure / target; the audit-append target is stated for SQLite in one process, PostgreSQL rows are shown against it for comparison.');
  if (selected.includes(httpRead)) {
    console.log('http-read: the server runs in a child process, autocannon in this one; both share the same cores (loopback), so the figure is a floor for a dedicated server.');
  }
  if (selected.includes(patientImport)) {
    console.log('patient-import: the import target is stated for SQLite and 1,000,000 patients; a run stopped by its time cap is rated at the size it reached (see its note), and the rate falls as the indexes grow.');
  }
  const below = rows.filter((r) => verdictOf(r) === 'BELOW');
  console.log(below.length ? `${below.length} figure(s) BELOW target: ${below.map((r) => `${r.name} [${r.dialect}]`).join(', ')}` : 'every figure meets its target');
  if (problems.length) {
    console.log(`\n${problems.length} problem(s) - errors, not timings:`);
    for (const p of problems) console.log(`  - ${p}`);
    return 1;
  }
  console.log('checks: every acknowledged audit event stored, chains verify, no non-2xx responses');
  return 0;
}

// Interrupted: remove this run's temp dirs and PostgreSQL schemas (a server child cleans up its own
// when its stdin closes), then leave with the conventional code.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\nbench: ${signal}, removing temp dirs and schemas`);
    // Connections ended under a pool that is still open report errors: expected now, not a failure.
    process.on('uncaughtException', () => undefined);
    const timer = setTimeout(() => process.exit(130), 10_000);
    removeLeftovers().finally(() => {
      clearTimeout(timer);
      process.exit(130);
    });
  });
}

main().then(
  (code) => {
    process.exitCode = code;
    // Everything is closed by now; if a handle still keeps the process alive, say so and leave.
    setTimeout(() => {
      console.error('bench: a handle was still open 5 s after the end; exiting anyway');
      process.exit(code || 1);
    }, 5000).unref();
  },
  (err) => {
    console.error(`bench: ${(err as Error)?.stack ?? err}`);
    process.exitCode = 1;
  },
);
