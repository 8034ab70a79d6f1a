import { roleRequiresMfa } from './roles.js';

/** The steps of signing in; only an `active` session reaches patient data. */
export const SESSION_STAGES = ['password_change', 'mfa_enrolment', 'mfa', 'active'] as const;
export type SessionStage = (typeof SESSION_STAGES)[number];

export interface StageFacts {
  mustChangePassword: boolean;
  mfaEnrolled: boolean;
  role: string;
  /** True once this session has passed an MFA check. */
  mfaVerified: boolean;
}

/**
 * The next stage of a session: change a temporary password first, then prove the second factor
 * (or enrol one, for roles that require it: ONC 170.315(d)(13)).
 */
export function nextStage(f: StageFacts): SessionStage {
  if (f.mustChangePassword) return 'password_change';
  if (f.mfaEnrolled && !f.mfaVerified) return 'mfa';
  if (!f.mfaEnrolled && roleRequiresMfa(f.role)) return 'mfa_enrolment';
  return 'active';
}
