/** Release-of-information requests: what other capabilities may use. */
import { registerMergeParticipant } from '../../patients/index.js';
import { registerBlobsInUse } from '../../documents/index.js';
import { releaseRequestsInMerge } from './merge-participant.js';
import { letterBlobAddresses } from './letters.js';

registerMergeParticipant(releaseRequestsInMerge);
registerBlobsInUse('release-request-letters', letterBlobAddresses);

export { releaseRequestRoutes } from './routes.js';
export { logReleaseRequest } from './request-intake.js';
export { readReleaseRequest, documentsForRequest, checklistOf, type ReleaseRequestDetail, type RequestChecklist } from './request-reading.js';
export { changeRequest, moveStatus, type ChangeContext } from './request-access.js';
export { releaseRequestWithPacket, assertReleasable } from './request-actions.js';
export { letterBlobAddresses } from './letters.js';
export { selectDocuments, PART2_NOTICE, type ReleaseSelection, type DocumentDecision } from './sensitive-information.js';
export { checkLegalCase, BASIS_LABELS, type LegalChecklist } from './legal-basis.js';
export { REQUEST_STATUSES, OPEN_STATUSES, type RequestStatus } from './workflow.js';
export type { ReleaseRequestView, RequestDetails } from './request-record.js';
export type { LegalBasis, LegalCase, RecordScope, Authorization } from './request-input.js';
