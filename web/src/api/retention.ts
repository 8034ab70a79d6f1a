import { apiRequest } from './client';

/** Retention rules, the eligible list, destruction proposals and legal holds (docs/documents.md). */

export type RuleScope = 'default' | 'category' | 'type';

export interface RetentionRule {
  id: string;
  scope: RuleScope;
  appliesTo: string;
  adultYears: number;
  majorityAge: number;
  minorYearsAfterMajority: number;
  updatedAt: string;
  updatedBy: string;
}

export interface DocumentTypeOption {
  code: string;
  display: string;
  category: string;
}

export interface EligibleDocument {
  id: string;
  patientId: string;
  patient: { mrn: string; name: string };
  type: DocumentTypeOption;
  title: string | null;
  serviceDate: string;
  eligibleFrom: string;
  status: string;
  proposedIn: string | null;
}

export interface EligiblePage {
  documents: EligibleDocument[];
  total: number;
  page: number;
  pageSize: number;
}

export type DestructionStatus = 'proposed' | 'approved' | 'rejected';

export interface Destruction {
  id: string;
  status: DestructionStatus;
  method: string;
  reason: string;
  proposedAt: string;
  proposedBy: string;
  decidedAt: string | null;
  decidedBy: string | null;
  decisionReason: string | null;
  certificateNumber: string | null;
  documents: { id: string; patientId: string; mrn: string; type: { code: string; display: string }; serviceDate: string }[];
}

export interface LegalHold {
  id: string;
  patientId: string;
  patient: { mrn: string; name: string };
  scope: 'patient' | 'documents';
  documentIds: string[];
  matter: string;
  reason: string;
  placedAt: string;
  placedBy: string;
  releasedAt: string | null;
  releasedBy: string | null;
  releaseReason: string | null;
}

export interface PatientDocument {
  id: string;
  type: DocumentTypeOption;
  title: string | null;
  serviceDate: string;
  status: string;
}

export const DEFAULT_METHOD = 'Encrypted content deleted from the document store';

export const retentionApi = {
  rules: (signal?: AbortSignal) => apiRequest<{ rules: RetentionRule[]; floorYears: number }>('/api/retention/rules', { signal }),
  saveRule: (rule: Omit<RetentionRule, 'id' | 'updatedAt' | 'updatedBy'>) =>
    apiRequest<{ rule: RetentionRule }>('/api/retention/rules', { method: 'PUT', body: rule }),
  removeRule: (id: string) => apiRequest<void>(`/api/retention/rules/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  documentTypes: (signal?: AbortSignal) => apiRequest<{ documentTypes: DocumentTypeOption[] }>('/api/reference/document-types', { signal }).then((b) => b.documentTypes),
  eligible: (query: { type?: string; page: number }, signal?: AbortSignal) => apiRequest<EligiblePage>('/api/retention/eligible', { query, signal }),
  propose: (body: { documentIds: string[]; method: string; reason: string }) =>
    apiRequest<{ destruction: Destruction }>('/api/retention/destructions', { method: 'POST', body }),
  destructions: (status: DestructionStatus, signal?: AbortSignal) =>
    apiRequest<{ destructions: Destruction[] }>('/api/retention/destructions', { query: { status }, signal }).then((b) => b.destructions),
  approve: (id: string) => apiRequest<{ destruction: Destruction }>(`/api/retention/destructions/${encodeURIComponent(id)}/approve`, { method: 'POST' }),
  reject: (id: string, reason: string) =>
    apiRequest<{ destruction: Destruction }>(`/api/retention/destructions/${encodeURIComponent(id)}/reject`, { method: 'POST', body: { reason } }),
  certificateUrl: (id: string) => `/api/retention/destructions/${encodeURIComponent(id)}/certificate`,
  holds: (active: boolean, signal?: AbortSignal) =>
    apiRequest<{ holds: LegalHold[] }>('/api/legal-holds', { query: { active }, signal }).then((b) => b.holds),
  placeHold: (body: { patientId: string; documentIds: string[]; matter: string; reason: string }) =>
    apiRequest<{ hold: LegalHold }>('/api/legal-holds', { method: 'POST', body }),
  releaseHold: (id: string, reason: string) =>
    apiRequest<{ hold: LegalHold }>(`/api/legal-holds/${encodeURIComponent(id)}/release`, { method: 'POST', body: { reason } }),
  patientDocuments: (patientId: string, signal?: AbortSignal) =>
    apiRequest<{ documents: PatientDocument[] }>(`/api/patients/${encodeURIComponent(patientId)}/documents`, { signal }).then((b) => b.documents),
};
