import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from './client';

/** Cover sheets, scanned batches and the indexing queue as the API answers them (docs/documents.md, "Scanning"). */

export interface DocumentType {
  code: string;
  display: string;
  category: string;
}

export type ScanBatchStatus = 'awaiting-indexing' | 'complete';
export type BatchDocumentStatus = 'filed' | 'awaiting-indexing' | 'indexed';

export interface ScanBatchSummary {
  id: string;
  fileName: string;
  contentType: string;
  pageCount: number;
  coverSheets: number;
  status: ScanBatchStatus;
  documentsFiled: number;
  pagesAwaiting: number;
  receivedAt: string;
  receivedBy: string;
}

export interface BatchDocument {
  id: string;
  firstPage: number;
  lastPage: number;
  pages: number;
  coverSheetPage: number | null;
  status: BatchDocumentStatus;
  reason: { code: string; text: string } | null;
  patient: { id: string; mrn: string; name: string | null } | null;
  encounter: { id: string; visitNumber: string } | null;
  type: { code: string; display: string } | null;
  documentId: string | null;
  filedAt: string | null;
  filedBy: string | null;
}

export interface ScanBatchReport extends ScanBatchSummary {
  pagesFiled: number;
  documents: BatchDocument[];
}

export interface IndexingItem {
  id: string;
  batchId: string;
  batchFileName: string;
  receivedAt: string;
  receivedBy: string;
  firstPage: number;
  lastPage: number;
  pages: number;
  coverSheetPage: number | null;
  reason: { code: string; text: string };
}

export interface CoverSheetRequest {
  patientId: string;
  encounterId?: string | null;
  typeCode: string;
  copies?: number;
}

export interface IndexingAssignment {
  patientId: string;
  encounterId?: string | null;
  typeCode: string;
  title?: string | null;
  serviceDate: string;
}

export const scanningKeys = {
  documentTypes: ['document-types'] as const,
  batches: ['scan-batches'] as const,
  batch: (id: string) => ['scan-batch', id] as const,
  queue: ['indexing-queue'] as const,
};

const batchPath = (id: string) => `/api/documents/scan-batches/${encodeURIComponent(id)}`;
export const pageImageUrl = (batchId: string, page: number) => `${batchPath(batchId)}/pages/${page}/image`;

export function useDocumentTypes() {
  return useQuery({
    queryKey: scanningKeys.documentTypes,
    queryFn: ({ signal }) => apiRequest<{ documentTypes: DocumentType[] }>('/api/reference/document-types', { signal }).then((b) => b.documentTypes),
    staleTime: Infinity,
  });
}

export function useScanBatches() {
  return useQuery({
    queryKey: scanningKeys.batches,
    queryFn: ({ signal }) => apiRequest<{ batches: ScanBatchSummary[] }>('/api/documents/scan-batches', { signal }).then((b) => b.batches),
  });
}

export function useScanBatch(id: string | undefined) {
  return useQuery({
    queryKey: scanningKeys.batch(id ?? ''),
    queryFn: ({ signal }) => apiRequest<{ batch: ScanBatchReport }>(batchPath(id ?? ''), { signal }).then((b) => b.batch),
    enabled: Boolean(id),
  });
}

export function useIndexingQueue() {
  return useQuery({
    queryKey: scanningKeys.queue,
    queryFn: ({ signal }) => apiRequest<{ items: IndexingItem[] }>('/api/documents/indexing-queue', { signal }).then((b) => b.items),
  });
}

/** Uploads a batch; the answer is its report. */
export function useUploadBatch() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append('file', file);
      return apiRequest<{ batch: ScanBatchReport }>('/api/documents/scan-batches', { method: 'POST', body: form }).then((b) => b.batch);
    },
    onSuccess: (batch) => {
      queryClient.setQueryData(scanningKeys.batch(batch.id), batch);
      void queryClient.invalidateQueries({ queryKey: scanningKeys.batches });
      void queryClient.invalidateQueries({ queryKey: scanningKeys.queue });
    },
  });
}

export function useAssignIndexingItem() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ itemId, assignment }: { itemId: string; assignment: IndexingAssignment }) =>
      apiRequest<{ document: { id: string; patientId: string }; batchId: string }>(`/api/documents/indexing-queue/${encodeURIComponent(itemId)}/assign`, {
        method: 'POST',
        body: assignment,
      }),
    onSuccess: ({ batchId }) => {
      void queryClient.invalidateQueries({ queryKey: scanningKeys.queue });
      void queryClient.invalidateQueries({ queryKey: scanningKeys.batch(batchId) });
      void queryClient.invalidateQueries({ queryKey: scanningKeys.batches });
    },
  });
}

/** Prints cover sheets: the PDF is fetched (ids in the body, never in the address) and saved as a download. */
export function useCoverSheetDownload() {
  return useMutation({
    mutationFn: async (request: CoverSheetRequest) => {
      const pdf = await apiRequest<Blob>('/api/documents/cover-sheets', { method: 'POST', body: request, as: 'blob' });
      const url = URL.createObjectURL(pdf);
      const link = document.createElement('a');
      link.href = url;
      link.download = 'cover-sheet.pdf';
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    },
  });
}
