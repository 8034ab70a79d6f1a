/** Requests to amend the record (45 CFR 164.526), the notifications an accepted one sends, and statements of disagreement and rebuttals. */
export interface AmendmentRequestsTable {
  id: string;
  patientId: string;
  /** YYYY-MM-DD. */
  receivedOn: string;
  requestedChange: string;
  /** JSON array of the document ids the request concerns. */
  documentIds: string;
  dueOn: string;
  extendedDueOn: string | null;
  extensionReason: string | null;
  /** AmendmentStatus (amendment-rules.ts). */
  status: string;
  amendmentText: string | null;
  denialBasis: string | null;
  denialExplanation: string | null;
  /** 1 when the patient asked that the request and the denial go with later disclosures (164.526(d)(1)(iii)). */
  sendWithDisclosures: number;
  letterSha256: string | null;
  decidedAt: string | null;
  decidedBy: string | null;
  version: number;
  recordedAt: string;
  recordedBy: string;
}

export interface AmendmentNotificationsTable {
  id: string;
  amendmentId: string;
  recipientName: string;
  recipientAddress: string | null;
  /** 'patient-named' or 'prior-recipient'. */
  source: string;
  letterSha256: string;
  recordedAt: string;
}

export interface AmendmentStatementsTable {
  id: string;
  amendmentId: string;
  /** 'disagreement' or 'rebuttal'. */
  kind: string;
  text: string;
  receivedOn: string;
  recordedAt: string;
  recordedBy: string;
}

export interface AmendmentTables {
  amendmentRequests: AmendmentRequestsTable;
  amendmentNotifications: AmendmentNotificationsTable;
  amendmentStatements: AmendmentStatementsTable;
}
