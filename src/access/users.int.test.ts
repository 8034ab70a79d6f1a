import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/support/chartroom.js';
import { createUserIn } from '../../test/support/accounts.js';
import {
  auditEventsWhere, countRows, expectProblem, fieldsOf, logIn, send, signedInUser, signIn, signInWithMfa, useTestApp, type SignedInUser,
} from '../../test/support/http.js';

const HOSTILE = `=HYPERLINK("x")<script>alert(1)</script>' OR 1=1 --`;
const PASSWORD = 'Quayside-records-88';

for (const dialect of DIALECTS) {
  describe(`${dialect}: user administration`, () => {
    const { ctx, app } = useTestApp(dialect);
    let admin: SignedInUser | undefined;

    /** The administrator, signed in afresh for each test (other tests move the clock). */
    async function administrator(): Promise<SignedInUser> {
      admin ??= await signedInUser(app(), ctx(), 'admin.users', 'admin');
      admin = { ...admin, session: await signInWithMfa(app(), ctx(), admin.username, admin.password, admin.mfaSecret) };
      return admin;
    }

    it('creates a user with a temporary password that must be changed at first log-in, and audits it', async () => {
      const a = await administrator();
      const res = await send(app(), a.session, 'POST', '/api/users', { username: 'Jane.Doe', displayName: 'Jane Doe', role: 'records_clerk' });
      expect(res.statusCode, res.body).toBe(201);
      const { user, temporaryPassword } = res.json();
      expect(user).toMatchObject({ username: 'jane.doe', displayName: 'Jane Doe', role: 'records_clerk', active: true, locked: false, mustChangePassword: true, mfaEnrolled: false });
      expect(temporaryPassword).toMatch(/^\S{12,}$/);
      expect(res.body).not.toMatch(/passwordHash|mfaSecret/);

      const row = await ctx().db.selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ username: 'jane.doe', mustChangePassword: 1, active: 1 });
      expect(row.passwordHash).not.toContain(temporaryPassword);
      const [created] = await auditEventsWhere(ctx(), { action: 'create', recordId: user.id });
      expect(created).toMatchObject({ recordType: 'user', actorName: a.username, actorType: 'user', outcome: 'success' });

      const first = await signIn(app(), 'jane.doe', temporaryPassword);
      expect(first.info.stage).toBe('password_change');
    });

    it('refuses a username already in use, whatever its letter case', async () => {
      const a = await administrator();
      await createUserIn(ctx(), { username: 'taken.name', role: 'records_clerk', password: PASSWORD });
      for (const username of ['taken.name', 'TAKEN.Name', '  taken.name ']) {
        const res = await send(app(), a.session, 'POST', '/api/users', { username, displayName: 'Someone Else', role: 'auditor' });
        expectProblem(res, 409, 'user.username-taken');
      }
      const rows = await ctx().db.selectFrom('users').select('role').where('username', '=', 'taken.name').execute();
      expect(rows).toEqual([{ role: 'records_clerk' }]);
    });

    it('names the field that is wrong: an unknown role, a bad username, a field the API does not know', async () => {
      const a = await administrator();
      const users = await countRows(ctx(), 'users');
      const badRole = expectProblem(await send(app(), a.session, 'POST', '/api/users', { username: 'new.one', displayName: 'New One', role: 'superuser' }), 400, 'request.invalid');
      expect(fieldsOf(badRole)).toEqual(['role']);
      const badName = expectProblem(await send(app(), a.session, 'POST', '/api/users', { username: 'new one!', displayName: 'New One', role: 'auditor' }), 400, 'request.invalid');
      expect(fieldsOf(badName)).toEqual(['username']);
      const extra = expectProblem(
        await send(app(), a.session, 'POST', '/api/users', { username: 'new.two', displayName: 'New Two', role: 'auditor', isSuperuser: true }),
        400, 'request.invalid',
      );
      expect(fieldsOf(extra)).toEqual(['isSuperuser']);
      const patch = expectProblem(await send(app(), a.session, 'PATCH', `/api/users/${a.id}`, { role: 'root' }), 400, 'request.invalid');
      expect(fieldsOf(patch)).toEqual(['role']);
      expect(await countRows(ctx(), 'users')).toBe(users);
    });

    it('changes a user’s role, which ends their sessions so the new role applies at once', async () => {
      const a = await administrator();
      const clerk = await signedInUser(app(), ctx(), 'clerk.promoted', 'records_clerk');
      const res = await send(app(), a.session, 'PATCH', `/api/users/${clerk.id}`, { role: 'auditor' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().user.role).toBe('auditor');
      expectProblem(await send(app(), clerk.session, 'GET', '/api/roles'), 401, 'auth.required');
      const again = await signIn(app(), clerk.username, clerk.password);
      expect(again.info.permissions).toEqual(['audit.read']);
      const [event] = await auditEventsWhere(ctx(), { action: 'update', recordId: clerk.id });
      expect(JSON.parse(event.details!)).toEqual({ role: 'records_clerk -> auditor' });
    });

    it('disables a user, ending their sessions and refusing their log-in until re-enabled', async () => {
      const a = await administrator();
      const clerk = await signedInUser(app(), ctx(), 'clerk.leaving', 'records_clerk');
      const res = await send(app(), a.session, 'PATCH', `/api/users/${clerk.id}`, { active: false });
      expect(res.json().user.active).toBe(false);
      expectProblem(await send(app(), clerk.session, 'GET', '/api/roles'), 401, 'auth.required');
      const open = await ctx().db.selectFrom('sessions').select('id').where('userId', '=', clerk.id).where('endedAt', 'is', null).execute();
      expect(open).toEqual([]);
      expectProblem(await logIn(app(), clerk.username, clerk.password), 401, 'auth.invalid-credentials');

      await send(app(), a.session, 'PATCH', `/api/users/${clerk.id}`, { active: true });
      expect((await logIn(app(), clerk.username, clerk.password)).statusCode).toBe(200);
    });

    it('resets a password to a new temporary one; the old one stops working', async () => {
      const a = await administrator();
      const clerk = await signedInUser(app(), ctx(), 'clerk.forgetful', 'records_clerk');
      const res = await send(app(), a.session, 'POST', `/api/users/${clerk.id}/reset-password`);
      expect(res.statusCode, res.body).toBe(200);
      const { temporaryPassword } = res.json();
      expect(temporaryPassword).toMatch(/^\S{12,}$/);
      expect(temporaryPassword).not.toBe(clerk.password);
      expectProblem(await send(app(), clerk.session, 'GET', '/api/roles'), 401, 'auth.required');
      expectProblem(await logIn(app(), clerk.username, clerk.password), 401, 'auth.invalid-credentials');
      expect((await signIn(app(), clerk.username, temporaryPassword)).info.stage).toBe('password_change');
      const [event] = await auditEventsWhere(ctx(), { action: 'update', recordId: clerk.id });
      expect(JSON.parse(event.details!)).toEqual({ passwordReset: true });
    });

    it('stores hostile text exactly as typed and returns it unchanged in JSON', async () => {
      const a = await administrator();
      const res = await send(app(), a.session, 'POST', '/api/users', { username: 'odd.name', displayName: HOSTILE, role: 'auditor' });
      expect(res.statusCode, res.body).toBe(201);
      const { user } = res.json();
      expect(user.displayName).toBe(HOSTILE);
      const row = await ctx().db.selectFrom('users').select('displayName').where('id', '=', user.id).executeTakeFirstOrThrow();
      expect(row.displayName).toBe(HOSTILE);
      const read = await send(app(), a.session, 'GET', `/api/users/${user.id}`);
      expect(read.headers['content-type']).toMatch(/^application\/json/);
      expect(read.json().user.displayName).toBe(HOSTILE);
      const listed = (await send(app(), a.session, 'GET', '/api/users')).json().users;
      expect(listed.find((u: { id: string }) => u.id === user.id).displayName).toBe(HOSTILE);

      const renamed = `${HOSTILE}; DROP TABLE users; --`;
      const patched = await send(app(), a.session, 'PATCH', `/api/users/${user.id}`, { displayName: renamed });
      expect(patched.json().user.displayName).toBe(renamed);
      expect(await countRows(ctx(), 'users')).toBeGreaterThan(1);
    });

    it('answers 404 for a user that does not exist, and audits reading one that does', async () => {
      const a = await administrator();
      expectProblem(await send(app(), a.session, 'GET', '/api/users/no-such-user'), 404, 'not-found');
      expectProblem(await send(app(), a.session, 'PATCH', '/api/users/no-such-user', { active: false }), 404, 'not-found');
      await send(app(), a.session, 'GET', `/api/users/${a.id}`);
      const reads = await auditEventsWhere(ctx(), { action: 'read', recordId: a.id });
      expect(reads.at(-1)).toMatchObject({ actorName: a.username, recordType: 'user' });
    });
  });
}
