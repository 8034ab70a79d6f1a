/** Retention and legal hold: rules, the eligible list, destruction with certificates, holds. */
export { retentionRoutes } from './routes.js';
export { isUnderDocumentHold, assertNotUnderLegalHold, placeLegalHold, releaseLegalHold, listLegalHolds, type LegalHoldView } from './legal-holds.js';
export { eligibleDocuments, refreshRetentionDates } from './eligibility.js';
export { proposeDestruction, approveDestruction, rejectDestruction, listDestructionBatches, readDestructionCertificate } from './destruction.js';
export { loadRetentionRules, saveRetentionRule } from './rule-store.js';
