/** Documents: storage, indexing and versions. What other capabilities may use. */
import { registerMergeParticipant } from '../patients/index.js';
import { documentsInMerge } from './merge-participant.js';

registerMergeParticipant(documentsInMerge);

export { documentRoutes } from './routes.js';
export { registerBlobsInUse, type BlobsInUse } from './orphan-sweep.js';
export { retentionRoutes, isUnderDocumentHold } from './retention/index.js';
export { fileDocument, addDocumentVersion, markEnteredInError, type DocumentIndexing, type DocumentFile, type NewVersion } from './filing.js';
// For filing several documents in one transaction (a scanned batch): check and store first, then record.
export { prepareDocumentFiling, recordDocumentFiling, type PreparedFiling } from './filing.js';
export { documentsOf, readDocument, readDocumentContent, type DocumentFilters, type DocumentDetailView, type DocumentContent } from './reading.js';
export { findDocumentRow, type DocumentView, type DocumentVersionView, type Authentication } from './document-record.js';
export { DOCUMENT_TYPES, DOCUMENT_CATEGORIES, LOINC_SYSTEM, findDocumentType, type DocumentType, type DocumentCategory } from './document-types.js';
export { DOCUMENT_STATUSES, FILING_STATUSES, type DocumentStatus, type FilingStatus } from './document-status.js';
export { SENSITIVITY_CATEGORIES, type SensitivityCategory } from './sensitivity.js';
export { DOCUMENT_CONTENT_TYPES, type DocumentContentType } from './content-check.js';
