/**
 * Scanning. `scan_batches` holds each uploaded batch (its file in the blob store, who scanned it,
 * its counts); `scan_batch_documents` holds each run of pages a batch was split into, between cover
 * sheets: filed at once to the patient its cover sheet names, or waiting in the indexing queue for a
 * clerk, with the reason.
 */
export interface ScanBatchesTable {
  id: string;
  fileName: string;
  contentType: string;
  /** The blob store address of the batch file as uploaded. */
  blobSha256: string;
  size: number;
  pageCount: number;
  /** ScanBatchStatus. */
  status: string;
  coverSheets: number;
  documentsFiled: number;
  pagesAwaiting: number;
  receivedAt: string;
  receivedBy: string;
  updatedAt: string;
}

export interface ScanBatchDocumentsTable {
  id: string;
  batchId: string;
  /** 1-based page numbers in the batch, inclusive; the cover sheet is not among them. */
  firstPage: number;
  lastPage: number;
  coverSheetPage: number | null;
  /** BatchDocumentStatus. */
  status: string;
  /** Why the pages wait for a clerk (IndexingReason), or null when they were filed from the cover sheet. */
  reason: string | null;
  patientId: string | null;
  encounterId: string | null;
  typeCode: string | null;
  documentId: string | null;
  filedAt: string | null;
  filedBy: string | null;
}

export interface ScanningTables {
  scanBatches: ScanBatchesTable;
  scanBatchDocuments: ScanBatchDocumentsTable;
}
