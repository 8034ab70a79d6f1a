/** The disclosure log and the accounting of disclosures (45 CFR 164.528): what other capabilities may use. */
import { registerMergeParticipant } from '../../patients/index.js';
import { registerBlobsInUse } from '../../documents/index.js';
import { movedInMerge } from './merge-participant.js';
import { letterAddressesInUse } from './letters.js';

registerMergeParticipant(movedInMerge('accounting-requests', 'accountingRequests'));
registerBlobsInUse('accounting-and-amendment-letters', (ctx) => letterAddressesInUse(ctx.db));

export { disclosureRoutes } from './routes.js';
export { recordDisclosures, disclosuresOf, priorRecipientsOf, type DisclosureEntry, type DisclosureView } from './disclosure-log.js';
export { DISCLOSURE_KINDS, DISCLOSURE_KIND_CODES, isExemptFromAccounting, type DisclosureKind } from './kinds.js';
export { computeAccountingFor, type AccountingRequestView } from './accounting.js';
export { letterAddressesInUse } from './letters.js';
export type { Accounting, AccountingRow } from './accounting-rules.js';
