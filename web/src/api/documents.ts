import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest, buildUrl } from './client';

/** Documents as the API answers them (src/documents/document-record.ts, docs/documents.md). */

export const DOCUMENT_CATEGORIES = ['clinical-note', 'summary', 'report', 'consent-and-legal', 'administrative'] as const;
export type DocumentCategory = (typeof DOCUMENT_CATEGORIES)[number];
export const DOCUMENT_STATUSES = ['preliminary', 'final', 'amended', 'entered-in-error'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];
export const SENSITIVITY_CATEGORIES = [
  'substance-use-disorder', 'psychotherapy-notes', 'hiv-sti', 'mental-health', 'genetic', 'reproductive-health', 'minor-confidential',
] as const;
export type SensitivityCategory = (typeof SENSITIVITY_CATEGORIES)[number];

export interface DocumentType {
  code: string;
  display: string;
  category: DocumentCategory;
}

export interface DocumentVersion {
  version: number;
  contentType: 'application/pdf' | 'image/tiff' | 'image/jpeg' | 'image/png';
  fileName: string;
  size: number;
  pageCount: number;
  sha256: string;
  reason: string | null;
  createdAt: string;
  createdBy: string;
}

export interface ChartDocument {
  id: string;
  patientId: string;
  encounterId: string | null;
  type: DocumentType;
  title: string | null;
  author: string | null;
  serviceDate: string;
  status: DocumentStatus;
  authentication: { signedBy: string; signedAt: string } | null;
  sensitivity: SensitivityCategory[];
  version: number;
  content: DocumentVersion;
  enteredInErrorReason: string | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

export interface DocumentDetail extends ChartDocument {
  versions: DocumentVersion[];
}

/** The list's filters, as the query string of GET /api/patients/:id/documents names them. */
export interface DocumentListFilters {
  category?: DocumentCategory;
  type?: string;
  status?: DocumentStatus;
  encounter?: string;
  from?: string;
  to?: string;
  sensitivity?: SensitivityCategory;
}

export interface DocumentIndexing {
  patientId: string;
  typeCode: string;
  serviceDate: string;
  status: 'preliminary' | 'final';
  encounterId?: string | null;
  title?: string | null;
  author?: string | null;
  sensitivity?: SensitivityCategory[];
}

const documentKeys = {
  types: ['document-types'] as const,
  ofPatient: (patientId: string) => ['patients', patientId, 'documents'] as const,
  list: (patientId: string, filters: DocumentListFilters) => ['patients', patientId, 'documents', filters] as const,
  document: (id: string) => ['documents', id] as const,
};

export const documentPath = (id: string) => `/api/documents/${encodeURIComponent(id)}`;
/** The document as PDF, for the viewer (`purpose=print` audits a print). */
export const documentPdfUrl = (id: string, version?: number, purpose?: 'print') => buildUrl(`${documentPath(id)}/pdf`, { version, purpose });
/** The stored file itself; `download` asks the browser to save it. */
export const documentContentUrl = (id: string, version?: number, download = false) => buildUrl(`${documentPath(id)}/content`, { version, download: download || undefined });

export function useDocumentTypes() {
  return useQuery({
    queryKey: documentKeys.types,
    queryFn: ({ signal }) => apiRequest<{ documentTypes: DocumentType[] }>('/api/reference/document-types', { signal }).then((b) => b.documentTypes),
    staleTime: Infinity,
  });
}

export function usePatientDocuments(patientId: string, filters: DocumentListFilters) {
  return useQuery<ChartDocument[], Error, ChartDocument[], readonly (string | DocumentListFilters)[]>({
    queryKey: documentKeys.list(patientId, filters),
    queryFn: ({ signal }): Promise<ChartDocument[]> =>
      apiRequest<{ documents: ChartDocument[] }>(`/api/patients/${encodeURIComponent(patientId)}/documents`, { signal, query: { ...filters } }).then((b) => b.documents),
    placeholderData: keepPreviousData,
  });
}

export function useDocument(id: string) {
  return useQuery({
    queryKey: documentKeys.document(id),
    queryFn: ({ signal }) => apiRequest<{ document: DocumentDetail }>(documentPath(id), { signal }).then((b) => b.document),
  });
}

const uploadForm = (metadata: object, file: File) => {
  const form = new FormData();
  form.append('metadata', JSON.stringify(metadata));
  form.append('file', file, file.name);
  return form;
};

export function useFileDocument() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ indexing, file }: { indexing: DocumentIndexing; file: File }) =>
      apiRequest<{ document: ChartDocument }>('/api/documents', { method: 'POST', body: uploadForm(indexing, file) }).then((b) => b.document),
    onSuccess: (document) => void queryClient.invalidateQueries({ queryKey: documentKeys.ofPatient(document.patientId) }),
  });
}

export function useAddVersion(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ reason, expectedVersion, file }: { reason: string; expectedVersion: number; file: File }) =>
      apiRequest<{ document: ChartDocument }>(`${documentPath(id)}/versions`, { method: 'POST', body: uploadForm({ reason, expectedVersion }, file) }).then((b) => b.document),
    onSuccess: (document) => {
      void queryClient.invalidateQueries({ queryKey: documentKeys.document(id) });
      void queryClient.invalidateQueries({ queryKey: documentKeys.ofPatient(document.patientId) });
    },
  });
}

export function useMarkEnteredInError(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) => apiRequest<{ document: ChartDocument }>(`${documentPath(id)}/entered-in-error`, { method: 'POST', body: { reason } }).then((b) => b.document),
    onSuccess: (document) => {
      void queryClient.invalidateQueries({ queryKey: documentKeys.document(id) });
      void queryClient.invalidateQueries({ queryKey: documentKeys.ofPatient(document.patientId) });
    },
  });
}

/** Which documents go into a printed chart or a FHIR Bundle: those ticked, or those the list's filters show. */
export interface ChartSelection {
  documentIds?: string[];
  filters?: { typeCodes?: string[]; category?: DocumentCategory; status?: DocumentStatus[]; encounterId?: string; from?: string; to?: string; sensitivity?: SensitivityCategory };
}

export function chartSelectionFrom(selected: string[], filters: DocumentListFilters): ChartSelection {
  if (selected.length) return { documentIds: selected };
  return {
    filters: {
      category: filters.category, typeCodes: filters.type ? [filters.type] : undefined, status: filters.status ? [filters.status] : undefined,
      encounterId: filters.encounter, from: filters.from, to: filters.to, sensitivity: filters.sensitivity,
    },
  };
}

/** Prints the chart (POST chart-pdf) or exports it (POST chart-bundle): the file comes back to save. */
export function useChartFile(patientId: string, kind: 'chart-pdf' | 'chart-bundle') {
  return useMutation({
    mutationFn: (selection: ChartSelection) =>
      apiRequest<Blob>(`/api/patients/${encodeURIComponent(patientId)}/${kind}`, { method: 'POST', body: selection, as: 'blob' }),
  });
}
