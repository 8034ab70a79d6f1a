import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/support/chartroom.js';
import { createUserIn } from '../../test/support/accounts.js';
import {
  auditEventsWhere, expectProblem, fieldsOf, logIn, send, signedInUser, signIn, useTestApp, SESSION_COOKIE,
} from '../../test/support/http.js';
import { createUser } from './users.js';
import { SYSTEM_ACTOR } from '../audit/actions.js';

const PASSWORD = 'Tidewater-ledger-42';

for (const dialect of DIALECTS) {
  describe(`${dialect}: signing in and out`, () => {
    const { ctx, app } = useTestApp(dialect);

    it('signs a user in with a session cookie that scripts cannot read and other sites cannot send', async () => {
      await createUserIn(ctx(), { username: 'clerk.ok', role: 'records_clerk', password: PASSWORD });
      const res = await logIn(app(), 'clerk.ok', PASSWORD);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ stage: 'active', user: { username: 'clerk.ok', role: 'records_clerk' } });
      const setCookie = String(res.headers['set-cookie']);
      expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
      expect(setCookie).toMatch(/; HttpOnly/i);
      expect(setCookie).toMatch(/; SameSite=Strict/i);
      expect(setCookie).toMatch(/; Path=\/(;|$)/);
      const [login] = await auditEventsWhere(ctx(), { action: 'login', actorName: 'clerk.ok' });
      expect(login).toMatchObject({ outcome: 'success', actorType: 'user' });
      const sessions = await ctx().db.selectFrom('sessions').selectAll().execute();
      // Only the token's hash is stored: a copy of the database grants no session.
      expect(sessions.map((s) => s.id)).not.toContain(res.cookies[0].value);
    });

    it('refuses a wrong password with 401 and audits the failed log-in', async () => {
      const id = await createUserIn(ctx(), { username: 'clerk.typo', role: 'records_clerk', password: PASSWORD });
      const res = await logIn(app(), 'clerk.typo', 'Tidewater-ledger-43');
      expectProblem(res, 401, 'auth.invalid-credentials');
      expect(res.headers['set-cookie']).toBeUndefined();
      const [failed] = await auditEventsWhere(ctx(), { action: 'login-failed', recordId: id });
      expect(failed).toMatchObject({ outcome: 'failure', actorName: 'clerk.typo' });
      expect(JSON.parse(failed.details!)).toMatchObject({ reason: 'wrong-password', attempts: 1 });
    });

    it('answers an unknown username exactly as a wrong password, so usernames cannot be guessed', async () => {
      await createUserIn(ctx(), { username: 'clerk.known', role: 'records_clerk', password: PASSWORD });
      const wrong = (await logIn(app(), 'clerk.known', 'Not-the-password-1')).json();
      const unknownRes = await logIn(app(), 'nobody.here', 'Not-the-password-1');
      const unknown = expectProblem(unknownRes, 401, 'auth.invalid-credentials');
      expect({ title: unknown.title, detail: unknown.detail }).toEqual({ title: wrong.title, detail: wrong.detail });
      const [event] = await auditEventsWhere(ctx(), { action: 'login-failed', actorName: 'nobody.here' });
      expect(event).toMatchObject({ actorType: 'anonymous', outcome: 'failure', recordId: null });
    });

    it('locks the account after too many wrong passwords, even against the right one', async () => {
      const id = await createUserIn(ctx(), { username: 'clerk.locked', role: 'records_clerk', password: PASSWORD });
      const threshold = ctx().config.lockoutThreshold;
      for (let i = 1; i < threshold; i++) expectProblem(await logIn(app(), 'clerk.locked', `Wrong-guess-${i}-xyz`), 401, 'auth.invalid-credentials');
      expectProblem(await logIn(app(), 'clerk.locked', 'Wrong-guess-last-xyz'), 423, 'auth.locked');
      expectProblem(await logIn(app(), 'clerk.locked', PASSWORD), 423, 'auth.locked');
      const user = await ctx().db.selectFrom('users').select('lockedUntil').where('id', '=', id).executeTakeFirstOrThrow();
      expect(user.lockedUntil).not.toBeNull();
      const failures = await auditEventsWhere(ctx(), { action: 'login-failed', recordId: id });
      expect(failures.map((e) => JSON.parse(e.details!).reason)).toEqual([...Array(threshold).fill('wrong-password'), 'locked']);
    });

    it('lets a locked-out user back in once the lock-out period has passed', async () => {
      await createUserIn(ctx(), { username: 'clerk.waits', role: 'records_clerk', password: PASSWORD });
      for (let i = 0; i < ctx().config.lockoutThreshold; i++) await logIn(app(), 'clerk.waits', `Wrong-guess-${i}-xyz`);
      expectProblem(await logIn(app(), 'clerk.waits', PASSWORD), 423, 'auth.locked');
      ctx().clock.advance((ctx().config.lockoutSeconds - 5) * 1000);
      expectProblem(await logIn(app(), 'clerk.waits', PASSWORD), 423, 'auth.locked');
      ctx().clock.advance(10_000);
      expect((await logIn(app(), 'clerk.waits', PASSWORD)).statusCode).toBe(200);
    });

    it('lets an administrator unlock a locked-out user at once', async () => {
      const id = await createUserIn(ctx(), { username: 'clerk.unlocked', role: 'records_clerk', password: PASSWORD });
      for (let i = 0; i < ctx().config.lockoutThreshold; i++) await logIn(app(), 'clerk.unlocked', `Wrong-guess-${i}-xyz`);
      const admin = await signedInUser(app(), ctx(), 'admin.unlocks', 'admin');
      const listed = await send(app(), admin.session, 'GET', `/api/users/${id}`);
      expect(listed.json().user.locked).toBe(true);
      const res = await send(app(), admin.session, 'POST', `/api/users/${id}/unlock`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().user.locked).toBe(false);
      expect((await logIn(app(), 'clerk.unlocked', PASSWORD)).statusCode).toBe(200);
      const [unlock] = await auditEventsWhere(ctx(), { action: 'update', recordId: id });
      expect(unlock).toMatchObject({ actorName: 'admin.unlocks', recordType: 'user' });
      expect(JSON.parse(unlock.details!)).toEqual({ unlocked: true });
    });

    it('makes a new user change the temporary password before doing anything else', async () => {
      const { user, temporaryPassword } = await createUser(ctx(), SYSTEM_ACTOR, { username: 'clerk.new', displayName: 'New Clerk', role: 'records_clerk' });
      const session = await signIn(app(), 'clerk.new', temporaryPassword!);
      expect(session.info.stage).toBe('password_change');
      expect(session.info.permissions).toEqual([]);
      expectProblem(await send(app(), session, 'GET', '/api/roles'), 403, 'auth.stage');
      expectProblem(await send(app(), session, 'POST', '/api/emergency-access', { patientId: 'p-1', reason: 'a long enough reason' }), 403, 'auth.stage');
      expect(await ctx().db.selectFrom('emergencyAccessGrants').selectAll().execute()).toEqual([]);

      const changed = await send(app(), session, 'POST', '/api/auth/password', { currentPassword: temporaryPassword, newPassword: 'Brand-new-harbour-77' });
      expect(changed.statusCode, changed.body).toBe(200);
      expect(changed.json().stage).toBe('active');
      expect((await send(app(), session, 'GET', '/api/roles')).statusCode).toBe(200);
      const row = await ctx().db.selectFrom('users').select('mustChangePassword').where('id', '=', user.id).executeTakeFirstOrThrow();
      expect(row.mustChangePassword).toBe(0);
      expect(await auditEventsWhere(ctx(), { action: 'password-change', recordId: user.id })).toHaveLength(1);
      expectProblem(await logIn(app(), 'clerk.new', temporaryPassword!), 401, 'auth.invalid-credentials');
    });

    it('explains which field breaks the password policy', async () => {
      const { temporaryPassword } = await createUser(ctx(), SYSTEM_ACTOR, { username: 'clerk.policy', displayName: 'Policy Clerk', role: 'records_clerk' });
      const session = await signIn(app(), 'clerk.policy', temporaryPassword!);
      for (const newPassword of ['short-1', 'password123', 'my-clerk.policy-pass', temporaryPassword!]) {
        const problem = expectProblem(await send(app(), session, 'POST', '/api/auth/password', { currentPassword: temporaryPassword, newPassword }), 400, 'auth.password-policy');
        expect(fieldsOf(problem)).toEqual(['newPassword']);
      }
      const wrongCurrent = expectProblem(
        await send(app(), session, 'POST', '/api/auth/password', { currentPassword: 'not-the-temporary', newPassword: 'Brand-new-harbour-77' }),
        400, 'auth.invalid-credentials',
      );
      expect(fieldsOf(wrongCurrent)).toEqual(['currentPassword']);
      const missing = expectProblem(await send(app(), session, 'POST', '/api/auth/password', { currentPassword: temporaryPassword }), 400, 'request.invalid');
      expect(fieldsOf(missing)).toEqual(['newPassword']);
      expect((await send(app(), session, 'GET', '/api/auth/session')).json().stage).toBe('password_change');
    });

    it('ends the session at logout', async () => {
      await createUserIn(ctx(), { username: 'clerk.leaves', role: 'records_clerk', password: PASSWORD });
      const session = await signIn(app(), 'clerk.leaves', PASSWORD);
      const res = await send(app(), session, 'POST', '/api/auth/logout');
      expect(res.statusCode).toBe(204);
      expect(String(res.headers['set-cookie'])).toMatch(new RegExp(`^${SESSION_COOKIE}=;`));
      expectProblem(await send(app(), session, 'GET', '/api/auth/session'), 401, 'auth.required');
      expect(await auditEventsWhere(ctx(), { action: 'logout', actorName: 'clerk.leaves' })).toHaveLength(1);
    });

    it('signs an idle user out after the idle time-out and audits it', async () => {
      await createUserIn(ctx(), { username: 'clerk.idle', role: 'records_clerk', password: PASSWORD });
      const session = await signIn(app(), 'clerk.idle', PASSWORD);
      ctx().clock.advance(ctx().config.idleTimeoutSeconds * 1000 + 1000);
      expectProblem(await send(app(), session, 'GET', '/api/roles'), 401, 'auth.session-expired');
      const [expired] = await auditEventsWhere(ctx(), { action: 'session-expired', actorName: 'clerk.idle' });
      expect(JSON.parse(expired.details!)).toEqual({ cause: 'idle' });
      // Once ended, the session stays ended even if asked again.
      expectProblem(await send(app(), session, 'GET', '/api/roles'), 401, 'auth.required');
    });

    it('does not keep an idle session alive by polling it, but keep-alive does', async () => {
      await createUserIn(ctx(), { username: 'clerk.polls', role: 'records_clerk', password: PASSWORD });
      const idleMs = ctx().config.idleTimeoutSeconds * 1000;
      const polled = await signIn(app(), 'clerk.polls', PASSWORD);
      const kept = await signIn(app(), 'clerk.polls', PASSWORD);
      const signedInAt = ctx().clock.now().getTime();
      ctx().clock.advance(idleMs * 0.6);
      const poll = await send(app(), polled, 'GET', '/api/auth/session');
      expect(poll.statusCode).toBe(200);
      expect(Date.parse(poll.json().idleExpiresAt)).toBe(signedInAt + idleMs);
      const keepAlive = await send(app(), kept, 'POST', '/api/auth/keep-alive');
      expect(keepAlive.statusCode).toBe(200);
      expect(Date.parse(keepAlive.json().idleExpiresAt)).toBe(ctx().clock.now().getTime() + idleMs);
      ctx().clock.advance(idleMs * 0.6);
      expectProblem(await send(app(), polled, 'GET', '/api/auth/session'), 401, 'auth.session-expired');
      expect((await send(app(), kept, 'GET', '/api/auth/session')).statusCode).toBe(200);
    });

    it('ends a session at its maximum age even when the user keeps it alive', async () => {
      await createUserIn(ctx(), { username: 'clerk.longday', role: 'records_clerk', password: PASSWORD });
      const session = await signIn(app(), 'clerk.longday', PASSWORD);
      const step = ctx().config.idleTimeoutSeconds * 500;
      let alive = 0;
      while (alive + step < ctx().config.sessionMaxSeconds * 1000) {
        ctx().clock.advance(step);
        alive += step;
        expect((await send(app(), session, 'POST', '/api/auth/keep-alive')).statusCode).toBe(200);
      }
      ctx().clock.advance(step);
      expectProblem(await send(app(), session, 'POST', '/api/auth/keep-alive'), 401, 'auth.session-expired');
      const [expired] = await auditEventsWhere(ctx(), { action: 'session-expired', actorName: 'clerk.longday' });
      expect(JSON.parse(expired.details!)).toEqual({ cause: 'max-age' });
    });

    it('signs out a user’s other sessions when they change their password', async () => {
      await createUserIn(ctx(), { username: 'clerk.careful', role: 'records_clerk', password: PASSWORD });
      const here = await signIn(app(), 'clerk.careful', PASSWORD);
      const elsewhere = await signIn(app(), 'clerk.careful', PASSWORD);
      const res = await send(app(), here, 'POST', '/api/auth/password', { currentPassword: PASSWORD, newPassword: 'Fresh-tidewater-ledger-7' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().stage).toBe('active');
      expect((await send(app(), here, 'GET', '/api/auth/session')).statusCode).toBe(200);
      expectProblem(await send(app(), elsewhere, 'GET', '/api/auth/session'), 401, 'auth.required');
      expectProblem(await logIn(app(), 'clerk.careful', PASSWORD), 401, 'auth.invalid-credentials');
    });

    it('refuses a tampered or unknown session cookie', async () => {
      await createUserIn(ctx(), { username: 'clerk.tamper', role: 'records_clerk', password: PASSWORD });
      const session = await signIn(app(), 'clerk.tamper', PASSWORD);
      const refusedBefore = (await auditEventsWhere(ctx(), { action: 'session-refused' })).length;
      const flipped = session.token.slice(0, -1) + (session.token.endsWith('A') ? 'B' : 'A');
      for (const value of [flipped, 'made-up-session-token', '']) {
        const res = await app().inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: `${SESSION_COOKIE}=${value}` } });
        expectProblem(res, 401, 'auth.required');
      }
      expectProblem(await app().inject({ method: 'GET', url: '/api/roles' }), 401, 'auth.required');
      expect((await send(app(), session, 'GET', '/api/auth/session')).statusCode).toBe(200);
      // The forged and the made-up cookie were audited; an absent cookie is no attempt at all.
      const refused = (await auditEventsWhere(ctx(), { action: 'session-refused' })).slice(refusedBefore);
      expect(refused).toHaveLength(2);
      expect(refused.every((e) => e.outcome === 'failure' && e.ip !== null)).toBe(true);
    });
  });
}
