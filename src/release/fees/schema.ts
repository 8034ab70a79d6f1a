/**
 * Fees for copies of records. `fee_schedules` keeps every saved schedule (the newest is current;
 * none saved means the default); `release_invoices` are the invoices issued on requests, with their
 * PDF in the blob store; `release_invoice_payments` the payments recorded against them.
 */
export interface FeeSchedulesTable {
  id: string;
  version: number;
  /** JSON: the FeeSchedule. */
  schedule: string;
  savedAt: string;
  savedBy: string;
}

export interface ReleaseInvoicesTable {
  id: string;
  requestId: string;
  patientId: string;
  /** INV-YYYY-NNNNNN. */
  number: string;
  /** JSON: the fee question the quote answered. */
  question: string;
  /** JSON: FeeLine[]. */
  lines: string;
  totalCents: number;
  basis: string;
  /** The waiver, when the quote was waived. */
  waiver: string | null;
  /** 'issued' or 'void'. */
  status: string;
  voidReason: string | null;
  voidedAt: string | null;
  voidedBy: string | null;
  pdfSha256: string;
  issuedAt: string;
  issuedBy: string;
}

export interface ReleaseInvoicePaymentsTable {
  id: string;
  invoiceId: string;
  amountCents: number;
  /** cash, check, card, waived-later. */
  method: string;
  reference: string | null;
  receivedOn: string;
  recordedAt: string;
  recordedBy: string;
}

export interface FeeTables {
  feeSchedules: FeeSchedulesTable;
  releaseInvoices: ReleaseInvoicesTable;
  releaseInvoicePayments: ReleaseInvoicePaymentsTable;
}
