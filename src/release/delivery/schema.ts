/**
 * Secure download links: one row per link sent to a recipient outside. The token and the passcode
 * are never stored, only their keyed hashes (the keyring's lookup key), so a copy of the database
 * opens no link.
 */
export interface ReleaseDownloadLinksTable {
  id: string;
  /** The release request this delivers, when there is one (release requests own that id). */
  requestId: string | null;
  patientId: string;
  /** The blob store address of the file the link serves. */
  blobSha256: string;
  /** A generic name (records-<short id>.pdf): no patient data in it. */
  fileName: string;
  contentType: string;
  tokenHash: string;
  passcodeHash: string;
  recipientEmail: string | null;
  expiresAt: string;
  maxDownloads: number;
  downloads: number;
  failedAttempts: number;
  lockedAt: string | null;
  revokedAt: string | null;
  createdBy: string;
  createdAt: string;
}

export interface ReleaseDeliveryTables {
  releaseDownloadLinks: ReleaseDownloadLinksTable;
}
