import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/support/chartroom.js';
import {
  auditEventsWhere, expectProblem, fieldsOf, send, signedInUser, signIn, totpCode, useTestApp, wrongTotpCode,
} from '../../test/support/http.js';
import { createUser } from './users.js';
import { SYSTEM_ACTOR } from '../audit/actions.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: second factor (MFA)`, () => {
    const { ctx, app } = useTestApp(dialect);

    it('walks a new administrator from the temporary password through authenticator set-up to an active session', async () => {
      const { user, temporaryPassword } = await createUser(ctx(), SYSTEM_ACTOR, { username: 'admin.first', displayName: 'First Admin', role: 'admin' });
      const session = await signIn(app(), 'admin.first', temporaryPassword!);
      expect(session.info.stage).toBe('password_change');

      const changed = await send(app(), session, 'POST', '/api/auth/password', { currentPassword: temporaryPassword, newPassword: 'Lighthouse-keeper-31' });
      expect(changed.json().stage).toBe('mfa_enrolment');
      expectProblem(await send(app(), session, 'GET', '/api/users'), 403, 'auth.stage');

      const start = await send(app(), session, 'POST', '/api/auth/mfa/enrolment');
      expect(start.statusCode).toBe(200);
      const { secret, otpauthUri, qrDataUrl } = start.json();
      expect(qrDataUrl).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]{100,}/);
      expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/Chartroom:admin\.first\?/);
      expect(otpauthUri).toContain(`secret=${secret}`);
      const pending = await ctx().db.selectFrom('users').select(['mfaPendingSecret', 'mfaSecret']).where('id', '=', user.id).executeTakeFirstOrThrow();
      expect(pending.mfaSecret).toBeNull();
      // Sealed at rest: the database never holds the secret in clear.
      expect(pending.mfaPendingSecret).not.toContain(secret);

      const wrong = await send(app(), session, 'POST', '/api/auth/mfa/enrolment/confirm', { code: wrongTotpCode(secret, ctx().clock) });
      expect(fieldsOf(expectProblem(wrong, 400, 'auth.mfa-invalid'))).toEqual(['code']);

      const confirm = await send(app(), session, 'POST', '/api/auth/mfa/enrolment/confirm', { code: totpCode(secret, ctx().clock) });
      expect(confirm.statusCode, confirm.body).toBe(200);
      const { recoveryCodes, session: info } = confirm.json();
      expect(recoveryCodes).toHaveLength(10);
      expect(new Set(recoveryCodes).size).toBe(10);
      expect(info).toMatchObject({ stage: 'active', user: { mfaEnrolled: true } });
      expect((await send(app(), session, 'GET', '/api/users')).statusCode).toBe(200);

      const stored = await ctx().db.selectFrom('recoveryCodes').selectAll().where('userId', '=', user.id).execute();
      expect(stored).toHaveLength(10);
      expect(stored.map((c) => c.codeHash)).not.toContain(recoveryCodes[0]);
      expect((await auditEventsWhere(ctx(), { action: 'mfa-enrol', recordId: user.id })).length).toBe(1);
      expect((await auditEventsWhere(ctx(), { action: 'mfa-failed', actorName: 'admin.first' })).length).toBe(1);
    });

    it('asks an enrolled user for a code at the next log-in before anything else', async () => {
      const admin = await signedInUser(app(), ctx(), 'admin.returns', 'admin');
      const again = await signIn(app(), admin.username, admin.password);
      expect(again.info).toMatchObject({ stage: 'mfa', permissions: [] });
      expectProblem(await send(app(), again, 'GET', '/api/users'), 403, 'auth.stage');
      // A session waiting for its second factor cannot enrol a new authenticator to skip it.
      expectProblem(await send(app(), again, 'POST', '/api/auth/mfa/enrolment'), 403, 'auth.stage');

      ctx().clock.advance(30_000);
      const verified = await send(app(), again, 'POST', '/api/auth/mfa/verify', { code: totpCode(admin.mfaSecret!, ctx().clock) });
      expect(verified.statusCode, verified.body).toBe(200);
      expect(verified.json().stage).toBe('active');
      expect((await send(app(), again, 'GET', '/api/users')).statusCode).toBe(200);
      const [event] = await auditEventsWhere(ctx(), { action: 'mfa-verify', actorName: admin.username });
      expect(JSON.parse(event.details!)).toEqual({ method: 'totp' });
    });

    it('refuses a wrong code and audits the failure', async () => {
      const admin = await signedInUser(app(), ctx(), 'admin.mistypes', 'admin');
      const session = await signIn(app(), admin.username, admin.password);
      ctx().clock.advance(30_000);
      const code = wrongTotpCode(admin.mfaSecret!, ctx().clock);
      expectProblem(await send(app(), session, 'POST', '/api/auth/mfa/verify', { code }), 400, 'auth.mfa-invalid');
      expectProblem(await send(app(), session, 'POST', '/api/auth/mfa/verify', { code: 'not-a-code' }), 400, 'auth.mfa-invalid');
      expect((await send(app(), session, 'GET', '/api/auth/session')).json().stage).toBe('mfa');
      const failures = await auditEventsWhere(ctx(), { action: 'mfa-failed', actorName: admin.username });
      expect(failures).toHaveLength(2);
      expect(failures[0]).toMatchObject({ outcome: 'failure', recordType: 'session' });
    });

    it('refuses a code that was already used in the same 30-second step', async () => {
      const admin = await signedInUser(app(), ctx(), 'admin.replay', 'admin');
      const first = await signIn(app(), admin.username, admin.password);
      const second = await signIn(app(), admin.username, admin.password);
      ctx().clock.advance(30_000);
      const code = totpCode(admin.mfaSecret!, ctx().clock);
      expect((await send(app(), first, 'POST', '/api/auth/mfa/verify', { code })).statusCode).toBe(200);
      ctx().clock.advance(5_000);
      expect(totpCode(admin.mfaSecret!, ctx().clock)).toBe(code);
      expectProblem(await send(app(), second, 'POST', '/api/auth/mfa/verify', { code }), 400, 'auth.mfa-invalid');
      expect((await send(app(), second, 'GET', '/api/auth/session')).json().stage).toBe('mfa');
    });

    it('accepts a recovery code once and never again', async () => {
      const admin = await signedInUser(app(), ctx(), 'admin.lostphone', 'admin');
      const recovery = admin.recoveryCodes![3];
      const first = await signIn(app(), admin.username, admin.password);
      // Typed as people do: upper case, without the dash.
      const typed = recovery.replace('-', '').toUpperCase();
      const ok = await send(app(), first, 'POST', '/api/auth/mfa/verify', { code: typed });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json().stage).toBe('active');

      const second = await signIn(app(), admin.username, admin.password);
      expectProblem(await send(app(), second, 'POST', '/api/auth/mfa/verify', { code: recovery }), 400, 'auth.mfa-invalid');
      const used = await ctx().db.selectFrom('recoveryCodes').select('usedAt').where('userId', '=', admin.id).where('usedAt', 'is not', null).execute();
      expect(used).toHaveLength(1);
      const [verify] = await auditEventsWhere(ctx(), { action: 'mfa-verify', actorName: admin.username });
      expect(JSON.parse(verify.details!)).toEqual({ method: 'recovery-code' });
    });

    it('still asks for the second factor after an administrator resets the password', async () => {
      const helper = await signedInUser(app(), ctx(), 'admin.helper', 'admin');
      const target = await signedInUser(app(), ctx(), 'admin.forgot', 'admin');
      const reset = await send(app(), helper.session, 'POST', `/api/users/${target.id}/reset-password`);
      const { temporaryPassword } = reset.json();
      const session = await signIn(app(), target.username, temporaryPassword);
      expect(session.info.stage).toBe('password_change');
      const changed = await send(app(), session, 'POST', '/api/auth/password', { currentPassword: temporaryPassword, newPassword: 'Another-harbour-light-5' });
      expect(changed.json().stage).toBe('mfa');
      expectProblem(await send(app(), session, 'GET', '/api/users'), 403, 'auth.stage');
    });

    it('lets an administrator remove a lost authenticator, so the user enrols again', async () => {
      const helper = await signedInUser(app(), ctx(), 'admin.resetter', 'admin');
      const target = await signedInUser(app(), ctx(), 'admin.newphone', 'admin');
      const res = await send(app(), helper.session, 'POST', `/api/users/${target.id}/reset-mfa`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().user.mfaEnrolled).toBe(false);

      expectProblem(await send(app(), target.session, 'GET', '/api/users'), 401, 'auth.required');
      expect(await ctx().db.selectFrom('recoveryCodes').selectAll().where('userId', '=', target.id).execute()).toEqual([]);
      const session = await signIn(app(), target.username, target.password);
      expect(session.info.stage).toBe('mfa_enrolment');
      const old = await send(app(), session, 'POST', '/api/auth/mfa/enrolment/confirm', { code: totpCode(target.mfaSecret!, ctx().clock) });
      expectProblem(old, 400, 'auth.stage');
      const [event] = await auditEventsWhere(ctx(), { action: 'update', recordId: target.id });
      expect(event.actorName).toBe(helper.username);
      expect(JSON.parse(event.details!)).toEqual({ mfaReset: true });
    });

    it('does not let a user without the permission reset anyone’s MFA', async () => {
      const target = await signedInUser(app(), ctx(), 'admin.safe', 'admin');
      const clerk = await signedInUser(app(), ctx(), 'clerk.curious', 'records_clerk');
      expectProblem(await send(app(), clerk.session, 'POST', `/api/users/${target.id}/reset-mfa`), 403, 'access.forbidden');
      const row = await ctx().db.selectFrom('users').select('mfaEnrolledAt').where('id', '=', target.id).executeTakeFirstOrThrow();
      expect(row.mfaEnrolledAt).not.toBeNull();
    });
  });
}
