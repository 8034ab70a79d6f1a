/** Amendments of the record (45 CFR 164.526): what other capabilities may use. */
import { registerMergeParticipant } from '../../patients/index.js';
import { movedInMerge } from '../disclosures/merge-participant.js';

registerMergeParticipant(movedInMerge('amendment-requests', 'amendmentRequests'));

export { amendmentRoutes } from './routes.js';
export { amendmentStatementsFor, type AmendmentStatementsForDisclosure, type AmendmentView, type AmendmentDetailView } from './amendments.js';
export { DENIAL_GROUNDS, DENIAL_GROUND_CODES, type DenialGround } from './amendment-rules.js';
