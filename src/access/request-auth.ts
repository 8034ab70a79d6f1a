import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { DomainError, unauthenticated } from '../platform/errors.js';
import { recordDenial } from './guard.js';
import { resolveAccessToken } from './api-clients.js';
import { hasPermission, type Principal, type RequestOrigin } from './principal.js';
import { resolveSession, type CurrentSession } from './sessions.js';
import type { Permission } from './roles.js';
import type { SessionStage } from './stages.js';

/**
 * How a route may be reached. Declared once per route in its `config.access`; one hook enforces it,
 * so no handler can forget. Default: an active session or a bearer token, no particular permission.
 */
export type RouteAccess =
  | 'public'
  | {
      permission?: Permission;
      /** Session stages allowed besides `active` (the steps of signing in). */
      stages?: SessionStage[];
      /** Sessions only: API clients may not call it. */
      sessionOnly?: boolean;
      /** Leave the idle timer alone (polling the session must not keep it alive). */
      noTouch?: boolean;
    };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal?: Principal;
    currentSession?: CurrentSession;
  }
}

export const SESSION_COOKIE = 'chartroom_session';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const originOf = (req: FastifyRequest): RequestOrigin => ({
  ip: req.ip,
  userAgent: (req.headers['user-agent'] ?? '').slice(0, 300) || null,
});

/** The signed-in principal of a route that the hook let through. */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw unauthenticated('auth.required', 'Please sign in.');
  return req.principal;
}

export function sessionOf(req: FastifyRequest): CurrentSession {
  if (!req.currentSession) throw unauthenticated('auth.required', 'Please sign in with a browser session.');
  return req.currentSession;
}

/** Registers the authentication and authorization hook on a scope (the /api and /fhir plugins). */
export function registerRequestAuth(app: FastifyInstance, ctx: AppContext): void {
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const access = req.routeOptions.config?.access;
    if (access === 'public' || req.routeOptions.url === undefined) return;
    const rules = access ?? {};
    const origin = originOf(req);

    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (!match) throw unauthenticated('auth.invalid-token', 'Use an Authorization header of the form "Bearer <token>".');
      if (rules.sessionOnly) throw new DomainError('forbidden', 'access.forbidden', 'This endpoint is for signed-in people, not API clients.');
      req.principal = await resolveAccessToken(ctx, match[1], origin);
    } else {
      const token = req.cookies[SESSION_COOKIE];
      if (!token) throw unauthenticated('auth.required', 'Please sign in.');
      const current = await resolveSession(ctx, token, origin, !rules.noTouch).catch((err) => {
        if (err instanceof DomainError && err.kind === 'unauthenticated') reply.clearCookie(SESSION_COOKIE, { path: '/' });
        throw err;
      });
      const stage = current.row.stage as SessionStage;
      if (stage !== 'active' && !rules.stages?.includes(stage)) {
        throw new DomainError('forbidden', 'auth.stage', 'Finish signing in first.');
      }
      // Double-submit CSRF defence on top of SameSite=Strict: writes carry the session's token in a header.
      if (WRITE_METHODS.has(req.method) && req.headers['x-csrf-token'] !== current.row.csrfToken) {
        await recordDenial(ctx, current.principal, 'csrf-token', { recordType: 'endpoint', recordId: `${req.method} ${req.routeOptions.url}` });
        throw new DomainError('forbidden', 'auth.csrf', 'The request lacks a valid CSRF token. Reload the page and try again.');
      }
      req.currentSession = current;
      req.principal = current.principal;
    }

    if (rules.permission && !hasPermission(req.principal, rules.permission)) {
      await recordDenial(ctx, req.principal, rules.permission, { recordType: 'endpoint', recordId: `${req.method} ${req.routeOptions.url}` });
      throw new DomainError('forbidden', 'access.forbidden', 'Your role does not permit this.');
    }
  });
}
