import { performance } from 'node:perf_hooks';
import { formatNumber, printRow, type BenchOptions, type BenchResult, type Benchmark, type Row } from './report.js';
import { appendBatched, openBenchChartroom, realisticEntries, verifyChain } from './support.js';

export const VERIFY_TARGET = 500_000;

async function run({ dialect, quick, log }: BenchOptions): Promise<BenchResult> {
  const total = quick ? 200_000 : 1_000_000;
  const rows: Row[] = [];
  const problems: string[] = [];
  const ctx = await openBenchChartroom(dialect);
  try {
    log(`filling the trail: ${formatNumber(total)} events, 1,000 per transaction`);
    const entries = realisticEntries(4096);
    let reported = 0;
    const fill = await appendBatched(ctx, entries, total, 1000, quick ? 40_000 : 100_000, (done) => {
      if (done - reported >= total / 4 && done < total) {
        reported = done;
        log(`  ${formatNumber(done)} events`);
      }
    });
    log(`filled ${formatNumber(fill.events)} events in ${fill.seconds.toFixed(1)} s (${formatNumber(fill.events / fill.seconds)} events/s)${fill.capped ? ' - stopped by the time cap' : ''}`);

    const start = performance.now();
    const verdict = await verifyChain(ctx);
    const seconds = (performance.now() - start) / 1000;
    if (!verdict.ok) problems.push(`audit-verify [${dialect}]: the chain does not verify: ${verdict.problem} at event ${verdict.brokenAt.seq}`);
    else if (verdict.events !== fill.events) problems.push(`audit-verify [${dialect}]: verified ${verdict.events} events but ${fill.events} were appended`);
    const row: Row = {
      name: 'audit-verify',
      dialect,
      figure: verdict.events / seconds,
      unit: 'events/s',
      target: VERIFY_TARGET,
      note: `${formatNumber(verdict.events)} events in ${seconds.toFixed(2)} s, ${ctx.sqlitePath ? 'reading the SQLite file (verifyAuditChain sqlitePath)' : 'through Kysely'}${fill.capped ? ' (fill stopped by the time cap)' : ''}`,
    };
    rows.push(row);
    printRow(row, log);
  } finally {
    await ctx.close();
  }
  return { rows, problems };
}

export const auditVerify: Benchmark = {
  name: 'audit-verify',
  summary: `verify the whole audit chain (target ${formatNumber(VERIFY_TARGET)} events/s)`,
  run,
};
