import * as mupdf from 'mupdf';

/** A page's size as the clerk sees it (rotation applied), in points (1/72 inch). */
export interface PageSize {
  /** From 1. */
  page: number;
  width: number;
  height: number;
}

/** Pages are shown a little larger than their size in points, so small print stays legible. */
export const PREVIEW_SCALE = 1.25;

/** Opens a PDF for reading, and always frees mupdf's memory after. */
export function withPdfDocument<T>(pdf: Uint8Array, read: (doc: mupdf.Document) => T): T {
  const doc = mupdf.Document.openDocument(pdf, 'application/pdf');
  try {
    return read(doc);
  } finally {
    doc.destroy();
  }
}

/**
 * Every page's seen size: mupdf's page bounds, the same box redaction positions are measured from
 * (src/release/packet/redaction.ts), so pixels on the preview map to points exactly.
 */
export function pageSizesOf(doc: mupdf.Document): PageSize[] {
  return Array.from({ length: doc.countPages() }, (_, i) => {
    const [left, top, right, bottom] = doc.loadPage(i).getBounds();
    return { page: i + 1, width: right - left, height: bottom - top };
  });
}

/** One page (from 1) as a PNG at PREVIEW_SCALE, white behind, as the page is seen. */
export function pageImageOf(doc: mupdf.Document, page: number): Uint8Array {
  const pixmap = doc.loadPage(page - 1).toPixmap(mupdf.Matrix.scale(PREVIEW_SCALE, PREVIEW_SCALE), mupdf.ColorSpace.DeviceRGB, false, true);
  return pixmap.asPNG().slice();
}
