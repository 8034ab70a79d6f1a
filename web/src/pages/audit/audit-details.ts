import { roleLabel } from '../../api/roles';
import type { AuditEvent, Role } from '../../api/types';
import { shortenId } from '../../components/ShortId';

type Details = NonNullable<AuditEvent['details']>;
type Fact = Details[string];

/** Why a sign-in, a session, a code or a token was refused, in the department's words. */
const REASONS: Record<string, string> = {
  'wrong-password': 'Wrong password',
  'unknown-user': 'No such username',
  disabled: 'Account disabled',
  locked: 'Account was locked',
  'wrong-current-password': 'Wrong current password',
  'enrolment-code': 'Wrong code while setting up',
  'wrong-or-reused-code': 'Wrong or already used code',
  ended: 'Session had already ended',
  unknown: 'Not recognised',
  'client-disabled': 'API client disabled',
  expired: 'Expired',
};

const SESSION_END_CAUSES: Record<string, string> = {
  idle: 'Idle too long',
  disabled: 'Account disabled',
  'max-age': 'Longest session allowed reached',
};

const SIGN_IN_STAGES: Record<string, string> = {
  active: 'Signed in',
  password_change: 'Must change password next',
  mfa_enrolment: 'Sets up two-step verification next',
  mfa: 'Two-step verification next',
};

const VERIFICATION_METHODS: Record<string, string> = {
  totp: 'Code from authenticator app',
  'recovery-code': 'Recovery code',
};

const PERMISSION_LABELS: Record<string, string> = {
  'users.manage': 'Manage users',
  'api_clients.manage': 'Manage API clients',
  'interfaces.manage': 'Manage interfaces',
  'audit.read': 'Read the audit log',
  'emergency_access.review': 'Review emergency access',
  'patients.read': 'Read patient records',
  'patients.write': 'Register and edit patients',
  'patients.merge': 'Merge patients',
  'csrf-token': 'Valid security token (page reload needed)',
};

const LIST_STATUSES: Record<string, string> = { pending: 'Waiting for review', reviewed: 'Reviewed' };

const word = (table: Record<string, string>, value: Fact) => table[String(value)] ?? String(value);

/**
 * An event's details as a sentence a reviewer reads at a glance, e.g.
 * `{ reason: 'wrong-password', attempts: 5, locked: true }` -> "Wrong password (attempt 5) — account locked".
 * Facts without words of their own fall back to "key: value".
 */
export function describeDetails(event: Pick<AuditEvent, 'action' | 'recordType' | 'details'>, roles?: Role[]): string {
  const details = event.details;
  if (!details) return '';
  const rest: Details = { ...details };
  const take = (key: string): Fact | undefined => {
    const value = rest[key];
    delete rest[key];
    return value;
  };
  const parts: string[] = [];

  const reason = take('reason');
  const attempts = take('attempts');
  if (reason !== undefined) parts.push(`${word(REASONS, reason)}${attempts !== undefined ? ` (attempt ${String(attempts)})` : ''}`);
  else if (attempts !== undefined) parts.push(`Attempt ${String(attempts)}`);

  const permission = take('permission');
  if (permission !== undefined) parts.push(`Needs permission: ${word(PERMISSION_LABELS, permission)}`);
  const cause = take('cause');
  if (cause !== undefined) parts.push(word(SESSION_END_CAUSES, cause));
  const stage = take('stage');
  if (stage !== undefined) parts.push(word(SIGN_IN_STAGES, stage));
  const method = take('method');
  if (method !== undefined) parts.push(word(VERIFICATION_METHODS, method));

  const role = take('role');
  if (role !== undefined) {
    if (event.recordType === 'patient_merge') parts.push(role === 'survivor' ? 'Record kept' : role === 'retired' ? 'Record retired' : String(role));
    else parts.push(`Role: ${describeRole(String(role), roles)}`);
  }
  const active = take('active');
  if (active !== undefined) parts.push(active ? 'Enabled' : 'Disabled');
  if (take('displayNameChanged')) parts.push('Name changed');
  if (take('unlocked')) parts.push('Unlocked');
  if (take('passwordReset')) parts.push('Password reset');
  if (take('mfaReset')) parts.push('Two-step verification reset');
  if (take('recoveryCodesRegenerated')) parts.push('New recovery codes');

  const held = take('held');
  if (held !== undefined) parts.push(held ? 'Hold placed' : 'Hold released');
  const decision = take('decision');
  if (decision !== undefined) parts.push(decision === 'not-duplicate' ? 'Not a duplicate' : String(decision));
  const other = take('other');
  if (other !== undefined) parts.push(`Other record ${shortenId(String(other))}`);
  const queued = take('queued');
  if (queued !== undefined) parts.push(`${String(queued)} possible ${queued === 1 ? 'duplicate' : 'duplicates'} queued`);
  const via = take('via');
  if (via !== undefined) parts.push(via === 'import' ? 'Imported' : `Via ${String(via)}`);
  const suspected = take('duplicatesSuspected');
  if (suspected !== undefined) parts.push(`${String(suspected)} possible ${suspected === 1 ? 'duplicate' : 'duplicates'}`);
  const overridden = take('duplicatesOverridden');
  if (overridden !== undefined) parts.push(`Registered despite ${String(overridden)} possible ${overridden === 1 ? 'duplicate' : 'duplicates'}`);
  const version = take('version');
  if (version !== undefined) parts.push(`Version ${String(version)}`);

  const status = take('status');
  if (status !== undefined) parts.push(word(LIST_STATUSES, status));
  const count = take('count');
  if (count !== undefined) parts.push(`${String(count)} shown`);
  const format = take('format');
  if (format !== undefined) parts.push(format === 'csv' ? 'CSV file' : String(format));

  // A lock-out is the fact that matters most: it closes the sentence about the attempt.
  const locked = take('locked');
  for (const [key, value] of Object.entries(rest)) parts.push(`${keyWords(key)}: ${factWords(value)}`);

  const sentence = parts.join('; ');
  return locked === true ? `${sentence}${sentence ? ' — ' : ''}account locked` : sentence;
}

/** `records_clerk` or the change `records_clerk -> auditor`, as role labels. */
function describeRole(role: string, roles: Role[] | undefined): string {
  return role
    .split('->')
    .map((r) => roleLabel(r.trim(), roles))
    .join(' → ');
}

/** `duplicatesSuspected` -> "Duplicates suspected". */
function keyWords(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function factWords(value: Fact): string {
  if (value === true) return 'yes';
  if (value === false) return 'no';
  if (value === null) return '—';
  return String(value);
}
