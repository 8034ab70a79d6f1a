import type { Transaction } from 'kysely';
import type { AppContext } from '../context.js';
import type { DB } from '../schema.js';
import type { AuditActor, AuditEntry } from '../audit/actions.js';
import { recordAuditEvents } from '../audit/trail.js';
import { conflict, type DomainError } from '../platform/errors.js';
import type { Demographics } from './demographics.js';
import { compareRecords, type MatchRecord, type MatchResult } from './matching.js';
import { blockingKeysOf, blockingKeyText, findMatchCandidatesOfMany, type MatchCandidate } from './candidates.js';
import { toMatchRecord } from './keys.js';
import { normalizeName } from './name-keys.js';
import { sealIdentifiers, storedDemographics } from './patient-record.js';
import type { PatientRow } from './patient-record.js';
import { insertPatients, queueSuspectedDuplicates } from './registration.js';

/** A registration of a batch (a FHIR transaction Bundle), checked for duplicates before its transaction. */
export interface PendingRegistration {
  d: Demographics;
  /** Likely matches already in the index. */
  candidates: MatchCandidate[];
  /** Earlier registrations of the same batch this one may duplicate (their index in the batch), with the comparison. */
  batchMatches: BatchMatch[];
  /** Why a new record is right although there are likely matches. */
  reason?: string | null;
}

export interface BatchMatch {
  index: number;
  result: MatchResult & { grade: NonNullable<MatchResult['grade']> };
}

/**
 * Each registration's likely matches, in the index (one look-up per kind of key for the whole batch)
 * and among the batch's earlier registrations: what registerPatientsWithin needs, found before its
 * transaction so the transaction stays short.
 */
export async function findLikelyDuplicatesOfBatch(ctx: AppContext, list: Demographics[]): Promise<Pick<PendingRegistration, 'candidates' | 'batchMatches'>[]> {
  const records = list.map((d) => {
    const sealed = sealIdentifiers(ctx.keyring, { ssn: d.ssn });
    return toMatchRecord(storedDemographics(d), { hash: sealed.ssnHash, last4: sealed.ssnLast4 });
  });
  const inIndex = await findMatchCandidatesOfMany(ctx.db, records);
  const inBatch = findDuplicatesWithinBatch(records);
  return list.map((_, i) => ({ candidates: inIndex[i], batchMatches: inBatch[i] }));
}

/**
 * The pairs of a batch that the MPI takes for one person: the blocking keys of a look-up in the
 * index pick the pairs worth comparing, so a batch of a hundred compares a handful, not 4,950.
 * Each registration lists the earlier ones it may duplicate.
 */
export function findDuplicatesWithinBatch(records: MatchRecord[]): BatchMatch[][] {
  const byKey = new Map<string, number[]>();
  const matches: BatchMatch[][] = records.map(() => []);
  records.forEach((r, index) => {
    const earlier = new Set<number>();
    // A current family name meets another record's previous one with the same birth date, as in the index.
    const keys = [...blockingKeysOf(r), { kind: 'previousFamilyBirth' as const, values: [normalizeName(r.family), r.birthDate] as [string, string] }];
    for (const key of keys.map(blockingKeyText)) {
      const seen = byKey.get(key);
      if (seen) seen.forEach((i) => earlier.add(i));
      else byKey.set(key, []);
      byKey.get(key)!.push(index);
    }
    for (const i of [...earlier].sort((a, b) => a - b)) {
      const result = compareRecords(r, records[i]);
      if (result.grade) matches[index].push({ index: i, result: { ...result, grade: result.grade } });
    }
  });
  return matches;
}

/** The refusal of one registration of a batch: which one, and the error it met. */
export class RegistrationRefusedError extends Error {
  constructor(readonly registration: number, readonly error: DomainError) {
    super(error.message);
    this.name = 'RegistrationRefusedError';
  }
}

/**
 * Registers a batch inside the caller's transaction: every identifier must be free (of the index and
 * of the rest of the batch), one MRN reservation and one insert per table serve them all, each reason
 * stays with its version 1, the likely matches (in the index or in the batch) go on the duplicates
 * work queue, and each creation is audited, with the reads of the candidates that were checked
 * (unless the caller audited them when it showed them). A refusal is a RegistrationRefusedError
 * naming the registration.
 */
export async function registerPatientsWithin(
  trx: Transaction<DB>, ctx: AppContext, actor: AuditActor, list: PendingRegistration[], options: { candidatesAudited?: boolean } = {},
): Promise<PatientRow[]> {
  await assertBatchIdentifiersFree(trx, list.map((r) => r.d));
  const rows = await insertPatients(trx, ctx, actor, list.map((r) => r.d));
  const audit: AuditEntry[] = [];
  for (const [index, r] of list.entries()) {
    const row = rows[index];
    const reason = r.reason?.trim() || null;
    if (reason) {
      // The reason a new record was made despite likely matches stays with its first version.
      await trx.updateTable('patientVersions').set({ reason }).where('patientId', '=', row.id).where('version', '=', 1).execute();
    }
    const inBatch = r.batchMatches.map(({ index: other, result }): MatchCandidate => {
      const o = rows[other];
      return { patientId: o.id, mrn: o.mrn, given: o.given, middle: o.middle, family: o.family, birthDate: o.birthDate, sex: o.sex, score: result.score, weight: result.weight, grade: result.grade, fields: result.fields };
    });
    const candidates = [...r.candidates, ...inBatch];
    if (candidates.length) await queueSuspectedDuplicates(trx, ctx, row.id, candidates, 'registration');
    if (!options.candidatesAudited) for (const c of r.candidates) audit.push({ actor, action: 'read', patientId: c.patientId, recordType: 'match_candidate' });
    audit.push({
      actor, action: 'create', patientId: row.id, recordType: 'patient', recordId: row.id,
      reason, details: candidates.length ? { duplicatesOverridden: candidates.length } : undefined,
    });
  }
  await recordAuditEvents(trx, audit, ctx.clock);
  return rows;
}

/** Identifiers (assigning authority and value) already given to a patient, or given twice in the batch, refuse the batch. */
async function assertBatchIdentifiersFree(trx: Transaction<DB>, list: Pick<Demographics, 'identifiers'>[]): Promise<void> {
  const owner = new Map<string, number>();
  const taken = (index: number, field: number) =>
    new RegistrationRefusedError(index, conflict('patient.identifier-taken', 'Another patient already has this identifier from the same assigning authority.', [
      { field: `identifiers.${field}.value`, message: 'Already belongs to another patient.' },
    ]));
  for (const [index, d] of list.entries()) {
    for (const [field, i] of d.identifiers.entries()) {
      const key = `${i.system}|${i.value}`;
      const first = owner.get(key);
      if (first !== undefined && first !== index) throw taken(index, field);
      owner.set(key, index);
    }
  }
  if (owner.size === 0) return;
  const values = [...new Set(list.flatMap((d) => d.identifiers.map((i) => i.value)))];
  const found = await trx.selectFrom('patientIdentifiers').select(['system', 'value']).where('value', 'in', values).execute();
  for (const f of found) {
    const index = owner.get(`${f.system}|${f.value}`);
    if (index !== undefined) throw taken(index, list[index].identifiers.findIndex((i) => i.system === f.system && i.value === f.value));
  }
}
