import { DomainError } from '../platform/errors.js';

/**
 * A document's status (FHIR DocumentReference.docStatus uses the same words). `destroyed` is set
 * only by an approved destruction (retention/destruction.ts): the content is gone, the index stays.
 */
export const DOCUMENT_STATUSES = ['preliminary', 'final', 'amended', 'entered-in-error', 'destroyed'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** The statuses a document may be filed with; `amended` comes only from a new version of a final one. */
export const FILING_STATUSES = ['preliminary', 'final'] as const satisfies readonly DocumentStatus[];
export type FilingStatus = (typeof FILING_STATUSES)[number];

/**
 * The status changes allowed. A preliminary document may be replaced (still preliminary, or final);
 * once final, any new version is an amendment (42 CFR 482.24(c): entries are authenticated and
 * corrected, never overwritten); entered-in-error is the end: the document stays, marked, for the
 * record of what was seen.
 */
export const VALID_STATUS_CHANGES: Record<DocumentStatus, readonly DocumentStatus[]> = {
  preliminary: ['preliminary', 'final', 'entered-in-error'],
  final: ['amended', 'entered-in-error'],
  amended: ['amended', 'entered-in-error'],
  'entered-in-error': [],
  destroyed: [],
};

export const isStatusChangeAllowed = (from: DocumentStatus, to: DocumentStatus): boolean => VALID_STATUS_CHANGES[from].includes(to);

export class InvalidStatusChangeError extends DomainError {
  constructor(from: DocumentStatus, to: DocumentStatus) {
    super('conflict', 'document.status-change', from === 'entered-in-error'
      ? 'This document was marked entered in error; it cannot change any more.'
      : from === 'destroyed' ? 'This document was destroyed under the retention schedule; it cannot change any more.'
      : `A ${from} document cannot become ${to}.`);
    this.name = 'InvalidStatusChangeError';
  }
}

export function assertStatusChange(from: DocumentStatus, to: DocumentStatus): void {
  if (!isStatusChangeAllowed(from, to)) throw new InvalidStatusChangeError(from, to);
}

/** The status a new version gives: a final or amended document becomes amended; a preliminary one what was asked. */
export const statusAfterNewVersion = (current: DocumentStatus, asked: FilingStatus | undefined): DocumentStatus =>
  current === 'preliminary' ? (asked ?? 'preliminary') : 'amended';
