import type * as fhir4 from 'fhir/r4.js';
import {
  ENCOUNTER_CLASSES, type EncounterClass, type EncounterDetailView, type EncounterEvent, type EncounterStatus, type ProviderRef, type VisitDetails,
} from '../../encounters/index.js';
import type { MappingIssue } from './patient-mapping.js';

/**
 * Encounter (https://hl7.org/fhir/R4/encounter.html) to and from a visit. A visit's class, status,
 * period, location history, providers, reason, diagnoses and admission facts map onto the resource;
 * providers and locations are logical references (NPI and location path identifiers with a display),
 * since Chartroom keeps them as reference data rather than as FHIR resources.
 */
export const VISIT_NUMBER_SYSTEM = 'urn:chartroom:visit-number';
export const LOCATION_SYSTEM = 'urn:chartroom:location';
const NPI_SYSTEM = 'http://hl7.org/fhir/sid/us-npi';
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const PARTICIPATION = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
const V2 = (table: string) => `http://terminology.hl7.org/CodeSystem/v2-${table}`;
const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';

/** Our classes and the v3 ActCode encounter codes (https://terminology.hl7.org/ValueSet-v3-ActEncounterCode.html). */
export const CLASS_CODES: Record<EncounterClass, { code: string; display: string }> = {
  inpatient: { code: 'IMP', display: 'inpatient encounter' },
  outpatient: { code: 'AMB', display: 'ambulatory' },
  emergency: { code: 'EMER', display: 'emergency' },
  observation: { code: 'OBSENC', display: 'observation encounter' },
  day_surgery: { code: 'SS', display: 'short stay' },
};
export const STATUS_CODES: Record<EncounterStatus, fhir4.Encounter['status']> = {
  planned: 'planned', in_progress: 'in-progress', on_leave: 'onleave', finished: 'finished', cancelled: 'cancelled',
};
export const classOfCode = (code: string): EncounterClass | undefined => ENCOUNTER_CLASSES.find((c) => CLASS_CODES[c].code === code);
export const statusOfCode = (code: string): EncounterStatus | undefined => (Object.keys(STATUS_CODES) as EncounterStatus[]).find((s) => STATUS_CODES[s] === code);

const locationPath = (l: { unit: string; room?: string | null; bed?: string | null }) => [l.unit, l.room, l.bed].filter(Boolean).join('/');

function participant(type: 'ADM' | 'ATND', p: EncounterDetailView['attendingProvider']): fhir4.EncounterParticipant[] {
  if (!p) return [];
  const identifier = p.npi ? { system: NPI_SYSTEM, value: p.npi } : p.code ? { system: 'urn:chartroom:provider', value: p.code } : undefined;
  return [{
    type: [{ coding: [{ system: PARTICIPATION, code: type, display: type === 'ADM' ? 'admitter' : 'attender' }] }],
    individual: { ...(identifier ? { identifier } : {}), ...(p.display ? { display: p.display } : {}) },
  }];
}

export function encounterToFhir(v: EncounterDetailView, options: { patientReference: string }): fhir4.Encounter {
  const start = v.admittedAt ?? v.plannedAt;
  return {
    resourceType: 'Encounter',
    id: v.id,
    meta: { versionId: String(v.version), lastUpdated: v.updatedAt },
    identifier: [{ use: 'official', system: VISIT_NUMBER_SYSTEM, value: v.visitNumber }],
    status: STATUS_CODES[v.status],
    class: { system: ACT_CODE, ...CLASS_CODES[v.class] },
    ...(v.admitType ? { type: [{ coding: [{ system: V2('0007'), code: v.admitType }] }] } : {}),
    ...(v.service ? { serviceType: { coding: [{ system: V2('0069'), code: v.service }] } } : {}),
    subject: { reference: options.patientReference },
    participant: [...participant('ADM', v.admittingProvider), ...participant('ATND', v.attendingProvider)],
    ...(start ? { period: { start, ...(v.dischargedAt ? { end: v.dischargedAt } : {}) } } : {}),
    reasonCode: [
      ...(v.reason ? [{ text: v.reason }] : []),
      ...v.diagnoses.map((d) => ({
        ...(d.code ? { coding: [{ system: d.system ?? ICD10CM, code: d.code, ...(d.text ? { display: d.text } : {}) }] } : {}),
        ...(d.text ? { text: d.text } : {}),
      })),
    ],
    ...(v.admitSource || v.disposition || v.dischargedTo
      ? {
          hospitalization: {
            ...(v.admitSource ? { admitSource: { coding: [{ system: V2('0023'), code: v.admitSource }] } } : {}),
            ...(v.disposition || v.dischargedTo
              ? { dischargeDisposition: { ...(v.disposition ? { coding: [{ system: V2('0112'), code: v.disposition }] } : {}), ...(v.dischargedTo ? { text: v.dischargedTo } : {}) } }
              : {}),
          },
        }
      : {}),
    location: v.stays.filter((s) => !s.cancelled).map((s) => ({
      location: { identifier: { system: LOCATION_SYSTEM, value: locationPath(s) }, display: [s.unitName ?? s.unit, s.room && `room ${s.room}`, s.bed && `bed ${s.bed}`].filter(Boolean).join(', ') },
      status: s.toAt ? 'completed' : v.status === 'on_leave' ? 'reserved' : 'active',
      period: { start: s.fromAt, ...(s.toAt ? { end: s.toAt } : {}) },
    })),
  };
}

/** What a FHIR Encounter says, as the visit service understands it; problems name the element. */
export interface MappedEncounter {
  patientId: string;
  visitNumber: string | null;
  status: EncounterStatus;
  class: EncounterClass;
  start: string | null;
  end: string | null;
  /** The bed the patient is in now: the active location, else the last. */
  location: { unit: string; room: string | null; bed: string | null } | null;
  details: VisitDetails;
  disposition: string | null;
  dischargedTo: string | null;
}

const codeOf = (cc: fhir4.CodeableConcept | undefined, system: string): string | null => cc?.coding?.find((c) => c.system === system)?.code ?? null;

function providerOf(resource: fhir4.Encounter, type: 'ADM' | 'ATND'): ProviderRef | null {
  const p = resource.participant?.find((x) => x.type?.some((t) => t.coding?.some((c) => c.code === type)));
  if (!p?.individual) return null;
  const id = p.individual.identifier;
  return { npi: id?.system === NPI_SYSTEM ? id.value ?? null : null, code: id && id.system !== NPI_SYSTEM ? id.value ?? null : null, family: p.individual.display ?? null, given: null };
}

function locationOf(resource: fhir4.Encounter, issues: MappingIssue[]): MappedEncounter['location'] {
  const list = resource.location ?? [];
  const chosen = list.find((l) => l.status === 'active') ?? list.at(-1);
  if (!chosen) return null;
  const value = chosen.location?.identifier?.system === LOCATION_SYSTEM ? chosen.location.identifier.value : undefined;
  if (!value) {
    issues.push({ expression: 'Encounter.location.location.identifier', diagnostics: `Name the place with an identifier of system ${LOCATION_SYSTEM} and value unit/room/bed.` });
    return null;
  }
  const [unit, room, bed] = value.split('/');
  return { unit, room: room ?? null, bed: bed ?? null };
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function encounterFromFhir(body: unknown): { ok: true; encounter: MappedEncounter } | { ok: false; issues: MappingIssue[] } {
  const issues: MappingIssue[] = [];
  const r = body as fhir4.Encounter;
  if (!r || typeof r !== 'object' || r.resourceType !== 'Encounter') return { ok: false, issues: [{ expression: 'resourceType', diagnostics: 'Send an Encounter.' }] };
  const status = typeof r.status === 'string' ? statusOfCode(r.status) : undefined;
  if (!status) issues.push({ expression: 'Encounter.status', diagnostics: 'Use planned, in-progress, onleave, finished or cancelled.' });
  const cls = r.class?.system === ACT_CODE && r.class.code ? classOfCode(r.class.code) : undefined;
  if (!cls) issues.push({ expression: 'Encounter.class', diagnostics: `Use ${ACT_CODE} with IMP, AMB, EMER, OBSENC or SS.` });
  const subject = /^(?:Patient\/)?([A-Za-z0-9\-.]{1,64})$/.exec(r.subject?.reference ?? '');
  if (!subject) issues.push({ expression: 'Encounter.subject', diagnostics: 'Reference the patient as Patient/<id>.' });
  for (const [expression, value] of [['Encounter.period.start', r.period?.start], ['Encounter.period.end', r.period?.end]] as const) {
    if (value !== undefined && !INSTANT.test(value)) issues.push({ expression, diagnostics: 'Give a date and time with its time zone.' });
  }
  if (status === 'finished' && !r.period?.end) issues.push({ expression: 'Encounter.period.end', diagnostics: 'Say when the visit ended.' });
  const visitNumber = r.identifier?.find((i) => i.system === VISIT_NUMBER_SYSTEM)?.value ?? null;
  const location = locationOf(r, issues);
  if (issues.length || !status || !cls || !subject) return { ok: false, issues };
  const diagnoses = (r.reasonCode ?? []).filter((c) => c.coding?.length).map((c) => ({ code: c.coding![0].code ?? null, system: c.coding![0].system ?? null, text: c.text ?? c.coding![0].display ?? null }));
  return {
    ok: true,
    encounter: {
      patientId: subject[1], visitNumber, status, class: cls, start: r.period?.start ?? null, end: r.period?.end ?? null, location,
      details: {
        class: cls, service: codeOf(r.serviceType, V2('0069')), location,
        admittingProvider: providerOf(r, 'ADM'), attendingProvider: providerOf(r, 'ATND'),
        admitSource: codeOf(r.hospitalization?.admitSource, V2('0023')), admitType: codeOf(r.type?.[0], V2('0007')),
        reason: (r.reasonCode ?? []).find((c) => !c.coding?.length)?.text ?? null, diagnoses,
      },
      disposition: codeOf(r.hospitalization?.dischargeDisposition, V2('0112')),
      dischargedTo: r.hospitalization?.dischargeDisposition?.text ?? null,
    },
  };
}

/**
 * The events that take a visit from what it is to what a PUT says it should be, in order: class,
 * facts, admission, transfer, leave, discharge, or their cancellations. `now` dates a transfer the
 * resource does not date.
 */
export function eventsToReach(current: EncounterDetailView, target: MappedEncounter, now: string): EncounterEvent[] | { refused: string } {
  const events: EncounterEvent[] = [];
  if (target.class !== current.class) events.push({ type: 'change_class', at: now, class: target.class });
  const { location: _l, class: _c, ...facts } = target.details;
  events.push({ type: 'update', details: facts });
  const from = current.status;
  const to = target.status;
  const moved = target.location && (!current.location || locationPath(target.location) !== locationPath(current.location));
  const startOrNow = target.start ?? now;
  if (from === to) {
    if (moved && (to === 'in_progress' || to === 'on_leave')) events.push({ type: 'transfer', at: now, to: target.location! });
    return events;
  }
  const path = `${from}>${to}`;
  switch (path) {
    case 'planned>in_progress':
      events.push({ type: 'admit', at: startOrNow, details: { location: target.location } });
      break;
    case 'planned>finished':
      events.push({ type: 'admit', at: startOrNow, details: { location: target.location } }, { type: 'discharge', at: target.end!, disposition: target.disposition, dischargedTo: target.dischargedTo });
      break;
    case 'in_progress>on_leave':
      events.push({ type: 'leave', at: now });
      break;
    case 'on_leave>in_progress':
      events.push({ type: 'return', at: now });
      break;
    case 'in_progress>finished':
    case 'on_leave>finished':
      if (moved) events.push({ type: 'transfer', at: now, to: target.location! });
      events.push({ type: 'discharge', at: target.end!, disposition: target.disposition, dischargedTo: target.dischargedTo });
      break;
    case 'finished>in_progress':
      events.push({ type: 'cancel_discharge', at: now });
      break;
    case 'planned>cancelled':
    case 'in_progress>cancelled':
    case 'on_leave>cancelled':
      events.push({ type: 'cancel_admit', at: now });
      break;
    default:
      return { refused: `A visit cannot go from ${STATUS_CODES[from]} to ${STATUS_CODES[to]}.` };
  }
  return events;
}
