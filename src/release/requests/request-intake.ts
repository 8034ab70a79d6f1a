import type { AppContext } from '../../context.js';
import { recordAuditEvent } from '../../audit/trail.js';
import { actorOf, type Principal } from '../../access/principal.js';
import { assertPatientReadable, getPatientRow, type PatientRow } from '../../patients/index.js';
import { invalid, isDomainError, type FieldError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { NewReleaseRequest } from './request-input.js';
import { computeDueDate } from './deadlines.js';
import { recordRequestEvent, todayOf, type RequestDetails } from './request-record.js';
import { assertStaffMember } from './request-access.js';

async function requestedPatient(ctx: AppContext, patientId: string): Promise<PatientRow> {
  const row = await getPatientRow(ctx.db, patientId).catch((err) => {
    if (isDomainError(err) && err.kind === 'not-found') return undefined;
    throw err;
  });
  if (!row) throw invalid('release.unknown-patient', 'No patient has that id.', [{ field: 'patientId', message: 'Choose the patient from the master patient index.' }]);
  if (row.status !== 'active') {
    throw invalid('release.unknown-patient', 'That record was merged into another.', [{ field: 'patientId', message: 'The record was merged; choose the surviving record.' }]);
  }
  return row;
}

/** Logs a request for records: the patient, the requester, what is asked for, the legal basis; its due date from the received date. */
export async function logReleaseRequest(ctx: AppContext, principal: Principal, input: NewReleaseRequest): Promise<string> {
  const patient = await requestedPatient(ctx, input.patientId);
  const emergency = await assertPatientReadable(ctx, principal, patient);
  const today = todayOf(ctx);
  const problems: FieldError[] = [];
  if (input.receivedOn > today) problems.push({ field: 'receivedOn', message: 'The received date is in the future.' });
  const ruleDue = computeDueDate(input.receivedOn, ctx.config.releaseAccessDays);
  if (input.dueDate && input.dueDate < today) problems.push({ field: 'dueDate', message: 'The due date is in the past.' });
  else if (input.dueDate && input.dueDate > ruleDue) problems.push({ field: 'dueDate', message: `The due date may be no later than ${ruleDue}, the rule's date.` });
  const s = input.scope;
  if (s.from && s.to && s.from > s.to) problems.push({ field: 'scope.to', message: 'The end of the date range is before its start.' });
  if (!s.wholeRecordSet && !s.billingRecords && !s.from && !s.to && !s.encounterIds.length && !s.documentTypes.length) {
    problems.push({ field: 'scope', message: 'Say what is asked for: dates, visits, document types, the whole record set, or billing records.' });
  }
  if (input.delivery.method === 'mail' && !input.delivery.address) problems.push({ field: 'delivery.address', message: 'A mailed copy needs an address.' });
  if (input.delivery.method === 'email' && !input.delivery.email) problems.push({ field: 'delivery.email', message: 'An e-mailed copy needs an e-mail address.' });
  if (problems.length) throw invalid('request.invalid', 'The request has problems to fix.', problems);
  const assignee = input.assignedTo ? await assertStaffMember(ctx.db, input.assignedTo, 'release.write', 'assignedTo') : null;

  const now = ctx.clock.now().toISOString();
  const details: RequestDetails = {
    requester: input.requester, purpose: input.purpose ?? null, basis: input.basis, part2Consent: input.part2Consent ?? null,
    identityVerification: input.identityVerification ? { ...input.identityVerification, verifiedBy: principal.name, verifiedAt: now } : null,
    representativeAuthority: input.representativeAuthority ?? null, scope: input.scope, format: input.format, delivery: input.delivery,
    extension: null, denial: null,
  };
  const id = newId();
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('releaseRequests').values({
      id, patientId: patient.id, status: 'logged', receivedOn: input.receivedOn, channel: input.channel, requesterKind: input.requester.kind,
      basisKind: input.basis.kind, dueDate: input.dueDate ?? ruleDue, originalDueDate: null, assignedTo: assignee?.id ?? null,
      details: JSON.stringify(details), version: 1, createdAt: now, createdBy: principal.name, updatedAt: now, closedAt: null,
    }).execute();
    await recordRequestEvent(trx, ctx, principal, id, { kind: 'status', toStatus: 'logged' });
    await recordAuditEvent(trx, {
      actor: actorOf(principal), action: 'create', patientId: patient.id, recordType: 'release_request', recordId: id, emergency,
      details: { basis: input.basis.kind, requester: input.requester.kind },
    }, ctx.clock);
  });
  return id;
}
