import { describe, expect, it } from 'vitest';
import * as mupdf from 'mupdf';
import { degrees, PDFDocument, StandardFonts } from 'pdf-lib';
import { samplePdf } from '../../../test/support/documents.js';
import { DomainError } from '../../platform/errors.js';
import { assemblePacket } from './assembly.js';

/** Each page's text as mupdf reads it (what a recipient's viewer or copy-paste would find). */
function pageTexts(pdf: Uint8Array): string[] {
  const doc = mupdf.Document.openDocument(pdf, 'application/pdf');
  try {
    return Array.from({ length: doc.countPages() }, (_, i) => doc.loadPage(i).toStructuredText('preserve-whitespace').asText());
  } finally {
    doc.destroy();
  }
}

type Box = { x: number; y: number; w: number; h: number };

/** Each line of a page with its box, as the reader sees the page (y down from the top), and the page's seen size. */
function seenLines(pdf: Uint8Array, page: number): { size: [number, number]; lines: { text: string; bbox: Box }[] } {
  const doc = mupdf.Document.openDocument(pdf, 'application/pdf');
  try {
    const loaded = doc.loadPage(page);
    const [x0, y0, x1, y1] = loaded.getBounds();
    const json = JSON.parse(loaded.toStructuredText('preserve-whitespace').asJSON()) as { blocks: { lines?: { text: string; bbox: Box }[] }[] };
    return { size: [x1 - x0, y1 - y0], lines: json.blocks.flatMap((b) => b.lines ?? []) };
  } finally {
    doc.destroy();
  }
}

const FOOTER = 'CONFIDENTIAL: protected health information';

describe('assembling a release packet', () => {
  it('puts the parts in order and stamps every page with the request number, its place, and the footer', async () => {
    const packet = await assemblePacket({
      requestNumber: 'R-2026-000042',
      footer: FOOTER,
      parts: [
        { kind: 'cover-letter', title: 'Cover letter', pdf: await samplePdf(1, 'Dear Ms Quill') },
        { kind: 'document', title: 'Discharge summary', pdf: await samplePdf(3, 'Discharge summary') },
        { kind: 'document', title: 'Progress note', pdf: await samplePdf(2, 'Progress note') },
      ],
    });
    expect(packet.pageCount).toBe(6);
    const texts = pageTexts(packet.pdf);
    expect(texts).toHaveLength(6);
    expect(texts[0]).toContain('Dear Ms Quill');
    expect(texts[3]).toContain('Discharge summary, page 3');
    expect(texts[5]).toContain('Progress note, page 2');
    texts.forEach((text, i) => {
      expect(text).toContain(`Request R-2026-000042 - page ${i + 1} of 6`);
      expect(text).toContain(FOOTER);
    });
    expect(packet.pages.map((p) => [p.page, p.kind, p.title, p.sourcePage])).toEqual([
      [1, 'cover-letter', 'Cover letter', 1],
      [2, 'document', 'Discharge summary', 1], [3, 'document', 'Discharge summary', 2], [4, 'document', 'Discharge summary', 3],
      [5, 'document', 'Progress note', 1], [6, 'document', 'Progress note', 2],
    ]);
  });

  it('removes what lies under a redaction box from the page, not merely covering it', async () => {
    // samplePdf writes its line at 72 points from the left, 700 up from the bottom: 80 to 92 down from the top.
    const packet = await assemblePacket({
      requestNumber: 'R-1', footer: FOOTER,
      parts: [{ kind: 'document', title: 'Note', pdf: await samplePdf(2, 'HIV test positive'), redactions: [{ page: 2, x: 60, y: 70, width: 300, height: 30 }] }],
    });
    const [first, second] = pageTexts(packet.pdf);
    expect(first).toContain('HIV test positive, page 1');
    expect(second).not.toContain('HIV');
    expect(second).toContain('Request R-1 - page 2 of 2');
  });

  it('refuses a redaction box outside its page or on a page the document lacks, naming it, and makes nothing', async () => {
    const pdf = await samplePdf(1);
    const refused = async (box: { page: number; x: number; y: number; width: number; height: number }) => {
      const err = await assemblePacket({ requestNumber: 'R-1', footer: FOOTER, parts: [{ kind: 'document', title: 'Note', pdf, redactions: [box] }] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).code).toBe('release.redaction-outside-page');
      return (err as DomainError).fieldErrors[0]?.field;
    };
    expect(await refused({ page: 1, x: 500, y: 10, width: 200, height: 20 })).toBe('parts[0].redactions[0]');
    expect(await refused({ page: 1, x: 10, y: -5, width: 20, height: 20 })).toBe('parts[0].redactions[0]');
    expect(await refused({ page: 2, x: 10, y: 10, width: 20, height: 20 })).toBe('parts[0].redactions[0]');
    expect(await refused({ page: 1, x: 10, y: 10, width: 0, height: 20 })).toBe('parts[0].redactions[0]');
  });

  it('refuses a part that is not a PDF', async () => {
    const err = await assemblePacket({ requestNumber: 'R-1', footer: FOOTER, parts: [{ kind: 'document', title: 'Scan', pdf: new TextEncoder().encode('not a pdf') }] }).catch((e: unknown) => e);
    expect((err as DomainError).code).toBe('release.packet-part');
  });

  it('stamps a rotated (landscape-scanned) page so the stamp reads left to right as the page is seen', async () => {
    const source = await PDFDocument.create();
    const font = await source.embedFont(StandardFonts.Helvetica);
    for (const angle of [90, 180, 270]) {
      const page = source.addPage([612, 792]);
      page.setRotation(degrees(angle));
      page.drawText(`rotated ${angle}`, { x: 72, y: 400, size: 12, font });
    }
    const packet = await assemblePacket({ requestNumber: 'R-7', footer: FOOTER, parts: [{ kind: 'document', title: 'Scan', pdf: await source.save() }] });
    for (const page of [0, 1, 2]) {
      const { size: [width, height], lines } = seenLines(packet.pdf, page);
      const stamp = lines.find((l) => l.text.startsWith('Request R-7'))?.bbox;
      expect(stamp, `page ${page + 1}`).toBeDefined();
      // Wider than tall (it runs across the page as seen), at the seen page's bottom right.
      expect(stamp!.w).toBeGreaterThan(stamp!.h * 4);
      expect(stamp!.y).toBeGreaterThan(height - 30);
      expect(stamp!.x + stamp!.w).toBeGreaterThan(width - 30);
    }
  });
});
