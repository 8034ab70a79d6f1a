import type { Selectable, Transaction } from 'kysely';
import type { AppContext } from '../context.js';
import type { DB } from '../schema.js';
import { isPostgres } from '../platform/db/connection.js';
import type { EncountersTable } from './schema.js';
import type { BedLocation, Diagnosis, EncounterClass, EncounterStatus, ProviderRef } from './events.js';

export type EncounterRow = Selectable<EncountersTable>;
type Executor = AppContext['db'] | Transaction<DB>;

/** A provider on a visit: as the event named them, and the reference-data provider it matched, if any. */
export interface VisitProvider extends ProviderRef {
  providerId?: string | null;
  display?: string | null;
}

/** What a visit keeps as JSON beside its indexed columns. */
export interface VisitExtras {
  admittingProvider: VisitProvider | null;
  attendingProvider: VisitProvider | null;
  admitSource: string | null;
  admitType: string | null;
  reason: string | null;
  diagnoses: Diagnosis[];
  dischargedTo: string | null;
}

/** A visit as the screens, the FHIR facade and the paperwork show it. */
export interface EncounterView extends VisitExtras {
  id: string;
  patientId: string;
  visitNumber: string;
  class: EncounterClass;
  status: EncounterStatus;
  version: number;
  service: string | null;
  location: BedLocation | null;
  plannedAt: string | null;
  admittedAt: string | null;
  dischargedAt: string | null;
  disposition: string | null;
  createdAt: string;
  updatedAt: string;
}

export const EMPTY_EXTRAS: VisitExtras = {
  admittingProvider: null, attendingProvider: null, admitSource: null, admitType: null, reason: null, diagnoses: [], dischargedTo: null,
};

export function toEncounterView(row: EncounterRow): EncounterView {
  const extras = { ...EMPTY_EXTRAS, ...(JSON.parse(row.details) as Partial<VisitExtras>) };
  return {
    id: row.id, patientId: row.patientId, visitNumber: row.visitNumber, class: row.class as EncounterClass,
    status: row.status as EncounterStatus, version: row.version, service: row.service,
    location: row.unit ? { unit: row.unit, room: row.room, bed: row.bed } : null,
    plannedAt: row.plannedAt, admittedAt: row.admittedAt, dischargedAt: row.dischargedAt, disposition: row.disposition,
    ...extras, createdAt: row.createdAt, updatedAt: row.updatedAt,
  };
}

/** A visit by its number, locked for the event about to change it. */
export async function lockEncounterByNumber(trx: Transaction<DB>, visitNumber: string): Promise<EncounterRow | undefined> {
  let q = trx.selectFrom('encounters').selectAll().where('visitNumber', '=', visitNumber);
  if (isPostgres(trx)) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function lockEncounter(trx: Transaction<DB>, id: string): Promise<EncounterRow | undefined> {
  let q = trx.selectFrom('encounters').selectAll().where('id', '=', id);
  if (isPostgres(trx)) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** The patient's open visits (planned, in progress, on leave), newest first. */
export async function openEncountersOf(executor: Executor, patientId: string): Promise<EncounterRow[]> {
  return executor
    .selectFrom('encounters').selectAll()
    .where('patientId', '=', patientId)
    .where('status', 'in', ['planned', 'in_progress', 'on_leave'])
    .orderBy('createdAt', 'desc')
    .execute();
}

/** A visit by its number (as printed on a cover sheet or face sheet), or undefined. */
export async function findEncounterByVisitNumber(executor: Executor, visitNumber: string): Promise<EncounterRow | undefined> {
  return executor.selectFrom('encounters').selectAll().where('visitNumber', '=', visitNumber).executeTakeFirst();
}

export async function findEncounterRow(executor: Executor, id: string): Promise<EncounterRow | undefined> {
  return executor.selectFrom('encounters').selectAll().where('id', '=', id).executeTakeFirst();
}
