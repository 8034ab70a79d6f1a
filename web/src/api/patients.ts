import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, apiRequest } from './client';
import type { EmergencyAccessGrant } from './types';

/** The master patient index as the API answers it (docs/api.md, "Patients"; src/patients/demographics.ts). */

export type Sex = 'female' | 'male' | 'other' | 'unknown';
export type AddressUse = 'home' | 'work' | 'temp' | 'old' | 'billing';
export type PhoneUse = 'home' | 'mobile' | 'work' | 'temp';
export type Relationship = 'spouse' | 'partner' | 'parent' | 'child' | 'sibling' | 'guardian' | 'grandparent' | 'friend' | 'employer' | 'other';
export type SubscriberRelationship = 'self' | 'spouse' | 'child' | 'other';
export type IdentifierType = 'MR' | 'MB' | 'PI' | 'DL' | 'PPN' | 'AN';

export interface Address {
  use: AddressUse;
  line1: string;
  line2?: string;
  city: string;
  state?: string;
  postalCode?: string;
  country?: string;
  since?: string;
  until?: string;
}

export interface Phone {
  use: PhoneUse;
  number: string;
}

export interface PreviousName {
  given?: string;
  family: string;
  until?: string;
}

export interface RelatedPerson {
  name: string;
  relationship: Relationship;
  phone?: string;
  email?: string;
  emergencyContact: boolean;
}

export interface Guarantor {
  name: string;
  relationship: Relationship | 'self';
  phone?: string;
}

export interface Coverage {
  payer: string;
  memberId: string;
  groupNumber?: string;
  subscriberName?: string;
  subscriberRelationship: SubscriberRelationship;
  order: number;
}

export interface OtherIdentifier {
  system: string;
  value: string;
  type: IdentifierType;
}

export interface PatientFlags {
  vip: boolean;
  employee: boolean;
  restricted: boolean;
  doNotRelease: boolean;
}

export interface CommunicationPreferences {
  phone: boolean;
  email: boolean;
  text: boolean;
}

/** What registration collects; `ssn` and `driversLicence` are write-only. */
export interface Demographics {
  given: string;
  middle?: string;
  family: string;
  suffix?: string;
  preferredName?: string;
  previousNames: PreviousName[];
  birthDate: string;
  deathDate?: string;
  sex: Sex;
  genderIdentity?: string;
  sexualOrientation?: string;
  race: string[];
  ethnicity?: string;
  tribalAffiliation?: string;
  language?: string;
  interpreterNeeded: boolean;
  addresses: Address[];
  phones: Phone[];
  email?: string;
  ssn?: string;
  driversLicence?: { number: string; state: string };
  maritalStatus?: string;
  occupation?: string;
  industry?: string;
  contacts: RelatedPerson[];
  guarantor?: Guarantor;
  coverages: Coverage[];
  primaryCareProvider?: string;
  communication: CommunicationPreferences;
  photo?: string;
  flags: PatientFlags;
  identifiers: OtherIdentifier[];
}

export type StoredDemographics = Omit<Demographics, 'ssn' | 'driversLicence'>;

export interface Patient extends StoredDemographics {
  id: string;
  mrn: string;
  version: number;
  status: 'active' | 'merged';
  mergedInto: string | null;
  ssnLast4: string | null;
  hasDriversLicence: boolean;
  legalHoldReason: string | null;
  /** MRNs of records merged into this one; they still find it. */
  aliasMrns: string[];
  deceased: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface PatientSearchResult {
  id: string;
  mrn: string;
  given: string;
  middle: string | null;
  family: string;
  suffix: string | null;
  birthDate: string;
  age: number;
  sex: Sex;
  postalCode: string | null;
  deceased: boolean;
  restricted: boolean;
  vip: boolean;
  rank: number;
  matchedOn: string[];
}

export type MatchGrade = 'certain' | 'probable' | 'possible';
export type ComparisonOutcome = 'agree' | 'partial' | 'disagree' | 'missing';

export interface FieldComparison {
  field: string;
  outcome: ComparisonOutcome;
  weight: number;
  reason?: string;
}

export interface MatchCandidate {
  patientId: string;
  mrn: string;
  given: string;
  family: string;
  birthDate: string;
  sex: Sex;
  score: number;
  grade: MatchGrade;
  fields: FieldComparison[];
}

export type DuplicateStatus = 'open' | 'not_duplicate' | 'merged';

export interface DuplicatePairSide {
  id: string;
  mrn: string;
  given: string;
  family: string;
  birthDate: string;
  sex: Sex;
  status: string;
}

export interface DuplicatePair {
  id: string;
  score: number;
  grade: MatchGrade;
  status: DuplicateStatus;
  foundBy: 'registration' | 'scan' | string;
  createdAt: string;
  fields: FieldComparison[];
  a: DuplicatePairSide;
  b: DuplicatePairSide;
  resolvedAt: string | null;
  resolvedBy: string | null;
  note: string | null;
}

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface PatientVersion {
  version: number;
  change: string;
  changedAt: string;
  changedBy: string;
  reason: string | null;
  changes: FieldChange[];
}

export interface Merge {
  id: string;
  survivorId: string;
  retiredId: string;
  status: 'merged' | 'undone';
  mergedAt: string;
  mergedBy: string;
  reason: string;
  undoneAt: string | null;
  undoneBy: string | null;
}

export type FieldSource = 'survivor' | 'retired' | 'both' | 'neither';

export interface MergePreview {
  survivor: Patient;
  retired: Patient;
  merged: StoredDemographics;
  sources: Record<string, FieldSource>;
  problems: string[];
  /** How alike the two records are, as the matcher compares them (grade null: not a likely match). */
  match: { score: number; weight: number; grade: MatchGrade | null; fields: FieldComparison[] };
}

export interface ScanProgress {
  scanned: number;
  queued: number;
  nextAfterId: string | null;
}

const patientPath = (id: string) => `/api/patients/${encodeURIComponent(id)}`;

/** Query keys: everything about one patient sits under ['patient', id], so one invalidation refreshes it all. */
export const patientKeys = {
  all: ['patient'] as const,
  record: (id: string) => ['patient', id] as const,
  history: (id: string) => ['patient', id, 'history'] as const,
  merges: (id: string) => ['patient', id, 'merges'] as const,
  search: (text: string) => ['patient-search', text] as const,
  duplicates: (status: DuplicateStatus) => ['duplicates', status] as const,
};

export function usePatientSearch(text: string) {
  return useQuery({
    queryKey: patientKeys.search(text),
    queryFn: ({ signal }) => apiRequest<{ results: PatientSearchResult[] }>('/api/patients', { query: { text }, signal }).then((b) => b.results),
    enabled: text.trim() !== '',
    // Each search is an audited read of every patient listed: ask again only when the clerk does.
    staleTime: Infinity,
    gcTime: 60_000,
  });
}

export function usePatient(id: string | undefined) {
  return useQuery({
    queryKey: patientKeys.record(id ?? ''),
    queryFn: ({ signal }) => apiRequest<{ patient: Patient }>(patientPath(id ?? ''), { signal }).then((b) => b.patient),
    enabled: Boolean(id),
    staleTime: 30_000,
  });
}

export function usePatientHistory(id: string) {
  return useQuery({
    queryKey: patientKeys.history(id),
    queryFn: ({ signal }) => apiRequest<{ versions: PatientVersion[] }>(`${patientPath(id)}/history`, { signal }).then((b) => b.versions),
  });
}

export function usePatientMerges(id: string, enabled = true) {
  return useQuery({
    queryKey: patientKeys.merges(id),
    queryFn: ({ signal }) => apiRequest<{ merges: Merge[] }>(`${patientPath(id)}/merges`, { signal }).then((b) => b.merges),
    enabled,
  });
}

/** Likely existing records for a registration being typed; `demographics` null asks nothing. */
export function useMatchCandidates(demographics: Demographics | null) {
  return useQuery<MatchCandidate[], Error, MatchCandidate[], (string | Demographics | null)[]>({
    queryKey: ['match-candidates', demographics],
    queryFn: ({ signal }): Promise<MatchCandidate[]> =>
      apiRequest<{ candidates: MatchCandidate[] }>('/api/patients/match-candidates', { method: 'POST', body: demographics, signal }).then((b) => b.candidates),
    enabled: demographics !== null,
    // Keep showing the last answer while the next is asked, so the panel does not flicker as the clerk types.
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    retry: false,
  });
}

export function useDuplicatePairs(status: DuplicateStatus) {
  return useQuery({
    queryKey: patientKeys.duplicates(status),
    queryFn: ({ signal }) => apiRequest<{ pairs: DuplicatePair[] }>('/api/duplicates', { query: { status, limit: 200 }, signal }).then((b) => b.pairs),
  });
}

export function useMergePreview(survivorId: string, retiredId: string) {
  return useQuery({
    queryKey: ['merge-preview', survivorId, retiredId],
    queryFn: ({ signal }) => apiRequest<MergePreview>('/api/merges/preview', { query: { survivorId, retiredId }, signal }),
    enabled: Boolean(survivorId && retiredId && survivorId !== retiredId),
    placeholderData: keepPreviousData,
  });
}

/** One batch of the duplicate scan; call again with `nextAfterId` until it is null. */
export function scanDuplicatesBatch(afterId: string | null): Promise<ScanProgress> {
  return apiRequest<ScanProgress>('/api/duplicates/scan', { method: 'POST', body: afterId ? { afterId } : {} });
}

export function useRegisterPatient() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Demographics & { duplicateReason?: string }) => apiRequest<{ patient: Patient }>('/api/patients', { method: 'POST', body }),
    onSuccess: ({ patient }) => {
      queryClient.setQueryData(patientKeys.record(patient.id), patient);
      void queryClient.invalidateQueries({ queryKey: ['patient-search'] });
      void queryClient.invalidateQueries({ queryKey: ['duplicates'] });
    },
  });
}

export function useUpdatePatient(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { version: number; patient: Demographics; reason?: string }) =>
      apiRequest<{ patient: Patient }>(patientPath(id), { method: 'PUT', body }),
    onSuccess: ({ patient }) => {
      queryClient.setQueryData(patientKeys.record(id), patient);
      void queryClient.invalidateQueries({ queryKey: patientKeys.history(id) });
      void queryClient.invalidateQueries({ queryKey: ['patient-search'] });
    },
  });
}

/** Break the glass: a grant to open one restricted record, reviewed later by the privacy officer. */
export function useEmergencyAccess(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) => apiRequest<{ grant: EmergencyAccessGrant }>('/api/emergency-access', { method: 'POST', body: { patientId, reason } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: patientKeys.record(patientId) }),
  });
}

/**
 * Places or releases a legal hold (HIM supervisor). While held the record cannot be merged, so the
 * merge previews are asked again.
 */
export function useLegalHold(id: string) {
  const queryClient = useQueryClient();
  const onSuccess = ({ patient }: { patient: Patient }) => {
    queryClient.setQueryData(patientKeys.record(id), patient);
    void queryClient.invalidateQueries({ queryKey: patientKeys.history(id) });
    void queryClient.invalidateQueries({ queryKey: ['merge-preview'] });
  };
  return {
    place: useMutation({
      mutationFn: (reason: string) => apiRequest<{ patient: Patient }>(`${patientPath(id)}/legal-hold`, { method: 'PUT', body: { reason } }),
      onSuccess,
    }),
    release: useMutation({
      mutationFn: () => apiRequest<{ patient: Patient }>(`${patientPath(id)}/legal-hold`, { method: 'DELETE' }),
      onSuccess,
    }),
  };
}

function useRefreshAfterMerge() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: patientKeys.all }),
      queryClient.invalidateQueries({ queryKey: ['duplicates'] }),
      queryClient.invalidateQueries({ queryKey: ['merge-preview'] }),
      queryClient.invalidateQueries({ queryKey: ['patient-search'] }),
    ]);
}

export function useDuplicateActions() {
  const refresh = useRefreshAfterMerge();
  return {
    markNotDuplicate: useMutation({
      mutationFn: ({ pairId, note }: { pairId: string; note: string }) =>
        apiRequest<void>(`/api/duplicates/${encodeURIComponent(pairId)}/not-duplicate`, { method: 'POST', body: { note } }),
      onSuccess: refresh,
    }),
    merge: useMutation({
      mutationFn: (body: { survivorId: string; retiredId: string; reason: string }) =>
        apiRequest<{ merge: Merge; survivor: Patient }>('/api/merges', { method: 'POST', body }),
      onSuccess: refresh,
    }),
    undoMerge: useMutation({
      mutationFn: ({ mergeId, reason }: { mergeId: string; reason: string }) =>
        apiRequest<{ merge: Merge; survivor: Patient; restored: Patient }>(`/api/merges/${encodeURIComponent(mergeId)}/undo`, { method: 'POST', body: { reason } }),
      onSuccess: refresh,
    }),
  };
}

/** The suspected matches a 409 `patient.duplicate-suspected` carries. */
export function duplicateCandidatesOf(error: unknown): MatchCandidate[] | null {
  if (!(error instanceof ApiError) || error.code !== 'patient.duplicate-suspected') return null;
  const candidates = (error.problem as { candidates?: unknown }).candidates;
  return Array.isArray(candidates) ? (candidates as MatchCandidate[]) : [];
}

/** True when the server refused because a restricted record needs emergency access first. */
export const needsEmergencyAccess = (error: unknown): boolean => error instanceof ApiError && error.code === 'access.emergency-available';
