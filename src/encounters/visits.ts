import type { Transaction } from 'kysely';
import type { AppContext } from '../context.js';
import type { DB } from '../schema.js';
import type { AuditActor } from '../audit/actions.js';
import { recordAuditEvent } from '../audit/trail.js';
import { newId } from '../platform/ids.js';
import { reserveSequence } from '../platform/db/sequences.js';
import { DomainError, invalid } from '../platform/errors.js';
import { getPatientRow, type PatientRow } from '../patients/index.js';
import type { BedLocation, EncounterClass, EncounterEvent, EncounterEventInput, EncounterEventOutcome, EncounterStatus, VisitDetails } from './events.js';
import { EMPTY_EXTRAS, lockEncounter, lockEncounterByNumber, openEncountersOf, toEncounterView, type EncounterRow, type VisitExtras } from './visit-record.js';
import { resolveProvider } from './reference-data.js';

const OPEN: EncounterStatus[] = ['planned', 'in_progress', 'on_leave'];
const IN_HOUSE: EncounterStatus[] = ['in_progress', 'on_leave'];
const OPENING_EVENTS = new Set<EncounterEvent['type']>(['pre_admit', 'admit', 'register']);

/** The class a visit gets when the event does not say: an admission is inpatient, a registration outpatient. */
const DEFAULT_CLASS: Record<'pre_admit' | 'admit' | 'register', EncounterClass> = { pre_admit: 'inpatient', admit: 'inpatient', register: 'outpatient' };

const outOfOrder = (reason: string): EncounterEventOutcome => ({ outcome: 'out_of_order', reason });

export interface ApplyOptions {
  /** The version the screen showed; a different current version is a concurrent change (409). */
  expectedVersion?: number;
  /** Act on this visit (the screens know its id) rather than by visit number. */
  encounterId?: string;
  /** The patient's row as the caller's transaction has just read or written it (an HL7 message's patient), so it is not read again. */
  patient?: PatientRow;
}

/**
 * Applies one event to a visit inside the caller's transaction: the admission, the transfer, the
 * discharge or its cancellation, from a screen, a FHIR client or an HL7 message alike. The visit's
 * state, its bed history and its event history change together, with the audit event. An event the
 * visit's state does not allow yet (a discharge before the admission) changes nothing and answers
 * `out_of_order`, so an interface can hold it; bad data (a discharge before the admission time) is
 * refused with field errors.
 */
export async function applyEncounterEvent(
  trx: Transaction<DB>, ctx: AppContext, actor: AuditActor, input: EncounterEventInput, options: ApplyOptions = {},
): Promise<EncounterEventOutcome> {
  // Every instant is kept in UTC, so bed histories compare and the census reads alike on both dialects.
  const event = 'at' in input.event ? { ...input.event, at: utc(input.event.at) } : input.event;
  input = { ...input, event };
  const patient = options.patient?.id === input.patientId ? options.patient : await getPatientRow(trx, input.patientId);
  if (patient.status !== 'active') {
    throw new DomainError('conflict', 'patient.merged', 'This record was merged into another; record the visit on the surviving record.');
  }
  const current = await findTarget(trx, input, options.encounterId);
  if (current && current.patientId !== patient.id) {
    throw new DomainError('conflict', 'encounter.other-patient', 'This visit number belongs to another patient.', [{ field: 'visitNumber', message: 'Belongs to another patient.' }]);
  }
  if (current && options.expectedVersion !== undefined && current.version !== options.expectedVersion) {
    throw new DomainError('conflict', 'encounter.version-conflict', `Someone else changed this visit since you opened it (now version ${current.version}). Reload it and try again.`, [], { currentVersion: current.version });
  }
  const now = ctx.clock.now().toISOString();

  if (!current) {
    if (!OPENING_EVENTS.has(event.type)) return outOfOrder('The visit has not been registered or admitted yet.');
    const opening = event as Extract<EncounterEvent, { type: 'pre_admit' | 'admit' | 'register' }>;
    return openVisit(trx, ctx, actor, input, opening, now);
  }

  const before = toEncounterView(current);
  const next: EncounterRow = { ...current, version: current.version + 1, updatedAt: now };
  const extras: VisitExtras = { ...EMPTY_EXTRAS, ...(JSON.parse(current.details) as Partial<VisitExtras>) };
  const status = current.status as EncounterStatus;

  switch (event.type) {
    case 'pre_admit':
      if (status !== 'planned') return outOfOrder('The visit is past its pre-admission.');
      await applyDetails(trx, next, extras, event.details);
      next.plannedAt = event.at;
      break;
    case 'admit':
    case 'register':
      if (status === 'finished' || status === 'cancelled') return outOfOrder('The visit was already discharged or cancelled.');
      await applyDetails(trx, next, extras, event.details);
      if (status === 'planned') {
        next.status = 'in_progress';
        next.admittedAt = event.at;
        if (next.unit) await openStay(trx, next.id, { unit: next.unit, room: next.room, bed: next.bed }, event.at);
      }
      break;
    case 'update':
      if (status === 'cancelled') return outOfOrder('The visit was cancelled.');
      await applyDetails(trx, next, extras, event.details, { correctStay: true });
      break;
    case 'change_class':
      if (!OPEN.includes(status)) return outOfOrder('Only an open visit changes class.');
      next.class = event.class;
      break;
    case 'transfer': {
      if (!IN_HOUSE.includes(status)) return outOfOrder('Only an admitted patient is transferred.');
      assertNotBefore(event.at, current.admittedAt, 'The transfer is before the admission.');
      const stay = await currentStay(trx, current.id);
      if (stay) {
        assertNotBefore(event.at, stay.fromAt, 'The transfer is before the patient arrived in the current bed.');
        await trx.updateTable('encounterLocations').set({ toAt: event.at }).where('id', '=', stay.id).execute();
      }
      await openStay(trx, current.id, event.to, event.at);
      Object.assign(next, { unit: event.to.unit, room: event.to.room ?? null, bed: event.to.bed ?? null });
      break;
    }
    case 'leave':
      if (status !== 'in_progress') return outOfOrder('Only a patient in house goes on leave.');
      next.status = 'on_leave';
      break;
    case 'return':
      if (status !== 'on_leave') return outOfOrder('The patient is not on leave.');
      next.status = 'in_progress';
      break;
    case 'discharge': {
      if (!IN_HOUSE.includes(status)) return outOfOrder('Only an admitted patient is discharged.');
      assertNotBefore(event.at, current.admittedAt, 'The discharge is before the admission.');
      const stay = await currentStay(trx, current.id);
      if (stay) await trx.updateTable('encounterLocations').set({ toAt: event.at }).where('id', '=', stay.id).execute();
      Object.assign(next, { status: 'finished', dischargedAt: event.at, disposition: event.disposition ?? null });
      extras.dischargedTo = event.dischargedTo ?? null;
      break;
    }
    case 'cancel_admit':
      if (!OPEN.includes(status)) return outOfOrder('Only an open visit can have its admission cancelled.');
      await trx.updateTable('encounterLocations').set({ cancelled: 1, toAt: event.at }).where('encounterId', '=', current.id).where('cancelled', '=', 0).execute();
      next.status = 'cancelled';
      break;
    case 'cancel_transfer': {
      if (!IN_HOUSE.includes(status)) return outOfOrder('Only an admitted patient has a transfer to cancel.');
      const stays = await trx.selectFrom('encounterLocations').selectAll().where('encounterId', '=', current.id).where('cancelled', '=', 0).orderBy('fromAt', 'desc').orderBy('id', 'desc').limit(2).execute();
      if (stays.length < 2) return outOfOrder('The visit has no transfer to cancel.');
      const [latest, previous] = stays;
      await trx.updateTable('encounterLocations').set({ cancelled: 1 }).where('id', '=', latest.id).execute();
      await trx.updateTable('encounterLocations').set({ toAt: null }).where('id', '=', previous.id).execute();
      Object.assign(next, { unit: previous.unit, room: previous.room, bed: previous.bed });
      break;
    }
    case 'cancel_discharge': {
      if (status !== 'finished') return outOfOrder('The visit has no discharge to cancel.');
      const last = await trx.selectFrom('encounterLocations').select('id').where('encounterId', '=', current.id).where('cancelled', '=', 0).orderBy('fromAt', 'desc').orderBy('id', 'desc').executeTakeFirst();
      if (last) await trx.updateTable('encounterLocations').set({ toAt: null }).where('id', '=', last.id).execute();
      Object.assign(next, { status: 'in_progress', dischargedAt: null, disposition: null });
      extras.dischargedTo = null;
      break;
    }
  }

  next.details = JSON.stringify(extras);
  const { id: _id, ...changes } = next;
  await trx.updateTable('encounters').set(changes).where('id', '=', current.id).execute();
  await recordEvent(trx, ctx, actor, input, next, before, now);
  return { outcome: 'applied', encounterId: current.id, visitNumber: current.visitNumber };
}

/** A new visit named by its sender may not take a number another visit holds (409 encounter.visit-number-taken). */
export async function assertVisitNumberFree(trx: Transaction<DB>, visitNumber: string | null | undefined, field = 'visitNumber'): Promise<void> {
  if (!visitNumber) return;
  if (await trx.selectFrom('encounters').select('id').where('visitNumber', '=', visitNumber).executeTakeFirst()) {
    throw new DomainError('conflict', 'encounter.visit-number-taken', 'A visit with this number exists already.', [{ field, message: 'Already used.' }]);
  }
}

async function findTarget(trx: Transaction<DB>, input: EncounterEventInput, encounterId?: string): Promise<EncounterRow | undefined> {
  if (encounterId) {
    const row = await lockEncounter(trx, encounterId);
    if (!row) throw new DomainError('not-found', 'not-found', 'The visit was not found.');
    return row;
  }
  if (input.visitNumber) return lockEncounterByNumber(trx, input.visitNumber);
  if (OPENING_EVENTS.has(input.event.type)) return undefined;
  // No number: the event is about the patient's one open visit.
  const open = await openEncountersOf(trx, input.patientId);
  if (open.length > 1) {
    throw invalid('encounter.ambiguous', 'The patient has more than one open visit: name the visit number.', [{ field: 'visitNumber', message: 'Required: several open visits.' }]);
  }
  return open[0] ? lockEncounter(trx, open[0].id) : undefined;
}

async function openVisit(
  trx: Transaction<DB>, ctx: AppContext, actor: AuditActor, input: EncounterEventInput,
  event: Extract<EncounterEvent, { type: 'pre_admit' | 'admit' | 'register' }>, now: string,
): Promise<EncounterEventOutcome> {
  const visitNumber = input.visitNumber || `V${String(await reserveSequence(trx, 'visit')).padStart(8, '0')}`;
  const row: EncounterRow = {
    id: newId(), patientId: input.patientId, visitNumber, class: event.details.class ?? DEFAULT_CLASS[event.type],
    status: event.type === 'pre_admit' ? 'planned' : 'in_progress', version: 1, service: null, unit: null, room: null, bed: null,
    plannedAt: event.type === 'pre_admit' ? event.at : null, admittedAt: event.type === 'pre_admit' ? null : event.at,
    dischargedAt: null, disposition: null, details: '{}', createdAt: now, updatedAt: now,
  };
  const extras: VisitExtras = { ...EMPTY_EXTRAS };
  await applyDetails(trx, row, extras, event.details);
  row.details = JSON.stringify(extras);
  await trx.insertInto('encounters').values(row).execute();
  if (row.status === 'in_progress' && row.unit) await openStay(trx, row.id, { unit: row.unit, room: row.room, bed: row.bed }, event.at);
  await recordEvent(trx, ctx, actor, input, row, null, now);
  return { outcome: 'applied', encounterId: row.id, visitNumber };
}

/** Copies the facts an event names onto the visit; providers are matched to the reference data. */
async function applyDetails(trx: Transaction<DB>, row: EncounterRow, extras: VisitExtras, d: VisitDetails, options: { correctStay?: boolean } = {}): Promise<void> {
  if (d.class) row.class = d.class;
  if (d.service !== undefined) row.service = d.service;
  if (d.location?.unit) {
    const moved = row.unit !== d.location.unit || row.room !== (d.location.room ?? null) || row.bed !== (d.location.bed ?? null);
    Object.assign(row, { unit: d.location.unit, room: d.location.room ?? null, bed: d.location.bed ?? null });
    // An update corrects where the patient is now (a registration error), not a transfer.
    if (moved && options.correctStay) {
      const stay = await currentStay(trx, row.id);
      if (stay) await trx.updateTable('encounterLocations').set({ unit: row.unit!, room: row.room, bed: row.bed }).where('id', '=', stay.id).execute();
    }
  }
  if (d.admittingProvider !== undefined) extras.admittingProvider = await resolveProvider(trx, d.admittingProvider);
  if (d.attendingProvider !== undefined) extras.attendingProvider = await resolveProvider(trx, d.attendingProvider);
  if (d.admitSource !== undefined) extras.admitSource = d.admitSource;
  if (d.admitType !== undefined) extras.admitType = d.admitType;
  if (d.reason !== undefined) extras.reason = d.reason;
  if (d.diagnoses !== undefined) extras.diagnoses = d.diagnoses;
}

async function currentStay(trx: Transaction<DB>, encounterId: string) {
  return trx.selectFrom('encounterLocations').selectAll().where('encounterId', '=', encounterId).where('cancelled', '=', 0).where('toAt', 'is', null).executeTakeFirst();
}

async function openStay(trx: Transaction<DB>, encounterId: string, at: BedLocation, fromAt: string): Promise<void> {
  await trx.insertInto('encounterLocations').values({ id: newId(), encounterId, unit: at.unit, room: at.room ?? null, bed: at.bed ?? null, fromAt, toAt: null, cancelled: 0 }).execute();
}

function utc(at: string): string {
  const t = Date.parse(at);
  if (Number.isNaN(t)) throw invalid('request.invalid', 'Not a date and time.', [{ field: 'at', message: 'Use an ISO 8601 date and time.' }]);
  return new Date(t).toISOString();
}

function assertNotBefore(at: string, earliest: string | null, message: string): void {
  if (earliest && Date.parse(at) < Date.parse(earliest)) throw invalid('request.invalid', message, [{ field: 'at', message }]);
}

async function recordEvent(
  trx: Transaction<DB>, ctx: AppContext, actor: AuditActor, input: EncounterEventInput, after: EncounterRow, before: ReturnType<typeof toEncounterView> | null, now: string,
): Promise<void> {
  const e = input.event;
  await trx.insertInto('encounterEvents').values({
    id: newId(), encounterId: after.id, version: after.version, type: e.type, occurredAt: 'at' in e ? e.at : null, recordedAt: now,
    source: input.source, actor: actor.name ?? actor.type, before: before ? JSON.stringify(before) : null, after: JSON.stringify(toEncounterView(after)),
  }).execute();
  await recordAuditEvent(trx, {
    actor, action: before ? 'update' : 'create', patientId: after.patientId, recordType: 'encounter', recordId: after.id,
    details: { event: e.type, source: input.source, status: after.status },
  }, ctx.clock);
}
