import * as mupdf from 'mupdf';
import { DomainError } from '../../platform/errors.js';

/**
 * A region to black out on one page of a source document, in points from the page's top-left corner,
 * as the clerk sees the page (1 point = 1/72 inch).
 */
export interface RedactionBox {
  /** Which page of the source, from 1. */
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

const outside = (field: string, message: string) => new DomainError('invalid', 'release.redaction-outside-page', message, [{ field, message }]);

/**
 * Burns redactions into a PDF: what lies under each box (text, images, drawings) is removed from the
 * page's content, not merely covered, and a black box is drawn in its place. Boxes must lie within
 * their page; a box outside it is refused, naming it (`field` is `${label}[i]`), and nothing is made.
 */
export function burnInRedactions(pdf: Uint8Array, boxes: RedactionBox[], label = 'redactions'): Uint8Array {
  if (!boxes.length) return pdf;
  const doc = mupdf.Document.openDocument(pdf, 'application/pdf');
  try {
    if (!(doc instanceof mupdf.PDFDocument)) throw new DomainError('invalid', 'release.not-pdf', 'Only PDF pages can be redacted.');
    const pageCount = doc.countPages();
    const byPage = new Map<number, { box: RedactionBox; index: number }[]>();
    boxes.forEach((box, index) => {
      const field = `${label}[${index}]`;
      if (!Number.isInteger(box.page) || box.page < 1 || box.page > pageCount) throw outside(field, `Page ${box.page} is not a page of the document (it has ${pageCount}).`);
      if (![box.x, box.y, box.width, box.height].every(Number.isFinite) || box.width <= 0 || box.height <= 0) {
        throw outside(field, 'A redaction box needs a position and a width and height above zero.');
      }
      byPage.set(box.page, [...(byPage.get(box.page) ?? []), { box, index }]);
    });
    for (const [pageNumber, onPage] of byPage) {
      const page = doc.loadPage(pageNumber - 1);
      const [left, top, right, bottom] = page.getBounds();
      for (const { box, index } of onPage) {
        if (box.x < 0 || box.y < 0 || box.x + box.width > right - left + 0.01 || box.y + box.height > bottom - top + 0.01) {
          throw outside(`${label}[${index}]`, `The box lies outside page ${pageNumber} (${Math.round(right - left)} by ${Math.round(bottom - top)} points).`);
        }
        const annotation = page.createAnnotation('Redact');
        annotation.setRect([left + box.x, top + box.y, left + box.x + box.width, top + box.y + box.height]);
      }
      page.applyRedactions(true, mupdf.PDFPage.REDACT_IMAGE_PIXELS, mupdf.PDFPage.REDACT_LINE_ART_REMOVE_IF_COVERED, mupdf.PDFPage.REDACT_TEXT_REMOVE);
    }
    return doc.saveToBuffer('garbage,compress').asUint8Array().slice();
  } finally {
    doc.destroy();
  }
}
