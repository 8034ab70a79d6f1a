import type { Transaction } from 'kysely';
import type { AppContext } from '../context.js';
import type { DB } from '../schema.js';
import type { AuditActor } from '../audit/actions.js';
import { recordAuditEvent, recordAuditEvents } from '../audit/trail.js';
import { actorOf, type Principal } from '../access/principal.js';
import { assertPatientReadable } from './confidentiality.js';
import { isPostgres } from '../platform/db/connection.js';
import { newId } from '../platform/ids.js';
import { DomainError, invalid, notFound } from '../platform/errors.js';
import { getPatientRow, toPatientRow, toPatientView, writeLookupRows, aliasMrnsOf, type PatientRow, type PatientView, type StoredDemographics } from './patient-record.js';
import { planMerge, removeAdded, type MergePlan } from './survivorship.js';
import { recordVersion } from './history.js';
import { compareRecords } from './matching.js';
import { matchRecordOfRow } from './candidates.js';

/**
 * Another capability that links records to patients (encounters, documents, release requests,
 * disclosures, deficiencies) registers here, so a merge carries its rows to the survivor and an
 * unmerge brings exactly those rows back.
 */
export interface MergeParticipant {
  name: string;
  /** Moves this capability's rows from the retired patient to the survivor; answers the ids moved. */
  move(trx: Transaction<DB>, retiredId: string, survivorId: string): Promise<string[]>;
  /** Moves those rows back to the patient they came from. */
  restore(trx: Transaction<DB>, ids: string[], retiredId: string): Promise<void>;
}

const participants: MergeParticipant[] = [];

export function registerMergeParticipant(p: MergeParticipant): void {
  if (participants.some((x) => x.name === p.name)) return;
  participants.push(p);
}

interface MergeRecord {
  survivorBefore: PatientRow;
  retiredBefore: PatientRow;
  added: MergePlan['added'];
  retiredMrnIdentifierIds: string[];
  moved: Record<string, string[]>;
}

export interface MergeView {
  id: string;
  survivorId: string;
  retiredId: string;
  status: 'merged' | 'undone';
  mergedAt: string;
  mergedBy: string;
  reason: string;
  undoneAt: string | null;
  undoneBy: string | null;
}

async function lockPatients(trx: Transaction<DB>, ids: string[]): Promise<PatientRow[]> {
  // Lock in id order so two merges of the same pair cannot deadlock.
  const sorted = [...ids].sort();
  let q = trx.selectFrom('patients').selectAll().where('id', 'in', sorted).orderBy('id');
  if (isPostgres(trx)) q = q.forUpdate();
  const rows = await q.execute();
  return ids.map((id) => {
    const row = rows.find((r) => r.id === id);
    if (!row) throw notFound('The patient');
    return row;
  });
}

/** What the merge screen shows: the surviving values and where each comes from. Both records are audited reads. */
export async function previewMerge(ctx: AppContext, actor: AuditActor, survivorId: string, retiredId: string) {
  const survivor = await getPatientRow(ctx.db, survivorId);
  const retired = await getPatientRow(ctx.db, retiredId);
  await ctx.db.transaction().execute((trx) =>
    recordAuditEvents(trx, [survivor.id, retired.id].map((patientId) => ({ actor, action: 'read' as const, patientId, recordType: 'merge_preview' })), ctx.clock),
  );
  const plan = planMerge(JSON.parse(survivor.details), JSON.parse(retired.details));
  const { score, weight, grade, fields } = compareRecords(matchRecordOfRow(survivor), matchRecordOfRow(retired));
  return {
    survivor: toPatientView(survivor), retired: toPatientView(retired), merged: plan.merged, sources: plan.sources, problems: checkMergeable(survivor, retired),
    match: { score, weight, grade, fields },
  };
}

/** Reasons a pair cannot be merged: the same record, one already merged, or a legal hold. */
export function checkMergeable(survivor: PatientRow, retired: PatientRow): string[] {
  const problems: string[] = [];
  if (survivor.id === retired.id) problems.push('A record cannot be merged with itself.');
  if (survivor.status !== 'active' || retired.status !== 'active') problems.push('One of the records was already merged.');
  if (survivor.legalHoldReason || retired.legalHoldReason) problems.push('A record under legal hold cannot be merged until the hold is released.');
  return problems;
}

/**
 * Merges the retired record into the survivor: survivorship decides the surviving values, the
 * retired MRN stays as an alias that still finds the survivor, every linked row moves over, and
 * what moved is recorded so the merge can be undone. Both patients' audit trails show it.
 */
export async function mergePatients(ctx: AppContext, actor: AuditActor, survivorId: string, retiredId: string, reason: string): Promise<{ merge: MergeView; survivor: PatientView }> {
  if (!reason.trim()) throw invalid('request.invalid', 'Say why these records are the same person.', [{ field: 'reason', message: 'Required.' }]);
  return ctx.db.transaction().execute((trx) => mergePatientsWithin(trx, ctx, actor, survivorId, retiredId, reason));
}

/** The merge itself, inside the caller's transaction (an HL7 A40 merges with the rest of its message). */
export async function mergePatientsWithin(
  trx: Transaction<DB>, ctx: AppContext, actor: AuditActor, survivorId: string, retiredId: string, reason: string,
): Promise<{ merge: MergeView; survivor: PatientView }> {
  if (!reason.trim()) throw invalid('request.invalid', 'Say why these records are the same person.', [{ field: 'reason', message: 'Required.' }]);
  {
    const [survivor, retired] = await lockPatients(trx, [survivorId, retiredId]);
    const problems = checkMergeable(survivor, retired);
    if (problems.length) throw new DomainError('conflict', survivor.legalHoldReason || retired.legalHoldReason ? 'patient.legal-hold' : 'patient.not-mergeable', problems.join(' '));
    const now = ctx.clock.now().toISOString();
    const plan = planMerge(JSON.parse(survivor.details) as StoredDemographics, JSON.parse(retired.details) as StoredDemographics);

    const mrnRows = await trx.selectFrom('patientIdentifiers').select('id').where('patientId', '=', retiredId).where('type', '=', 'MRN').execute();
    await trx.updateTable('patientIdentifiers').set({ patientId: survivorId, retired: 1 }).where('patientId', '=', retiredId).where('type', '=', 'MRN').execute();
    await clearLookupRows(trx, retiredId);
    const sealed = {
      ssnHash: survivor.ssnHash ?? retired.ssnHash, ssnLast4: survivor.ssnHash ? survivor.ssnLast4 : retired.ssnLast4,
      ssnSealed: survivor.ssnSealed ?? retired.ssnSealed, driversLicenceSealed: survivor.driversLicenceSealed ?? retired.driversLicenceSealed,
    };
    const survivorAfter = toPatientRow(
      { id: survivorId, mrn: survivor.mrn, version: survivor.version + 1, createdAt: survivor.createdAt, updatedAt: now, legalHoldReason: survivor.legalHoldReason },
      plan.merged,
      sealed,
    );
    const { id: _s, ...survivorChanges } = survivorAfter;
    await trx.updateTable('patients').set(survivorChanges).where('id', '=', survivorId).execute();
    await writeLookupRows(trx, survivorId, plan.merged);
    const retiredAfter = { ...retired, status: 'merged', mergedInto: survivorId, version: retired.version + 1, updatedAt: now };
    await trx.updateTable('patients').set({ status: 'merged', mergedInto: survivorId, version: retiredAfter.version, updatedAt: now }).where('id', '=', retiredId).execute();

    const moved: Record<string, string[]> = {};
    for (const p of participants) moved[p.name] = await p.move(trx, retiredId, survivorId);
    await trx
      .updateTable('duplicateCandidates')
      .set({ status: 'merged', resolvedAt: now, resolvedBy: actor.name ?? actor.type })
      .where((eb) => eb.or([eb.and([eb('patientA', '=', survivorId), eb('patientB', '=', retiredId)]), eb.and([eb('patientA', '=', retiredId), eb('patientB', '=', survivorId)])]))
      .execute();

    const record: MergeRecord = { survivorBefore: survivor, retiredBefore: retired, added: plan.added, retiredMrnIdentifierIds: mrnRows.map((r) => r.id), moved };
    const merge = { id: newId(), survivorId, retiredId, status: 'merged', mergedAt: now, mergedBy: actor.name ?? actor.type, reason: reason.trim(), record: JSON.stringify(record), undoneAt: null, undoneBy: null };
    await trx.insertInto('patientMerges').values(merge).execute();
    await recordVersion(trx, survivorAfter, 'merged-from', actor, now, `Merged ${retired.mrn} into this record: ${reason.trim()}`);
    await recordVersion(trx, retiredAfter, 'merged-into', actor, now, `Merged into ${survivor.mrn}: ${reason.trim()}`);
    await recordAuditEvents(trx, [
      { actor, action: 'update', patientId: survivorId, recordType: 'patient_merge', recordId: merge.id, reason: reason.trim(), details: { role: 'survivor' } },
      { actor, action: 'update', patientId: retiredId, recordType: 'patient_merge', recordId: merge.id, reason: reason.trim(), details: { role: 'retired' } },
    ], ctx.clock);
    return { merge: toMergeView(merge), survivor: toPatientView(survivorAfter, await aliasMrnsOf(trx, survivorId)) };
  }
}

/**
 * Undoes a merge from its recorded history: the retired record comes back as it was, its MRN is its
 * own again, the rows that moved go back, and what the merge added to the survivor is taken out
 * (changes made to the survivor since then stay).
 */
export async function unmergePatients(ctx: AppContext, actor: AuditActor, mergeId: string, reason: string): Promise<{ merge: MergeView; survivor: PatientView; restored: PatientView }> {
  if (!reason.trim()) throw invalid('request.invalid', 'Say why the merge is undone.', [{ field: 'reason', message: 'Required.' }]);
  return ctx.db.transaction().execute(async (trx) => {
    const merge = await trx.selectFrom('patientMerges').selectAll().where('id', '=', mergeId).executeTakeFirst();
    if (!merge) throw notFound('The merge');
    if (merge.status !== 'merged') throw new DomainError('conflict', 'patient.merge-undone', 'This merge was already undone.');
    const [survivor, retired] = await lockPatients(trx, [merge.survivorId, merge.retiredId]);
    if (survivor.status !== 'active' || retired.mergedInto !== survivor.id) {
      throw new DomainError('conflict', 'patient.merge-superseded', 'The surviving record was itself merged since; undo that merge first.');
    }
    const record = JSON.parse(merge.record) as MergeRecord;
    const now = ctx.clock.now().toISOString();

    const survivorDetails = removeAdded(JSON.parse(survivor.details) as StoredDemographics, record.added);
    const survivorKeepsRetiredSsn = record.survivorBefore.ssnHash === null && survivor.ssnHash === record.retiredBefore.ssnHash;
    const survivorAfter = toPatientRow(
      { id: survivor.id, mrn: survivor.mrn, version: survivor.version + 1, createdAt: survivor.createdAt, updatedAt: now, legalHoldReason: survivor.legalHoldReason },
      survivorDetails,
      survivorKeepsRetiredSsn
        ? { ssnHash: null, ssnLast4: null, ssnSealed: null, driversLicenceSealed: record.survivorBefore.driversLicenceSealed ?? survivor.driversLicenceSealed }
        : { ssnHash: survivor.ssnHash, ssnLast4: survivor.ssnLast4, ssnSealed: survivor.ssnSealed, driversLicenceSealed: survivor.driversLicenceSealed },
    );
    const { id: _s, ...survivorChanges } = survivorAfter;
    await trx.updateTable('patients').set(survivorChanges).where('id', '=', survivor.id).execute();
    await writeLookupRows(trx, survivor.id, survivorDetails);

    const restoredRow: PatientRow = { ...record.retiredBefore, version: retired.version + 1, updatedAt: now, status: 'active', mergedInto: null };
    const { id: _r, ...restoredChanges } = restoredRow;
    await trx.updateTable('patients').set(restoredChanges).where('id', '=', retired.id).execute();
    await writeLookupRows(trx, retired.id, JSON.parse(record.retiredBefore.details) as StoredDemographics);
    if (record.retiredMrnIdentifierIds.length) {
      await trx.updateTable('patientIdentifiers').set({ patientId: retired.id, retired: 0 }).where('id', 'in', record.retiredMrnIdentifierIds).execute();
    }
    for (const p of participants) {
      const ids = record.moved[p.name] ?? [];
      if (ids.length) await p.restore(trx, ids, retired.id);
    }
    await trx.updateTable('patientMerges').set({ status: 'undone', undoneAt: now, undoneBy: actor.name ?? actor.type }).where('id', '=', mergeId).execute();
    await trx
      .updateTable('duplicateCandidates')
      .set({ status: 'not_duplicate', resolvedAt: now, resolvedBy: actor.name ?? actor.type, note: `Merge undone: ${reason.trim()}` })
      .where((eb) => eb.or([eb.and([eb('patientA', '=', survivor.id), eb('patientB', '=', retired.id)]), eb.and([eb('patientA', '=', retired.id), eb('patientB', '=', survivor.id)])]))
      .execute();
    await recordVersion(trx, survivorAfter, 'unmerged', actor, now, reason.trim());
    await recordVersion(trx, restoredRow, 'unmerged', actor, now, reason.trim());
    await recordAuditEvents(trx, [
      { actor, action: 'update', patientId: survivor.id, recordType: 'patient_unmerge', recordId: mergeId, reason: reason.trim() },
      { actor, action: 'update', patientId: retired.id, recordType: 'patient_unmerge', recordId: mergeId, reason: reason.trim() },
    ], ctx.clock);
    const after = await trx.selectFrom('patientMerges').selectAll().where('id', '=', mergeId).executeTakeFirstOrThrow();
    return { merge: toMergeView(after), survivor: toPatientView(survivorAfter, await aliasMrnsOf(trx, survivor.id)), restored: toPatientView(restoredRow) };
  });
}

async function clearLookupRows(trx: Transaction<DB>, patientId: string): Promise<void> {
  await trx.deleteFrom('patientNames').where('patientId', '=', patientId).execute();
  await trx.deleteFrom('patientPhones').where('patientId', '=', patientId).execute();
  await trx.deleteFrom('patientIdentifiers').where('patientId', '=', patientId).where('type', '!=', 'MRN').execute();
}

export function toMergeView(m: { id: string; survivorId: string; retiredId: string; status: string; mergedAt: string; mergedBy: string; reason: string; undoneAt: string | null; undoneBy: string | null }): MergeView {
  return { id: m.id, survivorId: m.survivorId, retiredId: m.retiredId, status: m.status as MergeView['status'], mergedAt: m.mergedAt, mergedBy: m.mergedBy, reason: m.reason, undoneAt: m.undoneAt, undoneBy: m.undoneBy };
}

/** The merges a patient took part in, newest first; an audited read of the patient's record. */
export async function mergesOf(ctx: AppContext, principal: Principal, patientId: string): Promise<MergeView[]> {
  const emergency = await assertPatientReadable(ctx, principal, await getPatientRow(ctx.db, patientId));
  await ctx.db.transaction().execute((trx) =>
    recordAuditEvent(trx, { actor: actorOf(principal), action: 'read', patientId, recordType: 'patient_merge', emergency }, ctx.clock),
  );
  const rows = await ctx.db
    .selectFrom('patientMerges')
    .selectAll()
    .where((eb) => eb.or([eb('survivorId', '=', patientId), eb('retiredId', '=', patientId)]))
    .orderBy('mergedAt', 'desc')
    .execute();
  return rows.map(toMergeView);
}
