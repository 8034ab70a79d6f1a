import { performance } from 'node:perf_hooks';
import { formatNumber, printRow, type BenchOptions, type BenchResult, type Benchmark, type Row } from './report.js';
import { evaluateMatching, generateMatchingSet } from '../src/patients/synthetic-patients.js';

/**
 * Matching quality at the default thresholds on a synthetic index with planted duplicates (typos,
 * nicknames, swapped day and month, changed surnames, moved house) and planted look-alikes (twins,
 * parent and child, siblings). Aims: precision 0.98, recall 0.95, no look-alike graded certain.
 * The comparison is pure code, so it runs once (on the SQLite pass).
 */
async function run({ dialect, quick, log }: BenchOptions): Promise<BenchResult> {
  if (dialect !== 'sqlite') {
    log('the comparison does not touch the database: measured once, on the SQLite pass');
    return { rows: [], problems: [] };
  }
  const people = quick ? 5_000 : 20_000;
  const rows: Row[] = [];
  const problems: string[] = [];
  for (const seed of [7, 2026]) {
    const started = performance.now();
    const { records } = generateMatchingSet({ seed, people, duplicateRate: 0.1, lookAlikeRate: 0.1 });
    const e = evaluateMatching(records);
    const seconds = (performance.now() - started) / 1000;
    const note = `seed ${seed}, ${formatNumber(records.length)} records, ${formatNumber(e.pairsCompared)} pairs compared in ${seconds.toFixed(1)} s`;
    for (const row of [
      { name: 'matching precision (probable+)', dialect, figure: e.precision, unit: 'ratio', target: 0.98, note },
      { name: 'matching recall (probable+)', dialect, figure: e.recall, unit: 'ratio', target: 0.95, note },
      { name: 'look-alikes graded certain', dialect, figure: e.lookAlikesGradedCertain, unit: 'pairs', note: 'must be 0' },
    ] satisfies Row[]) {
      rows.push(row);
      printRow(row, log);
    }
    if (e.lookAlikesGradedCertain > 0) problems.push(`patient-matching: ${e.lookAlikesGradedCertain} look-alike pairs graded certain (seed ${seed})`);
  }
  return { rows, problems };
}

export const patientMatching: Benchmark = {
  name: 'patient-matching',
  summary: 'precision and recall of duplicate detection on a synthetic index with planted duplicates and look-alikes',
  run,
};
