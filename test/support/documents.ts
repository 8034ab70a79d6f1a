import { crc32 } from 'node:zlib';
import { PDFDocument, PDFName, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';

/** A real PDF of `pages` pages, each with a line of text (readable back with test/support/pdf-text.ts). */
export async function samplePdf(pages = 1, text = 'Discharge summary'): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) pdf.addPage([612, 792]).drawText(`${text}, page ${i + 1}`, { x: 72, y: 700, size: 12, font });
  return Buffer.from(await pdf.save());
}

/** A PDF that declares the standard security handler (a password-protected PDF's trailer). */
export async function encryptedPdf(): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.addPage();
  const encrypt = pdf.context.obj({ Filter: 'Standard', V: 1, R: 2, Length: 40, P: -44 });
  encrypt.set(PDFName.of('O'), pdf.context.obj('0'.repeat(32)));
  pdf.context.trailerInfo.Encrypt = pdf.context.register(encrypt);
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}

/** A small scanned-looking page as PNG, JPEG or TIFF, drawn by sharp (libvips). */
export function sampleImage(format: 'png' | 'jpeg' | 'tiff', width = 85, height = 110): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 250, g: 250, b: 245 } } })[format]().toBuffer();
}

/** A TIFF of `pages` pages (as a scanner's batch), each page a sample image. */
export async function multiPageTiff(pages: number, width = 85, height = 110): Promise<Buffer> {
  const page = await sampleImage('png', width, height);
  return sharp(Array.from({ length: pages }, () => page), { join: { animated: true } }).tiff().toBuffer();
}

/** A real PNG whose header claims other dimensions (with a valid CRC): a decompression bomb's calling card. */
export async function pngDeclaring(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await sampleImage('png', 4, 4));
  // IHDR starts at byte 8: length (4), "IHDR" (4), width (4), height (4), ..., CRC over type + data.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

/** A multipart/form-data body as a browser's FormData makes it: the `metadata` JSON field and a `file` part. */
export async function uploadForm(metadata: unknown, file?: { bytes: Buffer; name: string; type?: string }): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  if (metadata !== undefined) form.append('metadata', typeof metadata === 'string' ? metadata : JSON.stringify(metadata));
  if (file) form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type ?? '' }), file.name);
  const encoded = new Response(form);
  return { payload: Buffer.from(await encoded.arrayBuffer()), headers: { 'content-type': encoded.headers.get('content-type')! } };
}
