import type { Selectable, Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../schema.js';
import { isPostgres } from '../../platform/db/connection.js';
import { newId } from '../../platform/ids.js';
import { notFound } from '../../platform/errors.js';
import type { Principal } from '../../access/principal.js';
import type { PatientRow } from '../../patients/index.js';
import type { ReleaseRequestsTable } from './schema.js';
import type { Delivery, IdentityVerification, LegalBasis, LegalCase, Part2Consent, RecordScope, RepresentativeAuthorityRecord, Requester } from './request-input.js';
import type { RecordFormat, RequestChannel } from './requesters.js';
import type { Denial } from './denials.js';
import { isOpen, type RequestStatus } from './workflow.js';
import { daysBetween, isOverdue } from './deadlines.js';

export type ReleaseRequestRow = Selectable<ReleaseRequestsTable>;
type Executor = AppContext['db'] | Transaction<DB>;

/** The extension of a right-of-access request (45 CFR 164.524(b)(2)(ii)). */
export interface Extension {
  reason: string;
  previousDueDate: string;
  newDueDate: string;
  noticeLetterId: string;
  at: string;
  by: string;
}

/** What is kept as JSON. */
export interface RequestDetails {
  requester: Requester;
  purpose: string | null;
  basis: LegalBasis;
  part2Consent: Part2Consent | null;
  identityVerification: (IdentityVerification & { verifiedBy: string; verifiedAt: string }) | null;
  representativeAuthority: RepresentativeAuthorityRecord | null;
  scope: RecordScope;
  format: RecordFormat;
  delivery: Delivery;
  extension: Extension | null;
  denial: Denial | null;
}

/** The patient as a request shows them: enough to know whom it is about, and the holds that stop a release. */
export interface RequestPatient {
  id: string;
  mrn: string;
  name: string;
  birthDate: string;
  doNotRelease: boolean;
  legalHoldReason: string | null;
}

export interface ReleaseRequestView extends RequestDetails {
  id: string;
  patient: RequestPatient;
  status: RequestStatus;
  receivedOn: string;
  channel: RequestChannel;
  dueDate: string;
  originalDueDate: string | null;
  /** Days left until the due date (negative: overdue by that many). */
  daysLeft: number;
  overdue: boolean;
  assignedTo: { id: string; name: string } | null;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  closedAt: string | null;
}

export function requestPatientOf(row: PatientRow): RequestPatient {
  const d = JSON.parse(row.details) as { flags?: { doNotRelease?: boolean } };
  return {
    id: row.id, mrn: row.mrn, name: `${row.family}, ${[row.given, row.middle].filter(Boolean).join(' ')}`, birthDate: row.birthDate,
    doNotRelease: row.flagDoNotRelease === 1 || d.flags?.doNotRelease === true, legalHoldReason: row.legalHoldReason,
  };
}

export const detailsOf = (row: ReleaseRequestRow): RequestDetails => JSON.parse(row.details) as RequestDetails;

/** The part of a request the legal rules look at. */
export function legalCaseOf(d: RequestDetails): LegalCase {
  return {
    requester: d.requester, purpose: d.purpose, basis: d.basis, part2Consent: d.part2Consent,
    identityVerification: d.identityVerification ? { method: d.identityVerification.method, note: d.identityVerification.note } : null,
    representativeAuthority: d.representativeAuthority, scope: d.scope,
  };
}

export const todayOf = (ctx: Pick<AppContext, 'clock'>): string => ctx.clock.now().toISOString().slice(0, 10);

export function toRequestView(row: ReleaseRequestRow, patient: RequestPatient, assignee: { id: string; name: string } | null, today: string): ReleaseRequestView {
  const status = row.status as RequestStatus;
  return {
    ...detailsOf(row),
    id: row.id, patient, status, receivedOn: row.receivedOn, channel: row.channel as RequestChannel,
    dueDate: row.dueDate, originalDueDate: row.originalDueDate,
    daysLeft: daysBetween(today, row.dueDate), overdue: isOverdue(row.dueDate, today, isOpen(status)),
    assignedTo: assignee, version: row.version, createdAt: row.createdAt, createdBy: row.createdBy, updatedAt: row.updatedAt, closedAt: row.closedAt,
  };
}

export const findRequestRow = (db: Executor, id: string): Promise<ReleaseRequestRow | undefined> =>
  db.selectFrom('releaseRequests').selectAll().where('id', '=', id).executeTakeFirst();

export async function getRequestRow(db: Executor, id: string): Promise<ReleaseRequestRow> {
  const row = await findRequestRow(db, id);
  if (!row) throw notFound('The release request');
  return row;
}

/** The row, locked until the transaction ends, so two changes to one request take turns (PostgreSQL; SQLite has one writer). */
export async function lockRequestRow(trx: Transaction<DB>, id: string): Promise<ReleaseRequestRow> {
  let q = trx.selectFrom('releaseRequests').selectAll().where('id', '=', id);
  if (isPostgres(trx)) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('The release request');
  return row;
}

/** Writes a line of the request's history. */
export async function recordRequestEvent(
  trx: Transaction<DB>, ctx: AppContext, principal: Principal | null, requestId: string,
  event: { kind: string; fromStatus?: string | null; toStatus?: string | null; note?: string | null },
): Promise<void> {
  await trx.insertInto('releaseRequestEvents').values({
    id: newId(), requestId, at: ctx.clock.now().toISOString(), actorId: principal?.id ?? null, actorName: principal?.name ?? null,
    kind: event.kind, fromStatus: event.fromStatus ?? null, toStatus: event.toStatus ?? null, note: event.note ?? null,
  }).execute();
}
