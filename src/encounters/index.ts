/** Admissions, transfers and discharges: what other capabilities may use. */
import { registerMergeParticipant } from '../patients/index.js';
import { encountersInMerge } from './merge-participant.js';

registerMergeParticipant(encountersInMerge);

export { encounterRoutes } from './routes.js';
export { applyEncounterEvent, assertVisitNumberFree, type ApplyOptions } from './visits.js';
export { readEncounter, encounterDetailsOf, visitsOf, census, type EncounterDetailView, type CensusView } from './reading.js';
export { searchVisits, type VisitCriterion, type PeriodTest, type StayPlace } from './search.js';
export { toEncounterView, findEncounterRow, findEncounterByVisitNumber, type EncounterView, type EncounterRow } from './visit-record.js';
export { resolveProvider, isValidNpi, listLocations, listProviders } from './reference-data.js';
export * from './events.js';
