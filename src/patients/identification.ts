import type { Transaction } from 'kysely';
import type { AppContext } from '../context.js';
import type { DB } from '../schema.js';
import type { AuditActor } from '../audit/actions.js';
import { DomainError } from '../platform/errors.js';
import { assertTransaction } from '../platform/db/connection.js';
import type { Demographics } from './demographics.js';
import { findMatchCandidates } from './candidates.js';
import { toMatchRecord } from './keys.js';
import { getPatientRow, sealIdentifiers, storedDemographics, type PatientRow, type StoredDemographics } from './patient-record.js';
import { assertDemographicsValid, registerPatientWithin } from './registration.js';
import { updatePatientRowWithin } from './updates.js';

/** How a feed's patient was found: by an identifier we hold, by a certain match, or newly registered. */
export const IDENTIFICATION_KINDS = ['identifier', 'certain_match', 'registered', 'registered_with_suspects'] as const;
export type IdentificationKind = (typeof IDENTIFICATION_KINDS)[number];

export interface Identification {
  patientId: string;
  /** The patient's row as it stands in the caller's transaction after any update or registration. */
  patient: PatientRow;
  how: IdentificationKind;
  /** Likely matches queued on the duplicates work queue (only when registered beside them). */
  suspects: number;
}

export interface IdentifyRequest {
  /** Our own MRNs the sender named (HL7 PID-3 with our assigning authority). */
  mrns: string[];
  /** The demographics the sender holds; `identifiers` are other facilities' identifiers. */
  demographics: Demographics;
  /** Replace the known patient's demographics with the sender's (an update message). */
  update: boolean;
  /** Why, for the version history (e.g. "HL7 ADT^A08 from ADTApp"). */
  reason: string;
}

/**
 * Finds the patient an outside system means, inside the caller's transaction, never guessing:
 * an identifier we hold (our MRN, an alias, another facility's identifier) names the patient; else
 * the one certain match is that patient and learns the new identifiers; else a new record is
 * registered, and any likely-but-uncertain matches go on the duplicates work queue for a person.
 */
export async function identifyOrRegisterPatient(trx: Transaction<DB>, ctx: AppContext, actor: AuditActor, request: IdentifyRequest): Promise<Identification> {
  assertTransaction(trx);
  const d = request.demographics;
  assertDemographicsValid(ctx, d);
  const known = await findPatientByIdentifiers(trx, ctx, request.mrns, d.identifiers);
  if (known) {
    const patient = await adoptIdentifiers(trx, ctx, actor, known, d, request.update, request.reason);
    return { patientId: patient.id, patient, how: 'identifier', suspects: 0 };
  }
  if (request.mrns.length) {
    throw new DomainError('not-found', 'patient.unknown-mrn', 'The message names a medical record number of ours that is not on file.');
  }
  const sealed = sealIdentifiers(ctx.keyring, d);
  const candidates = await findMatchCandidates(trx, toMatchRecord(storedDemographics(d), { hash: sealed.ssnHash, last4: sealed.ssnLast4 }));
  // One certain match is the patient; two certain matches are a question for a person.
  const certain = candidates.filter((c) => c.grade === 'certain');
  if (certain.length === 1) {
    const patient = await adoptIdentifiers(trx, ctx, actor, await getPatientRow(trx, certain[0].patientId), d, request.update, request.reason);
    return { patientId: patient.id, patient, how: 'certain_match', suspects: 0 };
  }
  const row = await registerPatientWithin(trx, ctx, actor, d, candidates, candidates.length ? `${request.reason}: likely matches queued for review` : null);
  return { patientId: row.id, patient: row, how: candidates.length ? 'registered_with_suspects' : 'registered', suspects: candidates.length };
}

/** The active patient our MRNs or other identifiers name (a merged record answers for its survivor); two different patients named is a conflict. */
export async function findPatientIdByIdentifiers(trx: Transaction<DB>, ctx: AppContext, mrns: string[], others: Demographics['identifiers']): Promise<string | undefined> {
  return (await findPatientByIdentifiers(trx, ctx, mrns, others))?.id;
}

/** The row of the patient findPatientIdByIdentifiers names, as read in the caller's transaction. */
async function findPatientByIdentifiers(trx: Transaction<DB>, ctx: AppContext, mrns: string[], others: Demographics['identifiers']): Promise<PatientRow | undefined> {
  const found = new Map<string, PatientRow>();
  const keys = [...mrns.map((value) => ({ system: ctx.config.mrnSystem, value })), ...others.map((i) => ({ system: i.system, value: i.value }))];
  for (const key of keys) {
    const hit = await trx.selectFrom('patientIdentifiers').select('patientId').where('system', '=', key.system).where('value', '=', key.value).executeTakeFirst();
    if (hit) {
      const survivor = await survivorOf(trx, hit.patientId);
      found.set(survivor.id, survivor);
    }
  }
  if (found.size > 1) {
    throw new DomainError('conflict', 'patient.identifiers-disagree', 'The identifiers in the message belong to different patients.');
  }
  return [...found.values()][0];
}

/** A merged record answers for its survivor. */
async function survivorOf(trx: Transaction<DB>, patientId: string): Promise<PatientRow> {
  let row = await getPatientRow(trx, patientId);
  for (let hops = 0; row.status === 'merged' && row.mergedInto && hops < 10; hops++) row = await getPatientRow(trx, row.mergedInto);
  return row;
}

/**
 * Gives the patient (its row as just read) the identifiers it lacks, and on an update the sender's
 * demographics. What an outside system does not carry (flags, photo, communication preferences,
 * other identifiers) stays. Answers the row as it now stands.
 */
async function adoptIdentifiers(trx: Transaction<DB>, ctx: AppContext, actor: AuditActor, row: PatientRow, d: Demographics, update: boolean, reason: string): Promise<PatientRow> {
  const current = JSON.parse(row.details) as StoredDemographics;
  const missing = d.identifiers.filter((i) => !current.identifiers.some((c) => c.system === i.system && c.value === i.value));
  if (!update && missing.length === 0) return row;
  const base: Demographics = update
    ? { ...d, flags: current.flags, communication: current.communication, photo: current.photo, identifiers: current.identifiers }
    : { ...current };
  return updatePatientRowWithin(trx, ctx, actor, row, row.version, { ...base, identifiers: [...current.identifiers, ...missing] }, reason);
}
