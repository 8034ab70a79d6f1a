import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../schema.js';
import { recordAuditEvent } from '../../audit/trail.js';
import { actorOf, type Principal } from '../../access/principal.js';
import { getUser } from '../../access/users.js';
import { permissionsOf, type Permission } from '../../access/roles.js';
import { assertPatientReadable, getPatientRow, type PatientRow } from '../../patients/index.js';
import { invalid, isDomainError } from '../../platform/errors.js';
import { getRequestRow, lockRequestRow, recordRequestEvent, type ReleaseRequestRow, type RequestDetails } from './request-record.js';
import { assertMove, isOpen, type RequestStatus } from './workflow.js';

/** A user who may be named on a request (assignee, reviewer), or a field error naming `field`. */
export async function assertStaffMember(db: AppContext['db'] | Transaction<DB>, userId: string, permission: Permission, field: string): Promise<{ id: string; name: string }> {
  const user = await getUser(db, userId).catch((err) => {
    if (isDomainError(err) && err.kind === 'not-found') return undefined;
    throw err;
  });
  if (!user || user.active !== 1 || !permissionsOf(user.role).includes(permission)) {
    throw invalid('request.invalid', 'That user cannot take this on.', [{ field, message: `Choose an active user whose role holds ${permission}.` }]);
  }
  return { id: user.id, name: user.displayName };
}

export interface ChangeContext {
  trx: Transaction<DB>;
  row: ReleaseRequestRow;
  patient: PatientRow;
  details: RequestDetails;
}

/**
 * One change to a request, in one transaction: the patient's record must be open to the caller, the
 * request row is locked, `change` does its work, and the audit event is written last.
 */
export async function changeRequest<T>(
  ctx: AppContext, principal: Principal, id: string, action: string, change: (c: ChangeContext) => Promise<T>,
): Promise<T> {
  const first = await getRequestRow(ctx.db, id);
  const patient = await getPatientRow(ctx.db, first.patientId);
  const emergency = await assertPatientReadable(ctx, principal, patient);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await lockRequestRow(trx, id);
    const result = await change({ trx, row, patient, details: JSON.parse(row.details) as RequestDetails });
    await recordAuditEvent(trx, {
      actor: actorOf(principal), action: 'update', patientId: row.patientId, recordType: 'release_request', recordId: id, emergency, details: { action },
    }, ctx.clock);
    return result;
  });
}

/** Writes the request's new state (status, details, due dates, assignee), bumping its version. */
export async function saveRequest(
  c: ChangeContext, ctx: AppContext,
  changes: { status?: RequestStatus; details?: RequestDetails; dueDate?: string; originalDueDate?: string | null; assignedTo?: string | null },
): Promise<void> {
  const now = ctx.clock.now().toISOString();
  const closing = changes.status !== undefined && !isOpen(changes.status);
  const reopening = changes.status !== undefined && isOpen(changes.status);
  await c.trx.updateTable('releaseRequests').set({
    ...(changes.status ? { status: changes.status } : {}),
    ...(changes.details ? { details: JSON.stringify(changes.details) } : {}),
    ...(changes.dueDate ? { dueDate: changes.dueDate } : {}),
    ...(changes.originalDueDate !== undefined ? { originalDueDate: changes.originalDueDate } : {}),
    ...(changes.assignedTo !== undefined ? { assignedTo: changes.assignedTo } : {}),
    ...(closing ? { closedAt: now } : reopening ? { closedAt: null } : {}),
    version: c.row.version + 1, updatedAt: now,
  }).where('id', '=', c.row.id).execute();
}

/** Moves the request to `to` if the table allows it, with a line in its history. */
export async function moveStatus(c: ChangeContext, ctx: AppContext, principal: Principal, to: RequestStatus, note: string | null, details?: RequestDetails): Promise<void> {
  const from = c.row.status as RequestStatus;
  assertMove(from, to);
  await saveRequest(c, ctx, { status: to, details });
  await recordRequestEvent(c.trx, ctx, principal, c.row.id, { kind: 'status', fromStatus: from, toStatus: to, note });
}
