import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { PAGE } from '../../platform/pdf/sheet.js';

/** Image kinds a document may be, all of which turn into PDF pages. */
export type ImageContentType = 'image/jpeg' | 'image/png' | 'image/tiff';

const POINTS_PER_INCH = 72;
/** A resolution below this is not a scanner's: the image is fitted to a Letter page instead. */
const MIN_SCAN_DPI = 50;

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

/**
 * Adds one page per image page (every page of a TIFF) to `doc`. A JPEG in RGB or grey without an EXIF
 * rotation is embedded as it is (no re-encoding, no loss); anything else goes through sharp (libvips):
 * TIFF pages and rotated or CMYK JPEGs to lossless PNG, so a scan loses nothing on the way.
 */
export async function addImagePages(doc: PDFDocument, bytes: Buffer, contentType: ImageContentType): Promise<number> {
  const first = await sharp(bytes, { limitInputPixels: false }).metadata();
  const pages = contentType === 'image/tiff' ? (first.pages ?? 1) : 1;
  for (let page = 0; page < pages; page++) {
    const meta = page === 0 ? first : await sharp(bytes, { page, limitInputPixels: false }).metadata();
    const asIs = contentType === 'image/jpeg' && (meta.orientation ?? 1) === 1 && meta.space !== 'cmyk';
    const image = asIs
      ? await doc.embedJpg(ownBuffer(bytes))
      : contentType === 'image/png' && !meta.orientation
        ? await doc.embedPng(ownBuffer(bytes))
        : await doc.embedPng(await normalisedPng(bytes, page, meta.space === 'cmyk'));
    const layout = pageSizeFor(image.width, image.height, meta.density);
    doc.addPage(layout.page).drawImage(image, layout.image);
  }
  return pages;
}

/** pdf-lib's JPEG reader reads the whole underlying ArrayBuffer, ignoring a view's offset: give it bytes of their own. */
const ownBuffer = (bytes: Buffer): Uint8Array => (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes));

/** One image page as PNG, upright (EXIF orientation applied), in RGB when it was CMYK. */
function normalisedPng(bytes: Buffer, page: number, cmyk: boolean): Promise<Buffer> {
  let image = sharp(bytes, { page, limitInputPixels: false }).rotate();
  if (cmyk) image = image.toColourspace('srgb');
  return image.png({ compressionLevel: 1 }).toBuffer();
}

/** An image document (JPEG, PNG, or a TIFF of any number of pages) as a PDF, one page per image page. */
export async function imageToPdf(bytes: Buffer, contentType: ImageContentType, title?: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setProducer('Chartroom');
  if (title) doc.setTitle(title);
  await addImagePages(doc, bytes, contentType);
  return doc.save();
}
