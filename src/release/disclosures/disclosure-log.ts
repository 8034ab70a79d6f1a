import type { Selectable, Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../schema.js';
import { recordAuditEvent, recordAuditEvents } from '../../audit/trail.js';
import type { AuditActor } from '../../audit/actions.js';
import { actorOf, type Principal } from '../../access/principal.js';
import { assertTransaction } from '../../platform/db/connection.js';
import { insertInChunks } from '../../platform/db/insert-in-chunks.js';
import { invalid } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { DISCLOSURE_KINDS, isDisclosureKind, isExemptFromAccounting, recipientKeyOf, type DisclosureKind } from './kinds.js';
import { assertNoProblems, checkDocumentsOfPatient, checkNotFuture, openPatientFor } from './checks.js';
import type { DisclosuresTable } from './schema.js';

/** One disclosure as the release workflow (or a clerk) reports it. */
export interface DisclosureEntry {
  patientId: string;
  /** ISO instant. */
  disclosedAt: string;
  recipient: { name: string; address?: string | null };
  /** A brief description of what was disclosed (164.528(b)(2)(iii)). */
  description: string;
  /** The purpose, or a copy of the request (164.528(b)(2)(iv)). */
  purpose: string;
  kind: DisclosureKind;
  releaseRequestId?: string | null;
  documentIds?: string[];
  /** The entry this one corrects: the earlier entry stays, and the accounting uses this one instead. */
  correctsId?: string | null;
}

export interface DisclosureView {
  id: string;
  patientId: string;
  disclosedAt: string;
  recipientName: string;
  recipientAddress: string | null;
  description: string;
  purpose: string;
  kind: DisclosureKind;
  kindLabel: string;
  exempt: boolean;
  releaseRequestId: string | null;
  documentIds: string[];
  correctsId: string | null;
  /** The later entry that corrects this one, if any. */
  correctedById: string | null;
  source: 'release' | 'manual';
  recordedAt: string;
  recordedBy: string;
}

type DisclosureRow = Selectable<DisclosuresTable>;

function toView(row: DisclosureRow, correctedById: string | null): DisclosureView {
  const kind = row.kind as DisclosureKind;
  return {
    id: row.id, patientId: row.patientId, disclosedAt: row.disclosedAt, recipientName: row.recipientName, recipientAddress: row.recipientAddress,
    description: row.description, purpose: row.purpose, kind, kindLabel: isDisclosureKind(kind) ? DISCLOSURE_KINDS[kind].label : kind,
    exempt: isExemptFromAccounting(kind), releaseRequestId: row.releaseRequestId, documentIds: JSON.parse(row.documentIds) as string[],
    correctsId: row.correctsId, correctedById, source: row.source as DisclosureView['source'], recordedAt: row.recordedAt, recordedBy: row.recordedBy,
  };
}

/**
 * Writes disclosures to the log inside the caller's transaction (the release workflow calls it as it
 * releases), with an audit event for each. The log is append-only: the database refuses to change
 * or delete an entry. Answers the new entries' ids, in order.
 */
export async function recordDisclosures(trx: Transaction<DB>, ctx: Pick<AppContext, 'clock'>, actor: AuditActor, entries: DisclosureEntry[], source: 'release' | 'manual' = 'release'): Promise<string[]> {
  assertTransaction(trx);
  if (entries.length === 0) return [];
  const recordedAt = ctx.clock.now().toISOString();
  const rows = entries.map((e) => {
    if (!isDisclosureKind(e.kind)) throw invalid('disclosure.kind', 'Choose a kind of disclosure from the list.', [{ field: 'kind', message: 'Not a kind of disclosure Chartroom knows.' }]);
    return {
      id: newId(), patientId: e.patientId, disclosedAt: new Date(e.disclosedAt).toISOString(),
      recipientName: e.recipient.name.trim(), recipientKey: recipientKeyOf(e.recipient.name), recipientAddress: e.recipient.address?.trim() || null,
      description: e.description.trim(), purpose: e.purpose.trim(), kind: e.kind, releaseRequestId: e.releaseRequestId ?? null,
      documentIds: JSON.stringify(e.documentIds ?? []), correctsId: e.correctsId ?? null, source, recordedAt, recordedBy: actor.name ?? actor.type,
    };
  });
  await insertInChunks(trx, 'disclosures', rows);
  await recordAuditEvents(trx, rows.map((r) => ({
    actor, action: 'create', patientId: r.patientId, recordType: 'disclosure', recordId: r.id,
    details: { kind: r.kind, source, corrects: r.correctsId },
  })), ctx.clock);
  return rows.map((r) => r.id);
}

/** Enters a disclosure made outside Chartroom (a paper report to public health), or a correction of an entry. */
export async function recordManualDisclosure(ctx: AppContext, principal: Principal, entry: DisclosureEntry): Promise<DisclosureView> {
  await openPatientFor(ctx, principal, entry.patientId);
  const problems = [...checkNotFuture(entry.disclosedAt, 'disclosedAt', ctx.clock.now()), ...(await checkDocumentsOfPatient(ctx, entry.patientId, entry.documentIds ?? []))];
  if (entry.correctsId) {
    const corrected = await ctx.db.selectFrom('disclosures').select(['patientId']).where('id', '=', entry.correctsId).executeTakeFirst();
    if (!corrected || corrected.patientId !== entry.patientId) problems.push({ field: 'correctsId', message: "Not one of this patient's disclosures." });
  }
  assertNoProblems('disclosure.invalid', problems);
  return ctx.db.transaction().execute(async (trx) => {
    const [id] = await recordDisclosures(trx, ctx, actorOf(principal), [entry], 'manual');
    const row = await trx.selectFrom('disclosures').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return toView(row, null);
  });
}

/** The patient's disclosure log, newest first, each entry with the later entry that corrects it: an audited read. */
export async function disclosuresOf(ctx: AppContext, principal: Principal, patientId: string, options: { limit?: number } = {}): Promise<{ disclosures: DisclosureView[]; total: number }> {
  const { emergency } = await openPatientFor(ctx, principal, patientId, 'id');
  return ctx.db.transaction().execute(async (trx) => {
    const limit = options.limit ?? 500;
    const rows = await trx.selectFrom('disclosures').selectAll().where('patientId', '=', patientId).orderBy('disclosedAt', 'desc').orderBy('id', 'desc').limit(limit).execute();
    const total = Number((await trx.selectFrom('disclosures').select((eb) => eb.fn.countAll<number | string>().as('n')).where('patientId', '=', patientId).executeTakeFirstOrThrow()).n);
    const corrections = await correctionsOf(trx, patientId);
    await recordAuditEvent(trx, { actor: actorOf(principal), action: 'read', patientId, recordType: 'disclosure_list', emergency, details: { count: rows.length } }, ctx.clock);
    return { disclosures: rows.map((r) => toView(r, corrections.get(r.id) ?? null)), total };
  });
}

/** Corrected entry id -> the id of the latest entry correcting it. */
export async function correctionsOf(executor: Transaction<DB> | AppContext['db'], patientId: string): Promise<Map<string, string>> {
  const rows = await executor.selectFrom('disclosures').select(['id', 'correctsId']).where('patientId', '=', patientId).where('correctsId', 'is not', null).orderBy('recordedAt').execute();
  return new Map(rows.map((r) => [r.correctsId!, r.id]));
}

/** Who received a patient's disclosures of these documents (or of any, with none named): for notifying them of an amendment (164.526(c)(3)(ii)). */
export async function priorRecipientsOf(executor: Transaction<DB> | AppContext['db'], patientId: string, documentIds: readonly string[]): Promise<{ name: string; address: string | null }[]> {
  const rows = await executor.selectFrom('disclosures').select(['recipientName', 'recipientKey', 'recipientAddress', 'documentIds', 'kind'])
    .where('patientId', '=', patientId).orderBy('disclosedAt', 'desc').execute();
  const wanted = new Set(documentIds);
  const seen = new Map<string, { name: string; address: string | null }>();
  for (const r of rows) {
    if (r.kind === 'to_patient') continue;
    const docs = JSON.parse(r.documentIds) as string[];
    if (wanted.size && !docs.some((d) => wanted.has(d))) continue;
    if (!seen.has(r.recipientKey)) seen.set(r.recipientKey, { name: r.recipientName, address: r.recipientAddress });
  }
  return [...seen.values()];
}
