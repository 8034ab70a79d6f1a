import type { AppContext } from '../context.js';
import { recordAuditEvent } from '../audit/trail.js';
import { actorOf, type Principal } from '../access/principal.js';
import { assertPatientReadable, getPatientRow } from '../patients/index.js';
import { findEncounterRow } from '../encounters/index.js';
import { DomainError, invalid, notFound } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import type { Transaction } from 'kysely';
import type { DB } from '../schema.js';
import { inspectDocumentContent, type ContentFacts } from './content-check.js';
import { findDocumentType } from './document-types.js';
import { assertStatusChange, statusAfterNewVersion, type DocumentStatus, type FilingStatus } from './document-status.js';
import { findDocumentRow, lockDocumentRow, toDocumentView, type Authentication, type DocumentRow, type DocumentVersionRow, type DocumentView } from './document-record.js';
import type { SensitivityCategory } from './sensitivity.js';
import { assertNotUnderLegalHold } from './retention/legal-holds.js';

/** What the clerk indexes a document by. */
export interface DocumentIndexing {
  patientId: string;
  encounterId?: string | null;
  /** LOINC document code. */
  typeCode: string;
  title?: string | null;
  author?: string | null;
  /** YYYY-MM-DD. */
  serviceDate: string;
  status: FilingStatus;
  authentication?: Authentication | null;
  sensitivity?: SensitivityCategory[];
}

/** A file as it arrived: its bytes, the name it came with, and the content type the sender claimed. */
export interface DocumentFile {
  bytes: Buffer;
  fileName: string;
  contentType?: string;
}

/** What a new version carries besides its file. */
export interface NewVersion {
  reason: string;
  /** For a preliminary document: whether the new version is still preliminary or final. */
  status?: FilingStatus;
  authentication?: Authentication | null;
  /** The version the clerk saw; a document changed since is refused rather than overwritten. */
  expectedVersion?: number;
}

const createdByOf = (principal: Principal) => principal.name;

/** A document checked and its content stored, ready to be recorded (recordDocumentFiling) in the caller's transaction. */
export interface PreparedFiling {
  row: DocumentRow;
  version: DocumentVersionRow;
  emergency: boolean;
  facts: ContentFacts;
}

/**
 * Checks a filing (an active patient the caller may read, a known type, a visit of that patient, an
 * acceptable file) and stores the content in the blob store. Nothing is recorded yet: a crash or a
 * refused commit after this leaves only an unreferenced blob, which the orphan sweep removes.
 */
export async function prepareDocumentFiling(ctx: AppContext, principal: Principal, indexing: DocumentIndexing, file: DocumentFile): Promise<PreparedFiling> {
  const patient = await getPatientRow(ctx.db, indexing.patientId);
  if (patient.status !== 'active') throw new DomainError('conflict', 'patient.merged', 'This record was merged into another; file the document on the surviving record.');
  const emergency = await assertPatientReadable(ctx, principal, patient);
  if (!findDocumentType(indexing.typeCode)) throw invalid('document.type-unknown', 'Choose a document type from the list.', [{ field: 'typeCode', message: 'Not a document type Chartroom knows.' }]);
  if (indexing.encounterId) {
    const encounter = await findEncounterRow(ctx.db, indexing.encounterId);
    if (!encounter || encounter.patientId !== patient.id) {
      throw invalid('document.encounter', "The visit is not one of this patient's.", [{ field: 'encounterId', message: "Not one of this patient's visits." }]);
    }
  }
  const facts = await inspectDocumentContent(file.bytes, file, ctx.config.maxDocumentBytes);
  const stored = await ctx.blobs.put(file.bytes);

  const now = ctx.clock.now().toISOString();
  const id = newId();
  const row: DocumentRow = {
    id, patientId: patient.id, encounterId: indexing.encounterId ?? null, typeCode: indexing.typeCode,
    title: indexing.title ?? null, author: indexing.author ?? null, serviceDate: indexing.serviceDate, status: indexing.status,
    signedBy: indexing.authentication?.signedBy ?? null, signedAt: indexing.authentication?.signedAt ?? null,
    sensitivity: JSON.stringify([...new Set(indexing.sensitivity ?? [])].sort()), currentVersion: 1, enteredInErrorReason: null,
    createdAt: now, createdBy: createdByOf(principal), updatedAt: now,
  };
  const version: DocumentVersionRow = {
    id: newId(), documentId: id, version: 1, blobSha256: stored.sha256, size: stored.size, contentType: facts.contentType,
    fileName: file.fileName, pageCount: facts.pageCount, reason: null, createdAt: now, createdBy: createdByOf(principal),
  };
  return { row, version, emergency, facts };
}

/** Records a prepared filing, with its audit event, inside the caller's transaction. */
export async function recordDocumentFiling(trx: Transaction<DB>, ctx: AppContext, principal: Principal, prepared: PreparedFiling): Promise<DocumentView> {
  const { row, version, emergency, facts } = prepared;
  await trx.insertInto('documents').values(row).execute();
  await trx.insertInto('documentVersions').values(version).execute();
  await recordAuditEvent(trx, {
    actor: actorOf(principal), action: 'create', patientId: row.patientId, recordType: 'document', recordId: row.id, emergency,
    details: { type: row.typeCode, version: 1, contentType: facts.contentType, pages: facts.pageCount, bytes: version.size },
  }, ctx.clock);
  return toDocumentView(row, version);
}

/**
 * Files a document to a patient's chart (and a visit of theirs, if named). The file is checked and
 * stored in the blob store first; only then is the row committed, with its audit event, so no row
 * ever names content that is not stored whole.
 */
export async function fileDocument(ctx: AppContext, principal: Principal, indexing: DocumentIndexing, file: DocumentFile): Promise<DocumentView> {
  const prepared = await prepareDocumentFiling(ctx, principal, indexing, file);
  return ctx.db.transaction().execute((trx) => recordDocumentFiling(trx, ctx, principal, prepared));
}

/**
 * Adds a version: new content with the reason for it. The earlier versions stay as they were (their
 * rows and their blobs); a final document becomes amended. Refused while the patient's record is
 * under legal hold (a hold blocks amendment of what it covers).
 */
export async function addDocumentVersion(ctx: AppContext, principal: Principal, documentId: string, change: NewVersion, file: DocumentFile): Promise<DocumentView> {
  const { row, patient, emergency } = await openForChange(ctx, principal, documentId);
  await assertNotUnderLegalHold(ctx.db, row, patient);
  const assertChangeable = (current: typeof row) => {
    if (change.expectedVersion !== undefined && change.expectedVersion !== current.currentVersion) {
      throw new DomainError('conflict', 'document.version-changed', `The document has changed since you saw it (now version ${current.currentVersion}). Reload it and try again.`);
    }
    const next = statusAfterNewVersion(current.status as DocumentStatus, change.status);
    assertStatusChange(current.status as DocumentStatus, next);
    return next;
  };
  assertChangeable(row);
  const facts = await inspectDocumentContent(file.bytes, file, ctx.config.maxDocumentBytes);
  const stored = await ctx.blobs.put(file.bytes);

  return ctx.db.transaction().execute(async (trx) => {
    const current = await lockDocumentRow(trx, documentId);
    if (!current) throw notFound('The document');
    const status = assertChangeable(current);
    const now = ctx.clock.now().toISOString();
    const version = {
      id: newId(), documentId, version: current.currentVersion + 1, blobSha256: stored.sha256, size: stored.size, contentType: facts.contentType,
      fileName: file.fileName, pageCount: facts.pageCount, reason: change.reason, createdAt: now, createdBy: createdByOf(principal),
    };
    const signed = change.authentication !== undefined
      ? { signedBy: change.authentication?.signedBy ?? null, signedAt: change.authentication?.signedAt ?? null }
      : {};
    await trx.insertInto('documentVersions').values(version).execute();
    await trx.updateTable('documents').set({ currentVersion: version.version, status, updatedAt: now, ...signed }).where('id', '=', documentId).execute();
    await recordAuditEvent(trx, {
      actor: actorOf(principal), action: 'update', patientId: current.patientId, recordType: 'document', recordId: documentId, emergency,
      details: { change: 'new-version', version: version.version, status, contentType: facts.contentType, pages: facts.pageCount, bytes: stored.size },
    }, ctx.clock);
    return toDocumentView({ ...current, currentVersion: version.version, status, updatedAt: now, ...signed }, version);
  });
}

/** Marks a document entered in error (filed to the wrong patient, the wrong type): it stays, marked, with the reason. */
export async function markEnteredInError(ctx: AppContext, principal: Principal, documentId: string, reason: string): Promise<DocumentView> {
  const { emergency, patient } = await openForChange(ctx, principal, documentId);
  return ctx.db.transaction().execute(async (trx) => {
    const current = await lockDocumentRow(trx, documentId);
    if (!current) throw notFound('The document');
    assertStatusChange(current.status as DocumentStatus, 'entered-in-error');
    await assertNotUnderLegalHold(trx, current, patient);
    const now = ctx.clock.now().toISOString();
    await trx.updateTable('documents').set({ status: 'entered-in-error', enteredInErrorReason: reason, updatedAt: now }).where('id', '=', documentId).execute();
    const version = await trx.selectFrom('documentVersions').selectAll().where('documentId', '=', documentId).where('version', '=', current.currentVersion).executeTakeFirstOrThrow();
    await recordAuditEvent(trx, {
      actor: actorOf(principal), action: 'update', patientId: current.patientId, recordType: 'document', recordId: documentId, emergency,
      details: { change: 'entered-in-error', version: current.currentVersion },
    }, ctx.clock);
    return toDocumentView({ ...current, status: 'entered-in-error', enteredInErrorReason: reason, updatedAt: now }, version);
  });
}

async function openForChange(ctx: AppContext, principal: Principal, documentId: string) {
  const row = await findDocumentRow(ctx.db, documentId);
  if (!row) throw notFound('The document');
  const patient = await getPatientRow(ctx.db, row.patientId);
  const emergency = await assertPatientReadable(ctx, principal, patient);
  return { row, patient, emergency };
}
