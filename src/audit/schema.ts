/** The audit trail: append-only, hash-chained rows (ASTM E2147 shape). */
export interface AuditEventsTable {
  seq: number;
  id: string;
  occurredAt: string;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  actorRole: string | null;
  ip: string | null;
  userAgent: string | null;
  action: string;
  patientId: string | null;
  recordType: string | null;
  recordId: string | null;
  outcome: string;
  reason: string | null;
  emergency: number;
  details: string | null;
  prevHash: string;
  hash: string;
}

/** One row (id 1): the sequence number and hash of the newest event. Locked by each append. */
export interface AuditChainHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface AuditTables {
  auditEvents: AuditEventsTable;
  auditChainHead: AuditChainHeadTable;
}
