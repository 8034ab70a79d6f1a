import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';

export type BatchContentType = 'application/pdf' | 'image/tiff';

/** The file name a document made from a batch's pages is filed under. */
export const segmentFileName = (batchId: string, first: number, last: number) => `scan-${batchId.slice(-8)}-pages-${first}-${last}.pdf`;

/**
 * Makes documents (PDFs) of runs of a batch's pages: a PDF batch's pages are copied as they are
 * (pdf-lib copyPages, no re-rendering), a TIFF batch's pages are embedded as images at their scanned
 * size.
 */
export async function openSegmentMaker(bytes: Buffer, contentType: BatchContentType): Promise<(firstPage: number, lastPage: number) => Promise<Buffer>> {
  const numbers = (first: number, last: number) => Array.from({ length: last - first + 1 }, (_, i) => first + i);
  if (contentType === 'application/pdf') {
    const source = await PDFDocument.load(bytes, { updateMetadata: false });
    return async (first, last) => {
      const pdf = await PDFDocument.create();
      for (const page of await pdf.copyPages(source, numbers(first, last).map((n) => n - 1))) pdf.addPage(page);
      return Buffer.from(await pdf.save());
    };
  }
  return async (first, last) => {
    const pdf = await PDFDocument.create();
    for (const n of numbers(first, last)) {
      const image = sharp(bytes, { page: n - 1 });
      const { density } = await image.metadata();
      const png = await image.png().toBuffer();
      const embedded = await pdf.embedPng(png);
      const dpi = density && density > 0 ? density : 72;
      const [width, height] = [embedded.width * 72 / dpi, embedded.height * 72 / dpi];
      pdf.addPage([width, height]).drawImage(embedded, { x: 0, y: 0, width, height });
    }
    return Buffer.from(await pdf.save());
  };
}
