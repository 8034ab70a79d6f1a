import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/support/chartroom.js';
import { auditEventsWhere, countRows, expectProblem, useTestApp } from '../../test/support/http.js';
import { SYSTEM_ACTOR } from '../audit/actions.js';
import { sha256Hex } from '../platform/crypto.js';
import { createApiClient } from './api-clients.js';

function requestToken(app: FastifyInstance, fields: Record<string, string>) {
  return app.inject({
    method: 'POST',
    url: '/oauth2/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

for (const dialect of DIALECTS) {
  describe(`${dialect}: API clients (OAuth 2.0 client credentials)`, () => {
    const { ctx, app } = useTestApp(dialect);

    async function tokenFor(name: string, role: string) {
      const client = await createApiClient(ctx(), SYSTEM_ACTOR, name, role);
      const res = await requestToken(app(), { grant_type: 'client_credentials', ...client });
      expect(res.statusCode, res.body).toBe(200);
      return { client, token: res.json().access_token as string };
    }

    it('issues a bearer token for the right client credentials, stored only as its hash', async () => {
      const client = await createApiClient(ctx(), SYSTEM_ACTOR, 'Coding system', 'auditor');
      const res = await requestToken(app(), { grant_type: 'client_credentials', ...client });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: ctx().config.tokenTtlSeconds });
      expect(res.headers['cache-control']).toBe('no-store');
      const stored = await ctx().db.selectFrom('accessTokens').select('id').execute();
      expect(stored.map((t) => t.id)).toContain(sha256Hex(body.access_token));
      expect(stored.map((t) => t.id)).not.toContain(body.access_token);
      const clientRow = await ctx().db.selectFrom('apiClients').select('secretHash').where('clientId', '=', client.client_id).executeTakeFirstOrThrow();
      expect(clientRow.secretHash).not.toBe(client.client_secret);
      const [issued] = await auditEventsWhere(ctx(), { action: 'token-issued', actorName: 'Coding system' });
      expect(issued).toMatchObject({ actorType: 'api_client', actorRole: 'auditor', outcome: 'success' });
    });

    it('lets an auditor client read the audit trail with its token, and audits that read', async () => {
      const { token } = await tokenFor('Compliance export', 'auditor');
      const res = await app().inject({ method: 'GET', url: '/api/audit-events?action=token-issued', headers: bearer(token) });
      expect(res.statusCode, res.body).toBe(200);
      const { events } = res.json();
      expect(events.some((e: { actorName: string }) => e.actorName === 'Compliance export')).toBe(true);
      const reads = await auditEventsWhere(ctx(), { action: 'read', actorName: 'Compliance export' });
      expect(reads).toHaveLength(1);
      expect(reads[0]).toMatchObject({ actorType: 'api_client', recordType: 'audit_event' });
    });

    it('needs no CSRF token for a bearer write, but still checks the client’s role', async () => {
      const { token: adminToken } = await tokenFor('Provisioning', 'admin');
      const created = await app().inject({
        method: 'POST', url: '/api/users', headers: bearer(adminToken),
        payload: { username: 'provisioned.user', displayName: 'Provisioned', role: 'nurse' },
      });
      expect(created.statusCode, created.body).toBe(201);
      const { token: auditorToken } = await tokenFor('Read only', 'auditor');
      const refused = await app().inject({
        method: 'POST', url: '/api/users', headers: bearer(auditorToken),
        payload: { username: 'sneaky.user', displayName: 'Sneaky', role: 'admin' },
      });
      expectProblem(refused, 403, 'access.forbidden');
      expect(await ctx().db.selectFrom('users').select('id').where('username', '=', 'sneaky.user').executeTakeFirst()).toBeUndefined();
      const [denied] = await auditEventsWhere(ctx(), { action: 'permission-denied', actorName: 'Read only' });
      expect(denied).toMatchObject({ actorType: 'api_client', recordId: 'POST /api/users' });
      // Breaking the glass is for people, not systems.
      const glass = await app().inject({ method: 'POST', url: '/api/emergency-access', headers: bearer(adminToken), payload: { patientId: 'p-1', reason: 'integration wants in' } });
      expectProblem(glass, 403, 'access.forbidden');
    });

    it('refuses a wrong secret or an unknown client with invalid_client, and audits it', async () => {
      const client = await createApiClient(ctx(), SYSTEM_ACTOR, 'Billing bridge', 'auditor');
      const tokens = await countRows(ctx(), 'accessTokens');
      const wrong = await requestToken(app(), { grant_type: 'client_credentials', client_id: client.client_id, client_secret: `${client.client_secret}x` });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json()).toMatchObject({ error: 'invalid_client' });
      const unknown = await requestToken(app(), { grant_type: 'client_credentials', client_id: 'crc_nobody', client_secret: client.client_secret });
      expect(unknown.statusCode).toBe(401);
      expect(unknown.json()).toMatchObject({ error: 'invalid_client' });
      expect(await countRows(ctx(), 'accessTokens')).toBe(tokens);
      const refused = await auditEventsWhere(ctx(), { action: 'token-refused' });
      expect(refused.map((e) => e.actorName)).toEqual(expect.arrayContaining([client.client_id, 'crc_nobody']));
      expect(refused.every((e) => e.outcome === 'failure')).toBe(true);
    });

    it('refuses an expired token', async () => {
      const { token } = await tokenFor('Nightly report', 'auditor');
      expect((await app().inject({ method: 'GET', url: '/api/audit-events/actions', headers: bearer(token) })).statusCode).toBe(200);
      ctx().clock.advance(ctx().config.tokenTtlSeconds * 1000 + 1000);
      expectProblem(await app().inject({ method: 'GET', url: '/api/audit-events/actions', headers: bearer(token) }), 401, 'auth.invalid-token');
      const [refused] = await auditEventsWhere(ctx(), { action: 'token-refused', actorName: 'Nightly report' });
      expect(refused).toMatchObject({ actorType: 'api_client', outcome: 'failure', recordType: 'access_token' });
      expect(JSON.parse(refused.details!)).toEqual({ reason: 'expired' });
    });

    it('refuses a made-up or malformed bearer token', async () => {
      for (const authorization of ['Bearer not-a-real-token', 'Bearer', 'Token abc', `Bearer ${'A'.repeat(43)}`]) {
        const res = await app().inject({ method: 'GET', url: '/api/audit-events', headers: { authorization } });
        expectProblem(res, 401, 'auth.invalid-token');
      }
    });

    it('refuses a grant type other than client credentials', async () => {
      const client = await createApiClient(ctx(), SYSTEM_ACTOR, 'Legacy app', 'auditor');
      for (const grant_type of ['password', 'authorization_code', '']) {
        const res = await requestToken(app(), { grant_type, client_id: client.client_id, client_secret: client.client_secret, username: 'admin', password: 'x' });
        expect(res.statusCode).toBe(400);
        expect(res.json().error).toBe('unsupported_grant_type');
      }
      const missing = await requestToken(app(), { grant_type: 'client_credentials', client_id: client.client_id });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error).toBe('invalid_request');
      expect(await auditEventsWhere(ctx(), { action: 'token-issued', actorName: 'Legacy app' })).toEqual([]);
    });
  });
}
