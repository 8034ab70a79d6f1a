import type { Transaction } from 'kysely';
import type { AppContext } from '../context.js';
import type { DB } from '../schema.js';
import type { AuditActor } from '../audit/actions.js';
import { recordAuditEvent } from '../audit/trail.js';
import { newId } from '../platform/ids.js';
import { notFound } from '../platform/errors.js';
import { insertInChunks } from '../platform/db/insert-in-chunks.js';
import { getPatientRow, toPatientView, type PatientRow, type PatientView } from './patient-record.js';
import { assertPatientReadable } from './confidentiality.js';
import { actorOf, type Principal } from '../access/principal.js';

export const VERSION_CHANGES = ['registered', 'updated', 'merged-into', 'merged-from', 'unmerged', 'legal-hold'] as const;
export type VersionChange = (typeof VERSION_CHANGES)[number];

/** Keeps a version of the record: the whole row (sealed identifiers stay sealed), who, when and why. */
export async function recordVersion(trx: Transaction<DB>, row: PatientRow, change: VersionChange, actor: AuditActor, at: string, reason?: string | null): Promise<void> {
  await recordVersions(trx, [row], change, actor, at, reason);
}

/** Keeps a version of each record, for one change by one actor (a bulk import's registrations), in a few multi-row INSERTs. */
export async function recordVersions(trx: Transaction<DB>, rows: PatientRow[], change: VersionChange, actor: AuditActor, at: string, reason?: string | null): Promise<void> {
  const changedBy = actor.name ?? actor.type;
  await insertInChunks(trx, 'patientVersions', rows.map((row) => ({
    id: newId(),
    patientId: row.id,
    version: row.version,
    change,
    changedAt: at,
    changedBy,
    reason: reason ?? null,
    snapshot: JSON.stringify(row),
  })));
}

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface PatientVersionView {
  version: number;
  change: string;
  changedAt: string;
  changedBy: string;
  reason: string | null;
  changes: FieldChange[];
}

const HIDDEN = new Set(['id', 'flagVip', 'flagEmployee', 'flagRestricted', 'flagDoNotRelease', 'postalCode', 'ssnSealed', 'ssnHash', 'ssnLast4', 'driversLicenceSealed', 'familyKey', 'givenKey', 'givenCanon', 'familyPhonetic', 'details', 'version', 'updatedAt', 'createdAt']);

/** The fields that differ between two versions, details flattened; sealed values show only their last four. */
export function diffVersions(before: PatientRow | null, after: PatientRow): FieldChange[] {
  const flat = (row: PatientRow | null): Record<string, unknown> => {
    if (!row) return {};
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) if (!HIDDEN.has(k)) out[k] = v;
    for (const [k, v] of Object.entries(JSON.parse(row.details) as Record<string, unknown>)) out[k] = v;
    return out;
  };
  const a = flat(before);
  const b = flat(after);
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const changes = fields
    .filter((f) => JSON.stringify(a[f] ?? null) !== JSON.stringify(b[f] ?? null))
    .map((f) => ({ field: f, before: a[f] ?? null, after: b[f] ?? null }));
  // The keyed hash tells whether the SSN changed without showing it.
  if ((before?.ssnHash ?? null) !== after.ssnHash) {
    const shown = (row: PatientRow | null) => (row?.ssnHash ? `on file, ending ${row.ssnLast4}` : null);
    changes.push({ field: 'ssn', before: shown(before), after: shown(after) });
  }
  if ((before?.driversLicenceSealed ?? null) !== after.driversLicenceSealed) {
    changes.push({ field: 'driversLicence', before: before?.driversLicenceSealed ? 'on file' : null, after: after.driversLicenceSealed ? 'on file' : null });
  }
  return changes.filter((c) => c.field !== 'ssnLast4');
}

/** Every version of a patient's record, newest first, each with what changed. Reading it is audited. */
export async function patientHistory(ctx: AppContext, principal: Principal, patientId: string): Promise<PatientVersionView[]> {
  const row = await getPatientRow(ctx.db, patientId);
  const emergency = await assertPatientReadable(ctx, principal, row);
  return ctx.db.transaction().execute(async (trx) => {
    const versions = await trx.selectFrom('patientVersions').selectAll().where('patientId', '=', patientId).orderBy('version').orderBy('changedAt').execute();
    await recordAuditEvent(trx, { actor: actorOf(principal), action: 'read', patientId, recordType: 'patient_history', recordId: patientId, emergency }, ctx.clock);
    let previous: PatientRow | null = null;
    const views: PatientVersionView[] = [];
    for (const v of versions) {
      const snapshot = JSON.parse(v.snapshot) as PatientRow;
      views.push({ version: v.version, change: v.change, changedAt: v.changedAt, changedBy: v.changedBy, reason: v.reason, changes: diffVersions(previous, snapshot) });
      previous = snapshot;
    }
    return views.reverse();
  });
}

/**
 * One earlier version of a patient's record (FHIR vread), rebuilt from the snapshot kept with it.
 * The confidentiality rule of the record as it is now applies, and the read is audited.
 */
export async function readPatientVersion(ctx: AppContext, principal: Principal, id: string, version: number): Promise<PatientView> {
  const current = await getPatientRow(ctx.db, id);
  const emergency = await assertPatientReadable(ctx, principal, current);
  return ctx.db.transaction().execute(async (trx) => {
    const kept = await trx
      .selectFrom('patientVersions')
      .select('snapshot')
      .where('patientId', '=', id)
      .where('version', '=', version)
      .orderBy('changedAt', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!kept) throw notFound(`Version ${version} of the patient`);
    await recordAuditEvent(trx, { actor: actorOf(principal), action: 'read', patientId: id, recordType: 'patient_version', recordId: id, emergency, details: { version } }, ctx.clock);
    return toPatientView(JSON.parse(kept.snapshot) as PatientRow);
  });
}
