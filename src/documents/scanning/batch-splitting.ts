import type { CoverSheetCode, CoverSheetReading } from './cover-sheet-code.js';

/** What a page of a batch turned out to be. */
export type PageReading = CoverSheetReading;

/** A run of pages of a batch behind one cover sheet (or before the first). */
export interface BatchSegment {
  /** 1-based page number of the cover sheet in front, or null for pages before the first cover sheet. */
  coverSheetPage: number | null;
  /** What the cover sheet said; 'damaged' when it was one of ours but could not be trusted; null when there was none. */
  coverSheet: CoverSheetCode | 'damaged' | null;
  /** 1-based, inclusive; the cover sheet itself is not among the pages. */
  firstPage: number;
  lastPage: number;
}

/**
 * Splits a batch at its cover sheets: each cover sheet (readable or damaged) starts a new document,
 * made of the pages behind it up to the next cover sheet. Pages before the first cover sheet form a
 * segment of their own with no cover sheet. A cover sheet with no pages behind it makes nothing.
 */
export function splitBatch(readings: readonly PageReading[]): BatchSegment[] {
  const segments: BatchSegment[] = [];
  let open: { coverSheetPage: number | null; coverSheet: BatchSegment['coverSheet']; pages: number[] } = { coverSheetPage: null, coverSheet: null, pages: [] };
  const close = () => {
    if (open.pages.length) segments.push({ coverSheetPage: open.coverSheetPage, coverSheet: open.coverSheet, firstPage: open.pages[0], lastPage: open.pages.at(-1)! });
  };
  readings.forEach((reading, index) => {
    const page = index + 1;
    if (reading.kind === 'not-a-cover-sheet') {
      open.pages.push(page);
      return;
    }
    close();
    open = { coverSheetPage: page, coverSheet: reading.kind === 'cover-sheet' ? reading.code : 'damaged', pages: [] };
  });
  close();
  return segments;
}

/** Why pages wait for a clerk in the indexing queue. */
export const INDEXING_REASONS = {
  'no-cover-sheet': 'No cover sheet in front of these pages',
  'unreadable-cover-sheet': 'The cover sheet was damaged or altered',
  'unknown-patient': 'No patient has the MRN on the cover sheet',
  'unknown-visit': 'No visit has the number on the cover sheet',
  'visit-of-another-patient': "The visit on the cover sheet is not the patient's",
  'unknown-type': 'The document type on the cover sheet is not in the list',
  'patient-not-permitted': "The scanning clerk may not file to this patient's record",
} as const;
export type IndexingReason = keyof typeof INDEXING_REASONS;

/** Where a segment of a batch stands. */
export const BATCH_DOCUMENT_STATUSES = ['filed', 'awaiting-indexing', 'indexed'] as const;
export type BatchDocumentStatus = (typeof BATCH_DOCUMENT_STATUSES)[number];

/** A batch waits while any of its pages wait for indexing. */
export const SCAN_BATCH_STATUSES = ['awaiting-indexing', 'complete'] as const;
export type ScanBatchStatus = (typeof SCAN_BATCH_STATUSES)[number];

/** The one change a batch document allows: a clerk indexes pages that were waiting. */
const ALLOWED: Record<BatchDocumentStatus, readonly BatchDocumentStatus[]> = {
  'awaiting-indexing': ['indexed'],
  filed: [],
  indexed: [],
};
export const canChangeBatchDocument = (from: BatchDocumentStatus, to: BatchDocumentStatus): boolean => ALLOWED[from].includes(to);
