import type { Selectable, Transaction } from 'kysely';
import type { DB } from '../../schema.js';
import type { AppContext } from '../../context.js';
import { recordAuditEvent } from '../../audit/trail.js';
import { actorOf, type Principal } from '../../access/principal.js';
import { DomainError, notFound, type FieldError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { toPatientView } from '../../patients/index.js';
import { assertNoProblems, checkDocumentsOfPatient, checkNotFuture, openPatientFor } from '../disclosures/checks.js';
import { AMENDMENT_DEADLINE, checkExtension, currentDueDate, dueDateOf, extendedDueDateOf, todayOf, type IsoDate } from '../disclosures/deadlines.js';
import { priorRecipientsOf } from '../disclosures/disclosure-log.js';
import { canMoveTo, checkStatement, type AmendmentStatus, type DenialGround, type StatementKind } from './amendment-rules.js';
import { renderAcceptanceLetter, renderDenialLetter, renderNotificationLetter } from './amendment-letters.js';
import type { AmendmentRequestsTable } from './schema.js';

export interface AmendmentRequestInput {
  patientId: string;
  receivedOn: IsoDate;
  /** What the patient asks to change, and why, in their words. */
  requestedChange: string;
  documentIds: string[];
}

export interface AmendmentNotificationView { id: string; recipientName: string; recipientAddress: string | null; source: 'patient-named' | 'prior-recipient'; recordedAt: string }
export interface AmendmentStatementView { id: string; kind: StatementKind; text: string; receivedOn: IsoDate; recordedAt: string; recordedBy: string }

export interface AmendmentView {
  id: string;
  patientId: string;
  receivedOn: IsoDate;
  requestedChange: string;
  documentIds: string[];
  dueOn: IsoDate;
  extendedDueOn: IsoDate | null;
  extensionReason: string | null;
  currentDueOn: IsoDate;
  status: AmendmentStatus;
  amendmentText: string | null;
  denialBasis: DenialGround | null;
  denialExplanation: string | null;
  sendWithDisclosures: boolean;
  hasLetter: boolean;
  decidedAt: string | null;
  decidedBy: string | null;
  recordedAt: string;
  recordedBy: string;
}

export interface AmendmentDetailView extends AmendmentView {
  notifications: AmendmentNotificationView[];
  statements: AmendmentStatementView[];
}

type AmendmentRow = Selectable<AmendmentRequestsTable>;

const toView = (row: AmendmentRow): AmendmentView => ({
  id: row.id, patientId: row.patientId, receivedOn: row.receivedOn, requestedChange: row.requestedChange, documentIds: JSON.parse(row.documentIds) as string[],
  dueOn: row.dueOn, extendedDueOn: row.extendedDueOn, extensionReason: row.extensionReason, currentDueOn: currentDueDate(row), status: row.status as AmendmentStatus,
  amendmentText: row.amendmentText, denialBasis: row.denialBasis as DenialGround | null, denialExplanation: row.denialExplanation,
  sendWithDisclosures: row.sendWithDisclosures === 1, hasLetter: row.letterSha256 !== null, decidedAt: row.decidedAt, decidedBy: row.decidedBy,
  recordedAt: row.recordedAt, recordedBy: row.recordedBy,
});

/** Logs a patient's request to amend their record, due 60 days from receipt (164.526(b)(2)). */
export async function requestAmendment(ctx: AppContext, principal: Principal, input: AmendmentRequestInput): Promise<AmendmentView> {
  const { emergency } = await openPatientFor(ctx, principal, input.patientId);
  const now = ctx.clock.now();
  const dueOn = dueDateOf(input.receivedOn, AMENDMENT_DEADLINE);
  const problems: FieldError[] = [...checkNotFuture(input.receivedOn, 'receivedOn', now), ...(await checkDocumentsOfPatient(ctx, input.patientId, input.documentIds))];
  if (!problems.length && dueOn < todayOf(now)) problems.push({ field: 'receivedOn', message: `Received more than ${AMENDMENT_DEADLINE.days} days ago: its due date (${dueOn}) has passed.` });
  assertNoProblems('amendment.invalid', problems);
  const row: AmendmentRow = {
    id: newId(), patientId: input.patientId, receivedOn: input.receivedOn, requestedChange: input.requestedChange.trim(), documentIds: JSON.stringify([...new Set(input.documentIds)]),
    dueOn, extendedDueOn: null, extensionReason: null, status: 'open', amendmentText: null, denialBasis: null, denialExplanation: null, sendWithDisclosures: 0,
    letterSha256: null, decidedAt: null, decidedBy: null, version: 1, recordedAt: now.toISOString(), recordedBy: principal.name,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('amendmentRequests').values(row).execute();
    await recordAuditEvent(trx, { actor: actorOf(principal), action: 'create', patientId: row.patientId, recordType: 'amendment_request', recordId: row.id, emergency, details: { documents: input.documentIds.length } }, ctx.clock);
  });
  return toView(row);
}

async function openAmendment(ctx: AppContext, principal: Principal, id: string) {
  const row = await ctx.db.selectFrom('amendmentRequests').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('The amendment request');
  const { patient, emergency } = await openPatientFor(ctx, principal, row.patientId);
  return { row, patient, emergency };
}

/** Writes a change to an amendment request only if it is still at the version read: a decision made meanwhile is not overwritten. */
async function saveChange(ctx: AppContext, principal: Principal, row: AmendmentRow, emergency: boolean, change: Partial<AmendmentRow>, audit: Record<string, string | number | boolean | null>,
  extra?: (trx: Transaction<DB>) => Promise<void>): Promise<AmendmentRow> {
  return ctx.db.transaction().execute(async (trx) => {
    const result = await trx.updateTable('amendmentRequests').set({ ...change, version: row.version + 1 }).where('id', '=', row.id).where('version', '=', row.version).executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new DomainError('conflict', 'amendment.changed', 'Someone else changed this request meanwhile; reload it.');
    if (extra) await extra(trx);
    await recordAuditEvent(trx, { actor: actorOf(principal), action: 'update', patientId: row.patientId, recordType: 'amendment_request', recordId: row.id, emergency, details: audit }, ctx.clock);
    return { ...row, ...change, version: row.version + 1 };
  });
}

/** Extends the due date once by 30 days with a written reason, before the first due date passes (164.526(b)(2)(ii)). */
export async function extendAmendment(ctx: AppContext, principal: Principal, id: string, reason: string): Promise<AmendmentView> {
  const { row, emergency } = await openAmendment(ctx, principal, id);
  const refusal = row.status !== 'open' ? 'decided' : checkExtension(row, todayOf(ctx.clock.now()));
  if (refusal) {
    const detail = { decided: 'The request was already decided.', 'already-extended': 'The due date was already extended once; the law allows one extension.', 'too-late': 'The due date has passed; an extension must be sent before it.' }[refusal];
    throw new DomainError('conflict', `amendment.extension-${refusal}`, detail);
  }
  const extendedDueOn = extendedDueDateOf(row.dueOn, AMENDMENT_DEADLINE);
  return toView(await saveChange(ctx, principal, row, emergency, { extendedDueOn, extensionReason: reason.trim() }, { change: 'extension', due: extendedDueOn }));
}

function assertOpen(row: AmendmentRow, to: AmendmentStatus): void {
  if (!canMoveTo(row.status as AmendmentStatus, to)) throw new DomainError('conflict', 'amendment.decided', `The request was already ${row.status}.`);
}

export interface AcceptanceInput {
  /** The amendment as it is added to the record. */
  amendmentText: string;
  /** People the patient names to receive the amendment (164.526(c)(2)). */
  notify: { name: string; address?: string | null }[];
  /** The patient agrees that earlier recipients of the documents (from the disclosure log) be told. */
  notifyPriorRecipients: boolean;
}

/**
 * Accepts the request: the amendment is linked to the documents it changes, the acceptance letter is
 * made, and each recipient to tell gets a notification letter (164.526(c)). Refused while the
 * patient's record is under legal hold: a hold blocks amendment.
 */
export async function acceptAmendment(ctx: AppContext, principal: Principal, id: string, input: AcceptanceInput): Promise<AmendmentDetailView> {
  const { row, patient, emergency } = await openAmendment(ctx, principal, id);
  assertOpen(row, 'accepted');
  if (patient.legalHoldReason) throw new DomainError('locked', 'amendment.legal-hold', "The patient's record is under legal hold; an amendment cannot be accepted until the hold is released.");
  const documentIds = JSON.parse(row.documentIds) as string[];
  const named = input.notify.map((n) => ({ name: n.name.trim(), address: n.address?.trim() || null, source: 'patient-named' as const }));
  const prior = input.notifyPriorRecipients ? (await priorRecipientsOf(ctx.db, row.patientId, documentIds)).map((r) => ({ ...r, source: 'prior-recipient' as const })) : [];
  const seen = new Set<string>();
  const recipients = [...named, ...prior].filter((r) => {
    const key = r.name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const view = toPatientView(patient);
  const letter = await ctx.blobs.put(await renderAcceptanceLetter(ctx, view, row, input.amendmentText, recipients.map((r) => r.name)));
  const notices: ((typeof recipients)[number] & { sha256: string })[] = [];
  for (const r of recipients) notices.push({ ...r, sha256: (await ctx.blobs.put(await renderNotificationLetter(ctx, view, r, input.amendmentText))).sha256 });
  const now = ctx.clock.now().toISOString();
  await saveChange(ctx, principal, row, emergency,
    { status: 'accepted', amendmentText: input.amendmentText.trim(), letterSha256: letter.sha256, decidedAt: now, decidedBy: principal.name },
    { change: 'accepted', notified: notices.length },
    async (trx) => {
      if (notices.length) {
        await trx.insertInto('amendmentNotifications').values(notices.map((n) => ({
          id: newId(), amendmentId: row.id, recipientName: n.name, recipientAddress: n.address, source: n.source, letterSha256: n.sha256, recordedAt: now,
        }))).execute();
      }
    });
  return readAmendment(ctx, principal, id);
}

/** Denies the request on one of the four grounds, with the denial letter stating the patient's rights (164.526(d)). */
export async function denyAmendment(ctx: AppContext, principal: Principal, id: string, input: { basis: DenialGround; explanation: string }): Promise<AmendmentDetailView> {
  const { row, patient, emergency } = await openAmendment(ctx, principal, id);
  assertOpen(row, 'denied');
  const letter = await ctx.blobs.put(await renderDenialLetter(ctx, toPatientView(patient), row, input.basis, input.explanation.trim()));
  await saveChange(ctx, principal, row, emergency,
    { status: 'denied', denialBasis: input.basis, denialExplanation: input.explanation.trim(), letterSha256: letter.sha256, decidedAt: ctx.clock.now().toISOString(), decidedBy: principal.name },
    { change: 'denied', basis: input.basis });
  return readAmendment(ctx, principal, id);
}

/** Records the patient's statement of disagreement or our rebuttal, linked to the denied request (164.526(d)(2)-(4)). */
export async function recordStatement(ctx: AppContext, principal: Principal, id: string, input: { kind: StatementKind; text: string; receivedOn: IsoDate }): Promise<AmendmentDetailView> {
  const { row, emergency } = await openAmendment(ctx, principal, id);
  assertNoProblems('amendment.statement-invalid', checkNotFuture(input.receivedOn, 'receivedOn', ctx.clock.now()));
  const hasDisagreement = !!(await ctx.db.selectFrom('amendmentStatements').select('id').where('amendmentId', '=', id).where('kind', '=', 'disagreement').executeTakeFirst());
  const refusal = checkStatement(row.status as AmendmentStatus, input.kind, hasDisagreement);
  if (refusal) throw new DomainError('conflict', 'amendment.statement-not-allowed', refusal, [{ field: 'kind', message: refusal }]);
  const statement = { id: newId(), amendmentId: id, kind: input.kind, text: input.text.trim(), receivedOn: input.receivedOn, recordedAt: ctx.clock.now().toISOString(), recordedBy: principal.name };
  await saveChange(ctx, principal, row, emergency, {}, { change: `statement:${input.kind}` }, async (trx) => {
    await trx.insertInto('amendmentStatements').values(statement).execute();
  });
  return readAmendment(ctx, principal, id);
}

/** The patient asks that the request and the denial go with later disclosures (164.526(d)(1)(iii)). */
export async function sendWithDisclosures(ctx: AppContext, principal: Principal, id: string): Promise<AmendmentDetailView> {
  const { row, emergency } = await openAmendment(ctx, principal, id);
  if (row.status !== 'denied') throw new DomainError('conflict', 'amendment.not-denied', 'Only a denied request goes with later disclosures this way.');
  await saveChange(ctx, principal, row, emergency, { sendWithDisclosures: 1 }, { change: 'send-with-disclosures' });
  return readAmendment(ctx, principal, id);
}

async function detailOf(executor: AppContext['db'], row: AmendmentRow): Promise<AmendmentDetailView> {
  const [notifications, statements] = await Promise.all([
    executor.selectFrom('amendmentNotifications').select(['id', 'recipientName', 'recipientAddress', 'source', 'recordedAt']).where('amendmentId', '=', row.id).orderBy('recipientName').execute(),
    executor.selectFrom('amendmentStatements').select(['id', 'kind', 'text', 'receivedOn', 'recordedAt', 'recordedBy']).where('amendmentId', '=', row.id).orderBy('recordedAt').execute(),
  ]);
  return {
    ...toView(row),
    notifications: notifications.map((n) => ({ ...n, source: n.source as AmendmentNotificationView['source'] })),
    statements: statements.map((s) => ({ ...s, kind: s.kind as StatementKind })),
  };
}

/** One amendment request with its notifications and statements: an audited read. */
export async function readAmendment(ctx: AppContext, principal: Principal, id: string): Promise<AmendmentDetailView> {
  const { row, emergency } = await openAmendment(ctx, principal, id);
  const detail = await detailOf(ctx.db, row);
  await ctx.db.transaction().execute((trx) =>
    recordAuditEvent(trx, { actor: actorOf(principal), action: 'read', patientId: row.patientId, recordType: 'amendment_request', recordId: id, emergency }, ctx.clock));
  return detail;
}

/** The patient's amendment requests, newest first: an audited read. */
export async function amendmentsOf(ctx: AppContext, principal: Principal, patientId: string): Promise<AmendmentView[]> {
  const { emergency } = await openPatientFor(ctx, principal, patientId, 'id');
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('amendmentRequests').selectAll().where('patientId', '=', patientId).orderBy('receivedOn', 'desc').orderBy('recordedAt', 'desc').execute();
    await recordAuditEvent(trx, { actor: actorOf(principal), action: 'read', patientId, recordType: 'amendment_request_list', emergency, details: { count: rows.length } }, ctx.clock);
    return rows.map(toView);
  });
}

export interface AmendmentQueueItem extends AmendmentView {
  patientName: string;
  mrn: string;
}

/** Open amendment requests, soonest due first, for the work queue: each patient shown is audited. */
export async function amendmentQueue(ctx: AppContext, principal: Principal): Promise<AmendmentQueueItem[]> {
  const rows = await ctx.db.selectFrom('amendmentRequests').selectAll().where('status', '=', 'open').orderBy('dueOn').limit(200).execute();
  const items: AmendmentQueueItem[] = [];
  for (const row of rows) {
    const { patient } = await openPatientFor(ctx, principal, row.patientId).catch(() => ({ patient: undefined }));
    if (!patient) continue;
    const p = toPatientView(patient);
    items.push({ ...toView(row), patientName: `${p.family}, ${p.given}`, mrn: p.mrn });
  }
  items.sort((a, b) => (a.currentDueOn < b.currentDueOn ? -1 : a.currentDueOn > b.currentDueOn ? 1 : 0));
  await ctx.db.transaction().execute(async (trx) => {
    for (const item of items) {
      await recordAuditEvent(trx, { actor: actorOf(principal), action: 'read', patientId: item.patientId, recordType: 'amendment_queue', recordId: item.id }, ctx.clock);
    }
  });
  return items;
}

/** The decision letter (acceptance or denial), or a notification letter: an audited read. */
export async function amendmentLetter(ctx: AppContext, principal: Principal, id: string, notificationId?: string): Promise<Buffer> {
  const { row, emergency } = await openAmendment(ctx, principal, id);
  let sha = row.letterSha256;
  if (notificationId) {
    const n = await ctx.db.selectFrom('amendmentNotifications').select('letterSha256').where('id', '=', notificationId).where('amendmentId', '=', id).executeTakeFirst();
    if (!n) throw notFound('The notification');
    sha = n.letterSha256;
  }
  if (!sha) throw new DomainError('conflict', 'amendment.no-letter', 'The request has not been decided yet.');
  const bytes = await ctx.blobs.get(sha);
  await ctx.db.transaction().execute((trx) =>
    recordAuditEvent(trx, { actor: actorOf(principal), action: 'read', patientId: row.patientId, recordType: notificationId ? 'amendment_notification_letter' : 'amendment_letter', recordId: notificationId ?? id, emergency }, ctx.clock));
  return bytes;
}

/** What must go with a later disclosure of these documents: accepted amendments, and denied requests with their statements (164.526(d)(5)). */
export interface AmendmentStatementsForDisclosure {
  amendmentId: string;
  status: 'accepted' | 'denied';
  requestedChange: string;
  amendmentText: string | null;
  denialBasis: DenialGround | null;
  statements: { kind: StatementKind; text: string; receivedOn: IsoDate }[];
}

/**
 * For the release workflow: the amendments and statements to send with a disclosure of these
 * documents (all of the patient's, with none named). A denied request goes with them when the patient
 * filed a statement of disagreement or asked that it go with later disclosures.
 */
export async function amendmentStatementsFor(db: AppContext['db'], patientId: string, documentIds: readonly string[]): Promise<AmendmentStatementsForDisclosure[]> {
  const rows = await db.selectFrom('amendmentRequests').selectAll().where('patientId', '=', patientId).where('status', 'in', ['accepted', 'denied']).orderBy('receivedOn').execute();
  const wanted = new Set(documentIds);
  const found: AmendmentStatementsForDisclosure[] = [];
  for (const row of rows) {
    const docs = JSON.parse(row.documentIds) as string[];
    if (wanted.size && docs.length && !docs.some((d) => wanted.has(d))) continue;
    const statements = await db.selectFrom('amendmentStatements').select(['kind', 'text', 'receivedOn']).where('amendmentId', '=', row.id).orderBy('recordedAt').execute();
    if (row.status === 'denied' && !statements.some((s) => s.kind === 'disagreement') && row.sendWithDisclosures !== 1) continue;
    found.push({
      amendmentId: row.id, status: row.status as 'accepted' | 'denied', requestedChange: row.requestedChange, amendmentText: row.amendmentText,
      denialBasis: row.denialBasis as DenialGround | null, statements: statements.map((s) => ({ ...s, kind: s.kind as StatementKind })),
    });
  }
  return found;
}
