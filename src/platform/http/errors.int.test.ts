import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DIALECTS, type TestChartroom } from '../../../test/support/chartroom.js';
import {
  countRows, expectProblem, fieldsOf, send, signedInUser, signInWithMfa, useTestApp, type SignedInUser,
} from '../../../test/support/http.js';
import { PROBLEM_TYPE_BASE } from './problem.js';

const BODY_LIMIT = 2048;
const LEAKS = /\n\s+at |node_modules|\.ts:\d|SyntaxError|stack/;

const json = (payload: string) => ({ headers: { 'content-type': 'application/json' }, payload });

/** Makes every audit append fail, as a full disk or a broken connection would, then restores it. */
async function withAuditTrailFailing<T>(ctx: TestChartroom, work: () => Promise<T>): Promise<T> {
  if (ctx.dialect === 'postgres') {
    await sql`CREATE FUNCTION fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit down'; END $$`.execute(ctx.db);
    await sql`CREATE TRIGGER fail_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION fail_audit()`.execute(ctx.db);
  } else {
    await sql`CREATE TRIGGER fail_audit BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'audit down'); END`.execute(ctx.db);
  }
  try {
    return await work();
  } finally {
    await sql`DROP TRIGGER fail_audit${sql.raw(ctx.dialect === 'postgres' ? ' ON audit_events' : '')}`.execute(ctx.db);
    if (ctx.dialect === 'postgres') await sql`DROP FUNCTION fail_audit()`.execute(ctx.db);
  }
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: HTTP errors and platform endpoints`, () => {
    const { ctx, app } = useTestApp(dialect, { bodyLimitBytes: BODY_LIMIT });
    let admin: SignedInUser | undefined;
    async function administrator(): Promise<SignedInUser> {
      admin ??= await signedInUser(app(), ctx(), 'admin.errors', 'admin');
      admin = { ...admin, session: await signInWithMfa(app(), ctx(), admin.username, admin.password, admin.mfaSecret) };
      return admin;
    }

    it('answers malformed JSON with 400 request.invalid and no stack trace', async () => {
      const res = await app().inject({ method: 'POST', url: '/api/auth/login', ...json('{"username": "a", "password":') });
      const problem = expectProblem(res, 400, 'request.invalid');
      expect(problem.detail).toMatch(/JSON/);
      expect(res.body).not.toMatch(LEAKS);
    });

    it('refuses a body over the size limit with 413 request.too-large', async () => {
      const res = await app().inject({
        method: 'POST', url: '/api/auth/login', ...json(JSON.stringify({ username: 'x', password: 'p'.repeat(BODY_LIMIT) })),
      });
      expectProblem(res, 413, 'request.too-large');
      expect(res.body).not.toMatch(LEAKS);
      const small = await app().inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'x', password: 'p'.repeat(100) } });
      expect(small.statusCode).toBe(401);
    });

    it('names each field whose value has the wrong type', async () => {
      const res = await app().inject({ method: 'POST', url: '/api/auth/login', payload: { username: 42, password: ['not', 'a', 'string'] } });
      const problem = expectProblem(res, 400, 'request.invalid');
      expect(fieldsOf(problem).sort()).toEqual(['password', 'username']);
      const a = await administrator();
      const patch = expectProblem(await send(app(), a.session, 'PATCH', `/api/users/${a.id}`, { active: 'yes' }), 400, 'request.invalid');
      expect(fieldsOf(patch)).toEqual(['active']);
      const query = expectProblem(await send(app(), a.session, 'GET', '/api/audit-events?limit=many'), 400, 'request.invalid');
      expect(fieldsOf(query)).toEqual(['limit']);
    });

    it('answers an unknown /api address with a 404 problem, signed in or not', async () => {
      const a = await administrator();
      expectProblem(await app().inject({ method: 'GET', url: '/api/no-such-thing' }), 404, 'not-found');
      expectProblem(await send(app(), a.session, 'GET', '/api/users/some-id/no-such-thing'), 404, 'not-found');
      expectProblem(await send(app(), a.session, 'DELETE', '/api/users'), 404, 'not-found');
      expectProblem(await app().inject({ method: 'GET', url: '/oauth2/authorize' }), 404, 'not-found');
    });

    it('gives every problem a type, title, status, code, detail and request id', async () => {
      const a = await administrator();
      const responses: LightMyRequestResponse[] = [
        await app().inject({ method: 'POST', url: '/api/auth/login', ...json('{') }),
        await app().inject({ method: 'GET', url: '/api/users' }),
        await send(app(), a.session, 'POST', '/api/users', { username: 'x1', displayName: 'X', role: 'nurse' }, { 'x-csrf-token': 'wrong' }),
        await app().inject({ method: 'GET', url: '/api/nothing-here?q=1' }),
        await send(app(), a.session, 'POST', '/api/users', { username: a.username, displayName: 'Again', role: 'admin' }),
        await app().inject({ method: 'POST', url: '/api/auth/login', ...json(JSON.stringify({ pad: 'x'.repeat(BODY_LIMIT) })) }),
      ];
      expect(responses.map((r) => r.statusCode)).toEqual([400, 401, 403, 404, 409, 413]);
      for (const res of responses) {
        const problem = res.json();
        expect(Object.keys(problem)).toEqual(expect.arrayContaining(['type', 'title', 'status', 'code', 'detail', 'requestId']));
        expect(problem.type).toBe(PROBLEM_TYPE_BASE + problem.code);
        expect(problem.status).toBe(res.statusCode);
        expect(problem.requestId).toBe(res.headers['x-request-id']);
        expect(problem.title.length).toBeGreaterThan(0);
        expect(problem.detail.length).toBeGreaterThan(0);
        expect(res.body).not.toMatch(LEAKS);
      }
      expect(new Set(responses.map((r) => r.json().requestId)).size).toBe(responses.length);
      expect(responses[3].json().instance).toBe('/api/nothing-here');
    });

    it('sends a content security policy that forbids framing, and keeps API answers out of caches', async () => {
      for (const url of ['/healthz', '/api/roles', '/api/openapi.json']) {
        const res = await app().inject({ method: 'GET', url });
        expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
        expect(res.headers['x-content-type-options']).toBe('nosniff');
      }
      expect((await app().inject({ method: 'GET', url: '/api/roles' })).headers['cache-control']).toBe('no-store');
    });

    it('reports health at /healthz without signing in', async () => {
      const res = await app().inject({ method: 'GET', url: '/healthz' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'ok' });
    });

    it('publishes an OpenAPI 3.1 description that lists the log-in endpoint', async () => {
      const res = await app().inject({ method: 'GET', url: '/api/openapi.json' });
      expect(res.statusCode).toBe(200);
      const doc = res.json();
      expect(doc.openapi).toBe('3.1.0');
      expect(doc.paths['/api/auth/login']).toHaveProperty('post');
      expect(doc.paths['/api/users']).toHaveProperty('post');
      expect(Object.keys(doc.paths)).not.toContain('/api/openapi.json');
    });

    it('changes nothing when a request fails: a taken username leaves users and audit trail as they were', async () => {
      const a = await administrator();
      const users = await countRows(ctx(), 'users');
      const events = await countRows(ctx(), 'auditEvents');
      expectProblem(await send(app(), a.session, 'POST', '/api/users', { username: a.username, displayName: 'Duplicate', role: 'nurse' }), 409, 'user.username-taken');
      expect(await countRows(ctx(), 'users')).toBe(users);
      expect(await countRows(ctx(), 'auditEvents')).toBe(events);
    });

    it('creates no user when its audit event cannot be written, and says nothing of why', async () => {
      const a = await administrator();
      const users = await countRows(ctx(), 'users');
      const res = await withAuditTrailFailing(ctx(), () =>
        send(app(), a.session, 'POST', '/api/users', { username: 'unaudited.user', displayName: 'Unaudited', role: 'nurse' }));
      expectProblem(res, 500, 'internal');
      expect(res.body).not.toMatch(/audit down|unaudited|insert/i);
      expect(await countRows(ctx(), 'users')).toBe(users);
      expect(await ctx().db.selectFrom('users').select('id').where('username', '=', 'unaudited.user').executeTakeFirst()).toBeUndefined();
    });

    it('answers two simultaneous requests for the same new username with one user and one conflict', async () => {
      const a = await administrator();
      const body = { username: 'race.winner', displayName: 'Race', role: 'nurse' };
      const results = await Promise.all([1, 2, 3].map(() => send(app(), a.session, 'POST', '/api/users', body)));
      expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
      const rows = await ctx().db.selectFrom('users').select('id').where('username', '=', 'race.winner').execute();
      expect(rows).toHaveLength(1);
      const creates = await ctx().db.selectFrom('auditEvents').select('recordId').where('action', '=', 'create').where('recordId', '=', rows[0].id).execute();
      expect(creates).toHaveLength(1);
    });
  });

  describe(`${dialect}: rate limit on signing in`, () => {
    const { app } = useTestApp(dialect, { authRateLimitPerMinute: 3 });

    it('slows down password guessing with 429 rate-limited and a Retry-After header', async () => {
      const attempts = [];
      for (let i = 0; i < 4; i++) attempts.push(await app().inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'guess.target', password: `Guess-number-${i}` } }));
      expect(attempts.slice(0, 3).map((r) => r.statusCode)).toEqual([401, 401, 401]);
      expectProblem(attempts[3], 429, 'rate-limited');
      expect(attempts[3].headers['retry-after']).toBeDefined();
      expect(attempts[3].body).not.toMatch(LEAKS);
    });
  });
}
