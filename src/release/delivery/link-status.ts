import type { ReleaseDownloadLinksTable } from './schema.js';

/** Where a download link stands. Only an `active` link serves its file. */
export const LINK_STATUSES = ['active', 'expired', 'used-up', 'locked', 'revoked'] as const;
export type LinkStatus = (typeof LINK_STATUSES)[number];

/** Wrong passcodes after which a link locks for good (a new link must be sent). */
export const MAX_FAILED_ATTEMPTS = 5;

/** How long a link lives, in days: two weeks unless the clerk says otherwise, never more than 30. */
export const DEFAULT_EXPIRY_DAYS = 14;
export const MAX_EXPIRY_DAYS = 30;
export const DEFAULT_MAX_DOWNLOADS = 3;

type LinkFacts = Pick<ReleaseDownloadLinksTable, 'revokedAt' | 'lockedAt' | 'downloads' | 'maxDownloads' | 'expiresAt'>;

/** A link's status at `now`. A revoked or locked link says so even once it has also expired. */
export function linkStatus(link: LinkFacts, now: Date): LinkStatus {
  if (link.revokedAt) return 'revoked';
  if (link.lockedAt) return 'locked';
  if (link.downloads >= link.maxDownloads) return 'used-up';
  if (new Date(link.expiresAt).getTime() <= now.getTime()) return 'expired';
  return 'active';
}
