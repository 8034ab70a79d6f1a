import { promisify } from 'node:util';
import { deflate } from 'node:zlib';
import { PDFDocument, concatTransformationMatrix, drawObject, popGraphicsState, pushGraphicsState, type PDFRef } from 'pdf-lib';
import sharp from 'sharp';
import { PAGE } from '../../platform/pdf/sheet.js';

/** Image kinds a document may be, all of which turn into PDF pages. */
export type ImageContentType = 'image/jpeg' | 'image/png' | 'image/tiff';

const POINTS_PER_INCH = 72;
/** A resolution below this is not a scanner's: the image is fitted to a Letter page instead. */
const MIN_SCAN_DPI = 50;
const deflateAsync = promisify(deflate);

/** The page an image is drawn on: its physical size when its resolution is known, else fitted to Letter. */
export function pageSizeFor(width: number, height: number, dpi: number | undefined): { page: [number, number]; image: { x: number; y: number; width: number; height: number } } {
  if (dpi && dpi >= MIN_SCAN_DPI) {
    const w = (width / dpi) * POINTS_PER_INCH;
    const h = (height / dpi) * POINTS_PER_INCH;
    return { page: [w, h], image: { x: 0, y: 0, width: w, height: h } };
  }
  const landscape = width > height;
  const [pw, ph] = landscape ? [PAGE.height, PAGE.width] : [PAGE.width, PAGE.height];
  const scale = Math.min(pw / width, ph / height);
  const w = width * scale;
  const h = height * scale;
  return { page: [pw, ph], image: { x: (pw - w) / 2, y: (ph - h) / 2, width: w, height: h } };
}

/** True when every grey sample is pure black or pure white (a bilevel scan, as most document scanners make). */
export function isBilevel(samples: Uint8Array): boolean {
  for (let i = 0; i < samples.length; i++) if (samples[i] !== 0 && samples[i] !== 255) return false;
  return true;
}

/** Grey samples (one byte a pixel) packed to one bit a pixel, each row to a whole byte, 1 for white (PDF DeviceGray). */
export function packBits(samples: Uint8Array, width: number, height: number): Uint8Array {
  const rowBytes = Math.ceil(width / 8);
  const packed = new Uint8Array(rowBytes * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const out = y * rowBytes;
    for (let x = 0; x < width; x++) if (samples[row + x] > 127) packed[out + (x >> 3)] |= 0x80 >> (x & 7);
  }
  return packed;
}

/**
 * One image page as a PDF image of its own pixels: decoded by libvips (upright, alpha flattened on
 * white), grey or RGB, one bit a pixel when the scan is black and white, deflated by zlib off the
 * main thread. pdf-lib's own PNG path decodes in JavaScript, about a hundred times slower on a scan.
 */
async function embedPixels(doc: PDFDocument, bytes: Buffer, page: number, grey: boolean, hasAlpha: boolean): Promise<{ ref: PDFRef; width: number; height: number }> {
  let image = sharp(bytes, { page, limitInputPixels: false }).rotate();
  if (hasAlpha) image = image.flatten({ background: '#ffffff' });
  image = grey ? image.toColourspace('b-w').extractChannel(0) : image.toColourspace('srgb');
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== (grey ? 1 : 3)) throw new Error('unexpected channels');
  const bilevel = grey && isBilevel(data);
  const samples = bilevel ? packBits(data, info.width, info.height) : data;
  const stream = doc.context.stream(await deflateAsync(samples), {
    Type: 'XObject', Subtype: 'Image', Width: info.width, Height: info.height,
    ColorSpace: grey ? 'DeviceGray' : 'DeviceRGB', BitsPerComponent: bilevel ? 1 : 8, Filter: 'FlateDecode',
  });
  return { ref: doc.context.register(stream), width: info.width, height: info.height };
}

async function embedAsPng(doc: PDFDocument, bytes: Buffer, page: number): Promise<{ ref: PDFRef; width: number; height: number }> {
  const png = await doc.embedPng(await sharp(bytes, { page, limitInputPixels: false }).rotate().toColourspace('srgb').png({ compressionLevel: 1 }).toBuffer());
  return { ref: png.ref, width: png.width, height: png.height };
}

/** pdf-lib's JPEG reader reads the whole underlying ArrayBuffer, ignoring a view's offset: give it bytes of their own. */
const ownBuffer = (bytes: Buffer): Uint8Array => (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes));

/**
 * Adds one page per image page (every page of a TIFF) to `doc`. A JPEG in RGB or grey without an EXIF
 * rotation is embedded as it is (no re-encoding, no loss); anything else is embedded losslessly from
 * its pixels (see embedPixels).
 */
export async function addImagePages(doc: PDFDocument, bytes: Buffer, contentType: ImageContentType): Promise<number> {
  const first = await sharp(bytes, { limitInputPixels: false }).metadata();
  const pages = contentType === 'image/tiff' ? (first.pages ?? 1) : 1;
  for (let page = 0; page < pages; page++) {
    const meta = page === 0 ? first : await sharp(bytes, { page, limitInputPixels: false }).metadata();
    if (contentType === 'image/jpeg' && (meta.orientation ?? 1) === 1 && meta.space !== 'cmyk') {
      const image = await doc.embedJpg(ownBuffer(bytes));
      const layout = pageSizeFor(image.width, image.height, meta.density);
      doc.addPage(layout.page).drawImage(image, layout.image);
      continue;
    }
    const grey = meta.space === 'b-w' || meta.space === 'grey16' || (meta.channels ?? 3) <= 2;
    // Some layouts (a grey page with an odd alpha channel) cannot be flattened by libvips: then the pixels as they are, then PNG.
    const image = await embedPixels(doc, bytes, page, grey, meta.hasAlpha ?? false)
      .catch(() => embedPixels(doc, bytes, page, grey, false))
      .catch(() => embedAsPng(doc, bytes, page));
    const layout = pageSizeFor(image.width, image.height, meta.density);
    const pdfPage = doc.addPage(layout.page);
    const name = pdfPage.node.newXObject('Scan', image.ref);
    const { x, y, width, height } = layout.image;
    pdfPage.pushOperators(pushGraphicsState(), concatTransformationMatrix(width, 0, 0, height, x, y), drawObject(name), popGraphicsState());
  }
  return pages;
}

/** An image document (JPEG, PNG, or a TIFF of any number of pages) as a PDF, one page per image page. */
export async function imageToPdf(bytes: Buffer, contentType: ImageContentType, title?: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setProducer('Chartroom');
  if (title) doc.setTitle(title);
  await addImagePages(doc, bytes, contentType);
  return doc.save();
}
