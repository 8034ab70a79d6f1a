import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { DomainError } from '../platform/errors.js';
import { issueAccessToken } from './api-clients.js';
import { originOf } from './request-auth.js';

/**
 * POST /oauth2/token, client credentials grant. Errors follow RFC 6749 section 5.2
 * (`{"error":"invalid_client"}`), which OAuth client libraries expect, not problem+json.
 */
export async function oauthRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.post('/oauth2/token', {
    config: { access: 'public', rateLimit: { max: ctx.config.authRateLimitPerMinute * 4, timeWindow: 60_000 } },
    schema: { tags: ['access'], summary: 'OAuth 2.0 client credentials token endpoint' },
  }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const field = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
    if (field('grant_type') !== 'client_credentials') {
      return reply.code(400).send({ error: 'unsupported_grant_type', error_description: 'Only grant_type=client_credentials is supported.' });
    }
    const clientId = field('client_id');
    const clientSecret = field('client_secret');
    if (!clientId || !clientSecret) {
      return reply.code(400).send({ error: 'invalid_request', error_description: 'client_id and client_secret are required.' });
    }
    try {
      return await issueAccessToken(ctx, clientId, clientSecret, originOf(req));
    } catch (err) {
      if (err instanceof DomainError && err.kind === 'unauthenticated') {
        return reply.code(401).send({ error: 'invalid_client', error_description: err.detail });
      }
      throw err;
    }
  });
}
