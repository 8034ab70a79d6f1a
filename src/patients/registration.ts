import type { Transaction } from 'kysely';
import type { AppContext } from '../context.js';
import type { DB } from '../schema.js';
import type { AuditActor } from '../audit/actions.js';
import { recordAuditEvents } from '../audit/trail.js';
import { newId } from '../platform/ids.js';
import { conflict, invalid } from '../platform/errors.js';
import { checkDates, type Demographics } from './demographics.js';
import { formatMrn } from './mrn.js';
import { findMatchCandidates, type MatchCandidate } from './candidates.js';
import { toMatchRecord } from './keys.js';
import { sealIdentifiers, storedDemographics, toPatientRow, toPatientView, writeNewLookupRows, type PatientRow, type PatientView } from './patient-record.js';
import { recordVersions } from './history.js';
import { insertInChunks } from '../platform/db/insert-in-chunks.js';
import { reserveSequence } from '../platform/db/sequences.js';
import { RegistrationRefusedError, registerPatientsWithin } from './batch-registration.js';

/** Reserves `count` consecutive MRN sequence numbers; answers the first. */
export const reserveMrnSequence = (trx: Transaction<DB>, count: number): Promise<number> => reserveSequence(trx, 'mrn', count);

export function assertDemographicsValid(ctx: AppContext, d: Pick<Demographics, 'birthDate' | 'deathDate'>): void {
  const problems = checkDates(d, ctx.clock.now().toISOString().slice(0, 10));
  if (problems.length) throw invalid('request.invalid', problems.map((p) => p.message).join(' '), problems);
}

/**
 * The likely matches of a registration about to happen: what the clerk sees beside the form. When
 * they are shown to someone (`shownTo`), each is an audited read of that patient.
 */
export async function findLikelyDuplicates(ctx: AppContext, d: Demographics, excludeIds: string[] = [], shownTo?: AuditActor): Promise<MatchCandidate[]> {
  const sealed = sealIdentifiers(ctx.keyring, d);
  const candidates = await findMatchCandidates(ctx.db, toMatchRecord(storedDemographics(d), { hash: sealed.ssnHash, last4: sealed.ssnLast4 }), { excludeIds });
  if (shownTo && candidates.length) {
    await ctx.db.transaction().execute((trx) =>
      recordAuditEvents(trx, candidates.map((c) => ({ actor: shownTo, action: 'read' as const, patientId: c.patientId, recordType: 'match_candidate' })), ctx.clock),
    );
  }
  return candidates;
}

export interface RegisterOptions {
  /** Why a new record is created although likely matches were shown: required when there are any. */
  duplicateReason?: string;
}

/**
 * Registers a patient: assigns the next MRN, stores the record with its search keys, keeps version 1,
 * and audits the creation. When likely duplicates exist the clerk must say why a new record is right;
 * without a reason the registration is refused with the candidates (409 patient.duplicate-suspected).
 */
export async function registerPatient(ctx: AppContext, actor: AuditActor, d: Demographics, options: RegisterOptions = {}): Promise<{ patient: PatientView; overriddenCandidates: MatchCandidate[] }> {
  assertDemographicsValid(ctx, d);
  const candidates = await findLikelyDuplicates(ctx, d, [], actor);
  const reason = options.duplicateReason?.trim();
  if (candidates.length && !reason) {
    throw duplicateSuspected(candidates);
  }
  const row = await ctx.db.transaction().execute((trx) => registerPatientWithin(trx, ctx, actor, d, candidates, reason));
  return { patient: toPatientView(row), overriddenCandidates: candidates };
}

/** The refusal of a registration with likely matches and no reason (409 patient.duplicate-suspected), listing them. */
export function duplicateSuspected<C extends { mrn?: string; grade: string; score: number }>(candidates: C[]) {
  return conflict('patient.duplicate-suspected', `This patient may already be registered (${candidates.length} likely match${candidates.length > 1 ? 'es' : ''}). Open the existing record, or give a reason to create a new one.`, [], { candidates });
}

/**
 * The registration itself, inside the caller's transaction (an HL7 message or a FHIR transaction
 * Bundle registers patients together with the rest of its work): the identifiers must be free; the
 * likely matches already found are queued as suspected duplicates; a reason for overriding them
 * stays with version 1; the creation is audited.
 */
export async function registerPatientWithin(
  trx: Transaction<DB>, ctx: AppContext, actor: AuditActor, d: Demographics, candidates: MatchCandidate[], reason?: string | null,
): Promise<PatientRow> {
  const [row] = await registerPatientsWithin(trx, ctx, actor, [{ d, candidates, batchMatches: [], reason }], { candidatesAudited: true }).catch((err) => {
    throw err instanceof RegistrationRefusedError ? err.error : err;
  });
  return row;
}

/**
 * Inserts new patients with consecutive MRNs (one reservation for the whole batch), their look-up
 * rows and version 1, with a few multi-row INSERTs per table whatever the batch's size.
 */
export async function insertPatients(trx: Transaction<DB>, ctx: AppContext, actor: AuditActor, list: Demographics[]): Promise<PatientRow[]> {
  if (list.length === 0) return [];
  const first = await reserveMrnSequence(trx, list.length);
  const now = ctx.clock.now().toISOString();
  const stored = list.map(storedDemographics);
  const rows = list.map((d, i) => {
    const id = newId();
    return toPatientRow({ id, mrn: formatMrn(ctx.config.mrnPrefix, first + i), version: 1, createdAt: now, updatedAt: now }, stored[i], sealIdentifiers(ctx.keyring, d));
  });
  await insertInChunks(trx, 'patients', rows);
  await insertInChunks(trx, 'patientIdentifiers', rows.map((r) => ({ id: newId(), patientId: r.id, system: ctx.config.mrnSystem, value: r.mrn, type: 'MRN', retired: 0 })));
  await writeNewLookupRows(trx, rows.map((r, i) => ({ patientId: r.id, d: stored[i] })));
  await recordVersions(trx, rows, 'registered', actor, now);
  return rows;
}

/** Another patient's identifier (same assigning authority and value) may not be given to this one. */
export async function assertIdentifiersFree(trx: Transaction<DB>, d: Pick<Demographics, 'identifiers'>, patientId?: string): Promise<void> {
  for (const [index, i] of d.identifiers.entries()) {
    let q = trx.selectFrom('patientIdentifiers').select('patientId').where('system', '=', i.system).where('value', '=', i.value);
    if (patientId) q = q.where('patientId', '!=', patientId);
    if (await q.executeTakeFirst()) {
      throw conflict('patient.identifier-taken', 'Another patient already has this identifier from the same assigning authority.', [
        { field: `identifiers.${index}.value`, message: 'Already belongs to another patient.' },
      ]);
    }
  }
}

/** Puts suspected pairs on the duplicates work queue (a pair already decided is left as it is). */
export async function queueSuspectedDuplicates(trx: Transaction<DB>, ctx: AppContext, patientId: string, candidates: MatchCandidate[], foundBy: string): Promise<number> {
  let queued = 0;
  for (const c of candidates) {
    const [patientA, patientB] = [patientId, c.patientId].sort();
    const inserted = await trx
      .insertInto('duplicateCandidates')
      .values({
        id: newId(), patientA, patientB, score: c.score, grade: c.grade, fields: JSON.stringify(c.fields), status: 'open',
        foundBy, createdAt: ctx.clock.now().toISOString(), resolvedAt: null, resolvedBy: null, note: null,
      })
      .onConflict((oc) => oc.columns(['patientA', 'patientB']).doNothing())
      .executeTakeFirst();
    queued += Number(inserted.numInsertedOrUpdatedRows ?? 0);
  }
  return queued;
}
