import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from './client';

/** Release-of-information requests as the API answers them (src/release/requests). */

export const REQUEST_CHANNELS = { mail: 'Mail', fax: 'Fax', email: 'E-mail', portal: 'Patient portal', 'in-person': 'In person', phone: 'Phone' } as const;
export const REQUESTER_KINDS = {
  patient: 'Patient', 'personal-representative': 'Personal representative', attorney: 'Attorney', insurer: 'Insurer',
  provider: 'Another provider', 'government-agency': 'Government agency', 'law-enforcement': 'Law enforcement',
  court: 'Court or subpoena', researcher: 'Researcher', employer: 'Employer',
} as const;
export const RECORD_FORMATS = { paper: 'Paper', pdf: 'PDF', 'secure-link': 'Electronic, by secure link', fhir: 'FHIR' } as const;
export const DELIVERY_METHODS = { mail: 'Mail', email: 'E-mail', 'pick-up': 'Pick-up', 'secure-link': 'Secure link' } as const;
export const IDENTITY_METHODS = {
  'photo-id': 'Photo ID seen', 'known-to-staff': 'Known to staff', 'portal-account': 'Verified portal account',
  'notarized-request': 'Notarized request', 'call-back': 'Call-back to a number on file', 'official-credentials': 'Official credentials',
} as const;
export const REPRESENTATIVE_AUTHORITIES = {
  'parent-of-minor': 'Parent of a minor', 'legal-guardian': 'Legal guardian', 'healthcare-power-of-attorney': 'Health care power of attorney',
  'executor-or-administrator': 'Executor or administrator of the estate',
} as const;
export const BASIS_KINDS = {
  'right-of-access': "Right of access: the patient's own record (45 CFR 164.524)",
  'patient-directed': 'Patient-directed copy to a third party',
  authorization: 'HIPAA authorization (45 CFR 164.508)',
  subpoena: 'Subpoena without a court order (164.512(e))',
  'court-order': 'Court order (164.512(e))',
  'law-enforcement': 'Law enforcement (164.512(f))',
  treatment: 'Treatment', payment: 'Payment', operations: 'Health care operations',
  'part2-consent': 'Part 2 consent (42 CFR 2.31)',
} as const;
export const SENSITIVE_CATEGORIES = {
  'substance-use-disorder': 'Substance-use disorder (Part 2)', 'psychotherapy-notes': 'Psychotherapy notes', 'hiv-sti': 'HIV/STI',
  'mental-health': 'Mental and behavioural health', genetic: 'Genetic testing', 'reproductive-health': 'Reproductive health', 'minor-confidential': "Minor's confidential care",
} as const;
export const LAW_ENFORCEMENT_PROCESSES = {
  warrant: 'Warrant', 'grand-jury-subpoena': 'Grand-jury subpoena', 'administrative-request': 'Administrative request', identification: 'Identification of a suspect or missing person',
} as const;
export const IDENTIFICATION_ITEMS = {
  'name-and-address': 'Name and address', 'date-and-place-of-birth': 'Date and place of birth', ssn: 'Social Security number',
  'abo-blood-type-and-rh': 'ABO blood type and Rh', 'type-of-injury': 'Type of injury', 'date-and-time-of-treatment': 'Date and time of treatment',
  'date-and-time-of-death': 'Date and time of death', 'distinguishing-physical-characteristics': 'Distinguishing physical characteristics',
  dna: 'DNA', 'dental-records': 'Dental records', 'body-fluid-or-tissue-analysis': 'Body fluid or tissue analysis',
} as const;
export const STATUS_LABELS = {
  logged: 'Logged', validated: 'Validated', in_process: 'In process', quality_check: 'Quality check', released: 'Released',
  denied: 'Denied', cancelled: 'Cancelled', pending_information: 'Pending information',
} as const;

export type RequestStatus = keyof typeof STATUS_LABELS;
export type BasisKind = keyof typeof BASIS_KINDS;
export type RequesterKind = keyof typeof REQUESTER_KINDS;

export interface ChecklistItem {
  key: string;
  label: string;
  cite: string;
  field: string;
  met: boolean;
  reason?: string;
}

export interface LegalChecklist {
  basis: BasisKind;
  items: ChecklistItem[];
  valid: boolean;
  limits: { limitedDataSet: boolean; minimumNecessary: boolean };
}

export interface RecordScope {
  from?: string | null;
  to?: string | null;
  encounterIds: string[];
  documentTypes: string[];
  wholeRecordSet: boolean;
  billingRecords: boolean;
}

/** The legal side of a request, as the intake wizard builds it and the checklist reads it. */
export interface LegalCase {
  requester: { kind: RequesterKind; name: string; organization?: string | null; address?: string | null; email?: string | null; phone?: string | null };
  purpose?: string | null;
  basis: { kind: BasisKind } & Record<string, unknown>;
  part2Consent?: Record<string, unknown> | null;
  identityVerification?: { method: string; note?: string | null } | null;
  representativeAuthority?: { kind: string; document: string } | null;
  scope: RecordScope;
}

export interface NewRequest extends LegalCase {
  patientId: string;
  receivedOn: string;
  channel: string;
  format: string;
  delivery: { method: string; address?: string | null; email?: string | null };
  dueDate?: string | null;
}

export interface Denial {
  ground: string;
  explanation: string;
  deniedAt: string;
  deniedBy: { id: string; name: string };
  review: null | { requestedAt: string; reviewer: { id: string; name: string }; decision: 'upheld' | 'overturned' | null; decidedAt: string | null; note: string | null };
}

export interface ReleaseRequest extends NewRequest {
  id: string;
  patient: { id: string; mrn: string; name: string; birthDate: string; doNotRelease: boolean; legalHoldReason: string | null };
  status: RequestStatus;
  dueDate: string;
  originalDueDate: string | null;
  daysLeft: number;
  overdue: boolean;
  assignedTo: { id: string; name: string } | null;
  identityVerification: { method: string; note?: string | null; verifiedBy: string; verifiedAt: string } | null;
  extension: { reason: string; previousDueDate: string; newDueDate: string; at: string; by: string } | null;
  denial: Denial | null;
  version: number;
  createdAt: string;
  createdBy: string;
  closedAt: string | null;
}

export interface ReleaseRequestDetail {
  request: ReleaseRequest;
  checklist: { legal: LegalChecklist; holds: ChecklistItem[]; valid: boolean };
  history: { at: string; actorName: string | null; kind: string; fromStatus: string | null; toStatus: string | null; note: string | null }[];
  letters: { id: string; kind: string; size: number; createdAt: string; createdBy: string }[];
}

export interface QueueItem {
  id: string;
  patient: { id: string; name: string; mrn: string } | null;
  status: RequestStatus;
  receivedOn: string;
  dueDate: string;
  daysLeft: number;
  overdue: boolean;
  extended: boolean;
  requesterKind: RequesterKind;
  requesterName: string;
  basis: BasisKind;
  assignedTo: { id: string; name: string } | null;
}

export interface ReleaseDashboard {
  today: string;
  open: number;
  dueThisWeek: number;
  overdue: number;
  byStatus: Record<RequestStatus, number>;
  turnaround: { closed: number; averageDays: number | null; medianDays: number | null; weeks: { weekStart: string; closed: number; averageDays: number | null }[] };
}

export interface DocumentChoice {
  documentId: string;
  type: string;
  title: string | null;
  serviceDate: string;
  sensitivity: string[];
  included: boolean;
  reasons: string[];
}

export interface ReleaseReference {
  denialGrounds: Record<string, { label: string; cite: string; reviewable: boolean }>;
}

export const releaseKeys = {
  all: ['release'] as const,
  queue: (filter: string) => ['release', 'queue', filter] as const,
  request: (id: string) => ['release', 'request', id] as const,
  documents: (id: string) => ['release', 'documents', id] as const,
  dashboard: ['release', 'dashboard'] as const,
  staff: ['release', 'staff'] as const,
  reference: ['release', 'reference'] as const,
};

const requestPath = (id: string) => `/api/release/requests/${encodeURIComponent(id)}`;
export const letterUrl = (requestId: string, letterId: string) => `${requestPath(requestId)}/letters/${encodeURIComponent(letterId)}`;

export type QueueFilter = 'open' | 'mine' | 'overdue' | 'all';
const QUEUE_QUERIES: Record<QueueFilter, Record<string, string>> = {
  open: {}, mine: { assignee: 'me' }, overdue: { overdue: 'true' }, all: { status: 'all' },
};

export function useWorkQueue(filter: QueueFilter) {
  return useQuery({
    queryKey: releaseKeys.queue(filter),
    queryFn: ({ signal }) => apiRequest<{ requests: QueueItem[] }>('/api/release/requests', { query: QUEUE_QUERIES[filter], signal }).then((b) => b.requests),
  });
}

export function useReleaseRequest(id: string) {
  return useQuery({ queryKey: releaseKeys.request(id), queryFn: ({ signal }) => apiRequest<ReleaseRequestDetail>(requestPath(id), { signal }) });
}

export function useRequestDocuments(id: string, enabled: boolean) {
  return useQuery({
    queryKey: releaseKeys.documents(id), enabled,
    queryFn: ({ signal }) => apiRequest<{ documents: DocumentChoice[]; part2NoticeRequired: boolean; part2ConsentCopyRequired: boolean }>(`${requestPath(id)}/documents`, { signal }),
  });
}

export function useReleaseDashboard() {
  return useQuery({ queryKey: releaseKeys.dashboard, queryFn: ({ signal }) => apiRequest<ReleaseDashboard>('/api/release/dashboard', { signal }) });
}

export function useReleaseStaff() {
  return useQuery({ queryKey: releaseKeys.staff, staleTime: 60_000, queryFn: ({ signal }) => apiRequest<{ clerks: { id: string; name: string }[]; reviewers: { id: string; name: string }[] }>('/api/release/staff', { signal }) });
}

export function useReleaseReference() {
  return useQuery({ queryKey: releaseKeys.reference, staleTime: Infinity, queryFn: ({ signal }) => apiRequest<ReleaseReference>('/api/release/reference', { signal }) });
}

/** The legal checklist of what the wizard holds so far (nothing is stored). */
export function useLegalCheck(legalCase: LegalCase | null) {
  return useQuery({
    queryKey: ['release', 'check', JSON.stringify(legalCase)],
    enabled: legalCase !== null,
    staleTime: Infinity,
    queryFn: ({ signal }) => apiRequest<{ checklist: LegalChecklist }>('/api/release/legal-basis/check', { method: 'POST', body: legalCase, signal }).then((b) => b.checklist),
  });
}

export function useLogRequest() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewRequest) => apiRequest<ReleaseRequestDetail>('/api/release/requests', { method: 'POST', body }),
    onSuccess: (detail) => {
      queryClient.setQueryData(releaseKeys.request(detail.request.id), detail);
      void queryClient.invalidateQueries({ queryKey: ['release', 'queue'] });
      void queryClient.invalidateQueries({ queryKey: releaseKeys.dashboard });
    },
  });
}

/** One action on a request (`status`, `assignment`, `notes`, `extension`, `denial`, `denial/review-request`, `denial/review`; PUT `legal-case`). */
export function useRequestAction(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ action, body, method }: { action: string; body: unknown; method?: 'POST' | 'PUT' }) =>
      apiRequest<ReleaseRequestDetail>(`${requestPath(id)}/${action}`, { method: method ?? 'POST', body }),
    onSuccess: (detail) => {
      queryClient.setQueryData(releaseKeys.request(id), detail);
      void queryClient.invalidateQueries({ queryKey: ['release', 'queue'] });
      void queryClient.invalidateQueries({ queryKey: releaseKeys.dashboard });
    },
  });
}

/** The LOINC document types a request may name (the documents capability's list). */
export function useDocumentTypeChoices() {
  return useQuery({
    queryKey: ['reference', 'document-types'], staleTime: Infinity,
    queryFn: ({ signal }) => apiRequest<{ documentTypes: { code: string; display: string }[] }>('/api/reference/document-types', { signal }).then((b) => b.documentTypes),
  });
}
