/**
 * One row of the benchmark table: a measured figure against the issue's target. A figure below its
 * target is reported, never thrown: machines are shared, so targets are read, not asserted.
 */
export interface Row {
  name: string;
  dialect: string;
  figure: number;
  unit: string;
  /** Higher is better; undefined for figures printed for information only. */
  target?: number;
  /** Short facts that qualify the figure (latencies, sizes, caps). */
  note?: string;
}

export type Verdict = 'meets' | 'BELOW' | 'info';

export function verdictOf(row: Row): Verdict {
  if (row.target === undefined) return 'info';
  return row.figure >= row.target ? 'meets' : 'BELOW';
}

export function ratioOf(row: Row): number | undefined {
  return row.target === undefined || row.target === 0 ? undefined : row.figure / row.target;
}

export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const digits = Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2;
  return n.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: digits });
}

const COLUMNS = ['benchmark', 'dialect', 'figure', 'unit', 'target', 'ratio', 'verdict', 'note'] as const;

function cells(row: Row): string[] {
  const ratio = ratioOf(row);
  return [
    row.name,
    row.dialect,
    formatNumber(row.figure),
    row.unit,
    row.target === undefined ? '-' : formatNumber(row.target),
    // Rounded down, so a figure just short of its target never reads 1.00x.
    ratio === undefined ? '-' : `${(Math.floor(ratio * 100) / 100).toFixed(2)}x`,
    verdictOf(row),
    row.note ?? '',
  ];
}

/** One row as a line, for printing as soon as a figure is known. */
export function formatRow(row: Row): string {
  const [name, dialect, figure, unit, target, ratio, verdict, note] = cells(row);
  return `${name} [${dialect}]: ${figure} ${unit} (target ${target}, ratio ${ratio}) ${verdict}${note ? ` - ${note}` : ''}`;
}

export function printRow(row: Row, out: (line: string) => void = console.log): void {
  out(`  => ${formatRow(row)}`);
}

/** The final table, columns aligned; numbers right-aligned. */
export function formatTable(rows: Row[]): string {
  const table = [COLUMNS.slice() as string[], ...rows.map(cells)];
  const widths = COLUMNS.map((_, i) => Math.max(...table.map((r) => r[i].length)));
  const rightAligned = new Set([2, 4, 5]);
  const line = (r: string[]) =>
    r.map((c, i) => (i === r.length - 1 ? c : rightAligned.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const rule = widths.map((w, i) => '-'.repeat(i === widths.length - 1 ? Math.max(4, w) : w)).join('  ');
  return [line(table[0]), rule, ...table.slice(1).map(line)].join('\n');
}

/** What run.ts gives each benchmark. */
export interface BenchOptions {
  dialect: 'sqlite' | 'postgres';
  quick: boolean;
  log(line: string): void;
}

/**
 * What a benchmark answers: its figures, and problems - checks that failed (lost events, a broken
 * chain, non-2xx answers). A problem is an error and makes `npm run bench` exit non-zero; a figure
 * below its target is not.
 */
export interface BenchResult {
  rows: Row[];
  problems: string[];
}

export interface Benchmark {
  name: string;
  summary: string;
  run(options: BenchOptions): Promise<BenchResult>;
}
