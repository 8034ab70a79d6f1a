/**
 * The accounting of disclosures for one patient whose log holds 10,000 disclosures over six years
 * (beside another 10,000 of other patients'): the accounting computed as the accounting page and
 * the letter read it (one indexed range read, corrections, suspensions, then grouping), and the PDF
 * letter rendered from it, timed separately. Target: the accounting in at most 200 ms.
 */
import { performance } from 'node:perf_hooks';
import { formatNumber, printRow, type BenchOptions, type BenchResult, type Benchmark, type Row } from './report.js';
import { openBenchChartroom } from './support.js';
import { SYSTEM_ACTOR } from '../src/audit/actions.js';
import { Demographics, registerPatient, toPatientView, getPatientRow } from '../src/patients/index.js';
import { recordDisclosures, computeAccountingFor, DISCLOSURE_KIND_CODES, type DisclosureEntry } from '../src/release/disclosures/index.js';
import { renderAccountingLetter } from '../src/release/disclosures/accounting-letter.js';

const TARGET_MS = 200;
const DISCLOSURES = 10_000;
const RECIPIENTS = ['Maine CDC', 'Maine Cancer Registry', 'State Police', 'Cumberland County Court', 'Dr. Amaral', 'Acme Life', 'CMS auditor', 'Medical examiner', 'Harbor Orthopedics', 'Workers comp board'];
const PURPOSES = ['Reportable disease', 'Registry', 'Investigation', 'Court order', 'Oversight audit'];

const ms = (v: number) => v.toFixed(1);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

function disclosuresFor(patientId: string, count: number, start: Date): DisclosureEntry[] {
  const span = 6 * 365 * 86_400_000;
  return Array.from({ length: count }, (_, i) => ({
    patientId,
    disclosedAt: new Date(start.getTime() + Math.floor((i / count) * (span - 3 * 86_400_000))).toISOString(),
    recipient: { name: RECIPIENTS[i % RECIPIENTS.length], address: `${i % 97} Water St, Augusta ME` },
    description: `Records disclosed, batch ${i % 40}`,
    purpose: PURPOSES[i % PURPOSES.length],
    kind: DISCLOSURE_KIND_CODES[i % DISCLOSURE_KIND_CODES.length],
  }));
}

async function run({ dialect, quick, log }: BenchOptions): Promise<BenchResult> {
  const ctx = await openBenchChartroom(dialect);
  try {
    const register = async (family: string, birthDate: string) =>
      (await registerPatient(ctx, SYSTEM_ACTOR, Demographics.parse({ given: 'Bench', family, birthDate, sex: 'female' }))).patient.id;
    const patientId = await register('Accountable', '1961-03-14');
    const otherId = await register('Neighbour', '1972-08-30');
    const now = ctx.clock.now();
    // Six years less two days, ending before today, so every disclosure lies in the period.
    const start = new Date(now.getTime() - 6 * 365 * 86_400_000 + 2 * 86_400_000);
    const fillStarted = performance.now();
    for (const [id, entries] of [[patientId, disclosuresFor(patientId, DISCLOSURES, start)], [otherId, disclosuresFor(otherId, DISCLOSURES, start)]] as const) {
      for (let i = 0; i < entries.length; i += 1000) {
        await ctx.db.transaction().execute((trx) => recordDisclosures(trx, ctx, SYSTEM_ACTOR, entries.slice(i, i + 1000)));
      }
      log(`logged ${formatNumber(entries.length)} disclosures for patient ${id === patientId ? 'A' : 'B'}`);
    }
    log(`filled the log through the service in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s`);

    const today = now.toISOString().slice(0, 10);
    const period = { from: new Date(now.getTime() - 6 * 365 * 86_400_000).toISOString().slice(0, 10), to: today };
    const rounds = quick ? 10 : 30;
    const accountingTimes: number[] = [];
    let accounting = await computeAccountingFor(ctx.db, patientId, period, today);
    for (let i = 0; i < rounds + 2; i++) {
      const t = performance.now();
      accounting = await computeAccountingFor(ctx.db, patientId, period, today);
      if (i >= 2) accountingTimes.push(performance.now() - t);
    }
    accountingTimes.sort((a, b) => a - b);

    const patient = toPatientView(await getPatientRow(ctx.db, patientId));
    const request = {
      id: 'bench', patientId, receivedOn: today, periodFrom: period.from, periodTo: today, dueOn: today, extendedDueOn: null, extensionReason: null, currentDueOn: today,
      feeCents: 0, free: true, status: 'open' as const, entryCount: null, hasLetter: false, fulfilledAt: null, recordedAt: now.toISOString(), recordedBy: 'bench',
    };
    const pdfTimes: number[] = [];
    let pages = 0;
    for (let i = 0; i < Math.max(3, rounds / 5); i++) {
      const t = performance.now();
      const bytes = await renderAccountingLetter(ctx, patient, request, accounting);
      pdfTimes.push(performance.now() - t);
      pages = bytes.length;
    }
    pdfTimes.sort((a, b) => a - b);

    const p50 = percentile(accountingTimes, 0.5);
    const worst = accountingTimes[accountingTimes.length - 1];
    const rows: Row[] = [
      {
        name: 'accounting of 10,000 disclosures', dialect, figure: TARGET_MS / p50, unit: `x (${TARGET_MS} ms / p50)`, target: 1,
        note: `p50 ${ms(p50)} ms, worst ${ms(worst)} ms over ${rounds} runs; ${formatNumber(accounting.listed)} listed in ${accounting.rows.length} rows, ${formatNumber(accounting.leftOut)} exempt`,
      },
      { name: 'accounting letter (PDF)', dialect, figure: percentile(pdfTimes, 0.5), unit: 'ms (p50)', note: `${accounting.rows.length} rows, ${formatNumber(pages)} bytes` },
    ];
    for (const row of rows) printRow(row, log);
    log('latency row: figure = target / measured p50, so 1 or more meets');
    const problems: string[] = [];
    if (accounting.listed + accounting.leftOut + accounting.withheld !== DISCLOSURES) problems.push(`disclosure-accounting: ${accounting.listed + accounting.leftOut} of ${DISCLOSURES} disclosures accounted for`);
    if (accounting.leftOut === 0 || accounting.listed === 0) problems.push('disclosure-accounting: expected both exempt and listed disclosures');
    return { rows, problems };
  } finally {
    await ctx.close();
  }
}

export const disclosureAccounting: Benchmark = {
  name: 'disclosure-accounting',
  summary: "a patient's accounting of disclosures over 10,000 logged disclosures, and its PDF letter",
  run,
};
