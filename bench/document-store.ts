/**
 * Store and index: 1 MB PDFs (a page carrying a scanned image, each PDF different) filed through
 * fileDocument: the content checks, AES-256-GCM encryption into the blob store with its fsyncs, the
 * index row and the audit event. Figures in MB/s, one clerk at a time and four at once; printed only.
 */
import { performance } from 'node:perf_hooks';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { fileDocument } from '../src/documents/index.js';
import { formatNumber, printRow, type BenchOptions, type BenchResult, type Benchmark, type Row } from './report.js';
import { openBenchChartroom } from './support.js';
import { BENCH_SUPERVISOR, benchPatient } from './documents-support.js';

const MB = 1_000_000;

/** A noisy greyscale scan as JPEG, about 1 MB: it does not compress, like a real scan. */
const noisyScan = () => sharp({ create: { width: 1250, height: 1600, channels: 3, background: '#ffffff', noise: { type: 'gaussian', mean: 200, sigma: 40 } } })
  .greyscale().jpeg({ quality: 88 }).toBuffer();

async function onePagePdf(scan: Buffer, n: number): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([612, 792]);
  page.drawImage(await pdf.embedJpg(scan), { x: 0, y: 0, width: 612, height: 792 });
  page.drawText(`Scanned document ${n}`, { x: 36, y: 36, size: 10, font: await pdf.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await pdf.save());
}

async function run({ dialect, quick, log }: BenchOptions): Promise<BenchResult> {
  const rows: Row[] = [];
  const problems: string[] = [];
  const ctx = await openBenchChartroom(dialect);
  try {
    const patientId = await benchPatient(ctx, 'Storage');
    const scan = await noisyScan();
    const count = quick ? 20 : 60;
    const pdfs = await Promise.all(Array.from({ length: 2 * count }, (_, i) => onePagePdf(scan, i)));
    log(`${2 * count} PDFs of ${formatNumber(pdfs[0].length / MB)} MB`);
    const file = (bytes: Buffer, i: number) => fileDocument(ctx, BENCH_SUPERVISOR,
      { patientId, typeCode: '11506-3', serviceDate: '2026-11-01', status: 'final' }, { bytes, fileName: `scan-${i}.pdf`, contentType: 'application/pdf' });

    for (const [label, concurrency, batch] of [['one at a time', 1, pdfs.slice(0, count)], ['4 at once', 4, pdfs.slice(count)]] as const) {
      let next = 0;
      const start = performance.now();
      await Promise.all(Array.from({ length: concurrency }, async () => {
        while (next < batch.length) {
          const i = next++;
          await file(batch[i], i);
        }
      }));
      const seconds = (performance.now() - start) / 1000;
      const bytes = batch.reduce((n, b) => n + b.length, 0);
      const row: Row = {
        name: 'document-store', dialect, figure: bytes / MB / seconds, unit: 'MB/s',
        note: `${label}: ${batch.length} PDFs of ${formatNumber(batch[0].length / MB)} MB in ${seconds.toFixed(2)} s (${formatNumber(batch.length / seconds)} documents/s), encrypted, checked, indexed, audited`,
      };
      rows.push(row);
      printRow(row, log);
    }
    const stored = await ctx.db.selectFrom('documents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(stored.n) !== 2 * count) problems.push(`document-store [${dialect}]: ${stored.n} documents stored, expected ${2 * count}`);
  } finally {
    await ctx.close();
  }
  return { rows, problems };
}

export const documentStore: Benchmark = {
  name: 'document-store',
  summary: 'store and index 1 MB PDFs, encrypted (MB/s)',
  run,
};
