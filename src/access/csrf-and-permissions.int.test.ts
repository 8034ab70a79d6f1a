import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/support/chartroom.js';
import {
  auditEventsWhere, countRows, expectProblem, send, signedInUser, signInWithMfa, useTestApp, type SignedInUser,
} from '../../test/support/http.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: CSRF and permissions`, () => {
    const { ctx, app } = useTestApp(dialect);
    let admin: SignedInUser;
    let clerk: SignedInUser;

    const freshSessions = async () => {
      admin ??= await signedInUser(app(), ctx(), 'admin.guard', 'admin');
      clerk ??= await signedInUser(app(), ctx(), 'clerk.guard', 'records_clerk');
      // Each test starts with active sessions (the MFA step may have moved the clock).
      admin = { ...admin, session: await signInWithMfa(app(), ctx(), admin.username, admin.password, admin.mfaSecret) };
      clerk = { ...clerk, session: await signInWithMfa(app(), ctx(), clerk.username, clerk.password) };
    };

    it('refuses a write made with the session cookie but without the CSRF token, and changes nothing', async () => {
      await freshSessions();
      const users = await countRows(ctx(), 'users');
      const res = await app().inject({
        method: 'POST', url: '/api/users', headers: { cookie: admin.session.cookie },
        payload: { username: 'forged.user', displayName: 'Forged', role: 'admin' },
      });
      expectProblem(res, 403, 'auth.csrf');
      expect(await countRows(ctx(), 'users')).toBe(users);
      const denials = await auditEventsWhere(ctx(), { action: 'permission-denied', actorName: admin.username });
      expect(denials.at(-1)).toMatchObject({ recordType: 'endpoint', recordId: 'POST /api/users', outcome: 'failure' });
      expect(JSON.parse(denials.at(-1)!.details!)).toEqual({ permission: 'csrf-token' });
      expect(await ctx().db.selectFrom('users').select('id').where('username', '=', 'forged.user').executeTakeFirst()).toBeUndefined();
    });

    it('refuses a write whose CSRF token is wrong or belongs to another session', async () => {
      await freshSessions();
      for (const token of ['not-the-token', clerk.session.csrfToken, '']) {
        const res = await send(app(), admin.session, 'PATCH', `/api/users/${clerk.id}`, { role: 'admin' }, { 'x-csrf-token': token });
        expectProblem(res, 403, 'auth.csrf');
      }
      const row = await ctx().db.selectFrom('users').select('role').where('id', '=', clerk.id).executeTakeFirstOrThrow();
      expect(row.role).toBe('records_clerk');
      const logout = await send(app(), clerk.session, 'POST', '/api/auth/logout', undefined, { 'x-csrf-token': 'guess' });
      expectProblem(logout, 403, 'auth.csrf');
      expect((await send(app(), clerk.session, 'GET', '/api/auth/session')).statusCode).toBe(200);
    });

    it('refuses a records clerk the user list and audits the denial', async () => {
      await freshSessions();
      const res = await send(app(), clerk.session, 'GET', '/api/users');
      expectProblem(res, 403, 'access.forbidden');
      expect(res.body).not.toContain('admin.guard');
      const denied = (await auditEventsWhere(ctx(), { action: 'permission-denied', actorName: clerk.username })).at(-1)!;
      expect(denied).toMatchObject({ outcome: 'failure', actorType: 'user', actorRole: 'records_clerk', recordType: 'endpoint', recordId: 'GET /api/users' });
      expect(JSON.parse(denied.details!)).toEqual({ permission: 'users.manage' });
    });

    it('grants nothing for a query flag or headers that claim to be someone else', async () => {
      await freshSessions();
      const anonymous = [
        { url: '/api/users?ignoreAuth=1', headers: {} },
        { url: '/api/users', headers: { 'x-forwarded-user': 'admin.guard' } },
        { url: '/api/users', headers: { 'x-forwarded-for': '10.0.0.1', 'x-real-ip': '10.0.0.1' } },
        { url: '/api/users', headers: { authorization: 'Basic YWRtaW4uZ3VhcmQ6eA==' } },
      ];
      for (const { url, headers } of anonymous) {
        const res = await app().inject({ method: 'GET', url, headers });
        expect(res.statusCode, url).toBe(401);
        expect(res.body).not.toContain('admin.guard');
      }
      const before = await auditEventsWhere(ctx(), { action: 'permission-denied', actorName: clerk.username });
      const spoofs: Record<string, string>[] = [{ 'x-forwarded-user': 'admin.guard' }, { 'x-forwarded-for': '10.0.0.1' }];
      for (const extra of spoofs) {
        expectProblem(await send(app(), clerk.session, 'GET', '/api/users?ignoreAuth=1', undefined, extra), 403, 'access.forbidden');
      }
      const denials = (await auditEventsWhere(ctx(), { action: 'permission-denied', actorName: clerk.username })).slice(before.length);
      expect(denials).toHaveLength(2);
      // Without a trusted proxy, a forwarded address is not believed: the audit records the real peer.
      expect(denials.map((e) => e.ip)).toEqual(['127.0.0.1', '127.0.0.1']);
    });

    it('refuses a non-administrator who puts another user’s id in the address', async () => {
      await freshSessions();
      const before = await countRows(ctx(), 'auditEvents');
      expectProblem(await send(app(), clerk.session, 'GET', `/api/users/${admin.id}`), 403, 'access.forbidden');
      expectProblem(await send(app(), clerk.session, 'PATCH', `/api/users/${admin.id}`, { active: false }), 403, 'access.forbidden');
      expectProblem(await send(app(), clerk.session, 'PATCH', `/api/users/${clerk.id}`, { role: 'admin' }), 403, 'access.forbidden');
      expectProblem(await send(app(), clerk.session, 'POST', `/api/users/${admin.id}/reset-password`), 403, 'access.forbidden');
      const rows = await ctx().db.selectFrom('users').select(['id', 'role', 'active', 'mustChangePassword']).where('id', 'in', [admin.id, clerk.id]).execute();
      expect(rows.find((r) => r.id === admin.id)).toMatchObject({ active: 1, mustChangePassword: 0 });
      expect(rows.find((r) => r.id === clerk.id)).toMatchObject({ role: 'records_clerk' });
      // Only the four denials were written: no read or update of the user was audited.
      const after = await ctx().db.selectFrom('auditEvents').select('action').where('seq', '>', before).execute();
      expect(after.map((e) => e.action)).toEqual(Array(4).fill('permission-denied'));
      expect((await send(app(), admin.session, 'GET', '/api/auth/session')).statusCode).toBe(200);
    });

    it('keeps emergency access review to those who hold the permission', async () => {
      await freshSessions();
      expectProblem(await send(app(), clerk.session, 'GET', '/api/emergency-access'), 403, 'access.forbidden');
      expectProblem(await send(app(), admin.session, 'GET', '/api/emergency-access'), 403, 'access.forbidden');
      expectProblem(await send(app(), admin.session, 'POST', '/api/emergency-access/any-id/review', { note: 'looks fine' }), 403, 'access.forbidden');
    });
  });
}
