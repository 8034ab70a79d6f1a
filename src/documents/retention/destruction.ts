import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../schema.js';
import { recordAuditEvents } from '../../audit/trail.js';
import { actorOf, type Principal } from '../../access/principal.js';
import { assertPatientReadable, getPatientRow } from '../../patients/index.js';
import { isPostgres } from '../../platform/db/connection.js';
import { reserveSequence } from '../../platform/db/sequences.js';
import { DomainError, invalid, notFound, type FieldError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { findDocumentType } from '../document-types.js';
import { lockDocumentRow } from '../document-record.js';
import { renderDestructionCertificate, type CertificateFacts } from './certificate.js';
import { computeEligibleFrom } from './eligibility.js';
import { isUnderDocumentHold } from './legal-holds.js';
import { loadRetentionRules } from './rule-store.js';

type Executor = AppContext['db'] | Transaction<DB>;

/** A destruction batch is proposed, then approved (the documents are destroyed) or rejected; both are final. */
export const BATCH_STATUSES = ['proposed', 'approved', 'rejected'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];
export const VALID_BATCH_CHANGES: Record<BatchStatus, readonly BatchStatus[]> = { proposed: ['approved', 'rejected'], approved: [], rejected: [] };

export function assertBatchChange(from: BatchStatus, to: BatchStatus): void {
  if (!VALID_BATCH_CHANGES[from].includes(to)) throw new DomainError('conflict', 'destruction.status-change', `This destruction was already ${from}.`);
}

/** The usual method, as the certificate states it. */
export const DEFAULT_DESTRUCTION_METHOD = 'Encrypted content deleted from the document store';

export interface DestructionProposal {
  documentIds: string[];
  method: string;
  reason: string;
}

export interface BatchDocumentView {
  id: string;
  patientId: string;
  mrn: string;
  type: { code: string; display: string };
  serviceDate: string;
}

export interface DestructionBatchView {
  id: string;
  status: BatchStatus;
  method: string;
  reason: string;
  proposedAt: string;
  proposedBy: string;
  decidedAt: string | null;
  decidedBy: string | null;
  decisionReason: string | null;
  certificateNumber: string | null;
  documents: BatchDocumentView[];
}

interface Problem extends FieldError { held: boolean }

/**
 * Why each document may not be destroyed today: not found, already destroyed, not yet past retention,
 * under legal hold (the record's or the document's), or named by another open proposal.
 */
async function checkDestroyable(ctx: AppContext, db: Executor, documentIds: string[], exceptBatch?: string): Promise<Problem[]> {
  const rules = await loadRetentionRules(db);
  const today = ctx.clock.now().toISOString().slice(0, 10);
  const problems: Problem[] = [];
  const problem = (id: string, message: string, held = false) => problems.push({ field: `documentIds.${id}`, message, held });
  for (const id of documentIds) {
    const doc = isPostgres(db) && db.isTransaction ? await lockDocumentRow(db as Transaction<DB>, id) : await db.selectFrom('documents').selectAll().where('id', '=', id).executeTakeFirst();
    if (!doc) { problem(id, 'No such document.'); continue; }
    if (doc.status === 'destroyed') { problem(id, 'Already destroyed.'); continue; }
    const { eligibleFrom, patient } = await computeEligibleFrom(db, rules, doc);
    if (eligibleFrom > today) problem(id, `Kept until ${eligibleFrom} under the retention schedule.`);
    if (patient.legalHoldReason) problem(id, "The patient's record is under legal hold.", true);
    else if (await isUnderDocumentHold(db, doc)) problem(id, 'The document is under legal hold.', true);
    let open = db.selectFrom('destructionBatchDocuments as bd').innerJoin('destructionBatches as b', 'b.id', 'bd.batchId')
      .select('b.id').where('bd.documentId', '=', id).where('b.status', '=', 'proposed');
    if (exceptBatch) open = open.where('b.id', '!=', exceptBatch);
    if (await open.executeTakeFirst()) problem(id, 'Already in another destruction proposal.');
  }
  return problems;
}

function refuse(problems: Problem[], approving: boolean): never {
  const errors = problems.map(({ field, message }) => ({ field, message }));
  if (problems.some((p) => p.held)) throw new DomainError('locked', 'document.legal-hold', 'A legal hold covers some of the documents; they cannot be destroyed until it is released.', errors);
  throw new DomainError('conflict', 'destruction.not-eligible', approving
    ? 'Some of the documents may no longer be destroyed; reject this proposal and propose again.'
    : 'Some of the documents may not be destroyed.', errors);
}

async function assertPatientsReadable(ctx: AppContext, principal: Principal, db: Executor, documentIds: string[]): Promise<Map<string, boolean>> {
  const rows = await db.selectFrom('documents').select(['id', 'patientId']).where('id', 'in', documentIds).execute();
  const emergency = new Map<string, boolean>();
  for (const patientId of new Set(rows.map((r) => r.patientId))) emergency.set(patientId, await assertPatientReadable(ctx, principal, await getPatientRow(db, patientId)));
  return emergency;
}

/** Proposes destroying documents past retention (by a clerk or a supervisor); a supervisor other than the proposer approves. */
export async function proposeDestruction(ctx: AppContext, principal: Principal, proposal: DestructionProposal): Promise<DestructionBatchView> {
  const documentIds = [...new Set(proposal.documentIds)];
  if (!documentIds.length) throw invalid('request.invalid', 'Choose at least one document.', [{ field: 'documentIds', message: 'Required.' }]);
  const emergency = await assertPatientsReadable(ctx, principal, ctx.db, documentIds);
  const id = await ctx.db.transaction().execute(async (trx) => {
    const problems = await checkDestroyable(ctx, trx, documentIds);
    if (problems.length) refuse(problems, false);
    const now = ctx.clock.now().toISOString();
    const batch = {
      id: newId(), status: 'proposed', method: proposal.method, reason: proposal.reason, proposedAt: now, proposedBy: principal.name, proposedById: principal.id,
      decidedAt: null, decidedBy: null, decidedById: null, decisionReason: null, certificateNumber: null, certificateSha256: null,
    };
    await trx.insertInto('destructionBatches').values(batch).execute();
    await trx.insertInto('destructionBatchDocuments').values(documentIds.map((documentId) => ({ batchId: batch.id, documentId }))).execute();
    await recordAuditEvents(trx, [...emergency].map(([patientId, em]) => ({
      actor: actorOf(principal), action: 'create' as const, patientId, recordType: 'destruction_batch', recordId: batch.id, emergency: em, reason: proposal.reason,
      details: { change: 'proposed', documents: documentIds.length },
    })), ctx.clock);
    return batch.id;
  });
  return getDestructionBatch(ctx, id);
}

async function lockBatch(trx: Transaction<DB>, id: string) {
  let q = trx.selectFrom('destructionBatches').selectAll().where('id', '=', id);
  if (isPostgres(trx)) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('The destruction proposal');
  return row;
}

const batchDocumentIds = async (db: Executor, batchId: string) =>
  (await db.selectFrom('destructionBatchDocuments').select('documentId').where('batchId', '=', batchId).orderBy('documentId').execute()).map((r) => r.documentId);

/**
 * Approves a proposal: a supervisor who did not propose it. Eligibility and holds are checked again
 * with the documents locked; each document is marked destroyed (its index kept), the certificate of
 * destruction is printed and stored, all in one transaction with the audit events. Then the content
 * of every version is removed from the blob store, except content another live document still names
 * (equal content is stored once).
 */
export async function approveDestruction(ctx: AppContext, principal: Principal, batchId: string): Promise<DestructionBatchView> {
  const documentIds = await batchDocumentIds(ctx.db, batchId);
  const emergency = await assertPatientsReadable(ctx, principal, ctx.db, documentIds);
  const shas = await ctx.db.transaction().execute(async (trx) => {
    const batch = await lockBatch(trx, batchId);
    assertBatchChange(batch.status as BatchStatus, 'approved');
    if (batch.proposedById === principal.id) {
      throw new DomainError('forbidden', 'destruction.own-proposal', 'A destruction is approved by a supervisor other than the one who proposed it.');
    }
    const problems = await checkDestroyable(ctx, trx, documentIds, batchId);
    if (problems.length) refuse(problems, true);
    const now = ctx.clock.now().toISOString();
    const rules = await loadRetentionRules(trx);
    const docs = await trx.selectFrom('documents').selectAll().where('id', 'in', documentIds).orderBy('id').execute();
    const versions = await trx.selectFrom('documentVersions').select(['documentId', 'version', 'blobSha256']).where('documentId', 'in', documentIds).execute();
    const facts: CertificateFacts['documents'] = [];
    for (const d of docs) {
      const { eligibleFrom, patient } = await computeEligibleFrom(trx, rules, d);
      const own = versions.filter((v) => v.documentId === d.id);
      facts.push({
        id: d.id, type: `${d.typeCode} ${findDocumentType(d.typeCode)?.display ?? ''}`.trim(), serviceDate: d.serviceDate, mrn: patient.mrn, eligibleFrom,
        versions: own.length, sha256: own.find((v) => v.version === d.currentVersion)?.blobSha256 ?? '',
      });
    }
    const number = `COD-${now.slice(0, 4)}-${String(await reserveSequence(trx, 'destruction_certificate')).padStart(6, '0')}`;
    const pdf = await renderDestructionCertificate({
      number, destroyedAt: now, proposedBy: batch.proposedBy, proposedAt: batch.proposedAt, approvedBy: principal.name, method: batch.method, reason: batch.reason, documents: facts,
    }, ctx.config.facilityName);
    const certificate = await ctx.blobs.put(Buffer.from(pdf));
    await trx.updateTable('documents').set({ status: 'destroyed', updatedAt: now }).where('id', 'in', documentIds).execute();
    await trx.deleteFrom('documentRetention').where('documentId', 'in', documentIds).execute();
    await trx.updateTable('destructionBatches').set({
      status: 'approved', decidedAt: now, decidedBy: principal.name, decidedById: principal.id, certificateNumber: number, certificateSha256: certificate.sha256,
    }).where('id', '=', batchId).execute();
    await recordAuditEvents(trx, [
      ...docs.map((d) => ({
        actor: actorOf(principal), action: 'delete' as const, patientId: d.patientId, recordType: 'document', recordId: d.id, emergency: emergency.get(d.patientId) ?? false,
        details: { change: 'destroyed', certificate: number, versions: versions.filter((v) => v.documentId === d.id).length },
      })),
      ...[...emergency].map(([patientId, em]) => ({
        actor: actorOf(principal), action: 'update' as const, patientId, recordType: 'destruction_batch', recordId: batchId, emergency: em, details: { change: 'approved', certificate: number },
      })),
    ], ctx.clock);
    return [...new Set(versions.map((v) => v.blobSha256))];
  });
  await removeUnreferencedContent(ctx, shas);
  return getDestructionBatch(ctx, batchId);
}

/**
 * Removes destroyed content from the blob store, keeping any blob that a document not destroyed (or
 * a certificate) still names. Runs after the commit, so a failed approval destroys nothing; a crash
 * here leaves content that the orphan sweep removes (it ignores destroyed documents' versions).
 */
export async function removeUnreferencedContent(ctx: AppContext, shas: string[]): Promise<number> {
  if (!shas.length) return 0;
  const live = await ctx.db.selectFrom('documentVersions as v').innerJoin('documents as d', 'd.id', 'v.documentId')
    .select('v.blobSha256').distinct().where('v.blobSha256', 'in', shas).where('d.status', '!=', 'destroyed').execute();
  const certificates = await ctx.db.selectFrom('destructionBatches').select('certificateSha256 as blobSha256').where('certificateSha256', 'in', shas).execute();
  const keep = new Set([...live, ...certificates].map((r) => r.blobSha256));
  let removed = 0;
  for (const sha of shas) if (!keep.has(sha) && (await ctx.blobs.delete(sha))) removed += 1;
  return removed;
}

/** Rejects a proposal, with the reason; nothing is destroyed. */
export async function rejectDestruction(ctx: AppContext, principal: Principal, batchId: string, reason: string): Promise<DestructionBatchView> {
  const documentIds = await batchDocumentIds(ctx.db, batchId);
  const emergency = await assertPatientsReadable(ctx, principal, ctx.db, documentIds);
  await ctx.db.transaction().execute(async (trx) => {
    const batch = await lockBatch(trx, batchId);
    assertBatchChange(batch.status as BatchStatus, 'rejected');
    const now = ctx.clock.now().toISOString();
    await trx.updateTable('destructionBatches').set({ status: 'rejected', decidedAt: now, decidedBy: principal.name, decidedById: principal.id, decisionReason: reason }).where('id', '=', batchId).execute();
    await recordAuditEvents(trx, [...emergency].map(([patientId, em]) => ({
      actor: actorOf(principal), action: 'update' as const, patientId, recordType: 'destruction_batch', recordId: batchId, emergency: em, reason, details: { change: 'rejected' },
    })), ctx.clock);
  });
  return getDestructionBatch(ctx, batchId);
}

async function batchViews(db: Executor, rows: Awaited<ReturnType<typeof batchRows>>): Promise<DestructionBatchView[]> {
  if (!rows.length) return [];
  const members = await db.selectFrom('destructionBatchDocuments as bd').innerJoin('documents as d', 'd.id', 'bd.documentId')
    .select(['bd.batchId', 'd.id', 'd.patientId', 'd.typeCode', 'd.serviceDate']).where('bd.batchId', 'in', rows.map((r) => r.id)).orderBy('d.id').execute();
  const mrns = new Map<string, string>();
  for (const id of new Set(members.map((m) => m.patientId))) mrns.set(id, (await getPatientRow(db, id)).mrn);
  return rows.map((r) => ({
    id: r.id, status: r.status as BatchStatus, method: r.method, reason: r.reason, proposedAt: r.proposedAt, proposedBy: r.proposedBy,
    decidedAt: r.decidedAt, decidedBy: r.decidedBy, decisionReason: r.decisionReason, certificateNumber: r.certificateNumber,
    documents: members.filter((m) => m.batchId === r.id).map((m) => ({
      id: m.id, patientId: m.patientId, mrn: mrns.get(m.patientId)!, serviceDate: m.serviceDate, type: { code: m.typeCode, display: findDocumentType(m.typeCode)?.display ?? m.typeCode },
    })),
  }));
}
const batchRows = (db: Executor) => db.selectFrom('destructionBatches').selectAll().execute();

async function getDestructionBatch(ctx: AppContext, id: string): Promise<DestructionBatchView> {
  const row = await ctx.db.selectFrom('destructionBatches').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('The destruction proposal');
  return (await batchViews(ctx.db, [row]))[0];
}

/** Destruction proposals and their outcome, newest first; audited as a read of each patient named. */
export async function listDestructionBatches(ctx: AppContext, principal: Principal, status?: BatchStatus): Promise<DestructionBatchView[]> {
  return ctx.db.transaction().execute(async (trx) => {
    let q = trx.selectFrom('destructionBatches').selectAll();
    if (status) q = q.where('status', '=', status);
    const views = await batchViews(trx, await q.orderBy('proposedAt', 'desc').orderBy('id', 'desc').limit(200).execute());
    const patients = new Set(views.flatMap((v) => v.documents.map((d) => d.patientId)));
    if (patients.size) {
      await recordAuditEvents(trx, [...patients].map((patientId) => ({ actor: actorOf(principal), action: 'read' as const, patientId, recordType: 'destruction_batch_list' })), ctx.clock);
    }
    return views;
  });
}

/** The stored certificate of destruction (PDF) of an approved batch; audited as a read of each patient named. */
export async function readDestructionCertificate(ctx: AppContext, principal: Principal, batchId: string): Promise<{ number: string; pdf: Buffer }> {
  const row = await ctx.db.selectFrom('destructionBatches').selectAll().where('id', '=', batchId).executeTakeFirst();
  if (!row?.certificateSha256 || !row.certificateNumber) throw notFound('The certificate of destruction');
  const pdf = await ctx.blobs.get(row.certificateSha256);
  const patientIds = await ctx.db.selectFrom('destructionBatchDocuments as bd').innerJoin('documents as d', 'd.id', 'bd.documentId').select('d.patientId').distinct().where('bd.batchId', '=', batchId).execute();
  await ctx.db.transaction().execute((trx) => recordAuditEvents(trx, patientIds.map(({ patientId }) => ({
    actor: actorOf(principal), action: 'read' as const, patientId, recordType: 'destruction_certificate', recordId: batchId, details: { certificate: row.certificateNumber },
  })), ctx.clock));
  return { number: row.certificateNumber, pdf };
}
