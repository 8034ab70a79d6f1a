import { PDFDocument, StandardFonts, degrees, rgb, type PDFFont } from 'pdf-lib';
import type { AppContext } from '../../context.js';
import type { Principal } from '../../access/principal.js';
import type { PatientView } from '../../patients/index.js';
import { DomainError } from '../../platform/errors.js';
import { Sheet } from '../../platform/pdf/sheet.js';
import type { DocumentView } from '../document-record.js';
import { addImagePages, type ImageContentType } from './image-pdf.js';
import { recordChartUse, selectChart, type ChartSelection } from './chart-selection.js';

export interface ChartPdf {
  bytes: Uint8Array;
  pages: number;
  documents: number;
}

interface FrontMatter {
  facility: string;
  patient: PatientView;
  printedBy: string;
  printedAt: Date;
  documents: DocumentView[];
  totalPages: number;
}

const stamp = (d: Date): string => `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
export const patientNameOf = (p: PatientView): string => [`${p.family.toUpperCase()},`, p.given, p.middle, p.suffix].filter(Boolean).join(' ');

/**
 * The cover page and the table of contents, written into `doc`; answers how many pages they took.
 * The layout does not depend on the page numbers it shows (one line per document), so a first pass
 * with no numbers tells how long it is, and the second writes the real ones.
 */
function writeFrontMatter(doc: PDFDocument, fonts: { font: PDFFont; bold: PDFFont }, head: FrontMatter, firstPages: number[] | undefined): number {
  const before = doc.getPageCount();
  const p = head.patient;
  const sheet = new Sheet(doc, fonts.font, fonts.bold, `${head.facility} - medical record of MRN ${p.mrn} - printed ${stamp(head.printedAt)} - CONFIDENTIAL`);
  sheet.title(head.facility);
  sheet.line('Medical record');
  sheet.section('Patient');
  sheet.fields([['Name', patientNameOf(p)], ['MRN', p.mrn], ['Birth date', p.birthDate], ['Sex', p.sex]]);
  sheet.section('This copy');
  sheet.fields([['Printed by', head.printedBy], ['Printed', stamp(head.printedAt)], ['Documents', String(head.documents.length)], ['Pages', String(head.totalPages)]]);
  sheet.gap(12);
  sheet.paragraph('CONFIDENTIAL. This record contains protected health information. It is disclosed only as the law permits; '
    + 'the recipient may not disclose it further except as the law permits. If you received it in error, tell the sender and destroy it.');
  sheet.pageBreak();
  sheet.title('Contents');
  head.documents.forEach((d, i) => {
    const status = d.status === 'entered-in-error' ? ' (entered in error)' : d.status === 'amended' ? ' (amended)' : d.status === 'preliminary' ? ' (preliminary)' : '';
    sheet.entry(`${d.serviceDate}  ${d.type.display}${d.title ? `: ${d.title}` : ''}${status}`, firstPages ? `page ${firstPages[i]}` : 'page 00000');
  });
  return doc.getPageCount() - before;
}

/**
 * Where a footer goes on a page shown turned by `angle` (its /Rotate: 0, 90, 180 or 270): centred,
 * 12 pt above the bottom edge the reader sees, running the way the reader reads. Answers the text's
 * origin and the white band's, in the page's own (unturned) coordinates.
 */
export function footerPlacement(box: { x: number; y: number; width: number; height: number }, angle: number, textWidth: number) {
  const a = ((angle % 360) + 360) % 360;
  const seenWidth = a === 90 || a === 270 ? box.height : box.width;
  const u = Math.max(4, (seenWidth - textWidth) / 2);
  const v = 12;
  // The reader's (u, v) from their bottom-left corner, in the page's coordinates.
  const [x, y] = a === 90 ? [box.width - v, u] : a === 180 ? [box.width - u, box.height - v] : a === 270 ? [v, box.height - u] : [u, v];
  const rad = (a * Math.PI) / 180;
  const turn = (dx: number, dy: number) => [Math.round(dx * Math.cos(rad) - dy * Math.sin(rad)), Math.round(dx * Math.sin(rad) + dy * Math.cos(rad))];
  const [bx, by] = turn(-4, -4);
  return { angle: a, text: { x: box.x + x, y: box.y + y }, band: { x: box.x + x + bx, y: box.y + y + by, width: textWidth + 8, height: 13 } };
}

/** "<name> · MRN · Page n of N" at the foot of every page, on a white band so it reads over a full-page scan. */
function stampFooters(doc: PDFDocument, font: PDFFont, name: string, mrn: string): void {
  const pages = doc.getPages();
  const charset = new Set(font.getCharacterSet());
  const printable = (t: string) => [...t.normalize('NFC')].map((c) => (charset.has(c.codePointAt(0)!) ? c : '?')).join('');
  const who = printable(`${name} \u00b7 MRN ${mrn}`);
  pages.forEach((page, i) => {
    const text = `${who} \u00b7 Page ${i + 1} of ${pages.length}`;
    const place = footerPlacement(page.getCropBox(), page.getRotation().angle, font.widthOfTextAtSize(text, 8));
    page.drawRectangle({ ...place.band, rotate: degrees(place.angle), color: rgb(1, 1, 1) });
    page.drawText(text, { ...place.text, rotate: degrees(place.angle), size: 8, font, color: rgb(0.15, 0.15, 0.15) });
  });
}

/**
 * The patient's chart, or the documents chosen, as one PDF: a cover page, a table of contents with
 * each document's first page, every document's pages (current versions; images converted), and the
 * patient, MRN and "Page n of N" on every page. Audited as a print naming the documents.
 */
export async function printChart(ctx: AppContext, principal: Principal, patientId: string, selection: ChartSelection): Promise<ChartPdf> {
  const chart = await selectChart(ctx, principal, patientId, selection);
  const printedAt = ctx.clock.now();
  const documentPages = chart.documents.reduce((n, d) => n + d.content.pageCount, 0);
  const head = { facility: ctx.config.facilityName, patient: chart.patient, printedBy: principal.name, printedAt, documents: chart.documents };

  const scratch = await PDFDocument.create();
  const frontPages = writeFrontMatter(scratch, { font: await scratch.embedFont(StandardFonts.Helvetica), bold: await scratch.embedFont(StandardFonts.HelveticaBold) }, { ...head, totalPages: 0 }, undefined);
  const firstPages: number[] = [];
  let next = frontPages + 1;
  for (const d of chart.documents) {
    firstPages.push(next);
    next += d.content.pageCount;
  }
  const totalPages = frontPages + documentPages;

  const out = await PDFDocument.create();
  out.setTitle(`Medical record, MRN ${chart.patient.mrn}`);
  out.setProducer('Chartroom');
  out.setCreationDate(printedAt);
  const font = await out.embedFont(StandardFonts.Helvetica);
  const bold = await out.embedFont(StandardFonts.HelveticaBold);
  writeFrontMatter(out, { font, bold }, { ...head, totalPages }, firstPages);

  // The next document's content is read (and decrypted) while this one is copied.
  let pending = ctx.blobs.get(chart.documents[0].content.sha256);
  for (let i = 0; i < chart.documents.length; i++) {
    const d = chart.documents[i];
    const bytes = await pending;
    if (i + 1 < chart.documents.length) pending = ctx.blobs.get(chart.documents[i + 1].content.sha256);
    const before = out.getPageCount();
    if (d.content.contentType === 'application/pdf') {
      const source = await PDFDocument.load(bytes, { updateMetadata: false });
      for (const page of await out.copyPages(source, source.getPageIndices())) out.addPage(page);
    } else {
      await addImagePages(out, bytes, d.content.contentType as ImageContentType);
    }
    if (out.getPageCount() - before !== d.content.pageCount) {
      throw new DomainError('internal', 'chart.page-count', 'A document has a different number of pages than was recorded when it was filed; the chart was not printed.');
    }
  }
  stampFooters(out, font, patientNameOf(chart.patient), chart.patient.mrn);
  const bytes = await out.save({ objectsPerTick: Number.POSITIVE_INFINITY });
  await recordChartUse(ctx, principal, chart, 'print', { pages: totalPages });
  return { bytes, pages: totalPages, documents: chart.documents.length };
}
