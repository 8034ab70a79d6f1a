/**
 * Documents. `documents` holds what a document is (patient, visit, type, author, date of service,
 * status, authentication, sensitivity) with its current version's number; `document_versions` holds
 * every version's content by its blob address, never changed after it is written: an amendment is a
 * new row with a new blob.
 */
export interface DocumentsTable {
  id: string;
  patientId: string;
  encounterId: string | null;
  /** LOINC document code (document-types.ts). */
  typeCode: string;
  title: string | null;
  author: string | null;
  /** YYYY-MM-DD. */
  serviceDate: string;
  status: string;
  signedBy: string | null;
  signedAt: string | null;
  /** JSON array of sensitivity categories. */
  sensitivity: string;
  currentVersion: number;
  enteredInErrorReason: string | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

export interface DocumentVersionsTable {
  id: string;
  documentId: string;
  version: number;
  /** The blob store address: SHA-256 of the plaintext content. */
  blobSha256: string;
  size: number;
  contentType: string;
  fileName: string;
  pageCount: number;
  /** Why this version was made (null for the first). */
  reason: string | null;
  createdAt: string;
  createdBy: string;
}

export interface DocumentTables {
  documents: DocumentsTable;
  documentVersions: DocumentVersionsTable;
}
