/** The shapes the Chartroom API answers with (docs/api.md). */

export type SessionStage = 'password_change' | 'mfa_enrolment' | 'mfa' | 'active';

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: string;
  mfaEnrolled: boolean;
}

export interface SessionInfo {
  user: SessionUser;
  stage: SessionStage;
  csrfToken: string;
  idleTimeoutSeconds: number;
  permissions: string[];
}

export interface MfaEnrolment {
  secret: string;
  otpauthUri: string;
  qrDataUrl: string;
}

export interface MfaEnrolmentConfirmation {
  recoveryCodes: string[];
  session: SessionInfo;
}

export interface Role {
  role: string;
  label: string;
  /** The role must sign in with two-step verification. */
  requiresMfa: boolean;
  permissions: string[];
}

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: string;
  active: boolean;
  locked: boolean;
  mfaEnrolled: boolean;
  mustChangePassword: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

export type AuditOutcome = 'success' | 'failure';

export interface AuditEvent {
  id: string;
  seq: number;
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
  outcome: AuditOutcome;
  reason: string | null;
  emergency: boolean;
  /** Small facts without patient data, e.g. `{ reason: 'wrong-password', attempts: 5, locked: true }`. */
  details: Record<string, string | number | boolean | null> | null;
}

export interface AuditEventPage {
  events: AuditEvent[];
  nextBefore: number | null;
}

export interface EmergencyAccessGrant {
  id: string;
  userId: string;
  username: string;
  patientId: string;
  reason: string;
  grantedAt: string;
  expiresAt: string;
  reviewedAt: string | null;
  reviewedBy: string | null;
  reviewNote: string | null;
}

/** An RFC 9457 problem as the API sends it. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  code?: string;
  detail?: string;
  instance?: string;
  errors?: { field: string; message: string }[];
  requestId?: string;
}
