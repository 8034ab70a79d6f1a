import { performance } from 'node:perf_hooks';
import { formatNumber, printRow, type BenchOptions, type BenchResult, type Benchmark, type Row } from './report.js';
import { openBenchChartroom } from './support.js';
import { actorOf, makePrincipal } from '../src/access/principal.js';
import { Demographics, registerPatient } from '../src/patients/index.js';
import { printCoverSheets } from '../src/documents/scanning/cover-sheets.js';
import { readBatchPages, receiveScanBatch } from '../src/documents/scanning/batch-intake.js';
import { patientInput } from '../test/support/patients.js';
import { scanPdfPage, scannedBatchPdf, scannedContentPage } from '../test/support/scanning.js';

/** A production scanner feeds about 120 pages a minute: splitting should keep up with one. */
export const SCAN_TARGET_PAGES_PER_SECOND = 2;
const PAGES_PER_DOCUMENT = 3;

/**
 * Batch splitting with barcode reading: a batch PDF as a scanner makes it (every page an image at
 * 150 dpi; a real cover sheet, rendered, in front of each document of three pages) is received whole:
 * content checks, every page rendered and searched for a QR code, split, one PDF made and stored per
 * document, and the rows committed. Also the barcode reading alone.
 */
async function run({ dialect, quick, log }: BenchOptions): Promise<BenchResult> {
  const documents = quick ? 8 : 25;
  const rows: Row[] = [];
  const problems: string[] = [];
  const ctx = await openBenchChartroom(dialect);
  try {
    const principal = makePrincipal('user', 'bench-clerk', 'bench.clerk', 'records_clerk', { ip: '127.0.0.1' });
    const patients: string[] = [];
    for (const [i, family] of ['Lindqvist', 'Abernathy', 'Okonkwo', 'Marchetti'].entries()) {
      const d = Demographics.parse(patientInput({ family, ssn: undefined, phones: [], email: undefined, birthDate: `19${50 + i}-0${1 + i}-1${i}` }));
      patients.push((await registerPatient(ctx, actorOf(principal), d, { duplicateReason: 'bench' })).patient.id);
    }
    const sheets = await Promise.all(patients.map(async (patientId) => scanPdfPage(await printCoverSheets(ctx, principal, { patientId, typeCode: '11506-3' }))));
    const content = await Promise.all(Array.from({ length: PAGES_PER_DOCUMENT }, (_, i) => scannedContentPage(`Progress note, page ${i + 1}`)));
    const pages: Buffer[] = [];
    for (let d = 0; d < documents; d++) pages.push(sheets[d % sheets.length], ...content);
    const batch = await scannedBatchPdf(pages);
    log(`batch: ${pages.length} pages (${documents} cover sheets, ${documents * PAGES_PER_DOCUMENT} content pages), ${formatNumber(batch.length / 1024)} KiB`);

    // Warm-up: the WebAssembly reader loads once per process.
    await readBatchPages(await scannedBatchPdf(pages.slice(0, 2)), 'application/pdf', 2);

    let started = performance.now();
    await readBatchPages(batch, 'application/pdf', pages.length);
    const readSeconds = (performance.now() - started) / 1000;
    const readRow: Row = { name: 'scan barcode reading only', dialect, figure: pages.length / readSeconds, unit: 'pages/s', note: `${pages.length} pages rendered at 100 dpi and searched in ${readSeconds.toFixed(1)} s` };
    rows.push(readRow);
    printRow(readRow, log);

    started = performance.now();
    const report = await receiveScanBatch(ctx, principal, { bytes: batch, fileName: 'bench-batch.pdf', contentType: 'application/pdf' });
    const seconds = (performance.now() - started) / 1000;
    const row: Row = {
      name: 'scan batch splitting', dialect, figure: pages.length / seconds, unit: 'pages/s', target: SCAN_TARGET_PAGES_PER_SECOND,
      note: `${pages.length} pages into ${report.documentsFiled} documents in ${seconds.toFixed(1)} s, one process`,
    };
    rows.push(row);
    printRow(row, log);
    if (report.documentsFiled !== documents || report.pagesAwaiting !== 0) {
      problems.push(`scan-batch [${dialect}]: expected ${documents} documents and no pages waiting, got ${report.documentsFiled} and ${report.pagesAwaiting}`);
    }
  } finally {
    await ctx.close();
  }
  return { rows, problems };
}

export const scanBatch: Benchmark = {
  name: 'scan-batch',
  summary: 'batch splitting with barcode reading (pages/s): cover sheets found, documents made and filed',
  run,
};
