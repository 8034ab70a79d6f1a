import { formatNumber, printRow, type BenchOptions, type BenchResult, type Benchmark, type Row } from './report.js';
import { appendBatched, appendConcurrently, countAuditEvents, openBenchChartroom, realisticEntries, sqliteDurability, verifyChain } from './support.js';

export const APPEND_TARGET = 20_000;

async function run({ dialect, quick, log }: BenchOptions): Promise<BenchResult> {
  const concurrentTotal = quick ? 10_000 : 50_000;
  const batchedTotal = quick ? 50_000 : 200_000;
  const inFlight = 64;
  // Caps keep a slow dialect (PostgreSQL commits one by one) within the run's time budget.
  const capMs = quick ? 7_000 : 30_000;
  const rows: Row[] = [];
  const problems: string[] = [];
  const ctx = await openBenchChartroom(dialect);
  try {
    const durability = await sqliteDurability(ctx);
    if (durability) log(`SQLite: ${durability}; group-commit driver (concurrent transactions share one COMMIT)`);
    const entries = realisticEntries(4096);

    // Warm-up: JIT, statement cache, pool connections. Its events count in the final check.
    const warm = await appendConcurrently(ctx, entries, 1000, inFlight, 10_000);
    let acknowledged = warm.events;

    log(`request path: ${formatNumber(concurrentTotal)} events, ${inFlight} transactions in flight, one event each`);
    const conc = await appendConcurrently(ctx, entries, concurrentTotal, inFlight, capMs);
    acknowledged += conc.events;
    if (warm.failures + conc.failures > 0) {
      problems.push(`audit-append [${dialect}]: ${warm.failures + conc.failures} transactions failed, e.g. ${[...warm.firstErrors, ...conc.firstErrors][0]}`);
    }
    const concRow: Row = {
      name: 'audit-append request path',
      dialect,
      figure: conc.events / conc.seconds,
      unit: 'events/s',
      target: APPEND_TARGET,
      note: `${formatNumber(conc.events)} events, ${inFlight} in flight, 1 event/tx${conc.capped ? `, stopped by the ${capMs / 1000} s cap` : ''}`,
    };
    rows.push(concRow);
    printRow(concRow, log);

    log(`batched append: ${formatNumber(batchedTotal)} events, recordAuditEvents with 1,000 per transaction`);
    const batched = await appendBatched(ctx, entries, batchedTotal, 1000, capMs);
    acknowledged += batched.events;
    const batchedRow: Row = {
      name: 'audit-append batched',
      dialect,
      figure: batched.events / batched.seconds,
      unit: 'events/s',
      target: APPEND_TARGET,
      note: `${formatNumber(batched.events)} events, 1,000/tx, sequential${batched.capped ? `, stopped by the ${capMs / 1000} s cap` : ''}`,
    };
    rows.push(batchedRow);
    printRow(batchedRow, log);

    const stored = await countAuditEvents(ctx);
    if (stored !== acknowledged) {
      problems.push(`audit-append [${dialect}]: ${formatNumber(acknowledged)} events acknowledged but ${formatNumber(stored)} stored`);
    }
    const verdict = await verifyChain(ctx);
    if (!verdict.ok) problems.push(`audit-append [${dialect}]: the chain does not verify: ${verdict.problem} at event ${verdict.brokenAt.seq}`);
    else if (verdict.events !== acknowledged) problems.push(`audit-append [${dialect}]: the chain verifies ${verdict.events} events, ${acknowledged} were acknowledged`);
    log(`check: ${formatNumber(acknowledged)} acknowledged, ${formatNumber(stored)} stored, chain ${verdict.ok ? `verifies (${formatNumber(verdict.events)} events)` : 'BROKEN'}`);
  } finally {
    await ctx.close();
  }
  return { rows, problems };
}

export const auditAppend: Benchmark = {
  name: 'audit-append',
  summary: `append audit events durably (target ${formatNumber(APPEND_TARGET)} events/s, SQLite, one process)`,
  run,
};
