import { ApiError, apiRequest } from './client';
import type { Problem } from './types';

/** Secure download links as the server answers them (docs/release-delivery.md). */
export const LINK_STATUSES = ['active', 'expired', 'used-up', 'locked', 'revoked'] as const;
export type LinkStatus = (typeof LINK_STATUSES)[number];

export interface DownloadLink {
  id: string;
  requestId: string | null;
  patientId: string;
  fileName: string;
  contentType: string;
  recipientEmail: string | null;
  status: LinkStatus;
  expiresAt: string;
  maxDownloads: number;
  downloads: number;
  failedAttempts: number;
  lockedAt: string | null;
  revokedAt: string | null;
  createdBy: string;
  createdAt: string;
}

export interface SendLinkInput {
  patientId: string;
  requestId?: string | null;
  sha256: string;
  contentType: string;
  recipientEmail: string;
  passcodeBy: 'email' | 'phone';
  expiresInDays?: number;
  maxDownloads?: number;
}

export interface SentLink {
  id: string;
  expiresAt: string;
  fileName: string;
  emailsSent: number;
  /** Only when the passcode goes by telephone: shown once, to read out. */
  passcode?: string;
}

export interface PublicLink {
  status: LinkStatus;
  expiresAt: string;
  fileName: string;
}

export const STATUS_LABELS: Record<LinkStatus, string> = {
  active: 'Active',
  expired: 'Expired',
  'used-up': 'Used up',
  locked: 'Locked',
  revoked: 'Revoked',
};

export const downloadLinksOf = (patientId: string) =>
  apiRequest<{ links: DownloadLink[] }>('/api/release/download-links', { query: { patientId } }).then((r) => r.links);

export const sendDownloadLink = (input: SendLinkInput) =>
  apiRequest<{ link: SentLink }>('/api/release/download-links', { method: 'POST', body: input }).then((r) => r.link);

export const revokeDownloadLink = (id: string) =>
  apiRequest<{ link: DownloadLink }>(`/api/release/download-links/${encodeURIComponent(id)}/revoke`, { method: 'POST' }).then((r) => r.link);

export const describePublicLink = (token: string) =>
  apiRequest<{ link: PublicLink }>(`/api/public/downloads/${encodeURIComponent(token)}`).then((r) => r.link);

/** Fetches the file with the passcode; the answer is the file itself, not JSON. */
export async function downloadWithPasscode(token: string, passcode: string): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(`/api/public/downloads/${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/octet-stream, application/problem+json' },
      credentials: 'omit',
      body: JSON.stringify({ passcode }),
    });
  } catch {
    throw new ApiError({ status: 0, code: 'network', title: 'No connection', detail: 'Could not reach the server. Check your connection and try again.' });
  }
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as Partial<Problem>;
    throw new ApiError({ ...problem, status: problem.status ?? response.status } as Problem);
  }
  return response.blob();
}

/** A stored file of the patient's that a link may send (a document's current content). */
export interface StoredFile {
  documentId: string;
  label: string;
  sha256: string;
  contentType: string;
}

interface DocumentSummary {
  id: string;
  title: string | null;
  serviceDate: string;
  type: { display: string };
  content: { sha256: string; contentType: string; pageCount: number };
}

export const storedFilesOf = (patientId: string) =>
  apiRequest<{ documents: DocumentSummary[] }>(`/api/patients/${encodeURIComponent(patientId)}/documents`).then((r) =>
    r.documents.map((d): StoredFile => ({
      documentId: d.id,
      label: `${d.title ?? d.type.display}, ${d.serviceDate} (${d.content.pageCount} page${d.content.pageCount === 1 ? '' : 's'})`,
      sha256: d.content.sha256,
      contentType: d.content.contentType,
    })),
  );
