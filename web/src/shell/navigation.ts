import { PERMISSIONS, type Permission } from '../api/permissions';

export interface NavigationItem {
  path: string;
  label: string;
  /** Shown only to people whose role grants this permission. */
  permission?: Permission;
  /** What the page will be for, while it is not built yet. */
  comingSoon?: string;
}

export interface NavigationSection {
  label: string;
  items: NavigationItem[];
}

/** The department's work, in the order a records department thinks about it. */
export const NAVIGATION: NavigationSection[] = [
  {
    label: 'Records',
    items: [
      { path: '/patients', label: 'Patients', permission: PERMISSIONS.patientsRead },
      { path: '/duplicates', label: 'Duplicates', permission: PERMISSIONS.patientsMerge },
      // Admissions start from the patient's record; the census shows who is in house.
      { path: '/census', label: 'Census', permission: PERMISSIONS.encountersRead },
      // Cover sheets and scanned batches; pages no cover sheet placed wait in the indexing queue.
      { path: '/scanning', label: 'Scanning', permission: PERMISSIONS.documentsWrite },
      { path: '/indexing', label: 'Indexing queue', permission: PERMISSIONS.documentsWrite },
      { path: '/release', label: 'Release of information', permission: PERMISSIONS.releaseRead },
      { path: '/release/amendments', label: 'Amendments', permission: PERMISSIONS.releaseRead },
      { path: '/completion', label: 'Chart completion', comingSoon: 'Chart deficiencies, their assignment to providers, and delinquency.' },
      { path: '/chart-locations', label: 'Chart locations', comingSoon: 'Where each paper chart is, with check-out and check-in.' },
      { path: '/forms', label: 'Forms', comingSoon: 'The forms library for nursing and other departments, with pre-filled PDFs.' },
      { path: '/correspondence', label: 'Correspondence', comingSoon: 'Telephone calls, e-mail and letters, with templates.' },
    ],
  },
  {
    label: 'Oversight',
    items: [
      // Clerks propose destruction here; supervisors approve it and set the rules.
      { path: '/retention', label: 'Retention', permission: PERMISSIONS.documentsWrite },
      { path: '/legal-holds', label: 'Legal holds', permission: PERMISSIONS.documentsHold },
      { path: '/audit', label: 'Audit log', permission: PERMISSIONS.auditRead },
      { path: '/emergency-access', label: 'Emergency access reviews', permission: PERMISSIONS.emergencyAccessReview },
      { path: '/release/suspensions', label: 'Accounting suspensions', permission: PERMISSIONS.releaseReview },
    ],
  },
  {
    label: 'Administration',
    items: [
      { path: '/users', label: 'Users', permission: PERMISSIONS.usersManage },
      { path: '/reference-data', label: 'Reference data', permission: PERMISSIONS.referenceDataManage },
      { path: '/release/fee-schedule', label: 'Fee schedule', permission: PERMISSIONS.releaseReview },
      { path: '/interfaces', label: 'Interfaces', permission: PERMISSIONS.interfacesManage },
    ],
  },
  // Everyone's own account, in a group of its own so "Administration" appears only to those who administer.
  {
    label: 'You',
    items: [{ path: '/account', label: 'My account' }],
  },
];
