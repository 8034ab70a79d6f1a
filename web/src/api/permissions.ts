/** Permission names the web app checks before showing a page (the server checks them again). */
export const PERMISSIONS = {
  auditRead: 'audit.read',
  emergencyAccessReview: 'emergency_access.review',
  encountersRead: 'encounters.read',
  encountersWrite: 'encounters.write',
  documentsRead: 'documents.read',
  documentsWrite: 'documents.write',
  documentsDestroy: 'documents.destroy',
  documentsHold: 'documents.hold',
  releaseRead: 'release.read',
  releaseWrite: 'release.write',
  releaseReview: 'release.review',
  patientsRead: 'patients.read',
  patientsWrite: 'patients.write',
  patientsMerge: 'patients.merge',
  referenceDataManage: 'reference_data.manage',
  usersManage: 'users.manage',
  interfacesManage: 'interfaces.manage',
} as const;

export type Permission = (typeof PERMISSIONS)[keyof typeof PERMISSIONS];
