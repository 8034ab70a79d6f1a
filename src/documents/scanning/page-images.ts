import * as mupdf from 'mupdf';
import sharp from 'sharp';
import type { PagePixels } from './barcodes.js';

/** The resolution pages are rendered at: enough for a cover sheet's QR code and for a clerk to read a page. */
export const RENDER_DPI = 100;

/** A scanned batch, page by page, as images. */
export interface BatchPages {
  readonly pageCount: number;
  /** Page `index` (0-based) as RGBA pixels, for the barcode reader. */
  pixels(index: number): Promise<PagePixels>;
  /** Page `index` (0-based) as a PNG, for the clerk's eyes. */
  png(index: number): Promise<Buffer>;
  close(): void;
}

/** Opens a batch already checked by the document content checks (a PDF or a TIFF). */
export function openBatchPages(bytes: Buffer, contentType: 'application/pdf' | 'image/tiff', pageCount: number): BatchPages {
  return contentType === 'application/pdf' ? openPdfPages(bytes) : openTiffPages(bytes, pageCount);
}

function openPdfPages(bytes: Buffer): BatchPages {
  const doc = mupdf.Document.openDocument(bytes, 'application/pdf');
  const scale = mupdf.Matrix.scale(RENDER_DPI / 72, RENDER_DPI / 72);
  const render = <T>(index: number, use: (pixmap: mupdf.Pixmap) => T): T => {
    const page = doc.loadPage(index);
    try {
      const pixmap = page.toPixmap(scale, mupdf.ColorSpace.DeviceRGB, true);
      try {
        return use(pixmap);
      } finally {
        pixmap.destroy();
      }
    } finally {
      page.destroy();
    }
  };
  return {
    pageCount: doc.countPages(),
    pixels: async (index) => render(index, (p) => {
      const samples = p.getPixels();
      return { data: new Uint8ClampedArray(samples.slice().buffer), width: p.getWidth(), height: p.getHeight() };
    }),
    png: async (index) => render(index, (p) => Buffer.from(p.asPNG())),
    close: () => doc.destroy(),
  };
}

function openTiffPages(bytes: Buffer, pageCount: number): BatchPages {
  // Scanners write 200-300 dpi; the reader and the clerk's screen need no more than RENDER_DPI.
  const page = async (index: number) => {
    const image = sharp(bytes, { page: index });
    const { density, width } = await image.metadata();
    const target = Math.max(1, Math.round((width ?? 850) * RENDER_DPI / (density && density > RENDER_DPI ? density : RENDER_DPI)));
    return image.resize({ width: target, withoutEnlargement: true }).flatten({ background: '#ffffff' });
  };
  return {
    pageCount,
    pixels: async (index) => {
      const { data, info } = await (await page(index)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      return { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
    },
    png: async (index) => (await page(index)).png().toBuffer(),
    close: () => {},
  };
}
