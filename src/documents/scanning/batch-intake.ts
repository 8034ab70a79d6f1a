import type { AppContext } from '../../context.js';
import { recordAuditEvent } from '../../audit/trail.js';
import { actorOf, type Principal } from '../../access/principal.js';
import { findPatientIdByIdentifiers, isValidMrn } from '../../patients/index.js';
import { findEncounterByVisitNumber } from '../../encounters/index.js';
import { DomainError, invalid } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { inspectDocumentContent } from '../content-check.js';
import { findDocumentType } from '../document-types.js';
import { prepareDocumentFiling, recordDocumentFiling, type DocumentFile, type DocumentIndexing, type PreparedFiling } from '../filing.js';
import { decodeCoverSheetCode, type CoverSheetCode, type CoverSheetReading } from './cover-sheet-code.js';
import { readQrCodes } from './barcodes.js';
import { openBatchPages } from './page-images.js';
import { splitBatch, type BatchSegment, type IndexingReason, type ScanBatchStatus } from './batch-splitting.js';
import { openSegmentMaker, segmentFileName, type BatchContentType } from './segment-content.js';
import { scanBatchReport, type ScanBatchReport } from './batch-report.js';

/** What the barcodes on one page say: a cover sheet if any code is one, else damaged if any claims to be, else an ordinary page. */
export function readPage(texts: string[]): CoverSheetReading {
  const readings = texts.map(decodeCoverSheetCode);
  return readings.find((r) => r.kind === 'cover-sheet') ?? readings.find((r) => r.kind === 'damaged') ?? { kind: 'not-a-cover-sheet' };
}

/** Reads every page's barcodes: the slow part of a batch (each page rendered and searched). */
export async function readBatchPages(bytes: Buffer, contentType: BatchContentType, pageCount: number): Promise<CoverSheetReading[]> {
  const damaged = () => invalid('document.corrupt', 'The batch could not be read: it is damaged or not a complete file.', [{ field: 'file', message: 'Damaged.' }]);
  let pages;
  try {
    pages = openBatchPages(bytes, contentType, pageCount);
  } catch {
    throw damaged();
  }
  try {
    const readings: CoverSheetReading[] = [];
    for (let i = 0; i < pages.pageCount; i++) {
      let pixels;
      try {
        pixels = await pages.pixels(i);
      } catch {
        // A page the renderer cannot draw (the structure checks passed, its content is broken).
        throw damaged();
      }
      readings.push(readPage(await readQrCodes(pixels)));
    }
    return readings;
  } finally {
    pages.close();
  }
}

type Resolution = { indexing: DocumentIndexing } | { reason: IndexingReason };

/** Who and what a readable cover sheet names, or why its pages must wait for a clerk. */
async function resolveCoverSheet(ctx: AppContext, code: CoverSheetCode, today: string): Promise<Resolution> {
  if (!isValidMrn(ctx.config.mrnPrefix, code.mrn)) return { reason: 'unknown-patient' };
  // A retired (merged) MRN finds the surviving record.
  const patientId = await ctx.db.transaction().execute((trx) => findPatientIdByIdentifiers(trx, ctx, [code.mrn], []));
  if (!patientId) return { reason: 'unknown-patient' };
  if (!findDocumentType(code.typeCode)) return { reason: 'unknown-type' };
  let encounterId: string | null = null;
  let serviceDate = today;
  if (code.visitNumber) {
    const visit = await findEncounterByVisitNumber(ctx.db, code.visitNumber);
    if (!visit) return { reason: 'unknown-visit' };
    if (visit.patientId !== patientId) return { reason: 'visit-of-another-patient' };
    encounterId = visit.id;
    // The date of service of a scanned visit document: the day the visit began (it can be amended later).
    serviceDate = (visit.admittedAt ?? visit.plannedAt ?? visit.createdAt).slice(0, 10);
  }
  return { indexing: { patientId, encounterId, typeCode: code.typeCode, serviceDate, status: 'final' } };
}

interface PlannedSegment {
  segment: BatchSegment;
  filing?: PreparedFiling;
  reason?: IndexingReason;
}

const pagesOf = (s: { firstPage: number; lastPage: number }) => s.lastPage - s.firstPage + 1;

/**
 * Receives a scanned batch (a PDF or TIFF): checks it like any document, reads each page's barcode,
 * splits the batch at its cover sheets, files each document a cover sheet names, and leaves the rest
 * in the indexing queue with the reason. The batch file and every document are stored first; the
 * rows (batch, documents, queue, audit events) commit in one transaction.
 */
export async function receiveScanBatch(ctx: AppContext, principal: Principal, file: DocumentFile): Promise<ScanBatchReport> {
  const facts = await inspectDocumentContent(file.bytes, file, ctx.config.maxDocumentBytes);
  if (facts.contentType !== 'application/pdf' && facts.contentType !== 'image/tiff') {
    throw invalid('scan.unsupported-type', 'A scanned batch is a PDF or a multi-page TIFF.', [{ field: 'file', message: 'Not a PDF or TIFF.' }]);
  }
  const contentType: BatchContentType = facts.contentType;
  const readings = await readBatchPages(file.bytes, contentType, facts.pageCount);
  const segments = splitBatch(readings);
  const batchId = newId();
  const today = ctx.clock.now().toISOString().slice(0, 10);
  const makeSegment = await openSegmentMaker(file.bytes, contentType);

  const planned: PlannedSegment[] = [];
  for (const segment of segments) {
    if (segment.coverSheet === null) { planned.push({ segment, reason: 'no-cover-sheet' }); continue; }
    if (segment.coverSheet === 'damaged') { planned.push({ segment, reason: 'unreadable-cover-sheet' }); continue; }
    const resolution = await resolveCoverSheet(ctx, segment.coverSheet, today);
    if ('reason' in resolution) { planned.push({ segment, reason: resolution.reason }); continue; }
    const bytes = await makeSegment(segment.firstPage, segment.lastPage);
    try {
      const filing = await prepareDocumentFiling(ctx, principal, resolution.indexing, { bytes, fileName: segmentFileName(batchId, segment.firstPage, segment.lastPage), contentType: 'application/pdf' });
      planned.push({ segment, filing });
    } catch (err) {
      // A restricted record the clerk may not open (or one merged meanwhile): a supervisor indexes it.
      if (err instanceof DomainError && (err.kind === 'forbidden' || err.code === 'patient.merged')) planned.push({ segment, reason: 'patient-not-permitted' });
      else throw err;
    }
  }
  const stored = await ctx.blobs.put(file.bytes);

  const now = ctx.clock.now().toISOString();
  const pagesAwaiting = planned.filter((p) => p.reason).reduce((n, p) => n + pagesOf(p.segment), 0);
  const status: ScanBatchStatus = pagesAwaiting > 0 ? 'awaiting-indexing' : 'complete';
  const documentsFiled = planned.filter((p) => p.filing).length;
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('scanBatches').values({
      id: batchId, fileName: file.fileName, contentType, blobSha256: stored.sha256, size: stored.size, pageCount: facts.pageCount, status,
      coverSheets: readings.filter((r) => r.kind !== 'not-a-cover-sheet').length, documentsFiled, pagesAwaiting,
      receivedAt: now, receivedBy: principal.name, updatedAt: now,
    }).execute();
    for (const { segment, filing, reason } of planned) {
      if (filing) await recordDocumentFiling(trx, ctx, principal, filing);
      await trx.insertInto('scanBatchDocuments').values({
        id: newId(), batchId, firstPage: segment.firstPage, lastPage: segment.lastPage, coverSheetPage: segment.coverSheetPage,
        status: filing ? 'filed' : 'awaiting-indexing', reason: reason ?? null,
        patientId: filing?.row.patientId ?? null, encounterId: filing?.row.encounterId ?? null, typeCode: filing?.row.typeCode ?? null,
        documentId: filing?.row.id ?? null, filedAt: filing ? now : null, filedBy: filing ? principal.name : null,
      }).execute();
    }
    await recordAuditEvent(trx, {
      actor: actorOf(principal), action: 'create', recordType: 'scan_batch', recordId: batchId,
      details: { pages: facts.pageCount, contentType, documentsFiled, pagesAwaiting, bytes: stored.size },
    }, ctx.clock);
  });
  return scanBatchReport(ctx, principal, batchId);
}
