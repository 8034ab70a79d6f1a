import type { ExpressionBuilder, Selectable, Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../schema.js';
import { recordAuditEvent } from '../../audit/trail.js';
import { actorOf, type Principal } from '../../access/principal.js';
import { assertPatientReadable, getPatientRow, type PatientRow } from '../../patients/index.js';
import { isPostgres } from '../../platform/db/connection.js';
import { DomainError, invalid, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { LegalHoldsTable } from './schema.js';
import { patientLabels } from './patient-labels.js';

type Executor = AppContext['db'] | Transaction<DB>;

/** A hold covers every document of a patient (present and future), or the documents named. */
export const HOLD_SCOPES = ['patient', 'documents'] as const;
export type HoldScope = (typeof HOLD_SCOPES)[number];

export interface LegalHoldView {
  id: string;
  patientId: string;
  /** The record's MRN and name, for the people who place and release holds. */
  patient: { mrn: string; name: string };
  scope: HoldScope;
  /** The documents named (scope `documents`); empty for a whole patient's documents. */
  documentIds: string[];
  matter: string;
  reason: string;
  placedAt: string;
  placedBy: string;
  releasedAt: string | null;
  releasedBy: string | null;
  releaseReason: string | null;
}

export interface NewLegalHold {
  patientId: string;
  /** Omit (or leave empty) to hold every document of the patient. */
  documentIds?: string[];
  matter: string;
  reason: string;
}

export class LegalHoldError extends DomainError {
  constructor(detail: string) {
    super('locked', 'document.legal-hold', detail);
    this.name = 'LegalHoldError';
  }
}

/**
 * Whether an active hold covers the document (`d.id`, `d.patientId` of the outer query): for the
 * eligible list and anything else that must leave held documents alone, in one query.
 */
export function coveredByHold(eb: ExpressionBuilder<DB & { d: DB['documents'] }, 'd'>) {
  return eb.exists(
    eb.selectFrom('legalHolds as h').select('h.id')
      .where('h.releasedAt', 'is', null)
      .whereRef('h.patientId', '=', 'd.patientId')
      .where((inner) => inner.or([
        inner('h.scope', '=', 'patient'),
        inner.exists(inner.selectFrom('legalHoldDocuments as hd').select('hd.documentId').whereRef('hd.holdId', '=', 'h.id').whereRef('hd.documentId', '=', 'd.id')),
      ])),
  );
}

/** Whether an active document hold covers this document (the patient-level hold on the record is the patient's `legalHoldReason`). */
export async function isUnderDocumentHold(db: Executor, document: { id: string; patientId: string }): Promise<boolean> {
  const held = await db.selectFrom('legalHolds as h').select('h.id')
    .where('h.releasedAt', 'is', null).where('h.patientId', '=', document.patientId)
    .where((eb) => eb.or([
      eb('h.scope', '=', 'patient'),
      eb.exists(eb.selectFrom('legalHoldDocuments as hd').select('hd.documentId').whereRef('hd.holdId', '=', 'h.id').where('hd.documentId', '=', document.id)),
    ]))
    .executeTakeFirst();
  return held !== undefined;
}

/**
 * Refuses a change to a document a legal hold covers, whether the hold is on the patient's record or
 * on the document (DOMAIN: a hold blocks destruction, merge and amendment of what it covers).
 */
export async function assertNotUnderLegalHold(db: Executor, document: { id: string; patientId: string }, patient: Pick<PatientRow, 'legalHoldReason'>): Promise<void> {
  if (patient.legalHoldReason) throw new LegalHoldError("The patient's record is under legal hold; its documents cannot be changed until the hold is released.");
  if (await isUnderDocumentHold(db, document)) throw new LegalHoldError('The document is under legal hold; it cannot be changed until the hold is released.');
}

type HoldRow = Selectable<LegalHoldsTable>;

async function toViews(db: Executor, rows: HoldRow[]): Promise<LegalHoldView[]> {
  if (!rows.length) return [];
  const docs = await db.selectFrom('legalHoldDocuments').selectAll().where('holdId', 'in', rows.map((r) => r.id)).orderBy('documentId').execute();
  const patients = await patientLabels(db, rows.map((r) => r.patientId));
  return rows.map((r) => ({
    id: r.id, patientId: r.patientId, patient: patients.get(r.patientId)!, scope: r.scope as HoldScope, documentIds: docs.filter((d) => d.holdId === r.id).map((d) => d.documentId),
    matter: r.matter, reason: r.reason, placedAt: r.placedAt, placedBy: r.placedBy, releasedAt: r.releasedAt, releasedBy: r.releasedBy, releaseReason: r.releaseReason,
  }));
}

/** Places a legal hold on a patient's documents (all, or those named), for a matter and a reason; audited. */
export async function placeLegalHold(ctx: AppContext, principal: Principal, hold: NewLegalHold): Promise<LegalHoldView> {
  const patient = await getPatientRow(ctx.db, hold.patientId);
  if (patient.status !== 'active') throw new DomainError('conflict', 'patient.merged', 'This record was merged into another; hold the surviving record.');
  const emergency = await assertPatientReadable(ctx, principal, patient);
  const documentIds = [...new Set(hold.documentIds ?? [])].sort();
  const scope: HoldScope = documentIds.length ? 'documents' : 'patient';
  return ctx.db.transaction().execute(async (trx) => {
    if (documentIds.length) {
      const found = await trx.selectFrom('documents').select('id').where('id', 'in', documentIds).where('patientId', '=', patient.id).execute();
      const missing = documentIds.filter((id) => !found.some((f) => f.id === id));
      if (missing.length) throw invalid('legal-hold.documents', "Some of the documents are not this patient's.", missing.map((id) => ({ field: 'documentIds', message: `Not one of this patient's documents: ${id}` })));
    }
    const now = ctx.clock.now().toISOString();
    const row = {
      id: newId(), patientId: patient.id, scope, matter: hold.matter, reason: hold.reason, placedAt: now, placedBy: principal.name,
      releasedAt: null, releasedBy: null, releaseReason: null,
    };
    await trx.insertInto('legalHolds').values(row).execute();
    if (documentIds.length) await trx.insertInto('legalHoldDocuments').values(documentIds.map((documentId) => ({ holdId: row.id, documentId }))).execute();
    await recordAuditEvent(trx, {
      actor: actorOf(principal), action: 'create', patientId: patient.id, recordType: 'legal_hold', recordId: row.id, reason: hold.reason, emergency,
      details: { scope, documents: documentIds.length },
    }, ctx.clock);
    return (await toViews(trx, [row]))[0];
  });
}

/** Releases a hold, with the reason; it stays on record. */
export async function releaseLegalHold(ctx: AppContext, principal: Principal, holdId: string, reason: string): Promise<LegalHoldView> {
  return ctx.db.transaction().execute(async (trx) => {
    let q = trx.selectFrom('legalHolds').selectAll().where('id', '=', holdId);
    if (isPostgres(trx)) q = q.forUpdate();
    const row = await q.executeTakeFirst();
    if (!row) throw notFound('The legal hold');
    const emergency = await assertPatientReadable(ctx, principal, await getPatientRow(trx, row.patientId));
    if (row.releasedAt) throw new DomainError('conflict', 'legal-hold.released', 'This hold was already released.');
    const now = ctx.clock.now().toISOString();
    const released = { ...row, releasedAt: now, releasedBy: principal.name, releaseReason: reason };
    await trx.updateTable('legalHolds').set({ releasedAt: now, releasedBy: principal.name, releaseReason: reason }).where('id', '=', holdId).execute();
    await recordAuditEvent(trx, {
      actor: actorOf(principal), action: 'update', patientId: row.patientId, recordType: 'legal_hold', recordId: holdId, reason, emergency, details: { released: true },
    }, ctx.clock);
    return (await toViews(trx, [released]))[0];
  });
}

/** Holds, newest first: active ones, or all; for one patient or every patient. Audited per patient shown. */
export async function listLegalHolds(ctx: AppContext, principal: Principal, filter: { active?: boolean; patientId?: string } = {}): Promise<LegalHoldView[]> {
  return ctx.db.transaction().execute(async (trx) => {
    let q = trx.selectFrom('legalHolds').selectAll();
    if (filter.active) q = q.where('releasedAt', 'is', null);
    if (filter.patientId) q = q.where('patientId', '=', filter.patientId);
    const rows = await q.orderBy('placedAt', 'desc').orderBy('id', 'desc').limit(500).execute();
    const views = await toViews(trx, rows);
    for (const patientId of new Set(rows.map((r) => r.patientId))) {
      await recordAuditEvent(trx, { actor: actorOf(principal), action: 'read', patientId, recordType: 'legal_hold_list', details: { count: rows.filter((r) => r.patientId === patientId).length } }, ctx.clock);
    }
    return views;
  });
}
