import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { originOf, principalOf } from '../../access/request-auth.js';
import { describeDownloadLink, downloadLinksOf, downloadWithPasscode, LINK_CONTENT_TYPES, revokeDownloadLink } from './download-links.js';
import { DEFAULT_EXPIRY_DAYS, DEFAULT_MAX_DOWNLOADS, MAX_EXPIRY_DAYS } from './link-status.js';
import { PASSCODE_CHANNELS, sendDownloadLink } from './link-delivery.js';

const id = z.string().min(1).max(64);
// 32 random bytes in base64url are 43 characters; anything else is no token of ours.
const TokenParams = z.strictObject({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'Not a download link.') });

const SendLinkInput = z.strictObject({
  patientId: id,
  requestId: id.nullable().optional().describe('The release request this delivers'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'A SHA-256 address (64 hex digits).').describe('The stored file to send (its blob address)'),
  contentType: z.enum(LINK_CONTENT_TYPES).default('application/pdf'),
  recipientEmail: z.email().max(254),
  passcodeBy: z.enum(PASSCODE_CHANNELS).default('email').describe('email: a second e-mail carries the passcode; phone: answered here once, to read out'),
  expiresInDays: z.number().int().min(1).max(MAX_EXPIRY_DAYS).default(DEFAULT_EXPIRY_DAYS),
  maxDownloads: z.number().int().min(1).max(10).default(DEFAULT_MAX_DOWNLOADS),
});

/** Secure download links: sending, listing and revoking (staff), and the recipient's page (public). */
export async function releaseDeliveryRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  // The recipient's routes need no sign-in, so they are limited like signing in is.
  const publicRateLimit = { max: ctx.config.authRateLimitPerMinute, timeWindow: 60_000 };

  r.post('/release/download-links', {
    config: { access: { permission: 'release.write' } },
    schema: { tags: ['release'], summary: 'Send a secure download link by e-mail (the passcode by a second e-mail or by telephone)', body: SendLinkInput },
  }, async (req, reply) => reply.code(201).send({ link: await sendDownloadLink(ctx, principalOf(req), req.body) }));

  r.get('/release/download-links', {
    config: { access: { permission: 'release.read' } },
    schema: { tags: ['release'], summary: "A patient's download links with their status", querystring: z.strictObject({ patientId: id }) },
  }, async (req) => ({ links: await downloadLinksOf(ctx, principalOf(req), req.query.patientId) }));

  r.post('/release/download-links/:id/revoke', {
    config: { access: { permission: 'release.write' } },
    schema: { tags: ['release'], summary: 'Withdraw a download link at once', params: z.strictObject({ id }) },
  }, async (req) => ({ link: await revokeDownloadLink(ctx, principalOf(req), req.params.id) }));

  r.get('/public/downloads/:token', {
    config: { access: 'public', rateLimit: publicRateLimit },
    schema: { tags: ['release'], summary: "A download link's status, expiry and file name (no sign-in; no patient data)", params: TokenParams },
  }, async (req) => ({ link: await describeDownloadLink(ctx, req.params.token) }));

  r.post('/public/downloads/:token', {
    config: { access: 'public', rateLimit: publicRateLimit },
    schema: {
      tags: ['release'], summary: 'Download the file with the passcode (no sign-in); five wrong passcodes lock the link', params: TokenParams,
      body: z.strictObject({ passcode: z.string().trim().regex(/^\d{8}$/, 'The passcode is 8 digits.') }),
    },
  }, async (req, reply) => {
    const file = await downloadWithPasscode(ctx, req.params.token, req.body.passcode, originOf(req));
    return reply.type(file.contentType)
      .header('content-disposition', `attachment; filename="${file.fileName}"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store')
      .send(file.bytes);
  });
}
