import type { Transaction } from 'kysely';
import type { AppContext } from '../context.js';
import type { DB } from '../schema.js';
import type { AuditActor } from '../audit/actions.js';
import { recordAuditEvent } from '../audit/trail.js';
import { conflict, DomainError, invalid } from '../platform/errors.js';
import type { Demographics } from './demographics.js';
import { sealIdentifiers, storedDemographics, toPatientRow, toPatientView, writeLookupRows, getPatientRow, aliasMrnsOf, type PatientRow, type PatientView } from './patient-record.js';
import { recordVersion } from './history.js';
import { assertDemographicsValid, assertIdentifiersFree } from './registration.js';

/**
 * Replaces a patient's demographics. The caller names the version it edited (optimistic
 * concurrency): if someone else saved first, the edit is refused with 409 and nothing is lost.
 * An SSN or driver's licence left out keeps the one on file.
 */
export async function updatePatient(ctx: AppContext, actor: AuditActor, id: string, expectedVersion: number, d: Demographics, reason?: string): Promise<PatientView> {
  assertDemographicsValid(ctx, d);
  return ctx.db.transaction().execute((trx) => updatePatientWithin(trx, ctx, actor, id, expectedVersion, d, reason));
}

/**
 * The update itself, inside the caller's transaction (an HL7 A08/A28/A31 updates the patient with
 * the rest of its message; a FHIR transaction Bundle updates several patients together). The caller
 * has validated the dates.
 */
export async function updatePatientWithin(
  trx: Transaction<DB>, ctx: AppContext, actor: AuditActor, id: string, expectedVersion: number, d: Demographics, reason?: string | null,
): Promise<PatientView> {
  const next = await updatePatientRowWithin(trx, ctx, actor, await getPatientRow(trx, id), expectedVersion, d, reason);
  return toPatientView(next, await aliasMrnsOf(trx, id));
}

/**
 * The update of a record the caller's transaction has just read (`current`), answering the row as
 * it now stands: what the HL7 interface needs without reading the record again. The UPDATE names
 * the expected version, so a change committed since that read is still refused.
 */
export async function updatePatientRowWithin(
  trx: Transaction<DB>, ctx: AppContext, actor: AuditActor, current: PatientRow, expectedVersion: number, d: Demographics, reason?: string | null,
): Promise<PatientRow> {
  const id = current.id;
  if (current.status !== 'active') throw new DomainError('conflict', 'patient.merged', 'This record was merged into another; edit the surviving record.');
  if (current.version !== expectedVersion) throw versionConflict(current.version);
  await assertIdentifiersFree(trx, d, id);
  const sealed = sealIdentifiers(ctx.keyring, d);
  const keep = {
    ssnHash: d.ssn ? sealed.ssnHash : current.ssnHash,
    ssnLast4: d.ssn ? sealed.ssnLast4 : current.ssnLast4,
    ssnSealed: d.ssn ? sealed.ssnSealed : current.ssnSealed,
    driversLicenceSealed: d.driversLicence ? sealed.driversLicenceSealed : current.driversLicenceSealed,
  };
  const now = ctx.clock.now().toISOString();
  const stored = storedDemographics(d);
  const next = toPatientRow(
    { id, mrn: current.mrn, version: current.version + 1, createdAt: current.createdAt, updatedAt: now, legalHoldReason: current.legalHoldReason },
    stored,
    keep,
  );
  const { id: _id, ...changes } = next;
  const updated = await trx.updateTable('patients').set(changes).where('id', '=', id).where('version', '=', expectedVersion).executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw versionConflict(current.version + 1);
  await writeLookupRows(trx, id, stored);
  await recordVersion(trx, next, 'updated', actor, now, reason ?? undefined);
  await recordAuditEvent(trx, { actor, action: 'update', patientId: id, recordType: 'patient', recordId: id, reason: reason ?? null }, ctx.clock);
  return next;
}

export const versionConflict = (current: number) =>
  conflict('patient.version-conflict', `Someone else saved this record since you opened it (it is now at version ${current}). Reload it and make your change again.`, [], { currentVersion: current });

/**
 * Places or releases a legal hold on a patient's record. While held, the record cannot be merged
 * (nor its documents destroyed or amended, as those capabilities arrive).
 */
export async function setLegalHold(ctx: AppContext, actor: AuditActor, id: string, reason: string | null): Promise<PatientView> {
  if (reason !== null && !reason.trim()) throw invalid('request.invalid', 'Say why the record is held (the matter or case).', [{ field: 'reason', message: 'Required.' }]);
  return ctx.db.transaction().execute(async (trx) => {
    const current = await getPatientRow(trx, id);
    if (current.status !== 'active') throw new DomainError('conflict', 'patient.merged', 'This record was merged into another; hold the surviving record.');
    if (reason !== null && current.legalHoldReason) {
      throw new DomainError('conflict', 'patient.legal-hold-exists', 'The record is already under legal hold. Release the hold first to record another matter.');
    }
    if (reason === null && !current.legalHoldReason) throw new DomainError('conflict', 'patient.no-legal-hold', 'The record is not under legal hold.');
    const now = ctx.clock.now().toISOString();
    const next = { ...current, legalHoldReason: reason?.trim() ?? null, version: current.version + 1, updatedAt: now };
    await trx.updateTable('patients').set({ legalHoldReason: next.legalHoldReason, version: next.version, updatedAt: now }).where('id', '=', id).execute();
    await recordVersion(trx, next, 'legal-hold', actor, now, reason);
    await recordAuditEvent(trx, { actor, action: 'update', patientId: id, recordType: 'legal_hold', recordId: id, reason, details: { held: reason !== null } }, ctx.clock);
    return toPatientView(next, await aliasMrnsOf(trx, id));
  });
}

/** The records under a patient-level legal hold (few at any time): documents and retention leave them alone. */
export async function patientIdsUnderLegalHold(executor: AppContext['db'] | Transaction<DB>): Promise<string[]> {
  return (await executor.selectFrom('patients').select('id').where('legalHoldReason', 'is not', null).execute()).map((r) => r.id);
}
