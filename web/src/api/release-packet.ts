import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, apiRequest } from './client';
import { releaseKeys } from './release';

/** A request's release packet as the server answers it (docs/release.md, "Packet, quality check and release"). */
export interface PacketPage { page: number; part: number; kind: 'cover-letter' | 'notice' | 'document'; title: string; sourcePage: number }
export interface ReleasePacket {
  id: string;
  version: number;
  pageCount: number;
  pages: PacketPage[];
  status: 'built' | 'confirmed' | 'rejected' | 'released' | 'superseded';
  builtBy: string;
  builtAt: string;
  checkedBy: string | null;
  checkNote: string | null;
  delivery: { method: string } | null;
}
export interface PacketRedaction { documentId: string; page: number; x: number; y: number; width: number; height: number }
/** The file a secure link serves: the packet as one PDF, a ZIP of one PDF per part, or a FHIR R4 Bundle. */
export type PacketFileFormat = 'pdf' | 'zip' | 'fhir-bundle';
export type PacketDelivery =
  | { method: 'secure-link'; recipientEmail: string; passcodeBy: 'email' | 'phone'; file: PacketFileFormat }
  | { method: 'mail'; address: string; trackingNumber?: string | null }
  | { method: 'pick-up' };

const packetPath = (id: string) => `/api/release/requests/${encodeURIComponent(id)}/packet`;
export const packetPageImageUrl = (id: string, page: number, version: number) => `${packetPath(id)}/pages/${page}/image?v=${version}`;
export const packetPdfUrl = (id: string) => `${packetPath(id)}/pdf`;
export const packetFileUrl = (id: string, format: Exclude<PacketFileFormat, 'pdf'>) => `${packetPath(id)}/file?format=${format}`;

export function useReleasePacket(id: string) {
  return useQuery({
    queryKey: ['release', 'packet', id],
    queryFn: async ({ signal }) => {
      try {
        return (await apiRequest<{ packet: ReleasePacket }>(packetPath(id), { signal })).packet;
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }
    },
  });
}

/** Build, check or release: each refreshes the packet and the request. */
export function usePacketAction<T>(id: string, path: '' | '/quality-check' | 'release') {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: T) => apiRequest<unknown>(path === 'release' ? `/api/release/requests/${encodeURIComponent(id)}/release` : `${packetPath(id)}${path}`, { method: 'POST', body }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['release', 'packet', id] });
      void queryClient.invalidateQueries({ queryKey: releaseKeys.request(id) });
    },
  });
}

/** An included document's pages before the packet is built: how many, and each one's size in points as the page is seen. */
export interface DocumentPageSize { page: number; width: number; height: number }
export interface DocumentPages { documentId: string; pageCount: number; pages: DocumentPageSize[] }

const documentPagesPath = (id: string, documentId: string) => `/api/release/requests/${encodeURIComponent(id)}/documents/${encodeURIComponent(documentId)}/pages`;
/** One page of an included document as PNG, to draw redaction boxes on (each load is an audited read). */
export const documentPageImageUrl = (id: string, documentId: string, page: number) => `${documentPagesPath(id, documentId)}/${page}/image`;

/** The page sizes that turn pixels on the preview into points. Kept while the clerk draws: each fetch is an audited read. */
export function useDocumentPages(id: string, documentId: string | undefined) {
  return useQuery({
    queryKey: ['release', 'document-pages', id, documentId],
    enabled: Boolean(documentId),
    staleTime: Infinity,
    queryFn: ({ signal }) => apiRequest<DocumentPages>(documentPagesPath(id, documentId!), { signal }),
  });
}
