import type { SequencesTable } from '../platform/db/sequences.js';
/**
 * The master patient index. `patients` holds one row per record with the columns the MPI searches
 * and matches on (normalised keys, indexed), and the rest of the demographics as JSON. Names and
 * identifiers have their own tables so previous names, aliases and retired MRNs are found too.
 */
export interface PatientsTable {
  id: string;
  mrn: string;
  /** Optimistic concurrency: every change adds one. */
  version: number;
  /** `active`, or `merged` into `mergedInto`. */
  status: string;
  mergedInto: string | null;
  given: string;
  middle: string | null;
  family: string;
  suffix: string | null;
  birthDate: string;
  deathDate: string | null;
  sex: string;
  /** Normalised matching keys, computed in TypeScript so both dialects index them alike. */
  familyKey: string;
  givenKey: string;
  givenCanon: string;
  familyPhonetic: string;
  postalCode: string | null;
  email: string | null;
  ssnLast4: string | null;
  /** Keyed HMAC of the SSN: exact look-up without decrypting. */
  ssnHash: string | null;
  /** AES-256-GCM sealed SSN. */
  ssnSealed: string | null;
  driversLicenceSealed: string | null;
  flagVip: number;
  flagEmployee: number;
  flagRestricted: number;
  flagDoNotRelease: number;
  legalHoldReason: string | null;
  /** The rest of the demographics (addresses, phones, contacts, coverages, ...), as JSON. */
  details: string;
  createdAt: string;
  updatedAt: string;
}

/** Every name a patient is known by (legal, previous, preferred), keyed for search. */
export interface PatientNamesTable {
  id: string;
  patientId: string;
  kind: string;
  familyKey: string;
  givenKey: string;
  givenCanon: string;
  familyPhonetic: string;
  givenPhonetic: string;
  birthDate: string;
}

/** MRNs (ours, current and retired), other facilities' MRNs and other identifiers, with their assigning authority. */
export interface PatientIdentifiersTable {
  id: string;
  patientId: string;
  system: string;
  value: string;
  type: string;
  /** 1 for a retired MRN kept as an alias after a merge. */
  retired: number;
}

export interface PatientPhonesTable {
  id: string;
  patientId: string;
  digits: string;
}

/** Every version of a patient's record: who changed it, when, and the record before and after. */
export interface PatientVersionsTable {
  id: string;
  patientId: string;
  version: number;
  change: string;
  changedAt: string;
  changedBy: string;
  reason: string | null;
  snapshot: string;
}

/** Pairs the MPI suspects are one person, and what a person decided about them. */
export interface DuplicateCandidatesTable {
  id: string;
  patientA: string;
  patientB: string;
  score: number;
  grade: string;
  fields: string;
  status: string;
  foundBy: string;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  note: string | null;
}

/** A merge and what it moved, so it can be undone exactly. */
export interface PatientMergesTable {
  id: string;
  survivorId: string;
  retiredId: string;
  status: string;
  mergedAt: string;
  mergedBy: string;
  reason: string;
  /** JSON: both records before, and each participant's moved row ids. */
  record: string;
  undoneAt: string | null;
  undoneBy: string | null;
}


export interface PatientTables {
  patients: PatientsTable;
  patientNames: PatientNamesTable;
  patientIdentifiers: PatientIdentifiersTable;
  patientPhones: PatientPhonesTable;
  patientVersions: PatientVersionsTable;
  duplicateCandidates: DuplicateCandidatesTable;
  patientMerges: PatientMergesTable;
  sequences: SequencesTable;
}
