import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/support/chartroom.js';
import {
  auditEventsWhere, countRows, expectProblem, fieldsOf, send, signedInUser, signInWithMfa, useTestApp, type SignedInUser,
} from '../../test/support/http.js';
import { DomainError } from '../platform/errors.js';
import { problemFor } from '../platform/http/problem.js';
import { decidePatientAccess } from './emergency-access.js';
import { makePrincipal } from './principal.js';

const REASON = 'Unconscious patient in the ED, need allergy history';

const nursePrincipal = (u: SignedInUser) => makePrincipal('user', u.id, u.username, 'nurse', { ip: '127.0.0.1', userAgent: 'vitest' });

/** The HTTP status a domain error would be answered with. */
const statusOf = (err: unknown) => problemFor(err as DomainError, { url: '/api/x', id: 'test' } as FastifyRequest).status;

async function refusal(work: Promise<unknown>): Promise<DomainError> {
  const err = await work.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(DomainError);
  return err as DomainError;
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: emergency access (break the glass)`, () => {
    const { ctx, app } = useTestApp(dialect);

    async function breakGlass(user: SignedInUser, patientId: string, reason = REASON) {
      const res = await send(app(), user.session, 'POST', '/api/emergency-access', { patientId, reason });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().grant as { id: string; expiresAt: string; grantedAt: string };
    }

    it('opens a patient’s record to a nurse who states a reason, and flags it in the audit trail', async () => {
      const nurse = await signedInUser(app(), ctx(), 'nurse.ed', 'nurse');
      const grant = await breakGlass(nurse, 'p-123');
      expect(grant).toMatchObject({ userId: nurse.id, username: 'nurse.ed', patientId: 'p-123', reason: REASON, reviewedAt: null });
      expect(Date.parse(grant.expiresAt) - Date.parse(grant.grantedAt)).toBe(ctx().config.emergencyAccessSeconds * 1000);
      const row = await ctx().db.selectFrom('emergencyAccessGrants').selectAll().where('id', '=', grant.id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ userId: nurse.id, patientId: 'p-123', reason: REASON });
      const [event] = await auditEventsWhere(ctx(), { action: 'emergency-access', recordId: grant.id });
      expect(event).toMatchObject({ emergency: 1, reason: REASON, patientId: 'p-123', actorName: 'nurse.ed', recordType: 'emergency_access_grant', outcome: 'success' });
    });

    it('refuses emergency access without a real reason', async () => {
      const nurse = await signedInUser(app(), ctx(), 'nurse.hurried', 'nurse');
      const grants = await countRows(ctx(), 'emergencyAccessGrants');
      for (const reason of ['urgent', '   short     ', '']) {
        const problem = expectProblem(await send(app(), nurse.session, 'POST', '/api/emergency-access', { patientId: 'p-123', reason }), 400, 'request.invalid');
        expect(fieldsOf(problem)).toEqual(['reason']);
      }
      expect(await countRows(ctx(), 'emergencyAccessGrants')).toBe(grants);
      expect(await auditEventsWhere(ctx(), { action: 'emergency-access', actorName: 'nurse.hurried' })).toEqual([]);
    });

    it('lets the nurse act beyond her role on that patient only, and audits a refusal for any other', async () => {
      const nurse = await signedInUser(app(), ctx(), 'nurse.ward', 'nurse');
      await breakGlass(nurse, 'p-123');
      const principal = nursePrincipal(nurse);
      expect(await decidePatientAccess(ctx(), principal, 'documents.read', 'p-123')).toBe('permitted');
      expect(await decidePatientAccess(ctx(), principal, 'documents.write', 'p-123')).toBe('emergency');

      const err = await refusal(decidePatientAccess(ctx(), principal, 'documents.write', 'p-456'));
      expect(err.code).toBe('access.emergency-available');
      expect(statusOf(err)).toBe(403);
      const [denied] = await auditEventsWhere(ctx(), { action: 'permission-denied', patientId: 'p-456' });
      expect(denied).toMatchObject({ actorName: 'nurse.ward', outcome: 'failure' });
      expect(JSON.parse(denied.details!)).toEqual({ permission: 'documents.write' });

      // The grant is the nurse's own: a colleague gains nothing from it.
      const colleague = await signedInUser(app(), ctx(), 'nurse.colleague', 'nurse');
      expect((await refusal(decidePatientAccess(ctx(), nursePrincipal(colleague), 'documents.write', 'p-123'))).code).toBe('access.emergency-available');
    });

    it('ends emergency access when the grant expires', async () => {
      const nurse = await signedInUser(app(), ctx(), 'nurse.night', 'nurse');
      await breakGlass(nurse, 'p-789');
      const principal = nursePrincipal(nurse);
      ctx().clock.advance(ctx().config.emergencyAccessSeconds * 1000 - 60_000);
      expect(await decidePatientAccess(ctx(), principal, 'documents.write', 'p-789')).toBe('emergency');
      ctx().clock.advance(60_000);
      expect((await refusal(decidePatientAccess(ctx(), principal, 'documents.write', 'p-789'))).code).toBe('access.emergency-available');
    });

    it('lets a privacy officer list pending grants and record a review with a note', async () => {
      const nurse = await signedInUser(app(), ctx(), 'nurse.review', 'nurse');
      const grant = await breakGlass(nurse, 'p-321');
      const officer = await signedInUser(app(), ctx(), 'privacy.officer', 'privacy_officer');
      expect(officer.mfaSecret).toBeDefined();

      const pending = await send(app(), officer.session, 'GET', '/api/emergency-access?status=pending');
      expect(pending.statusCode, pending.body).toBe(200);
      expect(pending.json().grants.find((g: { id: string }) => g.id === grant.id)).toMatchObject({ username: 'nurse.review', patientId: 'p-321', reviewedAt: null });

      const noNote = expectProblem(await send(app(), officer.session, 'POST', `/api/emergency-access/${grant.id}/review`, { note: '   ' }), 400, 'request.invalid');
      expect(fieldsOf(noNote)).toEqual(['note']);
      expectProblem(await send(app(), officer.session, 'POST', '/api/emergency-access/no-such-grant/review', { note: 'Checked.' }), 404, 'not-found');

      const note = 'Called the ED charge nurse: access was clinically justified.';
      const res = await send(app(), officer.session, 'POST', `/api/emergency-access/${grant.id}/review`, { note });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().grant).toMatchObject({ id: grant.id, reviewedBy: 'privacy.officer', reviewNote: note, username: 'nurse.review' });
      const row = await ctx().db.selectFrom('emergencyAccessGrants').selectAll().where('id', '=', grant.id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ reviewedBy: 'privacy.officer', reviewNote: note });
      expect(row.reviewedAt).not.toBeNull();
      const [reviewed] = await auditEventsWhere(ctx(), { action: 'update', recordId: grant.id });
      expect(reviewed).toMatchObject({ actorName: 'privacy.officer', patientId: 'p-321', recordType: 'emergency_access_grant' });

      const stillPending = (await send(app(), officer.session, 'GET', '/api/emergency-access')).json().grants;
      expect(stillPending.map((g: { id: string }) => g.id)).not.toContain(grant.id);
      const done = (await send(app(), officer.session, 'GET', '/api/emergency-access?status=reviewed')).json().grants;
      expect(done.map((g: { id: string }) => g.id)).toContain(grant.id);
      expect((await auditEventsWhere(ctx(), { action: 'read', actorName: 'privacy.officer' })).length).toBe(3);
    });

    it('keeps the first review: a reviewed grant cannot be reviewed again', async () => {
      const nurse = await signedInUser(app(), ctx(), 'nurse.twice', 'nurse');
      const grant = await breakGlass(nurse, 'p-654');
      const first = await signedInUser(app(), ctx(), 'privacy.first', 'privacy_officer');
      const second = await signedInUser(app(), ctx(), 'privacy.second', 'privacy_officer');
      expect((await send(app(), first.session, 'POST', `/api/emergency-access/${grant.id}/review`, { note: 'Justified: trauma call.' })).statusCode).toBe(200);
      const again = await send(app(), second.session, 'POST', `/api/emergency-access/${grant.id}/review`, { note: 'Overwriting the first review.' });
      expectProblem(again, 409, 'access.already-reviewed');
      const row = await ctx().db.selectFrom('emergencyAccessGrants').selectAll().where('id', '=', grant.id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ reviewedBy: 'privacy.first', reviewNote: 'Justified: trauma call.' });
      expect(await auditEventsWhere(ctx(), { action: 'update', recordId: grant.id })).toHaveLength(1);
    });

    it('does not let a privacy officer review their own emergency access', async () => {
      let officer = await signedInUser(app(), ctx(), 'privacy.self', 'privacy_officer');
      const grant = await breakGlass(officer, 'p-999');
      officer = { ...officer, session: await signInWithMfa(app(), ctx(), officer.username, officer.password, officer.mfaSecret) };
      const res = await send(app(), officer.session, 'POST', `/api/emergency-access/${grant.id}/review`, { note: 'I was right to do it.' });
      expectProblem(res, 403, 'access.self-review');
      const row = await ctx().db.selectFrom('emergencyAccessGrants').selectAll().where('id', '=', grant.id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ reviewedAt: null, reviewedBy: null, reviewNote: null });
    });
  });
}
