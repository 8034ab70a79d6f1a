/** The master patient index: what other capabilities may use. */
export { patientRoutes } from './routes.js';
export { registerMergeParticipant, type MergeParticipant } from './merge.js';
export { readPatient } from './reading.js';
export { searchPatients, type PatientSearchResult } from './search.js';
export { registerPatient, findLikelyDuplicates, insertPatients } from './registration.js';
export { updatePatient, patientIdsUnderLegalHold } from './updates.js';
// For callers that register or update within their own transaction (a FHIR transaction Bundle, an HL7 message).
export { updatePatientWithin } from './updates.js';
export { registerPatientsWithin, findLikelyDuplicatesOfBatch, RegistrationRefusedError, type PendingRegistration, type BatchMatch } from './batch-registration.js';
export { assertDemographicsValid, duplicateSuspected } from './registration.js';
export { findMatchCandidates, type MatchCandidate } from './candidates.js';
export { Demographics, type DemographicsInput } from './demographics.js';
export { isValidMrn } from './mrn.js';
export type { PatientView } from './patient-record.js';
// For the FHIR facade (src/interop/fhir): code tables, the record's view and versions, matching keys, search keys.
export { RACES, ETHNICITIES, MARITAL_STATUSES, ssn, Address, Phone, RelatedPerson, Coverage, OtherIdentifier } from './demographics.js';
export { findPatientsByCriteria, patientRowsByIds, type PatientCriterion, type BirthDateTest } from './criteria-search.js';
export { readPatientVersion } from './history.js';
export { getPatientRow, toPatientView, aliasMrnsOf, aliasMrnsOfMany, sealIdentifiers, storedDemographics, type PatientRow } from './patient-record.js';
export { toMatchRecord } from './keys.js';
export { assertPatientReadable } from './confidentiality.js';
export { normalizeName, normalizePhone, normalizeEmail, normalizePostalCode, givenNameSearchKeys } from './name-keys.js';
// For the HL7 v2 interface (src/interop/hl7): finding or registering a sender's patient, and merges inside its transaction.
export { identifyOrRegisterPatient, findPatientIdByIdentifiers, IDENTIFICATION_KINDS, type Identification, type IdentificationKind, type IdentifyRequest } from './identification.js';
export { mergePatientsWithin } from './merge.js';
