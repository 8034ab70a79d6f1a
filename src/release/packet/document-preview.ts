import type { AppContext } from '../../context.js';
import type { Principal } from '../../access/principal.js';
import { assertPermission } from '../../access/guard.js';
import { DomainError, invalid } from '../../platform/errors.js';
import { readDocumentPdf } from '../../documents/conversion/index.js';
import { documentsForRequest } from '../requests/index.js';
import { pageImageOf, pageSizesOf, withPdfDocument, type PageSize } from './page-image.js';

/** An included document's pages as the clerk draws redaction boxes on them. */
export interface DocumentPages {
  documentId: string;
  pageCount: number;
  pages: PageSize[];
}

/**
 * The document as PDF, when the request releases it: only a document the request includes is shown
 * here (its content is read through readDocumentPdf, which audits the read in its own transaction).
 */
async function includedDocumentPdf(ctx: AppContext, principal: Principal, requestId: string, documentId: string): Promise<Uint8Array> {
  await assertPermission(ctx, principal, 'documents.read', { recordType: 'document_content', recordId: documentId });
  const selection = await documentsForRequest(ctx, principal, requestId);
  if (!selection.documents.some((d) => d.documentId === documentId && d.included)) {
    throw new DomainError('not-found', 'release.document-not-included', 'This request does not release that document, so it cannot be previewed here.');
  }
  return (await readDocumentPdf(ctx, principal, documentId)).bytes;
}

/** How many pages an included document has, and each page's seen size in points: an audited read. */
export async function readDocumentPages(ctx: AppContext, principal: Principal, requestId: string, documentId: string): Promise<DocumentPages> {
  const pdf = await includedDocumentPdf(ctx, principal, requestId, documentId);
  return withPdfDocument(pdf, (doc) => {
    const pages = pageSizesOf(doc);
    return { documentId, pageCount: pages.length, pages };
  });
}

/** One page (from 1) of an included document as a PNG, to draw redaction boxes on: an audited read. */
export async function documentPageImage(ctx: AppContext, principal: Principal, requestId: string, documentId: string, page: number): Promise<Uint8Array> {
  const pdf = await includedDocumentPdf(ctx, principal, requestId, documentId);
  return withPdfDocument(pdf, (doc) => {
    const pageCount = doc.countPages();
    if (page < 1 || page > pageCount) throw invalid('release.document-page', `The document has ${pageCount} pages.`, [{ field: 'n', message: `1 to ${pageCount}.` }]);
    return pageImageOf(doc, page);
  });
}
