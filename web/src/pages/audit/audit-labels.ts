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

/** Words a records clerk uses for each kind of record an event is about. */
export const RECORD_TYPE_LABELS: Record<string, string> = {
  hl7_message: 'HL7 message',
  patient: 'Patient record',
  patient_version: 'Patient record (earlier version)',
  patient_search_result: 'Patient (search result)',
  patient_match_result: 'Patient (match result)',
  match_candidate: 'Patient (possible duplicate shown)',
  patient_history: 'Patient history',
  patient_merge: 'Patient merge',
  patient_unmerge: 'Patient merge undone',
  merge_preview: 'Patient (merge preview)',
  duplicate_pair: 'Possible duplicate pair',
  duplicate_scan: 'Duplicate scan',
  legal_hold: 'Legal hold',
  session: 'Sign-in session',
  audit_event: 'Audit log',
  user: 'User account',
  api_client: 'API client',
  access_token: 'API token',
  emergency_access_grant: 'Emergency access',
  endpoint: 'Page or function',
  release_download_link: 'Secure download link',
  release_download_link_list: 'Secure download links',
};

export function recordTypeLabel(recordType: string): string {
  return RECORD_TYPE_LABELS[recordType] ?? recordType.replace(/_/g, ' ');
}
