/** Words for the audit trail's action codes (ASTM E2147 verbs and access events, docs/api.md). */
export const ACTION_LABELS: Record<string, string> = {
  create: 'Create',
  read: 'Read',
  update: 'Update',
  delete: 'Delete',
  print: 'Print',
  export: 'Export',
  disclose: 'Disclose',
  login: 'Sign-in',
  'login-failed': 'Failed sign-in',
  logout: 'Sign-out',
  'session-expired': 'Session timed out',
  'session-refused': 'Session refused',
  'mfa-enrol': 'Two-step verification set up',
  'mfa-verify': 'Two-step verification passed',
  'mfa-failed': 'Two-step verification failed',
  'password-change': 'Password changed',
  'permission-denied': 'Permission denied',
  'emergency-access': 'Emergency access',
  'token-issued': 'API token issued',
  'token-refused': 'API token refused',
};

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}
