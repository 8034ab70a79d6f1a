import type { Selectable } from 'kysely';
import type { AppContext } from '../../context.js';
import { recordAuditEvent, recordAuditEvents } from '../../audit/trail.js';
import { actorOf, hasPermission, type Principal } from '../../access/principal.js';
import { getPatientRow, toPatientView } from '../../patients/index.js';
import { findEncounterRow } from '../../encounters/index.js';
import { notFound } from '../../platform/errors.js';
import { findDocumentType } from '../document-types.js';
import { INDEXING_REASONS, type BatchDocumentStatus, type IndexingReason, type ScanBatchStatus } from './batch-splitting.js';
import type { ScanBatchDocumentsTable, ScanBatchesTable } from './schema.js';

/** A batch as its list shows it: no patient in it. */
export interface ScanBatchSummary {
  id: string;
  fileName: string;
  contentType: string;
  pageCount: number;
  coverSheets: number;
  status: ScanBatchStatus;
  documentsFiled: number;
  pagesAwaiting: number;
  receivedAt: string;
  receivedBy: string;
}

/** One run of a batch's pages: filed (from its cover sheet or by a clerk) or waiting in the queue. */
export interface BatchDocumentView {
  id: string;
  firstPage: number;
  lastPage: number;
  pages: number;
  coverSheetPage: number | null;
  status: BatchDocumentStatus;
  reason: { code: IndexingReason; text: string } | null;
  /** Name null when the record is restricted and the reader may not open it directly. */
  patient: { id: string; mrn: string; name: string | null } | null;
  encounter: { id: string; visitNumber: string } | null;
  type: { code: string; display: string } | null;
  documentId: string | null;
  filedAt: string | null;
  filedBy: string | null;
}

/** The batch report: pages, the documents made, the pages left for indexing. */
export interface ScanBatchReport extends ScanBatchSummary {
  pagesFiled: number;
  documents: BatchDocumentView[];
}

type BatchRow = Selectable<ScanBatchesTable>;
type BatchDocumentRow = Selectable<ScanBatchDocumentsTable>;

export const toBatchSummary = (b: BatchRow): ScanBatchSummary => ({
  id: b.id, fileName: b.fileName, contentType: b.contentType, pageCount: Number(b.pageCount), coverSheets: Number(b.coverSheets),
  status: b.status as ScanBatchStatus, documentsFiled: Number(b.documentsFiled), pagesAwaiting: Number(b.pagesAwaiting),
  receivedAt: b.receivedAt, receivedBy: b.receivedBy,
});

export const reasonOf = (code: string | null) => (code ? { code: code as IndexingReason, text: INDEXING_REASONS[code as IndexingReason] ?? code } : null);

async function toBatchDocumentView(ctx: AppContext, principal: Principal, d: BatchDocumentRow): Promise<BatchDocumentView> {
  let patient: BatchDocumentView['patient'] = null;
  if (d.patientId) {
    const row = await getPatientRow(ctx.db, d.patientId);
    const view = toPatientView(row);
    // A restricted record's name shows only to those who open it directly (confidentiality.ts).
    const named = row.flagRestricted !== 1 || hasPermission(principal, 'patients.merge') || hasPermission(principal, 'emergency_access.review');
    patient = { id: row.id, mrn: view.mrn, name: named ? [`${view.family.toUpperCase()},`, view.given].join(' ') : null };
  }
  const encounter = d.encounterId ? await findEncounterRow(ctx.db, d.encounterId) : undefined;
  const type = d.typeCode ? findDocumentType(d.typeCode) : undefined;
  return {
    id: d.id, firstPage: Number(d.firstPage), lastPage: Number(d.lastPage), pages: Number(d.lastPage) - Number(d.firstPage) + 1,
    coverSheetPage: d.coverSheetPage === null ? null : Number(d.coverSheetPage), status: d.status as BatchDocumentStatus, reason: reasonOf(d.reason),
    patient, encounter: encounter ? { id: encounter.id, visitNumber: encounter.visitNumber } : null,
    type: type ? { code: type.code, display: type.display } : null,
    documentId: d.documentId, filedAt: d.filedAt, filedBy: d.filedBy,
  };
}

export async function getScanBatchRow(executor: AppContext['db'], batchId: string): Promise<BatchRow> {
  const batch = await executor.selectFrom('scanBatches').selectAll().where('id', '=', batchId).executeTakeFirst();
  if (!batch) throw notFound('The scanned batch');
  return batch;
}

/** A batch's report: what it held, what was filed to whom, what waits for indexing. Audited as a read of each patient named. */
export async function scanBatchReport(ctx: AppContext, principal: Principal, batchId: string): Promise<ScanBatchReport> {
  const batch = await getScanBatchRow(ctx.db, batchId);
  const rows = await ctx.db.selectFrom('scanBatchDocuments').selectAll().where('batchId', '=', batchId).orderBy('firstPage').execute();
  const documents = await Promise.all(rows.map((d) => toBatchDocumentView(ctx, principal, d)));
  const patients = [...new Set(rows.map((d) => d.patientId).filter((id): id is string => id !== null))];
  await ctx.db.transaction().execute(async (trx) => {
    const entry = { actor: actorOf(principal), action: 'read' as const, recordType: 'scan_batch', recordId: batchId };
    if (patients.length) await recordAuditEvents(trx, patients.map((patientId) => ({ ...entry, patientId })), ctx.clock);
    else await recordAuditEvent(trx, entry, ctx.clock);
  });
  const summary = toBatchSummary(batch);
  const pagesFiled = documents.filter((d) => d.status !== 'awaiting-indexing').reduce((n, d) => n + d.pages, 0);
  return { ...summary, pagesFiled, documents };
}

/** The most recent batches, newest first. */
export async function listScanBatches(ctx: AppContext, principal: Principal, limit = 50): Promise<ScanBatchSummary[]> {
  const rows = await ctx.db.selectFrom('scanBatches').selectAll().orderBy('receivedAt', 'desc').orderBy('id', 'desc').limit(limit).execute();
  // File names can say whose pages they are: the list is an audited read.
  await ctx.db.transaction().execute((trx) => recordAuditEvent(trx, { actor: actorOf(principal), action: 'read', recordType: 'scan_batch_list', details: { batches: rows.length } }, ctx.clock));
  return rows.map(toBatchSummary);
}
