/**
 * What can happen to a visit (an encounter): the events the admit, transfer and discharge screens,
 * the FHIR facade and the HL7 v2 ADT interface all bring to `applyEncounterEvent`. HL7 trigger
 * events map onto them one to one (A05 pre-admit, A01 admit, A04 register, A02 transfer, A06/A07
 * change of class, A08 update, A21/A22 leave and return, A03 discharge, A11/A12/A13 cancels).
 */

/** The kinds of visit a hospital keeps (HL7 PV1-2 patient class, FHIR Encounter.class). */
export const ENCOUNTER_CLASSES = ['inpatient', 'outpatient', 'emergency', 'observation', 'day_surgery'] as const;
export type EncounterClass = (typeof ENCOUNTER_CLASSES)[number];

/** Where a visit stands; the names follow FHIR Encounter.status. */
export const ENCOUNTER_STATUSES = ['planned', 'in_progress', 'on_leave', 'finished', 'cancelled'] as const;
export type EncounterStatus = (typeof ENCOUNTER_STATUSES)[number];

/** A place in the hospital by its codes (HL7 PV1-3: point of care, room, bed). Unknown codes are kept as given. */
export interface BedLocation {
  unit: string;
  room?: string | null;
  bed?: string | null;
}

/** A provider as a message or a form names one: by NPI, by the hospital's own code, or by name. */
export interface ProviderRef {
  npi?: string | null;
  code?: string | null;
  family?: string | null;
  given?: string | null;
}

export interface Diagnosis {
  code?: string | null;
  system?: string | null;
  text?: string | null;
}

/** The facts of a visit; an event brings those it knows, and `update` changes only those it names. */
export interface VisitDetails {
  class?: EncounterClass;
  /** Hospital service (PV1-10), e.g. MED, SUR. */
  service?: string | null;
  location?: BedLocation | null;
  admittingProvider?: ProviderRef | null;
  attendingProvider?: ProviderRef | null;
  /** Admission source (PV1-14) and type (PV1-4), as codes. */
  admitSource?: string | null;
  admitType?: string | null;
  /** Reason for the visit (PV2-3), free text. */
  reason?: string | null;
  diagnoses?: Diagnosis[];
}

export type EncounterEvent =
  | { type: 'pre_admit'; at: string; details: VisitDetails }
  | { type: 'admit'; at: string; details: VisitDetails }
  | { type: 'register'; at: string; details: VisitDetails }
  | { type: 'transfer'; at: string; to: BedLocation }
  | { type: 'change_class'; at: string; class: EncounterClass }
  | { type: 'update'; details: VisitDetails }
  | { type: 'leave'; at: string }
  | { type: 'return'; at: string }
  | { type: 'discharge'; at: string; disposition?: string | null; dischargedTo?: string | null }
  | { type: 'cancel_admit'; at: string }
  | { type: 'cancel_transfer'; at: string }
  | { type: 'cancel_discharge'; at: string };

export type EncounterEventType = EncounterEvent['type'];

export interface EncounterEventInput {
  patientId: string;
  /**
   * The visit number (HL7 PV1-19, FHIR Encounter.identifier). Events that open a visit (pre_admit,
   * admit, register) without one get a number of ours. Other events without one act on the
   * patient's single open visit.
   */
  visitNumber?: string | null;
  event: EncounterEvent;
  /** Where the event came from, for the visit's history: 'web', 'fhir' or 'hl7'. */
  source: 'web' | 'fhir' | 'hl7';
}

/**
 * What became of an event. `out_of_order` means it cannot apply yet or any more (a discharge of a
 * visit not admitted, a transfer of a finished visit): the caller holds or reports it, nothing was written.
 */
export type EncounterEventOutcome =
  | { outcome: 'applied'; encounterId: string; visitNumber: string }
  | { outcome: 'out_of_order'; reason: string };
