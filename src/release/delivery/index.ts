/** Release delivery: secure download links with a passcode sent separately. What other capabilities may use. */
import { registerBlobsInUse } from '../../documents/index.js';

// A link's file stays while the link is on record (its audit trail names what was sent).
registerBlobsInUse('download-links', async (ctx) => (await ctx.db.selectFrom('releaseDownloadLinks').select('blobSha256').distinct().execute()).map((r) => r.blobSha256));

export { releaseDeliveryRoutes } from './routes.js';
export {
  createDownloadLink, downloadLinksOf, revokeDownloadLink, describeDownloadLink, downloadWithPasscode, publicBaseUrl, assertMayDeliver,
  LINK_CONTENT_TYPES, type NewDownloadLink, type CreatedDownloadLink, type DownloadLinkView, type PublicLinkView, type DeliveredFile,
} from './download-links.js';
export { sendDownloadLink, linkMail, passcodeMail, PASSCODE_CHANNELS, type PasscodeChannel, type LinkDelivery, type SentDownloadLink } from './link-delivery.js';
export { linkStatus, LINK_STATUSES, MAX_FAILED_ATTEMPTS, type LinkStatus } from './link-status.js';
