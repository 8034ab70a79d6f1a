/**
 * A 500-page chart to one PDF with a table of contents and page numbers (target: at most 5 s, so at
 * least 100 pages/s): 50 stored documents of 10 pages each, filed through the real service (checked,
 * encrypted, indexed), then printChart end to end: decrypting every blob, copying the pages, the cover,
 * the contents, a footer on every page, saving, and the audit event.
 */
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { fileDocument } from '../src/documents/index.js';
import { printChart } from '../src/documents/conversion/index.js';
import { samplePdf } from '../test/support/documents.js';
import { formatNumber, printRow, type BenchOptions, type BenchResult, type Benchmark, type Row } from './report.js';
import { openBenchChartroom } from './support.js';
import { BENCH_SUPERVISOR, benchPatient } from './documents-support.js';

export const CHART_SECONDS_TARGET = 5;
const DOCUMENTS = 50;
const PAGES_EACH = 10;

async function run({ dialect, quick, log }: BenchOptions): Promise<BenchResult> {
  const rows: Row[] = [];
  const problems: string[] = [];
  const ctx = await openBenchChartroom(dialect);
  try {
    const patientId = await benchPatient(ctx, 'Benchmark');
    for (let i = 0; i < DOCUMENTS; i++) {
      const day = String(1 + (i % 28)).padStart(2, '0');
      await fileDocument(ctx, BENCH_SUPERVISOR, { patientId, typeCode: i % 2 ? '11506-3' : '18842-5', serviceDate: `2026-${String(1 + (i % 10)).padStart(2, '0')}-${day}`, status: 'final', title: `Document ${i + 1}` },
        { bytes: await samplePdf(PAGES_EACH, `Chart document ${i + 1}`), fileName: `document-${i + 1}.pdf`, contentType: 'application/pdf' });
    }
    log(`filed ${DOCUMENTS} documents of ${PAGES_EACH} pages`);
    const times: number[] = [];
    let pages = 0;
    let size = 0;
    for (let round = 0; round < (quick ? 2 : 5); round++) {
      const start = performance.now();
      const chart = await printChart(ctx, BENCH_SUPERVISOR, patientId, {});
      times.push((performance.now() - start) / 1000);
      pages = chart.pages;
      size = chart.bytes.length;
    }
    const expected = DOCUMENTS * PAGES_EACH;
    if (pages < expected + 2) problems.push(`chart-pdf [${dialect}]: ${pages} pages printed, expected ${expected} document pages plus cover and contents`);
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    const row: Row = {
      name: 'chart-pdf', dialect, figure: pages / median, unit: 'pages/s', target: expected / CHART_SECONDS_TARGET,
      note: `${pages} pages (${DOCUMENTS} documents) in ${median.toFixed(2)} s median of ${times.length} (best ${times[0].toFixed(2)} s, target ${CHART_SECONDS_TARGET} s); ${formatNumber(size / 1024)} KiB`,
    };
    rows.push(row);
    printRow(row, log);
    rows.push(await scannedChart(ctx, quick, log));
  } finally {
    await ctx.close();
  }
  return { rows, problems };
}

/** A black-and-white 200 dpi Letter scan: white with dark bands where lines of text would be. */
function scanPixels(): Buffer {
  const width = 1700;
  const pixels = Buffer.alloc(width * 2200, 255);
  for (let line = 0; line < 55; line++) {
    const top = 200 + line * 34;
    for (let y = top; y < top + 14; y++) for (let x = 200; x < 1500; x += 6) pixels.fill(0, y * width + x, y * width + x + 4);
  }
  return pixels;
}

/** For information: a chart of scanned TIFFs, every page converted (decoded and re-embedded), not copied. */
async function scannedChart(ctx: Awaited<ReturnType<typeof openBenchChartroom>>, quick: boolean, log: (line: string) => void): Promise<Row> {
  const patientId = await benchPatient(ctx, 'Scanned');
  const page = await sharp(scanPixels(), { raw: { width: 1700, height: 2200, channels: 1 } }).toColourspace('b-w').png().toBuffer();
  const documents = quick ? 2 : 5;
  for (let i = 0; i < documents; i++) {
    const tiff = await sharp(Array.from({ length: PAGES_EACH }, () => page), { join: { animated: true } }).toColourspace('b-w')
      .tiff({ compression: 'lzw', xres: 200 / 25.4, yres: 200 / 25.4 }).toBuffer();
    await fileDocument(ctx, BENCH_SUPERVISOR, { patientId, typeCode: '11506-3', serviceDate: '2026-11-01', status: 'final' },
      { bytes: tiff, fileName: `scan-${i}.tif`, contentType: 'image/tiff' });
  }
  const start = performance.now();
  const chart = await printChart(ctx, BENCH_SUPERVISOR, patientId, {});
  const seconds = (performance.now() - start) / 1000;
  const row: Row = {
    name: 'chart-pdf-scans', dialect: ctx.dialect, figure: chart.pages / seconds, unit: 'pages/s',
    note: `${chart.pages} pages from ${documents} black-and-white 200 dpi TIFFs in ${seconds.toFixed(2)} s, every page decoded and embedded; ${formatNumber(chart.bytes.length / 1024)} KiB`,
  };
  printRow(row, log);
  return row;
}

export const chartPdf: Benchmark = {
  name: 'chart-pdf',
  summary: `a ${DOCUMENTS * PAGES_EACH}-page chart to one PDF with contents and page numbers (target ${CHART_SECONDS_TARGET} s)`,
  run,
};
