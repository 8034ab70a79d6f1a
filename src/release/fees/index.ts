/** Fees for copies of records: what other capabilities may use. */
import { registerBlobsInUse } from '../../documents/index.js';
import { invoiceBlobAddresses } from './invoices.js';

registerBlobsInUse('release-invoices', invoiceBlobAddresses);

export { feeRoutes } from './routes.js';
export { currentFeeSchedule } from './fee-schedules.js';
export { assertFeesPaid, outstandingOnRequest } from './hold.js';
export { invoiceBlobAddresses, type InvoiceView } from './invoices.js';
export { FeeSchedule, DEFAULT_FEE_SCHEDULE, WAIVERS, type Waiver } from './fee-schedule.js';
export { quoteFee, type FeeQuote, type FeeLine, type FeeQuestion } from './fee-quote.js';
