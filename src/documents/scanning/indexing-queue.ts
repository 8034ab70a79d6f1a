import type { AppContext } from '../../context.js';
import { recordAuditEvent } from '../../audit/trail.js';
import { actorOf, type Principal } from '../../access/principal.js';
import { assertPatientReadable, getPatientRow } from '../../patients/index.js';
import { DomainError, invalid, notFound } from '../../platform/errors.js';
import { isPostgres } from '../../platform/db/connection.js';
import { prepareDocumentFiling, recordDocumentFiling } from '../filing.js';
import type { DocumentView } from '../document-record.js';
import { canChangeBatchDocument, type BatchDocumentStatus, type IndexingReason } from './batch-splitting.js';
import { getScanBatchRow, reasonOf } from './batch-report.js';
import { openBatchPages } from './page-images.js';
import { openSegmentMaker, segmentFileName, type BatchContentType } from './segment-content.js';

/** Pages waiting for a clerk to say whose they are and what they are. */
export interface IndexingItem {
  id: string;
  batchId: string;
  batchFileName: string;
  receivedAt: string;
  receivedBy: string;
  firstPage: number;
  lastPage: number;
  pages: number;
  coverSheetPage: number | null;
  reason: { code: IndexingReason; text: string };
}

/** The indexing queue, oldest batch first. */
export async function listIndexingQueue(ctx: AppContext, principal: Principal): Promise<IndexingItem[]> {
  const rows = await ctx.db.selectFrom('scanBatchDocuments')
    .innerJoin('scanBatches', 'scanBatches.id', 'scanBatchDocuments.batchId')
    .select(['scanBatchDocuments.id', 'batchId', 'firstPage', 'lastPage', 'coverSheetPage', 'reason', 'scanBatches.fileName', 'scanBatches.receivedAt', 'scanBatches.receivedBy'])
    .where('scanBatchDocuments.status', '=', 'awaiting-indexing')
    .orderBy('scanBatches.receivedAt').orderBy('batchId').orderBy('firstPage')
    .limit(500)
    .execute();
  await ctx.db.transaction().execute((trx) => recordAuditEvent(trx, { actor: actorOf(principal), action: 'read', recordType: 'indexing_queue', details: { items: rows.length } }, ctx.clock));
  return rows.map((r) => ({
    id: r.id, batchId: r.batchId, batchFileName: r.fileName, receivedAt: r.receivedAt, receivedBy: r.receivedBy,
    firstPage: Number(r.firstPage), lastPage: Number(r.lastPage), pages: Number(r.lastPage) - Number(r.firstPage) + 1,
    coverSheetPage: r.coverSheetPage === null ? null : Number(r.coverSheetPage), reason: reasonOf(r.reason)!,
  }));
}

/**
 * One page of a batch as a PNG, for the clerk to see what they index. Audited; a page already filed
 * opens only for those who may read that patient's record.
 */
export async function batchPageImage(ctx: AppContext, principal: Principal, batchId: string, page: number): Promise<Buffer> {
  const batch = await getScanBatchRow(ctx.db, batchId);
  if (page < 1 || page > Number(batch.pageCount)) throw notFound('The page');
  const owner = await ctx.db.selectFrom('scanBatchDocuments').select('patientId').where('batchId', '=', batchId)
    .where('firstPage', '<=', page).where('lastPage', '>=', page).executeTakeFirst();
  const emergency = owner?.patientId ? await assertPatientReadable(ctx, principal, await getPatientRow(ctx.db, owner.patientId)) : false;
  const bytes = await ctx.blobs.get(batch.blobSha256);
  const pages = openBatchPages(bytes, batch.contentType as BatchContentType, Number(batch.pageCount));
  let png: Buffer;
  try {
    png = await pages.png(page - 1);
  } finally {
    pages.close();
  }
  await ctx.db.transaction().execute((trx) => recordAuditEvent(trx, {
    actor: actorOf(principal), action: 'read', patientId: owner?.patientId ?? null, recordType: 'scan_page', recordId: batchId, emergency, details: { page },
  }, ctx.clock));
  return png;
}

/** What the clerk says about waiting pages. */
export interface IndexingAssignment {
  patientId: string;
  encounterId?: string | null;
  typeCode: string;
  title?: string | null;
  /** YYYY-MM-DD. */
  serviceDate: string;
}

/**
 * Files the pages of an indexing-queue item as one document, as the clerk indexed them. The item is
 * locked and checked inside the transaction, so two clerks cannot file the same pages twice.
 */
export async function assignIndexingItem(ctx: AppContext, principal: Principal, itemId: string, assignment: IndexingAssignment): Promise<{ document: DocumentView; batchId: string }> {
  const item = await ctx.db.selectFrom('scanBatchDocuments').selectAll().where('id', '=', itemId).executeTakeFirst();
  if (!item) throw notFound('The indexing-queue item');
  const assertWaiting = (status: string) => {
    if (!canChangeBatchDocument(status as BatchDocumentStatus, 'indexed')) throw new DomainError('conflict', 'scan.already-indexed', 'These pages are already filed.');
  };
  assertWaiting(item.status);
  const batch = await getScanBatchRow(ctx.db, item.batchId);
  const makeSegment = await openSegmentMaker(await ctx.blobs.get(batch.blobSha256), batch.contentType as BatchContentType);
  const [first, last] = [Number(item.firstPage), Number(item.lastPage)];
  if (!assignment.serviceDate) throw invalid('request.invalid', 'Give the date of service.', [{ field: 'serviceDate', message: 'Required.' }]);
  const prepared = await prepareDocumentFiling(ctx, principal, { ...assignment, status: 'final' }, {
    bytes: await makeSegment(first, last), fileName: segmentFileName(batch.id, first, last), contentType: 'application/pdf',
  });

  return ctx.db.transaction().execute(async (trx) => {
    let lock = trx.selectFrom('scanBatchDocuments').select('status').where('id', '=', itemId);
    if (isPostgres(trx)) lock = lock.forUpdate();
    assertWaiting((await lock.executeTakeFirstOrThrow()).status);
    const now = ctx.clock.now().toISOString();
    const document = await recordDocumentFiling(trx, ctx, principal, prepared);
    await trx.updateTable('scanBatchDocuments').set({
      status: 'indexed', patientId: prepared.row.patientId, encounterId: prepared.row.encounterId, typeCode: prepared.row.typeCode,
      documentId: prepared.row.id, filedAt: now, filedBy: principal.name,
    }).where('id', '=', itemId).execute();
    const remaining = await trx.selectFrom('scanBatchDocuments').select(['firstPage', 'lastPage'])
      .where('batchId', '=', batch.id).where('status', '=', 'awaiting-indexing').execute();
    const pagesAwaiting = remaining.reduce((n, r) => n + Number(r.lastPage) - Number(r.firstPage) + 1, 0);
    await trx.updateTable('scanBatches')
      .set((eb) => ({ pagesAwaiting, documentsFiled: eb('documentsFiled', '+', 1), status: pagesAwaiting > 0 ? 'awaiting-indexing' : 'complete', updatedAt: now }))
      .where('id', '=', batch.id).execute();
    await recordAuditEvent(trx, {
      actor: actorOf(principal), action: 'update', patientId: prepared.row.patientId, recordType: 'scan_batch_document', recordId: itemId, emergency: prepared.emergency,
      details: { change: 'indexed', batch: batch.id, firstPage: first, lastPage: last, document: prepared.row.id },
    }, ctx.clock);
    return { document, batchId: batch.id };
  });
}
