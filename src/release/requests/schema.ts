/**
 * Release-of-information requests. `release_requests` holds the columns the work queue sorts and
 * filters on (status, due date, assignee, patient) and the rest of the request as JSON;
 * `release_request_events` is its history (status moves, assignments, notes); `release_request_letters`
 * are the letters sent about it (extension notices, denials), kept in the blob store.
 */
export interface ReleaseRequestsTable {
  id: string;
  patientId: string;
  status: string;
  receivedOn: string;
  channel: string;
  requesterKind: string;
  basisKind: string;
  /** YYYY-MM-DD; after an extension, the extended date. */
  dueDate: string;
  /** The due date before the extension, or null. */
  originalDueDate: string | null;
  assignedTo: string | null;
  /** JSON: requester, purpose, basis, part 2 consent, identity, authority, scope, format, delivery, extension, denial. */
  details: string;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  /** When it was released, denied or cancelled. */
  closedAt: string | null;
}

export interface ReleaseRequestEventsTable {
  id: string;
  requestId: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  /** status, assignment, note, letter, extension, denial, review. */
  kind: string;
  fromStatus: string | null;
  toStatus: string | null;
  note: string | null;
}

export interface ReleaseRequestLettersTable {
  id: string;
  requestId: string;
  kind: string;
  blobSha256: string;
  size: number;
  createdAt: string;
  createdBy: string;
}

export interface ReleaseRequestTables {
  releaseRequests: ReleaseRequestsTable;
  releaseRequestEvents: ReleaseRequestEventsTable;
  releaseRequestLetters: ReleaseRequestLettersTable;
}
