import type { AppContext } from '../../context.js';
import { recordAuditEvents } from '../../audit/trail.js';
import { actorOf, type Principal } from '../../access/principal.js';
import { assertPatientReadable, patientRowsByIds } from '../../patients/index.js';
import { isDomainError } from '../../platform/errors.js';
import { detailsOf, requestPatientOf, todayOf, type ReleaseRequestRow } from './request-record.js';
import { assigneeOf } from './request-reading.js';
import { daysBetween, isOverdue } from './deadlines.js';
import { isOpen, OPEN_STATUSES, type RequestStatus } from './workflow.js';
import type { RequesterKind } from './requesters.js';
import type { LegalBasisKind } from './request-input.js';

export interface QueueFilters {
  /** `open` (default): every open status; or one status. */
  status?: 'open' | 'all' | RequestStatus;
  /** A user id, `me`, or `unassigned`. */
  assignee?: string;
  overdueOnly?: boolean;
}

export interface QueueItem {
  id: string;
  patient: { id: string; name: string; mrn: string } | null;
  status: RequestStatus;
  receivedOn: string;
  dueDate: string;
  daysLeft: number;
  overdue: boolean;
  extended: boolean;
  requesterKind: RequesterKind;
  requesterName: string;
  basis: LegalBasisKind;
  assignedTo: { id: string; name: string } | null;
}

const QUEUE_LIMIT = 500;

/**
 * The work queue: requests by due date (soonest, and so the overdue, first), then by when they came
 * in. Each patient shown is an audited read; a restricted record the caller may not open shows
 * without the patient's name.
 */
export async function listWorkQueue(ctx: AppContext, principal: Principal, filters: QueueFilters = {}): Promise<QueueItem[]> {
  const today = todayOf(ctx);
  let q = ctx.db.selectFrom('releaseRequests').selectAll();
  const status = filters.status ?? 'open';
  if (status === 'open') q = q.where('status', 'in', [...OPEN_STATUSES]);
  else if (status !== 'all') q = q.where('status', '=', status);
  const assignee = filters.assignee === 'me' ? principal.id : filters.assignee;
  if (assignee === 'unassigned') q = q.where('assignedTo', 'is', null);
  else if (assignee) q = q.where('assignedTo', '=', assignee);
  if (filters.overdueOnly) q = q.where('dueDate', '<', today).where('status', 'in', [...OPEN_STATUSES]);
  const rows: ReleaseRequestRow[] = await q.orderBy('dueDate').orderBy('receivedOn').orderBy('id').limit(QUEUE_LIMIT).execute();

  // The queue's patients in one query, not one a row.
  const patientRows = new Map((await patientRowsByIds(ctx, [...new Set(rows.map((r) => r.patientId))])).map((p) => [p.id, p]));
  const names = new Map<string, { id: string; name: string } | null>();
  const items: QueueItem[] = [];
  const shown: { patientId: string; emergency: boolean }[] = [];
  for (const row of rows) {
    const patientRow = patientRows.get(row.patientId);
    if (!patientRow) throw new Error(`release request ${row.id} names a patient that is not on file`);
    const emergency = await assertPatientReadable(ctx, principal, patientRow).catch((err) => {
      if (isDomainError(err) && err.kind === 'forbidden') return undefined;
      throw err;
    });
    if (emergency !== undefined) shown.push({ patientId: row.patientId, emergency });
    const patient = emergency === undefined ? null : requestPatientOf(patientRow);
    if (row.assignedTo && !names.has(row.assignedTo)) names.set(row.assignedTo, await assigneeOf(ctx.db, row.assignedTo));
    const details = detailsOf(row);
    const s = row.status as RequestStatus;
    items.push({
      id: row.id, patient: patient && { id: patient.id, name: patient.name, mrn: patient.mrn }, status: s, receivedOn: row.receivedOn, dueDate: row.dueDate,
      daysLeft: daysBetween(today, row.dueDate), overdue: isOverdue(row.dueDate, today, isOpen(s)), extended: details.extension != null,
      requesterKind: details.requester.kind, requesterName: details.requester.name, basis: details.basis.kind,
      assignedTo: row.assignedTo ? names.get(row.assignedTo) ?? null : null,
    });
  }
  await ctx.db.transaction().execute((trx) => recordAuditEvents(trx, shown.map((s) => ({
    actor: actorOf(principal), action: 'read' as const, patientId: s.patientId, recordType: 'release_request_list', emergency: s.emergency,
  })), ctx.clock));
  return items;
}
