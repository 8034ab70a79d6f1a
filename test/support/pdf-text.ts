import * as mupdf from 'mupdf';
import { decodePDFRawStream, PDFArray, PDFDocument, PDFName, PDFRawStream, type PDFObject } from 'pdf-lib';

/** The decoded bytes of a page's content: one stream, or an array of them, each through its filters. */
function contentOf(doc: PDFDocument, contents: PDFObject | undefined): string {
  const resolved = contents ? doc.context.lookup(contents) : undefined;
  const streams = resolved instanceof PDFArray ? resolved.asArray().map((ref) => doc.context.lookup(ref)) : [resolved];
  return streams
    .filter((s): s is PDFRawStream => s instanceof PDFRawStream)
    .map((s) => Buffer.from(decodePDFRawStream(s).decode()).toString('latin1'))
    .join('\n');
}

/**
 * The text a PDF drawn with standard fonts shows, page by page and line by line: each page's content
 * streams are decoded through their filters and their hex-string text operators read. Enough to
 * assert what a printed form says. (Streams are found through the page tree, never by searching the
 * file's bytes: compressed content can hold any byte sequence.)
 */
export async function pdfText(bytes: Uint8Array): Promise<{ pages: number; lines: string[] }> {
  const doc = await PDFDocument.load(bytes);
  const lines: string[] = [];
  for (const page of doc.getPages()) {
    const content = contentOf(doc, page.node.get(PDFName.of('Contents')));
    for (const t of content.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) lines.push(Buffer.from(t[1], 'hex').toString('latin1'));
  }
  return { pages: doc.getPageCount(), lines };
}

/**
 * Each page's text as a PDF reader finds it (mupdf's text extraction: what a recipient could select
 * and copy), whatever wrote the page: pdf-lib's hex strings and mupdf's rewritten content alike. For
 * asserting that a redaction removed text while the rest of the page kept it.
 */
export function pdfPageTexts(bytes: Uint8Array): string[] {
  const doc = mupdf.Document.openDocument(bytes, 'application/pdf');
  try {
    return Array.from({ length: doc.countPages() }, (_, i) => doc.loadPage(i).toStructuredText('preserve-whitespace').asText());
  } finally {
    doc.destroy();
  }
}
