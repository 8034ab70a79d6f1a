import type { Selectable } from 'kysely';
import type { AppContext } from '../../context.js';
import { recordAuditEvent } from '../../audit/trail.js';
import { actorOf, type Principal } from '../../access/principal.js';
import { DomainError, notFound, type FieldError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { toPatientView } from '../../patients/index.js';
import { computeAccounting, earliestPeriodStart, isFreeAccounting, type Accounting, type DisclosureDetails } from './accounting-rules.js';
import { assertNoProblems, checkNotFuture, openPatientFor } from './checks.js';
import { ACCOUNTING_DEADLINE, addDays, checkExtension, currentDueDate, dueDateOf, extendedDueDateOf, todayOf, type IsoDate } from './deadlines.js';
import { correctionsOf } from './disclosure-log.js';
import { suspensionsInForce } from './suspensions.js';
import { renderAccountingLetter } from './accounting-letter.js';
import type { AccountingRequestsTable } from './schema.js';

export const ACCOUNTING_STATUSES = ['open', 'fulfilled'] as const;
export type AccountingStatus = (typeof ACCOUNTING_STATUSES)[number];

export interface AccountingRequestInput {
  patientId: string;
  receivedOn: IsoDate;
  /** The first day asked for; default and earliest: six years before receipt. */
  periodFrom?: IsoDate;
  /** The fee quoted to the patient in cents, when it differs from the configured one; a free accounting costs nothing whatever is given. */
  feeCents?: number;
}

export interface AccountingRequestView {
  id: string;
  patientId: string;
  receivedOn: IsoDate;
  periodFrom: IsoDate;
  periodTo: IsoDate;
  dueOn: IsoDate;
  extendedDueOn: IsoDate | null;
  extensionReason: string | null;
  currentDueOn: IsoDate;
  feeCents: number;
  free: boolean;
  status: AccountingStatus;
  entryCount: number | null;
  hasLetter: boolean;
  fulfilledAt: string | null;
  recordedAt: string;
  recordedBy: string;
}

type AccountingRow = Selectable<AccountingRequestsTable>;

const toView = (row: AccountingRow): AccountingRequestView => ({
  id: row.id, patientId: row.patientId, receivedOn: row.receivedOn, periodFrom: row.periodFrom, periodTo: row.periodTo, dueOn: row.dueOn,
  extendedDueOn: row.extendedDueOn, extensionReason: row.extensionReason, currentDueOn: currentDueDate(row), feeCents: row.feeCents, free: row.feeCents === 0,
  status: row.status as AccountingStatus, entryCount: row.entryCount, hasLetter: row.letterSha256 !== null, fulfilledAt: row.fulfilledAt,
  recordedAt: row.recordedAt, recordedBy: row.recordedBy,
});

/**
 * Logs a patient's request for an accounting (164.528): due 60 days from receipt, covering up to six
 * years, free if it is the first in 12 months and otherwise at the configured cost-based fee, quoted now.
 */
export async function requestAccounting(ctx: AppContext, principal: Principal, input: AccountingRequestInput): Promise<AccountingRequestView> {
  const { emergency } = await openPatientFor(ctx, principal, input.patientId);
  const now = ctx.clock.now();
  const today = todayOf(now);
  const dueOn = dueDateOf(input.receivedOn, ACCOUNTING_DEADLINE);
  const periodFrom = input.periodFrom ?? earliestPeriodStart(input.receivedOn);
  const problems: FieldError[] = [...checkNotFuture(input.receivedOn, 'receivedOn', now)];
  if (!problems.length && dueOn < today) problems.push({ field: 'receivedOn', message: `Received more than ${ACCOUNTING_DEADLINE.days} days ago: its due date (${dueOn}) has passed.` });
  if (periodFrom < earliestPeriodStart(input.receivedOn)) problems.push({ field: 'periodFrom', message: 'An accounting covers at most the six years before the request.' });
  if (periodFrom > input.receivedOn) problems.push({ field: 'periodFrom', message: 'The period must start on or before the day the request was received.' });
  if (input.feeCents !== undefined && input.feeCents < 0) problems.push({ field: 'feeCents', message: 'A fee cannot be below zero.' });
  assertNoProblems('accounting.invalid', problems);

  return ctx.db.transaction().execute(async (trx) => {
    const earlier = await trx.selectFrom('accountingRequests').select('receivedOn').where('patientId', '=', input.patientId).execute();
    const free = isFreeAccounting(input.receivedOn, earlier.map((r) => r.receivedOn));
    const row: AccountingRow = {
      id: newId(), patientId: input.patientId, receivedOn: input.receivedOn, periodFrom, periodTo: input.receivedOn, dueOn, extendedDueOn: null, extensionReason: null,
      feeCents: free ? 0 : (input.feeCents ?? ctx.config.accountingFeeCents), status: 'open', entryCount: null, letterSha256: null, fulfilledAt: null,
      recordedAt: now.toISOString(), recordedBy: principal.name,
    };
    await trx.insertInto('accountingRequests').values(row).execute();
    await recordAuditEvent(trx, { actor: actorOf(principal), action: 'create', patientId: row.patientId, recordType: 'accounting_request', recordId: row.id, emergency, details: { free, feeCents: row.feeCents } }, ctx.clock);
    return toView(row);
  });
}

async function openRequest(ctx: AppContext, principal: Principal, id: string) {
  const row = await ctx.db.selectFrom('accountingRequests').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('The accounting request');
  const { patient, emergency } = await openPatientFor(ctx, principal, row.patientId);
  return { row, patient, emergency };
}

/** Extends the due date once by 30 days, with the reason the patient is told, before the first due date passes (164.528(c)(1)(ii)). */
export async function extendAccounting(ctx: AppContext, principal: Principal, id: string, reason: string): Promise<AccountingRequestView> {
  const { row, emergency } = await openRequest(ctx, principal, id);
  const refusal = row.status === 'fulfilled' ? 'fulfilled' : checkExtension(row, todayOf(ctx.clock.now()));
  if (refusal) {
    const detail = { fulfilled: 'The accounting was already provided.', 'already-extended': 'The due date was already extended once; the law allows one extension.', 'too-late': 'The due date has passed; an extension must be sent before it.' }[refusal];
    throw new DomainError('conflict', `accounting.extension-${refusal}`, detail);
  }
  const extendedDueOn = extendedDueDateOf(row.dueOn, ACCOUNTING_DEADLINE);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('accountingRequests').set({ extendedDueOn, extensionReason: reason.trim() }).where('id', '=', id).where('extendedDueOn', 'is', null).execute();
    await recordAuditEvent(trx, { actor: actorOf(principal), action: 'update', patientId: row.patientId, recordType: 'accounting_request', recordId: id, emergency, details: { change: 'extension', due: extendedDueOn } }, ctx.clock);
  });
  return toView({ ...row, extendedDueOn, extensionReason: reason.trim() });
}

/**
 * The accounting itself for a patient and period, as of a day: the fast path the benchmark times
 * (one indexed range read of the log, the corrections, the suspensions in force).
 */
export async function computeAccountingFor(db: AppContext['db'], patientId: string, period: { from: IsoDate; to: IsoDate }, asOf: IsoDate): Promise<Accounting> {
  const [entries, corrections, suspensions] = await Promise.all([
    // The short columns only: the rows' details are read for the first disclosure of each row below.
    db.selectFrom('disclosures').select(['id', 'patientId', 'disclosedAt', 'recipientKey', 'purpose', 'kind', 'correctsId'])
      .where('patientId', '=', patientId).where('disclosedAt', '>=', period.from).where('disclosedAt', '<', addDays(period.to, 1))
      .execute(),
    correctionsOf(db, patientId),
    suspensionsInForce(db, patientId, asOf),
  ]);
  const accounting = computeAccounting(entries, { period, asOf, suspensions, correctedIds: new Set(corrections.keys()) });
  const firstIds = accounting.rows.map((r) => r.disclosureIds[0]);
  const details = new Map<string, DisclosureDetails>();
  for (let i = 0; i < firstIds.length; i += 500) {
    const rows = await db.selectFrom('disclosures').select(['id', 'recipientName', 'recipientAddress', 'description']).where('id', 'in', firstIds.slice(i, i + 500)).execute();
    for (const r of rows) details.set(r.id, r);
  }
  for (const row of accounting.rows) Object.assign(row, pickDetails(details.get(row.disclosureIds[0])!));
  return accounting;
}

const pickDetails = ({ recipientName, recipientAddress, description }: DisclosureDetails): DisclosureDetails => ({ recipientName, recipientAddress, description });

/** A request with its accounting as of today (staff see how many disclosures a suspension withholds; the letter does not): an audited read. */
export async function readAccounting(ctx: AppContext, principal: Principal, id: string): Promise<{ request: AccountingRequestView; accounting: Accounting }> {
  const { row, emergency } = await openRequest(ctx, principal, id);
  const accounting = await computeAccountingFor(ctx.db, row.patientId, { from: row.periodFrom, to: row.periodTo }, todayOf(ctx.clock.now()));
  await ctx.db.transaction().execute((trx) =>
    recordAuditEvent(trx, { actor: actorOf(principal), action: 'read', patientId: row.patientId, recordType: 'accounting', recordId: id, emergency, details: { listed: accounting.listed } }, ctx.clock));
  return { request: toView(row), accounting };
}

/** The patient's accounting requests, newest first: an audited read. */
export async function accountingsOf(ctx: AppContext, principal: Principal, patientId: string): Promise<AccountingRequestView[]> {
  const { emergency } = await openPatientFor(ctx, principal, patientId, 'id');
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('accountingRequests').selectAll().where('patientId', '=', patientId).orderBy('receivedOn', 'desc').orderBy('recordedAt', 'desc').execute();
    await recordAuditEvent(trx, { actor: actorOf(principal), action: 'read', patientId, recordType: 'accounting_request_list', emergency, details: { count: rows.length } }, ctx.clock);
    return rows.map(toView);
  });
}

/** Produces the accounting letter (PDF, kept in the blob store) and marks the request fulfilled. */
export async function fulfilAccounting(ctx: AppContext, principal: Principal, id: string): Promise<AccountingRequestView> {
  const { row, patient, emergency } = await openRequest(ctx, principal, id);
  if (row.status === 'fulfilled') throw new DomainError('conflict', 'accounting.fulfilled', 'The accounting was already provided; download its letter.');
  const now = ctx.clock.now();
  const accounting = await computeAccountingFor(ctx.db, row.patientId, { from: row.periodFrom, to: row.periodTo }, todayOf(now));
  const letter = await renderAccountingLetter(ctx, toPatientView(patient), toView(row), accounting);
  const stored = await ctx.blobs.put(letter);
  return ctx.db.transaction().execute(async (trx) => {
    const changed = await trx.updateTable('accountingRequests')
      .set({ status: 'fulfilled', entryCount: accounting.listed, letterSha256: stored.sha256, fulfilledAt: now.toISOString() })
      .where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) throw new DomainError('conflict', 'accounting.fulfilled', 'The accounting was already provided; download its letter.');
    await recordAuditEvent(trx, { actor: actorOf(principal), action: 'print', patientId: row.patientId, recordType: 'accounting_letter', recordId: id, emergency, details: { listed: accounting.listed, rows: accounting.rows.length } }, ctx.clock);
    return toView({ ...row, status: 'fulfilled', entryCount: accounting.listed, letterSha256: stored.sha256, fulfilledAt: now.toISOString() });
  });
}

/** The letter of a fulfilled accounting: an audited read. */
export async function accountingLetter(ctx: AppContext, principal: Principal, id: string): Promise<Buffer> {
  const { row, emergency } = await openRequest(ctx, principal, id);
  if (!row.letterSha256) throw new DomainError('conflict', 'accounting.no-letter', 'The accounting has not been produced yet.');
  const bytes = await ctx.blobs.get(row.letterSha256);
  await ctx.db.transaction().execute((trx) =>
    recordAuditEvent(trx, { actor: actorOf(principal), action: 'read', patientId: row.patientId, recordType: 'accounting_letter', recordId: id, emergency }, ctx.clock));
  return bytes;
}
