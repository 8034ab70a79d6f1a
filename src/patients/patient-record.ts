import type { Insertable, Selectable, Transaction } from 'kysely';
import type { AppContext } from '../context.js';
import type { DB } from '../schema.js';
import type { Keyring } from '../platform/crypto.js';
import { newId } from '../platform/ids.js';
import { insertInChunks } from '../platform/db/insert-in-chunks.js';
import { notFound } from '../platform/errors.js';
import type { Demographics } from './demographics.js';
import type { PatientsTable } from './schema.js';
import { currentAddress, namesOf, phoneDigits } from './keys.js';
import { normalizeEmail, normalizePostalCode } from './name-keys.js';

export type PatientRow = Selectable<PatientsTable>;
export const PATIENT_STATUSES = ['active', 'merged'] as const;
export type PatientStatus = (typeof PATIENT_STATUSES)[number];

/** What is kept as JSON: everything but the sealed identifiers. */
export type StoredDemographics = Omit<Demographics, 'ssn' | 'driversLicence'>;

/** A patient's record as the registration desk sees it. The SSN shows only its last four. */
export interface PatientView extends StoredDemographics {
  id: string;
  mrn: string;
  version: number;
  status: PatientStatus;
  mergedInto: string | null;
  ssnLast4: string | null;
  hasDriversLicence: boolean;
  legalHoldReason: string | null;
  /** MRNs of records merged into this one, still valid to look it up by. */
  aliasMrns: string[];
  deceased: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface SealedIdentifiers {
  ssnHash: string | null;
  ssnLast4: string | null;
  ssnSealed: string | null;
  driversLicenceSealed: string | null;
}

export function sealIdentifiers(keyring: Keyring, d: Pick<Demographics, 'ssn' | 'driversLicence'>): SealedIdentifiers {
  return {
    ssnHash: d.ssn ? keyring.lookupHash(`ssn:${d.ssn}`) : null,
    ssnLast4: d.ssn ? d.ssn.slice(-4) : null,
    ssnSealed: d.ssn ? keyring.seal(d.ssn) : null,
    driversLicenceSealed: d.driversLicence ? keyring.seal(JSON.stringify(d.driversLicence)) : null,
  };
}

export function storedDemographics(d: Demographics): StoredDemographics {
  const { ssn: _ssn, driversLicence: _dl, ...rest } = d;
  return rest;
}

/** The patients row for a record: columns the MPI searches on, the rest as JSON. */
export function toPatientRow(
  base: { id: string; mrn: string; version: number; createdAt: string; updatedAt: string; status?: PatientStatus; mergedInto?: string | null; legalHoldReason?: string | null },
  d: StoredDemographics,
  sealed: SealedIdentifiers,
): PatientRow {
  const legal = namesOf({ ...d, previousNames: [], preferredName: undefined })[0].keys;
  const address = currentAddress(d);
  return {
    id: base.id,
    mrn: base.mrn,
    version: base.version,
    status: base.status ?? 'active',
    mergedInto: base.mergedInto ?? null,
    given: d.given,
    middle: d.middle ?? null,
    family: d.family,
    suffix: d.suffix ?? null,
    birthDate: d.birthDate,
    deathDate: d.deathDate ?? null,
    sex: d.sex,
    familyKey: legal.familyKey,
    givenKey: legal.givenKey,
    givenCanon: legal.givenCanon,
    familyPhonetic: legal.familyPhonetic,
    postalCode: address?.postalCode ? normalizePostalCode(address.postalCode) : null,
    email: d.email ? normalizeEmail(d.email) : null,
    ...sealed,
    flagVip: d.flags.vip ? 1 : 0,
    flagEmployee: d.flags.employee ? 1 : 0,
    flagRestricted: d.flags.restricted ? 1 : 0,
    flagDoNotRelease: d.flags.doNotRelease ? 1 : 0,
    legalHoldReason: base.legalHoldReason ?? null,
    details: JSON.stringify(d),
    createdAt: base.createdAt,
    updatedAt: base.updatedAt,
  };
}

/** The look-up rows of a patient: every name it may be searched by, its phone digits, its other identifiers. */
function lookupRowsOf(patientId: string, d: StoredDemographics) {
  return {
    names: namesOf(d).map((n) => ({ id: newId(), patientId, kind: n.kind, birthDate: d.birthDate, ...n.keys })),
    phones: phoneDigits(d).map((digits) => ({ id: newId(), patientId, digits })),
    identifiers: d.identifiers.map((i) => ({ id: newId(), patientId, system: i.system, value: i.value, type: i.type, retired: 0 })),
  };
}

/** Writes the look-up rows of a patient (names, phones, other identifiers), replacing any there were. */
export async function writeLookupRows(trx: Transaction<DB>, patientId: string, d: StoredDemographics, options: { fresh?: boolean } = {}): Promise<void> {
  if (!options.fresh) {
    await trx.deleteFrom('patientNames').where('patientId', '=', patientId).execute();
    await trx.deleteFrom('patientPhones').where('patientId', '=', patientId).execute();
    await trx.deleteFrom('patientIdentifiers').where('patientId', '=', patientId).where('type', '!=', 'MRN').execute();
  }
  await writeNewLookupRows(trx, [{ patientId, d }]);
}

/**
 * Writes the look-up rows of patients that have none yet (new registrations), a few multi-row
 * INSERTs for the whole list: a bulk import writes a thousand patients in the time of a few.
 */
export async function writeNewLookupRows(trx: Transaction<DB>, patients: { patientId: string; d: StoredDemographics }[]): Promise<void> {
  const names: Insertable<DB['patientNames']>[] = [];
  const phones: Insertable<DB['patientPhones']>[] = [];
  const identifiers: Insertable<DB['patientIdentifiers']>[] = [];
  for (const { patientId, d } of patients) {
    const rows = lookupRowsOf(patientId, d);
    names.push(...rows.names);
    phones.push(...rows.phones);
    identifiers.push(...rows.identifiers);
  }
  await insertInChunks(trx, 'patientNames', names);
  await insertInChunks(trx, 'patientPhones', phones);
  await insertInChunks(trx, 'patientIdentifiers', identifiers);
}

export function toPatientView(row: PatientRow, aliasMrns: string[] = []): PatientView {
  const d = JSON.parse(row.details) as StoredDemographics;
  return {
    ...d,
    id: row.id,
    mrn: row.mrn,
    version: row.version,
    status: row.status as PatientStatus,
    mergedInto: row.mergedInto,
    ssnLast4: row.ssnLast4,
    hasDriversLicence: row.driversLicenceSealed != null,
    legalHoldReason: row.legalHoldReason,
    aliasMrns,
    deceased: row.deathDate != null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export async function findPatientRow(executor: AppContext['db'] | Transaction<DB>, id: string): Promise<PatientRow | undefined> {
  return executor.selectFrom('patients').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getPatientRow(executor: AppContext['db'] | Transaction<DB>, id: string): Promise<PatientRow> {
  const row = await findPatientRow(executor, id);
  if (!row) throw notFound('The patient');
  return row;
}

export async function aliasMrnsOf(executor: AppContext['db'] | Transaction<DB>, id: string): Promise<string[]> {
  const rows = await executor
    .selectFrom('patientIdentifiers')
    .select('value')
    .where('patientId', '=', id)
    .where('type', '=', 'MRN')
    .where('retired', '=', 1)
    .execute();
  return rows.map((r) => r.value);
}

/** The MRNs retired by merges into each of these records, by patient id. */
export async function aliasMrnsOfMany(executor: AppContext['db'] | Transaction<DB>, ids: string[]): Promise<Map<string, string[]>> {
  const aliases = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (!ids.length) return aliases;
  const rows = await executor.selectFrom('patientIdentifiers').select(['patientId', 'value'])
    .where('patientId', 'in', ids).where('type', '=', 'MRN').where('retired', '=', 1).execute();
  for (const r of rows) aliases.get(r.patientId)?.push(r.value);
  return aliases;
}
