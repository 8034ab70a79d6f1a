/** Retention rules, each document's computed retention date, legal holds, destruction batches and certificates. */
export interface RetentionRulesTable {
  id: string;
  /** 'default', 'category' or 'type' (retention-rules.ts RULE_SCOPES). */
  scope: string;
  /** '' for the default rule, else a document category or a LOINC document code. */
  appliesTo: string;
  adultYears: number;
  majorityAge: number;
  minorYearsAfterMajority: number;
  updatedAt: string;
  updatedBy: string;
}

/** When each document may first be destroyed, computed from the rule that governs it (eligibility.ts). */
export interface DocumentRetentionTable {
  documentId: string;
  /** YYYY-MM-DD: destruction is allowed on and after this day. */
  eligibleFrom: string;
  ruleId: string;
  computedAt: string;
}

export interface LegalHoldsTable {
  id: string;
  patientId: string;
  /** 'patient' (every document of the patient, present and future) or 'documents' (those listed). */
  scope: string;
  matter: string;
  reason: string;
  placedAt: string;
  placedBy: string;
  releasedAt: string | null;
  releasedBy: string | null;
  releaseReason: string | null;
}

export interface LegalHoldDocumentsTable {
  holdId: string;
  documentId: string;
}

export interface DestructionBatchesTable {
  id: string;
  /** 'proposed', 'approved' or 'rejected' (destruction.ts). */
  status: string;
  method: string;
  reason: string;
  proposedAt: string;
  proposedBy: string;
  proposedById: string;
  decidedAt: string | null;
  decidedBy: string | null;
  decidedById: string | null;
  decisionReason: string | null;
  certificateNumber: string | null;
  /** Blob store address of the certificate's PDF. */
  certificateSha256: string | null;
}

export interface DestructionBatchDocumentsTable {
  batchId: string;
  documentId: string;
}

export interface RetentionTables {
  retentionRules: RetentionRulesTable;
  documentRetention: DocumentRetentionTable;
  legalHolds: LegalHoldsTable;
  legalHoldDocuments: LegalHoldDocumentsTable;
  destructionBatches: DestructionBatchesTable;
  destructionBatchDocuments: DestructionBatchDocumentsTable;
}
