/**
 * Who may do what: the roles of a records department and the permissions each holds, in one place.
 * Least privilege: the administrator manages accounts and interfaces but reads no patient record
 * without breaking the glass. ONC 170.315(d)(1).
 */
export const PERMISSIONS = [
  'users.manage',
  'api_clients.manage',
  'interfaces.manage',
  'reference_data.manage',
  'audit.read',
  'emergency_access.review',
  'patients.read',
  'patients.write',
  'patients.merge',
  'encounters.read',
  'encounters.write',
  'documents.read',
  'documents.write',
  'documents.destroy',
  'documents.hold',
  'release.read',
  'release.write',
  'release.review',
  'completion.read',
  'completion.write',
  'completion.sign',
  'charts.read',
  'charts.write',
  'forms.read',
  'forms.write',
  'correspondence.read',
  'correspondence.write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = [
  'admin',
  'him_supervisor',
  'records_clerk',
  'privacy_officer',
  'auditor',
  'registrar',
  'provider',
  'nurse',
] as const;
export type Role = (typeof ROLES)[number];

const RECORDS_WORK: Permission[] = [
  'patients.read', 'patients.write', 'encounters.read', 'encounters.write', 'documents.read', 'documents.write',
  'release.read', 'release.write', 'completion.read', 'completion.write', 'charts.read', 'charts.write',
  'forms.read', 'correspondence.read', 'correspondence.write',
];

export const ROLE_PERMISSIONS: Record<Role, { label: string; requiresMfa: boolean; permissions: Permission[] }> = {
  admin: {
    label: 'Administrator',
    requiresMfa: true,
    permissions: ['users.manage', 'api_clients.manage', 'interfaces.manage', 'reference_data.manage', 'audit.read'],
  },
  him_supervisor: {
    label: 'HIM supervisor',
    requiresMfa: true,
    permissions: [...RECORDS_WORK, 'patients.merge', 'documents.destroy', 'documents.hold', 'release.review', 'interfaces.manage', 'reference_data.manage', 'audit.read', 'forms.write'],
  },
  records_clerk: { label: 'Records clerk', requiresMfa: false, permissions: RECORDS_WORK },
  privacy_officer: {
    label: 'Privacy officer',
    requiresMfa: true,
    permissions: ['audit.read', 'emergency_access.review', 'patients.read', 'encounters.read', 'documents.read', 'documents.hold', 'release.read', 'release.write', 'release.review'],
  },
  auditor: { label: 'Auditor', requiresMfa: false, permissions: ['audit.read'] },
  registrar: {
    label: 'Registrar',
    requiresMfa: false,
    permissions: ['patients.read', 'patients.write', 'encounters.read', 'encounters.write', 'forms.read'],
  },
  provider: {
    label: 'Physician or provider',
    requiresMfa: false,
    permissions: ['patients.read', 'encounters.read', 'documents.read', 'documents.write', 'completion.read', 'completion.sign', 'forms.read', 'forms.write'],
  },
  nurse: {
    label: 'Nurse',
    requiresMfa: false,
    permissions: ['patients.read', 'encounters.read', 'documents.read', 'forms.read', 'forms.write', 'charts.read'],
  },
};

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

export function permissionsOf(role: string): Permission[] {
  return isRole(role) ? ROLE_PERMISSIONS[role].permissions : [];
}

export const roleRequiresMfa = (role: string): boolean => isRole(role) && ROLE_PERMISSIONS[role].requiresMfa;
