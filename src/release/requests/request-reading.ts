import type { AppContext } from '../../context.js';
import { recordAuditEvent } from '../../audit/trail.js';
import { actorOf, type Principal } from '../../access/principal.js';
import { getUser } from '../../access/users.js';
import { assertPatientReadable, getPatientRow } from '../../patients/index.js';
import { documentsOf } from '../../documents/index.js';
import { checkHolds, checkLegalCase, type LegalChecklist } from './legal-basis.js';
import type { ChecklistItem } from './checklist.js';
import { selectDocuments, type ReleaseSelection } from './sensitive-information.js';
import {
  detailsOf, getRequestRow, legalCaseOf, requestPatientOf, todayOf, toRequestView, type ReleaseRequestRow, type ReleaseRequestView,
} from './request-record.js';
import type { Executor } from './types.js';

export interface RequestChecklist {
  legal: LegalChecklist;
  holds: ChecklistItem[];
  /** Every legal item and every hold met: the request may be validated and released. */
  valid: boolean;
}

export interface RequestHistoryLine {
  at: string;
  actorName: string | null;
  kind: string;
  fromStatus: string | null;
  toStatus: string | null;
  note: string | null;
}

export interface LetterView {
  id: string;
  kind: string;
  size: number;
  createdAt: string;
  createdBy: string;
}

export interface ReleaseRequestDetail {
  request: ReleaseRequestView;
  checklist: RequestChecklist;
  history: RequestHistoryLine[];
  letters: LetterView[];
}

/** The legal checklist and the patient's holds, as of today. */
export function checklistOf(row: ReleaseRequestRow, patient: { doNotRelease: boolean; legalHoldReason: string | null }, today: string): RequestChecklist {
  const legal = checkLegalCase(legalCaseOf(detailsOf(row)), today);
  const holds = checkHolds(patient);
  return { legal, holds, valid: legal.valid && holds.every((h) => h.met) };
}

export async function assigneeOf(db: Executor, userId: string | null): Promise<{ id: string; name: string } | null> {
  if (!userId) return null;
  const user = await getUser(db, userId);
  return { id: user.id, name: user.displayName };
}

/** One request with its checklist, history and letters: an audited read of the patient's record. */
export async function readReleaseRequest(ctx: AppContext, principal: Principal, id: string): Promise<ReleaseRequestDetail> {
  const row = await getRequestRow(ctx.db, id);
  const patientRow = await getPatientRow(ctx.db, row.patientId);
  const emergency = await assertPatientReadable(ctx, principal, patientRow);
  const patient = requestPatientOf(patientRow);
  const today = todayOf(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const history = await trx.selectFrom('releaseRequestEvents').select(['at', 'actorName', 'kind', 'fromStatus', 'toStatus', 'note'])
      .where('requestId', '=', id).orderBy('at', 'desc').orderBy('id', 'desc').execute();
    const letters = await trx.selectFrom('releaseRequestLetters').select(['id', 'kind', 'size', 'createdAt', 'createdBy'])
      .where('requestId', '=', id).orderBy('createdAt', 'desc').orderBy('id', 'desc').execute();
    const request = toRequestView(row, patient, await assigneeOf(trx, row.assignedTo), today);
    await recordAuditEvent(trx, { actor: actorOf(principal), action: 'read', patientId: row.patientId, recordType: 'release_request', recordId: id, emergency }, ctx.clock);
    return { request, checklist: checklistOf(row, patient, today), history, letters: letters.map((l) => ({ ...l, size: Number(l.size) })) };
  });
}

export interface DocumentChoice {
  documentId: string;
  type: string;
  title: string | null;
  serviceDate: string;
  sensitivity: string[];
  included: boolean;
  reasons: string[];
}

/**
 * The patient's documents as this request would take them: each included or left out with the
 * reasons (scope, sensitivity, psychotherapy notes, Part 2), and whether the Part 2 notice goes with it.
 */
export async function documentsForRequest(ctx: AppContext, principal: Principal, id: string): Promise<Omit<ReleaseSelection, 'documents'> & { documents: DocumentChoice[] }> {
  const row = await getRequestRow(ctx.db, id);
  const documents = await documentsOf(ctx, principal, row.patientId);
  const details = detailsOf(row);
  const legal = checkLegalCase(legalCaseOf(details), todayOf(ctx));
  const selection = selectDocuments(legalCaseOf(details), documents.map((d) => ({
    id: d.id, typeCode: d.type.code, encounterId: d.encounterId, serviceDate: d.serviceDate, status: d.status, sensitivity: d.sensitivity,
  })), { limitedDataSet: legal.limits.limitedDataSet });
  const byId = new Map(documents.map((d) => [d.id, d]));
  await ctx.db.transaction().execute((trx) => recordAuditEvent(trx, {
    actor: actorOf(principal), action: 'read', patientId: row.patientId, recordType: 'release_request_documents', recordId: id,
    details: { included: selection.documents.filter((d) => d.included).length, excluded: selection.documents.filter((d) => !d.included).length },
  }, ctx.clock));
  return {
    ...selection,
    documents: selection.documents.map((s) => {
      const d = byId.get(s.documentId)!;
      return { ...s, type: d.type.display, title: d.title, serviceDate: d.serviceDate, sensitivity: d.sensitivity };
    }),
  };
}


