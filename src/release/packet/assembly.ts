import { degrees, PDFDocument, rgb, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import { DomainError } from '../../platform/errors.js';
import { burnInRedactions, type RedactionBox } from './redaction.js';

/** One part of a release packet, already a PDF: the cover letter, a notice, or a released document. */
export interface PacketPart {
  kind: 'cover-letter' | 'notice' | 'document';
  /** What the part is, for the page map (a document's title and date, "Redisclosure notice"). */
  title: string;
  pdf: Uint8Array;
  /** Only documents are redacted. */
  redactions?: RedactionBox[];
}

export interface PacketPlan {
  /** The request's number, stamped on every page with the page's place in the packet. */
  requestNumber: string;
  /** The confidentiality line at the foot of every page. */
  footer: string;
  parts: PacketPart[];
}

/** Where each page of the packet came from, for the quality check ("every page belongs to the patient"). */
export interface PacketPage {
  page: number;
  part: number;
  kind: PacketPart['kind'];
  title: string;
  sourcePage: number;
}

export interface Packet {
  pdf: Uint8Array;
  pageCount: number;
  pages: PacketPage[];
}

const STAMP_SIZE = 7.5;
const MARGIN = 14;

/** Draws text horizontally as the reader sees the page, whatever the page's /Rotate. */
function drawUpright(page: PDFPage, font: PDFFont, text: string, at: 'bottom-left' | 'bottom-right'): void {
  const { width, height } = page.getSize();
  const angle = ((page.getRotation().angle % 360) + 360) % 360;
  // The page as seen: rotated pages swap width and height.
  const seenWidth = angle === 90 || angle === 270 ? height : width;
  const textWidth = font.widthOfTextAtSize(text, STAMP_SIZE);
  const sx = at === 'bottom-left' ? MARGIN : seenWidth - MARGIN - textWidth;
  const sy = MARGIN - 4;
  // Map the seen position (sx, sy from the seen bottom-left) back to the page's own coordinates.
  const [x, y] = angle === 90 ? [width - sy, sx] : angle === 180 ? [width - sx, height - sy] : angle === 270 ? [sy, height - sx] : [sx, sy];
  page.drawText(text, { x, y, size: STAMP_SIZE, font, color: rgb(0.15, 0.15, 0.15), rotate: degrees(angle) });
}

/** Keeps what Helvetica (WinAnsi) can draw; anything else becomes "?". */
const drawable = (font: PDFFont, text: string) => {
  const charset = new Set(font.getCharacterSet());
  return [...text].map((c) => (charset.has(c.codePointAt(0)!) ? c : '?')).join('');
};

/**
 * Assembles a release packet: the parts in order, redactions burned into the documents, and on every
 * page the confidentiality footer and "Request <number> - page n of N". A part that is not a readable
 * PDF, or a redaction outside its page, is refused with the part named, and nothing is made.
 */
export async function assemblePacket(plan: PacketPlan): Promise<Packet> {
  if (!plan.parts.length) throw new DomainError('invalid', 'release.packet-empty', 'The packet has nothing in it.');
  const out = await PDFDocument.create();
  out.setTitle(`Release of information, request ${plan.requestNumber}`);
  out.setProducer('Chartroom');
  const font = await out.embedFont(StandardFonts.Helvetica);
  const pages: PacketPage[] = [];
  for (const [index, part] of plan.parts.entries()) {
    const bytes = part.redactions?.length ? burnInRedactions(part.pdf, part.redactions, `parts[${index}].redactions`) : part.pdf;
    let source: PDFDocument;
    try {
      source = await PDFDocument.load(bytes, { updateMetadata: false });
    } catch {
      throw new DomainError('invalid', 'release.packet-part', `Part ${index + 1} (${part.title}) is not a readable PDF.`, [{ field: `parts[${index}]`, message: 'Not a readable PDF.' }]);
    }
    const copied = await out.copyPages(source, source.getPageIndices());
    copied.forEach((page, i) => {
      out.addPage(page);
      pages.push({ page: pages.length + 1, part: index, kind: part.kind, title: part.title, sourcePage: i + 1 });
    });
  }
  const total = pages.length;
  const footer = drawable(font, plan.footer);
  const request = drawable(font, plan.requestNumber);
  out.getPages().forEach((page, i) => {
    drawUpright(page, font, footer, 'bottom-left');
    drawUpright(page, font, `Request ${request} - page ${i + 1} of ${total}`, 'bottom-right');
  });
  return { pdf: await out.save({ objectsPerTick: Infinity }), pageCount: total, pages };
}
