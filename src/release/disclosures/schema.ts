/**
 * The disclosure log (never changed: a mistake is corrected by a later entry naming it in
 * `correctsId`), agency suspensions of the right to an accounting, and requests for an accounting.
 */
export interface DisclosuresTable {
  id: string;
  patientId: string;
  /** ISO instant. */
  disclosedAt: string;
  recipientName: string;
  /** The recipient's name normalised, so repeats to one recipient group together. */
  recipientKey: string;
  recipientAddress: string | null;
  description: string;
  purpose: string;
  /** DisclosureKind (kinds.ts). */
  kind: string;
  releaseRequestId: string | null;
  /** JSON array of document ids. */
  documentIds: string;
  correctsId: string | null;
  /** 'release' (the release workflow) or 'manual' (entered for a disclosure made outside the system). */
  source: string;
  recordedAt: string;
  recordedBy: string;
}

export interface DisclosureSuspensionsTable {
  id: string;
  agencyName: string;
  agencyKey: string;
  /** The one patient it concerns, or null for every patient. */
  patientId: string | null;
  /** 'written' or 'oral'. */
  form: string;
  /** YYYY-MM-DD, both ends included. */
  fromDate: string;
  untilDate: string;
  reason: string;
  recordedAt: string;
  recordedBy: string;
}

export interface AccountingRequestsTable {
  id: string;
  patientId: string;
  /** YYYY-MM-DD dates. */
  receivedOn: string;
  periodFrom: string;
  periodTo: string;
  dueOn: string;
  extendedDueOn: string | null;
  extensionReason: string | null;
  feeCents: number;
  /** 'open' or 'fulfilled'. */
  status: string;
  entryCount: number | null;
  letterSha256: string | null;
  fulfilledAt: string | null;
  recordedAt: string;
  recordedBy: string;
}

export interface DisclosureTables {
  disclosures: DisclosuresTable;
  disclosureSuspensions: DisclosureSuspensionsTable;
  accountingRequests: AccountingRequestsTable;
}
