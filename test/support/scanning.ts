import * as mupdf from 'mupdf';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { samplePdf } from './documents.js';

/** A page of a PDF as a scanner would see it: rendered to a greyscale PNG at `dpi`. */
export function scanPdfPage(pdf: Uint8Array, pageIndex = 0, dpi = 150): Buffer {
  const doc = mupdf.Document.openDocument(pdf, 'application/pdf');
  try {
    const page = doc.loadPage(pageIndex);
    const pixmap = page.toPixmap(mupdf.Matrix.scale(dpi / 72, dpi / 72), mupdf.ColorSpace.DeviceGray, false);
    return Buffer.from(pixmap.asPNG());
  } finally {
    doc.destroy();
  }
}

/** A content page as scanned: a sample PDF page (with a line of text) rendered to an image. */
export async function scannedContentPage(text: string): Promise<Buffer> {
  return scanPdfPage(await samplePdf(1, text));
}

/** A batch PDF as a scanner makes it: each page one image, a US Letter page. */
export async function scannedBatchPdf(pages: Buffer[]): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  for (const png of pages) {
    const image = await pdf.embedPng(png);
    pdf.addPage([612, 792]).drawImage(image, { x: 0, y: 0, width: 612, height: 792 });
  }
  return Buffer.from(await pdf.save());
}

/** A multi-page TIFF as a scanner makes it, at 150 dpi. */
export async function scannedBatchTiff(pages: Buffer[]): Promise<Buffer> {
  const grey = await Promise.all(pages.map((p) => sharp(p).resize(1275, 1650, { fit: 'fill' }).greyscale().png().toBuffer()));
  return sharp(grey, { join: { animated: true } }).tiff({ compression: 'lzw', xres: 150 / 25.4, yres: 150 / 25.4 }).toBuffer();
}
