import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { createKeyring } from '../src/platform/crypto.js';
import { createFileBlobStore } from '../src/platform/blobs/index.js';
import { renderSheet } from '../src/platform/pdf/sheet.js';
import { assemblePacket, type PacketPart } from '../src/release/packet/assembly.js';
import { formatNumber, printRow, type BenchOptions, type BenchResult, type Benchmark, type Row } from './report.js';

const PACKET_PAGES = 500;
const PAGES_PER_DOCUMENT = 10;
const PACKET_TARGET_PAGES_PER_SECOND = 1_000;
const LETTER_TARGET_PAGES_PER_SECOND = 300;

/** A clinical note of `pages` full pages of text, as documents typed into other systems arrive. */
async function clinicalNote(pages: number, n: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let p = 0; p < pages; p++) {
    const page = doc.addPage([612, 792]);
    for (let line = 0; line < 48; line++) {
      page.drawText(`Note ${n} page ${p + 1} line ${line + 1}: patient seen, vitals stable, plan reviewed with the attending physician.`, { x: 54, y: 740 - line * 14, size: 9, font });
    }
  }
  return doc.save();
}

const LETTER = 'We received your request for copies of your health information on 2 November 2026. '.repeat(12);

/**
 * Issue 6's release packet: 500 pages of stored (encrypted) PDFs read back, assembled into one PDF with
 * a cover letter, and every page stamped with the request number, page n of N and the confidentiality
 * footer (target: at most 3 s, 1,000 pages/s); and generated letters (target 300 pages/s). Pure PDF
 * work over the blob store: measured once, on the SQLite pass.
 */
async function run({ dialect, quick, log }: BenchOptions): Promise<BenchResult> {
  if (dialect !== 'sqlite') {
    log('PDF work over the blob store, no database: measured once, on the SQLite pass');
    return { rows: [], problems: [] };
  }
  const rows: Row[] = [];
  const problems: string[] = [];
  const dir = mkdtempSync(join(os.tmpdir(), 'chartroom-bench-packet-'));
  try {
    const blobs = createFileBlobStore(join(dir, 'blobs'), createKeyring(randomBytes(32)));
    const stored: { sha256: string; title: string }[] = [];
    for (let n = 0; n < PACKET_PAGES / PAGES_PER_DOCUMENT; n++) {
      const { sha256 } = await blobs.put(Buffer.from(await clinicalNote(PAGES_PER_DOCUMENT, n)));
      stored.push({ sha256, title: `Progress note ${n + 1}` });
    }
    log(`packet: ${stored.length} stored PDFs of ${PAGES_PER_DOCUMENT} text pages each, encrypted in the blob store, plus a generated cover letter`);
    const runs = quick ? 2 : 4;
    let best = Infinity;
    let pageCount = 0;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const cover = await renderSheet({ title: 'Release of information', organisation: 'Riverside General Hospital', now: new Date() }, (s) => s.paragraph(LETTER));
      const parts: PacketPart[] = [{ kind: 'cover-letter', title: 'Cover letter', pdf: cover }];
      for (const s of stored) parts.push({ kind: 'document', title: s.title, pdf: await blobs.get(s.sha256) });
      const packet = await assemblePacket({ requestNumber: 'R-2026-000001', footer: 'CONFIDENTIAL: protected health information. Redisclosure may be prohibited by law.', parts });
      best = Math.min(best, performance.now() - started);
      pageCount = packet.pageCount;
    }
    if (pageCount < PACKET_PAGES) problems.push(`release-packet: the packet has ${pageCount} pages, expected at least ${PACKET_PAGES}`);
    const packetRow: Row = {
      name: 'release packet assemble + stamp', dialect, figure: pageCount / (best / 1000), unit: 'pages/s', target: PACKET_TARGET_PAGES_PER_SECOND,
      note: `${formatNumber(pageCount)} pages in ${formatNumber(best)} ms (best of ${runs}; target at most 3,000 ms), read from the encrypted store`,
    };
    rows.push(packetRow);
    printRow(packetRow, log);

    const letters = quick ? 50 : 200;
    const started = performance.now();
    const made: Uint8Array[] = [];
    for (let i = 0; i < letters; i++) {
      made.push(await renderSheet({ title: 'Release of information', organisation: 'Riverside General Hospital', now: new Date() }, (s) => {
        s.section('Request R-2026-000001');
        s.fields([['Patient', 'QUILL, Margaret'], ['MRN', 'M000123-4']]);
        s.paragraph(LETTER.repeat(4));
      }));
    }
    const seconds = (performance.now() - started) / 1000;
    // Pages counted in the letters made, after the clock stops: reading them back is not making them.
    let letterPages = 0;
    for (const pdf of made) letterPages += (await PDFDocument.load(pdf, { updateMetadata: false })).getPageCount();
    if (letterPages < letters) problems.push(`release-packet: ${letters} letters have ${letterPages} pages, expected at least ${letters}`);
    const letterRow: Row = {
      name: 'generated letters', dialect, figure: letterPages / seconds, unit: 'pages/s', target: LETTER_TARGET_PAGES_PER_SECOND,
      note: `${letters} letters, ${letterPages} pages, ${formatNumber(seconds * 1000)} ms`,
    };
    rows.push(letterRow);
    printRow(letterRow, log);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { rows, problems };
}

export const releasePacket: Benchmark = {
  name: 'release-packet',
  summary: 'assemble and stamp a 500-page release packet from stored PDFs; generated letters (targets 1,000 and 300 pages/s)',
  run,
};
