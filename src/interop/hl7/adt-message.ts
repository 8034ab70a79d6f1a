import type { EncounterEvent } from '../../encounters/index.js';
import type { OtherIdentifier } from '../../patients/index.js';
import type { z } from 'zod';
import { ERROR_CONDITIONS, Er7Reader, Hl7MessageError, parseEr7 } from './er7.js';
import { hl7Instant, patientIdentifier } from './data-types.js';
import { patientFromMessage, type MappingWarning, type PatientFromMessage } from './patient-segments.js';
import { allergiesFromMessage, bedLocation, visitFromMessage, type Allergy, type VisitFromMessage } from './visit-segments.js';

/** The ADT trigger events this interface takes, and what each does. */
export const ADT_TRIGGERS = ['A01', 'A02', 'A03', 'A04', 'A05', 'A06', 'A07', 'A08', 'A11', 'A12', 'A13', 'A28', 'A31', 'A34', 'A40'] as const;
export type AdtTrigger = (typeof ADT_TRIGGERS)[number];

/** HL7 v2 versions 2.3 to 2.8 (with their point releases). */
export const SUPPORTED_VERSIONS = /^2\.(3|3\.1|4|5|5\.1|6|7|7\.1|8|8\.\d)$/;

/** The PHI-free facts of a message's header: what the monitor indexes and lists. */
export interface MessageHeader {
  controlId: string;
  sendingApplication: string;
  sendingFacility: string;
  messageType: string;
  trigger: string;
  version: string;
  processingId: string;
}

export interface MergeFromMessage {
  mrns: string[];
  identifiers: z.output<typeof OtherIdentifier>[];
}

/** What a message means, before any of it is applied. */
export interface AdtMessage {
  header: MessageHeader;
  trigger: AdtTrigger;
  patient: PatientFromMessage;
  /** Demographics replace the known patient's (A08, A31); otherwise only identifiers are added. */
  updatesPatient: boolean;
  visit?: VisitFromMessage;
  /** The visit event, when the trigger carries one (not A28/A31/A34/A40). */
  event?: EncounterEvent;
  merge?: MergeFromMessage;
  allergies: Allergy[];
  warnings: MappingWarning[];
}

/** The header only: enough to answer, deduplicate and index even a message that is refused later. */
export function readHeader(r: Er7Reader): MessageHeader {
  const msh = r.first('MSH');
  return {
    controlId: r.value(msh, 10),
    sendingApplication: r.value(msh, 3),
    sendingFacility: r.value(msh, 4),
    messageType: r.value(msh, 9, 1),
    trigger: r.value(msh, 9, 2),
    version: r.value(msh, 12, 1),
    processingId: r.value(msh, 11, 1),
  };
}

/** Parses ER7 text into a reader and checks what the header must hold. */
export function readMessage(text: string): { reader: Er7Reader; header: MessageHeader } {
  const reader = new Er7Reader(parseEr7(text));
  const header = readHeader(reader);
  const at = (field: number) => ({ segment: 'MSH', sequence: 1, field });
  if (!header.controlId) throw new Hl7MessageError(ERROR_CONDITIONS.requiredFieldMissing, 'MSH-10 (message control id) is required.', at(10), true);
  if (!header.messageType) throw new Hl7MessageError(ERROR_CONDITIONS.requiredFieldMissing, 'MSH-9 (message type) is required.', at(9), true);
  if (!SUPPORTED_VERSIONS.test(header.version)) {
    throw new Hl7MessageError(ERROR_CONDITIONS.unsupportedVersionId, 'MSH-12 (version) is not one this interface takes (2.3 to 2.8).', at(12), true);
  }
  if (!['P', 'T', 'D'].includes(header.processingId)) {
    throw new Hl7MessageError(ERROR_CONDITIONS.unsupportedProcessingId, 'MSH-11 (processing id) must be P, T or D.', at(11), true);
  }
  if (header.messageType !== 'ADT') throw new Hl7MessageError(ERROR_CONDITIONS.unsupportedMessageType, 'MSH-9.1: this interface takes ADT messages only.', at(9), true);
  if (!(ADT_TRIGGERS as readonly string[]).includes(header.trigger)) {
    throw new Hl7MessageError(ERROR_CONDITIONS.unsupportedEventCode, 'MSH-9.2: this ADT trigger event is not supported.', { ...at(9), component: 2 }, true);
  }
  return { reader, header };
}

/** Reads an ADT message in full: the patient, the visit and its event, a merge, allergies. */
export function parseAdtMessage(text: string, ownMrnSystem: string): AdtMessage {
  const { reader: r, header } = readMessage(text);
  const trigger = header.trigger as AdtTrigger;
  const msh = r.first('MSH');
  const evn = r.first('EVN');
  const eventAt = hl7Instant(r.value(evn, 6)) ?? hl7Instant(r.value(evn, 2)) ?? hl7Instant(r.value(msh, 7));
  const patient = patientFromMessage(r, ownMrnSystem);
  const visit = visitFromMessage(r, hl7Instant);
  const message: AdtMessage = {
    header, trigger, patient, updatesPatient: trigger === 'A08' || trigger === 'A31', visit,
    allergies: allergiesFromMessage(r), warnings: patient.warnings,
  };
  if (trigger === 'A34' || trigger === 'A40') {
    message.merge = mergeFromMessage(r, ownMrnSystem, header.sendingFacility);
    return message;
  }
  if (trigger === 'A28' || trigger === 'A31') return message;
  if (!visit) throw new Hl7MessageError(ERROR_CONDITIONS.segmentSequence, `ADT^${trigger} needs a PV1 segment.`, { segment: 'PV1', sequence: 1 });
  const at = (preferred?: string | null) => {
    const when = preferred ?? eventAt;
    if (!when) throw new Hl7MessageError(ERROR_CONDITIONS.requiredFieldMissing, 'EVN-2 (recorded date/time) is required when EVN-6 and MSH-7 are missing.', { segment: 'EVN', sequence: 1, field: 2 });
    return when;
  };
  message.event = eventOf(trigger, visit, at, r);
  return message;
}

function eventOf(trigger: AdtTrigger, visit: VisitFromMessage, at: (preferred?: string | null) => string, r: Er7Reader): EncounterEvent {
  switch (trigger) {
    case 'A05': return { type: 'pre_admit', at: at(), details: visit.details };
    case 'A01': return { type: 'admit', at: at(visit.admitAt), details: visit.details };
    case 'A04': return { type: 'register', at: at(visit.admitAt), details: visit.details };
    case 'A02': {
      const to = bedLocation(r, r.repetitions(r.first('PV1'), 3)[0]);
      if (!to) throw new Hl7MessageError(ERROR_CONDITIONS.requiredFieldMissing, 'PV1-3 (assigned location) is required for a transfer.', { segment: 'PV1', sequence: 1, field: 3 });
      return { type: 'transfer', at: at(), to };
    }
    case 'A06': return { type: 'change_class', at: at(), class: visit.details.class ?? 'inpatient' };
    case 'A07': return { type: 'change_class', at: at(), class: visit.details.class ?? 'outpatient' };
    case 'A08': return { type: 'update', details: visit.details };
    case 'A11': return { type: 'cancel_admit', at: at() };
    case 'A12': return { type: 'cancel_transfer', at: at() };
    case 'A13': return { type: 'cancel_discharge', at: at() };
    case 'A03': return { type: 'discharge', at: at(visit.dischargeAt), disposition: visit.disposition, dischargedTo: visit.dischargedTo };
    default: throw new Error(`ADT^${trigger} carries no visit event.`);
  }
}

/** MRG-1: the retired record's identifiers (ours as MRNs, others' by assigning authority). */
function mergeFromMessage(r: Er7Reader, ownMrnSystem: string, sendingFacility: string): MergeFromMessage {
  const mrg = r.first('MRG');
  if (!mrg) throw new Hl7MessageError(ERROR_CONDITIONS.segmentSequence, 'A merge needs an MRG segment.', { segment: 'MRG', sequence: 1 });
  const merge: MergeFromMessage = { mrns: [], identifiers: [] };
  for (const rep of r.repetitions(mrg, 1)) {
    const id = patientIdentifier(r, rep, ownMrnSystem, sendingFacility);
    if (id?.kind === 'mrn') merge.mrns.push(id.value);
    if (id?.kind === 'other') merge.identifiers.push({ system: id.system, value: id.value, type: id.type });
  }
  if (!merge.mrns.length && !merge.identifiers.length) {
    throw new Hl7MessageError(ERROR_CONDITIONS.requiredFieldMissing, 'MRG-1 (prior patient identifier list) is required.', { segment: 'MRG', sequence: 1, field: 1 });
  }
  return merge;
}
