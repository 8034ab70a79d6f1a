/**
 * What an audit event records. The first seven are the ASTM E2147 verbs on health information;
 * the rest are the access events ONC 170.315(d)(2) asks to be auditable.
 */
export const AUDIT_ACTIONS = [
  'create', 'read', 'update', 'delete', 'print', 'export', 'disclose',
  'login', 'login-failed', 'logout', 'session-expired', 'session-refused', 'mfa-enrol', 'mfa-verify', 'mfa-failed',
  'password-change', 'permission-denied', 'emergency-access', 'token-issued', 'token-refused',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_OUTCOMES = ['success', 'failure'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** `recipient`: someone outside, known only by the secure link they were sent (release delivery). */
export const ACTOR_TYPES = ['user', 'api_client', 'system', 'anonymous', 'recipient'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** Who did it and from where: the "who" and "where" of an audit event. */
export interface AuditActor {
  type: ActorType;
  id?: string | null;
  name?: string | null;
  role?: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

export interface AuditEntry {
  actor: AuditActor;
  action: AuditAction;
  outcome?: AuditOutcome;
  patientId?: string | null;
  recordType?: string | null;
  recordId?: string | null;
  /** Required for break-the-glass access; free text the user gave. */
  reason?: string | null;
  emergency?: boolean;
  /** Small, PHI-free facts (codes, counts); never names or values of the record. */
  details?: Record<string, string | number | boolean | null>;
}

export const SYSTEM_ACTOR: AuditActor = { type: 'system', name: 'chartroom' };
