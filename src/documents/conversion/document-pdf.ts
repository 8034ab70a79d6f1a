import type { AppContext } from '../../context.js';
import type { Principal } from '../../access/principal.js';
import { readDocumentContent } from '../reading.js';
import { imageToPdf, type ImageContentType } from './image-pdf.js';

export interface DocumentPdf {
  bytes: Uint8Array;
  /** The stored file's name with .pdf for its extension. */
  fileName: string;
}

/** The name a converted document is offered under: the stored name, its extension replaced by .pdf. */
export const pdfFileName = (fileName: string): string => `${fileName.replace(/\.[A-Za-z0-9]{1,5}$/, '')}.pdf`;

/**
 * Any document (the current version unless asked) as a PDF to view or print: a PDF as stored, an
 * image converted page by page. The read is audited as a read, or as a print when that is the purpose.
 */
export async function readDocumentPdf(ctx: AppContext, principal: Principal, id: string, options: { version?: number; purpose?: 'read' | 'print' } = {}): Promise<DocumentPdf> {
  const content = await readDocumentContent(ctx, principal, id, options.version, options.purpose ?? 'read');
  if (content.contentType === 'application/pdf') return { bytes: content.bytes, fileName: content.fileName };
  return { bytes: await imageToPdf(content.bytes, content.contentType as ImageContentType), fileName: pdfFileName(content.fileName) };
}
