import type { AppContext } from '../context.js';
import { recordAuditEvent } from '../audit/trail.js';
import { actorOf, type Principal } from '../access/principal.js';
import { assertPatientReadable, getPatientRow } from '../patients/index.js';
import { DomainError, notFound } from '../platform/errors.js';
import { DOCUMENT_TYPES, type DocumentCategory } from './document-types.js';
import type { DocumentStatus } from './document-status.js';
import type { DocumentContentType } from './content-check.js';
import type { SensitivityCategory } from './sensitivity.js';
import { findDocumentRow, toVersionView, withCurrentVersions, type DocumentRow, type DocumentVersionView, type DocumentView, type Executor } from './document-record.js';

/** How a list of a patient's documents may be narrowed. Dates are YYYY-MM-DD, both ends included. */
export interface DocumentFilters {
  typeCodes?: string[];
  category?: DocumentCategory;
  status?: DocumentStatus[];
  encounterId?: string;
  from?: string;
  to?: string;
  /** When the document was filed (ISO instants; FHIR's DocumentReference.date): on or after, before. */
  filedFrom?: string;
  filedBefore?: string;
  /** Documents carrying this sensitivity category. */
  sensitivity?: SensitivityCategory;
}

/** The patient's documents, newest date of service first: an audited read of the patient's record. */
export async function documentsOf(ctx: AppContext, principal: Principal, patientId: string, filters: DocumentFilters = {}): Promise<DocumentView[]> {
  const emergency = await assertPatientReadable(ctx, principal, await getPatientRow(ctx.db, patientId));
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await documentRowsOf(trx, patientId, filters);
    const documents = await withCurrentVersions(trx, rows);
    await recordAuditEvent(trx, { actor: actorOf(principal), action: 'read', patientId, recordType: 'document_list', emergency, details: { count: rows.length } }, ctx.clock);
    return documents;
  });
}

/** The patient's document rows a filter admits, newest date of service first (no access check, no audit: the caller's). */
export function documentRowsOf(db: Executor, patientId: string, filters: DocumentFilters): Promise<DocumentRow[]> {
  let q = db.selectFrom('documents').selectAll().where('patientId', '=', patientId);
  const typeCodes = typeCodesWanted(filters);
  if (typeCodes) q = q.where('typeCode', 'in', typeCodes.length ? typeCodes : ['(none)']);
  if (filters.status?.length) q = q.where('status', 'in', filters.status);
  if (filters.encounterId) q = q.where('encounterId', '=', filters.encounterId);
  if (filters.from) q = q.where('serviceDate', '>=', filters.from);
  if (filters.to) q = q.where('serviceDate', '<=', filters.to);
  if (filters.filedFrom) q = q.where('createdAt', '>=', filters.filedFrom);
  if (filters.filedBefore) q = q.where('createdAt', '<', filters.filedBefore);
  // The column holds a JSON array of known category names, so the quoted name matches only itself; a patient's documents are few.
  if (filters.sensitivity) q = q.where('sensitivity', 'like', `%"${filters.sensitivity}"%`);
  return q.orderBy('serviceDate', 'desc').orderBy('createdAt', 'desc').execute();
}

/** The type codes a filter admits (types named, within the category named), or undefined for any. */
function typeCodesWanted(filters: DocumentFilters): string[] | undefined {
  const inCategory = filters.category ? DOCUMENT_TYPES.filter((t) => t.category === filters.category).map((t) => t.code) : undefined;
  if (!filters.typeCodes?.length) return inCategory;
  return inCategory ? filters.typeCodes.filter((c) => inCategory.includes(c)) : filters.typeCodes;
}

export interface DocumentDetailView extends DocumentView {
  versions: DocumentVersionView[];
}

/** One document's index and every version's facts (not the content): an audited read. */
export async function readDocument(ctx: AppContext, principal: Principal, id: string): Promise<DocumentDetailView> {
  const row = await findDocumentRow(ctx.db, id);
  if (!row) throw notFound('The document');
  const emergency = await assertPatientReadable(ctx, principal, await getPatientRow(ctx.db, row.patientId));
  return ctx.db.transaction().execute(async (trx) => {
    const versions = await trx.selectFrom('documentVersions').selectAll().where('documentId', '=', id).orderBy('version', 'desc').execute();
    const current = versions.find((v) => v.version === row.currentVersion)!;
    const [view] = await withCurrentVersions(trx, [row]);
    await recordAuditEvent(trx, { actor: actorOf(principal), action: 'read', patientId: row.patientId, recordType: 'document', recordId: id, emergency }, ctx.clock);
    return { ...view, content: toVersionView(current), versions: versions.map(toVersionView) };
  });
}

export interface DocumentContent {
  bytes: Buffer;
  contentType: DocumentContentType;
  fileName: string;
  version: number;
  patientId: string;
}

/**
 * A version's content (the current one unless asked), checked against its address by the blob
 * store before it is answered: an audited read of the document itself (or a print, when that is the purpose).
 */
export async function readDocumentContent(ctx: AppContext, principal: Principal, id: string, version?: number, purpose: 'read' | 'print' = 'read'): Promise<DocumentContent> {
  const row = await findDocumentRow(ctx.db, id);
  if (!row) throw notFound('The document');
  const emergency = await assertPatientReadable(ctx, principal, await getPatientRow(ctx.db, row.patientId));
  if (row.status === 'destroyed') throw new DomainError('gone', 'document.destroyed', 'This document was destroyed under the retention schedule; only its index remains (see its certificate of destruction).');
  const wanted = version ?? row.currentVersion;
  const stored = await ctx.db.selectFrom('documentVersions').selectAll().where('documentId', '=', id).where('version', '=', wanted).executeTakeFirst();
  if (!stored) throw notFound('That version of the document');
  const bytes = await ctx.blobs.get(stored.blobSha256);
  await ctx.db.transaction().execute((trx) =>
    recordAuditEvent(trx, { actor: actorOf(principal), action: purpose, patientId: row.patientId, recordType: 'document_content', recordId: id, emergency, details: { version: wanted } }, ctx.clock),
  );
  return { bytes, contentType: stored.contentType as DocumentContentType, fileName: stored.fileName, version: wanted, patientId: row.patientId };
}
