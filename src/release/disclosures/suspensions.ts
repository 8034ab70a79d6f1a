import type { AppContext } from '../../context.js';
import { recordAuditEvent } from '../../audit/trail.js';
import { actorOf, type Principal } from '../../access/principal.js';
import { newId } from '../../platform/ids.js';
import { checkSuspension, isSuspensionInForce, type Suspension, type SuspensionForm } from './accounting-rules.js';
import { assertNoProblems, openPatientFor } from './checks.js';
import { todayOf, type IsoDate } from './deadlines.js';
import { recipientKeyOf } from './kinds.js';

export interface SuspensionInput {
  agencyName: string;
  /** The one patient it concerns; omit for every patient's accounting. */
  patientId?: string | null;
  form: SuspensionForm;
  fromDate: IsoDate;
  untilDate: IsoDate;
  reason: string;
}

export interface SuspensionView extends SuspensionInput {
  id: string;
  patientId: string | null;
  inForce: boolean;
  recordedAt: string;
  recordedBy: string;
}

/**
 * Records an agency's suspension of the right to an accounting (164.528(a)(2)): a written statement
 * for the time it states, or an oral one for at most 30 days.
 */
export async function recordSuspension(ctx: AppContext, principal: Principal, input: SuspensionInput): Promise<SuspensionView> {
  const emergency = input.patientId ? (await openPatientFor(ctx, principal, input.patientId)).emergency : false;
  const today = todayOf(ctx.clock.now());
  assertNoProblems('suspension.invalid', checkSuspension(input, today));
  const row = {
    id: newId(), agencyName: input.agencyName.trim(), agencyKey: recipientKeyOf(input.agencyName), patientId: input.patientId ?? null, form: input.form,
    fromDate: input.fromDate, untilDate: input.untilDate, reason: input.reason.trim(), recordedAt: ctx.clock.now().toISOString(), recordedBy: principal.name,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('disclosureSuspensions').values(row).execute();
    await recordAuditEvent(trx, { actor: actorOf(principal), action: 'create', patientId: row.patientId, recordType: 'disclosure_suspension', recordId: row.id, emergency, details: { form: row.form, until: row.untilDate } }, ctx.clock);
  });
  return toView(row, today);
}

function toView(row: Omit<SuspensionView, 'inForce'> & { agencyKey?: string }, today: IsoDate): SuspensionView {
  const { agencyKey: _key, ...rest } = row;
  return { ...rest, form: rest.form as SuspensionForm, inForce: isSuspensionInForce(rest, today) };
}

/** Suspensions, latest ending first; with `inForce`, only those in force today. Audited (the list names the patients some concern). */
export async function listSuspensions(ctx: AppContext, principal: Principal, options: { inForce?: boolean } = {}): Promise<SuspensionView[]> {
  const today = todayOf(ctx.clock.now());
  return ctx.db.transaction().execute(async (trx) => {
    let q = trx.selectFrom('disclosureSuspensions').selectAll();
    if (options.inForce) q = q.where('fromDate', '<=', today).where('untilDate', '>=', today);
    const rows = await q.orderBy('untilDate', 'desc').limit(500).execute();
    await recordAuditEvent(trx, { actor: actorOf(principal), action: 'read', recordType: 'disclosure_suspension_list', details: { count: rows.length } }, ctx.clock);
    return rows.map((r) => toView(r as SuspensionView & { agencyKey: string }, today));
  });
}

/** The suspensions that could bear on a patient's accounting as of a day: in force then, for the patient or for everyone. */
export async function suspensionsInForce(executor: AppContext['db'], patientId: string, on: IsoDate): Promise<Suspension[]> {
  const rows = await executor.selectFrom('disclosureSuspensions').select(['agencyKey', 'patientId', 'form', 'fromDate', 'untilDate'])
    .where('fromDate', '<=', on).where('untilDate', '>=', on)
    .where((eb) => eb.or([eb('patientId', 'is', null), eb('patientId', '=', patientId)])).execute();
  return rows.map((r) => ({ ...r, form: r.form as SuspensionForm }));
}
