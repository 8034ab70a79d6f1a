import type { Generated } from 'kysely';

/** Flags are stored as 0/1 integers and instants as ISO-8601 UTC text, the same on SQLite and PostgreSQL. */
export interface UsersTable {
  id: string;
  username: string;
  displayName: string;
  role: string;
  passwordHash: string;
  mustChangePassword: number;
  active: number;
  failedAttempts: number;
  lockedUntil: string | null;
  mfaSecret: string | null;
  mfaPendingSecret: string | null;
  mfaEnrolledAt: string | null;
  mfaLastStep: number | null;
  lastLoginAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface RecoveryCodesTable {
  id: string;
  userId: string;
  codeHash: string;
  usedAt: string | null;
}

export interface SessionsTable {
  id: string;
  userId: string;
  stage: string;
  csrfToken: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  endedAt: string | null;
}

export interface ApiClientsTable {
  id: string;
  clientId: string;
  name: string;
  role: string;
  secretHash: string;
  active: number;
  createdAt: string;
}

export interface AccessTokensTable {
  id: string;
  apiClientId: string;
  createdAt: string;
  expiresAt: string;
}

export interface EmergencyAccessGrantsTable {
  id: string;
  userId: string;
  patientId: string;
  reason: string;
  grantedAt: string;
  expiresAt: string;
  reviewedAt: string | null;
  reviewedBy: string | null;
  reviewNote: string | null;
}

export interface AccessTables {
  users: UsersTable;
  recoveryCodes: RecoveryCodesTable;
  sessions: SessionsTable;
  apiClients: ApiClientsTable;
  accessTokens: AccessTokensTable;
  emergencyAccessGrants: EmergencyAccessGrantsTable;
}

export type { Generated };
