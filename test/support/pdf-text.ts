import { inflateSync } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';

/**
 * The text a PDF drawn with standard fonts shows, line by line: each content stream is inflated and
 * its hex-string text operators decoded. Enough to assert what a printed form says.
 */
export async function pdfText(bytes: Uint8Array): Promise<{ pages: number; lines: string[] }> {
  const doc = await PDFDocument.load(bytes);
  const raw = Buffer.from(bytes).toString('latin1');
  const lines: string[] = [];
  for (const m of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(m[1], 'latin1')).toString('latin1');
    } catch {
      content = m[1];
    }
    for (const t of content.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) lines.push(Buffer.from(t[1], 'hex').toString('latin1'));
  }
  return { pages: doc.getPageCount(), lines };
}
