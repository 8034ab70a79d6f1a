import type { AppContext } from '../context.js';
import { recordAuditEvent, recordAuditEvents } from '../audit/trail.js';
import { actorOf, hasPermission, type Principal } from '../access/principal.js';
import { notFound } from '../platform/errors.js';
import { assertPatientReadable, getPatientRow } from '../patients/index.js';
import type { Transaction } from 'kysely';
import type { DB } from '../schema.js';
import { findEncounterRow, toEncounterView, type EncounterRow, type EncounterView } from './visit-record.js';
import { unitNames } from './reference-data.js';
import type { EncounterClass, EncounterStatus } from './events.js';

export interface StayView {
  unit: string; unitName: string | null; room: string | null; bed: string | null; fromAt: string; toAt: string | null; cancelled: boolean;
}
export interface VisitEventView {
  version: number; type: string; occurredAt: string | null; recordedAt: string; source: string; actor: string;
}
export interface EncounterDetailView extends EncounterView {
  unitName: string | null;
  stays: StayView[];
  events: VisitEventView[];
}

/** The patient's visits, newest first: an audited read of the patient's record. */
export async function visitsOf(ctx: AppContext, principal: Principal, patientId: string): Promise<EncounterView[]> {
  const patient = await getPatientRow(ctx.db, patientId);
  const emergency = await assertPatientReadable(ctx, principal, patient);
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('encounters').selectAll().where('patientId', '=', patientId)
      .orderBy((eb) => eb.fn.coalesce('admittedAt', 'plannedAt'), 'desc').orderBy('createdAt', 'desc').execute();
    await recordAuditEvent(trx, { actor: actorOf(principal), action: 'read', patientId, recordType: 'encounter_list', emergency, details: { count: rows.length } }, ctx.clock);
    return rows.map(toEncounterView);
  });
}

/** One visit with its beds and its events: an audited read. */
export async function readEncounter(ctx: AppContext, principal: Principal, id: string): Promise<EncounterDetailView> {
  const row = await findEncounterRow(ctx.db, id);
  if (!row) throw notFound('The visit');
  const emergency = await assertPatientReadable(ctx, principal, await getPatientRow(ctx.db, row.patientId));
  return ctx.db.transaction().execute(async (trx) => {
    const [detail] = await encounterDetailsOf(trx, [row]);
    await recordAuditEvent(trx, { actor: actorOf(principal), action: 'read', patientId: row.patientId, recordType: 'encounter', recordId: id, emergency }, ctx.clock);
    return detail;
  });
}

/** Visits with their beds and events, for rows already found (and their reads audited by the caller). */
export async function encounterDetailsOf(executor: AppContext['db'] | Transaction<DB>, rows: EncounterRow[]): Promise<EncounterDetailView[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const names = await unitNames(executor);
  const stays = await executor.selectFrom('encounterLocations').selectAll().where('encounterId', 'in', ids).orderBy('fromAt').orderBy('id').execute();
  const events = await executor.selectFrom('encounterEvents').select(['encounterId', 'version', 'type', 'occurredAt', 'recordedAt', 'source', 'actor']).where('encounterId', 'in', ids).orderBy('version').execute();
  return rows.map((row) => {
    const view = toEncounterView(row);
    return {
      ...view,
      unitName: view.location ? names.get(view.location.unit) ?? null : null,
      stays: stays.filter((s) => s.encounterId === row.id).map((s) => ({ unit: s.unit, unitName: names.get(s.unit) ?? null, room: s.room, bed: s.bed, fromAt: s.fromAt, toAt: s.toAt, cancelled: s.cancelled === 1 })),
      events: events.filter((e) => e.encounterId === row.id).map(({ encounterId: _e, ...e }) => e),
    };
  });
}

export interface CensusUnit { unit: string; name: string | null; occupied: number; onLeave: number }
export interface CensusOccupant {
  encounterId: string; visitNumber: string; patientId: string; mrn: string;
  /** "Family, Given"; a restricted record shows "Restricted record" to those who may not open it directly. */
  name: string; birthDate: string | null; sex: string | null;
  class: EncounterClass; status: EncounterStatus; room: string | null; bed: string | null; since: string; admittedAt: string | null;
  attending: string | null;
}
export interface CensusView { at: string; units: CensusUnit[]; unit: string | null; occupants: CensusOccupant[] }

/**
 * Who was in which unit at an instant (default: now), from the bed history, so yesterday's midnight
 * census reads the same tomorrow. The unit counts carry no names; listing one unit's occupants is an
 * audited read of each patient shown.
 */
export async function census(ctx: AppContext, principal: Principal, options: { at?: string; unit?: string | null } = {}): Promise<CensusView> {
  const at = options.at ?? ctx.clock.now().toISOString();
  const inHouse = ctx.db
    .selectFrom('encounterLocations as s')
    .innerJoin('encounters as e', 'e.id', 's.encounterId')
    .where('s.cancelled', '=', 0)
    .where('s.fromAt', '<=', at)
    .where((eb) => eb.or([eb('s.toAt', 'is', null), eb('s.toAt', '>', at)]))
    .where('e.status', '!=', 'cancelled');
  const names = await unitNames(ctx.db);
  const counts = await inHouse
    .select((eb) => ['s.unit', eb.fn.countAll<number>().as('occupied'), eb.fn.sum<number>(eb.case().when('e.status', '=', 'on_leave').then(1).else(0).end()).as('onLeave')])
    .groupBy('s.unit').orderBy('s.unit').execute();
  const units: CensusUnit[] = counts.map((c) => ({ unit: c.unit, name: names.get(c.unit) ?? null, occupied: Number(c.occupied), onLeave: Number(c.onLeave ?? 0) }));
  if (!options.unit) return { at, units, unit: null, occupants: [] };

  const rows = await inHouse
    .innerJoin('patients as p', 'p.id', 'e.patientId')
    .select(['e.id', 'e.visitNumber', 'e.patientId', 'e.class', 'e.status', 'e.admittedAt', 'e.details', 's.room', 's.bed', 's.fromAt', 'p.mrn', 'p.family', 'p.given', 'p.birthDate', 'p.sex', 'p.flagRestricted'])
    .where('s.unit', '=', options.unit)
    .orderBy('s.room').orderBy('s.bed').execute();
  const trusted = hasPermission(principal, 'patients.merge') || hasPermission(principal, 'emergency_access.review');
  const occupants = rows.map((r): CensusOccupant => {
    const masked = r.flagRestricted === 1 && !trusted;
    const details = JSON.parse(r.details) as { attendingProvider?: { display?: string | null } | null };
    return {
      encounterId: r.id, visitNumber: r.visitNumber, patientId: r.patientId, mrn: r.mrn,
      name: masked ? 'Restricted record' : `${r.family}, ${r.given}`, birthDate: masked ? null : r.birthDate, sex: masked ? null : r.sex,
      class: r.class as EncounterClass, status: r.status as EncounterStatus, room: r.room, bed: r.bed, since: r.fromAt, admittedAt: r.admittedAt,
      attending: details.attendingProvider?.display ?? null,
    };
  });
  const actor = actorOf(principal);
  await ctx.db.transaction().execute((trx) =>
    recordAuditEvents(trx, occupants.filter((o) => o.name !== 'Restricted record').map((o) => ({ actor, action: 'read' as const, patientId: o.patientId, recordType: 'census', recordId: o.encounterId })), ctx.clock),
  );
  return { at, units, unit: options.unit, occupants };
}
