import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/chartroom.js';
import { auditEventsWhere, expectProblem, fieldsOf, send, signedInUser, useTestApp, type SignedInUser } from '../../../test/support/http.js';
import { patientInput, registerOverHttp } from '../../../test/support/patients.js';
import { samplePdf, uploadForm } from '../../../test/support/documents.js';
import { pdfText } from '../../../test/support/pdf-text.js';
import { letterBlobAddresses } from './letters.js';
import { makePrincipal } from '../../access/principal.js';
import { changeRequest } from './request-access.js';
import { releaseRequestWithPacket } from './request-actions.js';

const DAY = 86_400_000;

/** A patient's own request for their whole record, by the portal, identity checked. */
const ownRequest = (patientId: string, over: Record<string, unknown> = {}) => ({
  patientId, receivedOn: '2026-11-25', channel: 'portal',
  requester: { kind: 'patient', name: 'William Okafor' },
  basis: { kind: 'right-of-access' },
  identityVerification: { method: 'portal-account' },
  scope: { wholeRecordSet: true },
  format: 'pdf', delivery: { method: 'secure-link', email: 'w.okafor@example.org' },
  ...over,
});

/** An attorney's request whose authorization lacks a recipient and statements, and expired. */
const attorneyRequest = (patientId: string) => ({
  patientId, receivedOn: '2026-11-20', channel: 'fax',
  requester: { kind: 'attorney', name: 'Hale & Partners LLP', address: '1 Court St, Portland ME' },
  basis: {
    kind: 'authorization',
    authorization: {
      informationDescription: 'All records 2025', discloser: 'Chartroom Hospital', recipient: null, purposes: ['Litigation'],
      expiresOn: '2026-10-31', signedOn: '2026-01-10', statements: { rightToRevoke: true, conditioning: false, redisclosure: true },
    },
  },
  scope: { from: '2025-01-01', to: '2025-12-31', wholeRecordSet: true },
  format: 'paper', delivery: { method: 'mail', address: '1 Court St, Portland ME' },
});

for (const dialect of DIALECTS) {
  describe(`${dialect}: release-of-information requests over HTTP`, () => {
    // The clock moves by days here: sessions must outlive it.
    const { app, ctx } = useTestApp(dialect, { idleTimeoutSeconds: 400 * 86_400, sessionMaxSeconds: 400 * 86_400 });
    let clerk: SignedInUser;
    let supervisor: SignedInUser;
    let privacy: SignedInUser;
    const setUp = async () => {
      if (clerk) return;
      clerk = await signedInUser(app(), ctx(), 'roi.clerk', 'records_clerk');
      supervisor = await signedInUser(app(), ctx(), 'roi.supervisor', 'him_supervisor');
      privacy = await signedInUser(app(), ctx(), 'roi.privacy', 'privacy_officer');
    };
    const log = async (body: object) => {
      const res = await send(app(), clerk.session, 'POST', '/api/release/requests', body);
      expect(res.statusCode, res.body).toBe(201);
      return res.json().request as { id: string; status: string; dueDate: string; version: number };
    };
    const move = (user: SignedInUser, id: string, to: string) => send(app(), user.session, 'POST', `/api/release/requests/${id}/status`, { to });

    it("logs a patient's own request with a 30-day due date, validates it, and audits every read and write", async () => {
      ctx().clock.set(new Date('2026-11-25T09:00:00Z'));
      await setUp();
      const patientId = await registerOverHttp(app(), clerk, 'Okafor');
      const request = await log(ownRequest(patientId));
      expect(request).toMatchObject({ status: 'logged', dueDate: '2026-12-25', version: 1 });

      const detail = (await send(app(), clerk.session, 'GET', `/api/release/requests/${request.id}`)).json();
      expect(detail.checklist.valid).toBe(true);
      expect(detail.request.patient).toMatchObject({ id: patientId, doNotRelease: false });
      expect(detail.request.identityVerification).toMatchObject({ method: 'portal-account', verifiedBy: 'roi.clerk' });

      const validated = await move(clerk, request.id, 'validated');
      expect(validated.statusCode, validated.body).toBe(200);
      expect(validated.json().request).toMatchObject({ status: 'validated', version: 2 });
      expect(validated.json().history.map((h: { toStatus: string }) => h.toStatus)).toEqual(['validated', 'logged']);

      const events = await auditEventsWhere(ctx(), { recordId: request.id });
      expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['create', 'read', 'update']));
      expect(events.every((e) => e.patientId === patientId)).toBe(true);
    });

    it('describes every release route in the OpenAPI document, from the zod schemas', async () => {
      const doc = (await app().inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
      const paths = Object.keys(doc.paths).filter((p) => p.startsWith('/api/release/'));
      expect(paths).toEqual(expect.arrayContaining(['/api/release/requests', '/api/release/requests/{id}', '/api/release/requests/{id}/status', '/api/release/requests/{id}/denial/review', '/api/release/dashboard', '/api/release/legal-basis/check']));
      expect(doc.paths['/api/release/requests'].post.requestBody).toBeTruthy();
    });

    it('refuses unknown patients, future received dates, past due dates, and a request for nothing, naming the field', async () => {
      await setUp();
      const patientId = await registerOverHttp(app(), clerk, 'Achebe');
      const before = await ctx().db.selectFrom('releaseRequests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(fieldsOf(expectProblem(await send(app(), clerk.session, 'POST', '/api/release/requests', ownRequest('0192f000-0000-7000-8000-000000000000')), 400, 'release.unknown-patient'))).toEqual(['patientId']);
      expect(fieldsOf(expectProblem(await send(app(), clerk.session, 'POST', '/api/release/requests', ownRequest(patientId, { receivedOn: '2026-12-30' })), 400, 'request.invalid'))).toEqual(['receivedOn']);
      expect(fieldsOf(expectProblem(await send(app(), clerk.session, 'POST', '/api/release/requests', ownRequest(patientId, { dueDate: '2026-11-01' })), 400, 'request.invalid'))).toEqual(['dueDate']);
      expect(fieldsOf(expectProblem(await send(app(), clerk.session, 'POST', '/api/release/requests', ownRequest(patientId, { scope: {} })), 400, 'request.invalid'))).toEqual(['scope']);
      const bad = expectProblem(await send(app(), clerk.session, 'POST', '/api/release/requests', ownRequest(patientId, { channel: 'pigeon' })), 400, 'request.invalid');
      expect(fieldsOf(bad).join()).toMatch(/channel/);
      const after = await ctx().db.selectFrom('releaseRequests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });

    it("shows an attorney's defective authorization invalid with its reasons and refuses to validate it", async () => {
      await setUp();
      const patientId = await registerOverHttp(app(), clerk, 'Brennan');
      const request = await log(attorneyRequest(patientId));
      const detail = (await send(app(), clerk.session, 'GET', `/api/release/requests/${request.id}`)).json();
      expect(detail.checklist.valid).toBe(false);
      const failed = detail.checklist.legal.items.filter((i: { met: boolean }) => !i.met).map((i: { key: string }) => i.key);
      expect(failed).toEqual(['recipientNamed', 'conditioning', 'notExpired']);

      const refused = expectProblem(await move(clerk, request.id, 'validated'), 400, 'release.not-valid');
      expect(fieldsOf(refused)).toEqual(['basis.authorization.recipient', 'basis.authorization.statements.conditioning', 'basis.authorization.expiresOn']);
      const row = await ctx().db.selectFrom('releaseRequests').selectAll().where('id', '=', request.id).executeTakeFirstOrThrow();
      expect([row.status, row.version]).toEqual(['logged', 1]);

      // The same checklist answers before anything is logged.
      const { patientId: _p, receivedOn: _r, channel: _c, format: _f, delivery: _d, ...legalCase } = attorneyRequest(patientId);
      const check = await send(app(), clerk.session, 'POST', '/api/release/legal-basis/check', legalCase);
      expect(check.json().checklist.valid).toBe(false);

      // The corrected authorization arrives: the request is amended, and now validates.
      const basis = { kind: 'authorization', authorization: { ...legalCase.basis.authorization, recipient: 'Hale & Partners LLP', expiresOn: '2027-10-31', statements: { rightToRevoke: true, conditioning: true, redisclosure: true } } };
      const amended = await send(app(), clerk.session, 'PUT', `/api/release/requests/${request.id}/legal-case`, { ...legalCase, basis });
      expect(amended.statusCode, amended.body).toBe(200);
      expect(amended.json().checklist.valid).toBe(true);
      expect((await move(clerk, request.id, 'validated')).json().request.status).toBe('validated');
      expectProblem(await send(app(), clerk.session, 'PUT', `/api/release/requests/${request.id}/legal-case`, legalCase), 409, 'release.transition');
    });

    it('blocks a subpoena without satisfactory assurance, and a patient under a do-not-release hold', async () => {
      await setUp();
      const patientId = await registerOverHttp(app(), clerk, 'Castellano');
      const subpoena = await log({
        ...ownRequest(patientId), requester: { kind: 'court', name: 'Superior Court clerk' }, identityVerification: null,
        basis: { kind: 'subpoena', noticeToPatient: true, objectionPeriodLapsed: false, qualifiedProtectiveOrder: false },
      });
      const refused = expectProblem(await move(clerk, subpoena.id, 'validated'), 400, 'release.not-valid');
      expect(fieldsOf(refused)).toEqual(['basis.noticeToPatient']);
      expect(refused.errors![0].message).toMatch(/satisfactory assurance/);

      const held = await send(app(), clerk.session, 'POST', '/api/patients', patientInput({ family: 'Dunmore', birthDate: '1971-05-05', ssn: undefined, phones: [], email: undefined, flags: { vip: false, employee: false, restricted: false, doNotRelease: true } }));
      expect(held.statusCode, held.body).toBe(201);
      const heldRequest = await log(ownRequest(held.json().patient.id));
      const hold = expectProblem(await move(clerk, heldRequest.id, 'validated'), 423, 'release.hold');
      expect(hold.detail).toMatch(/do-not-release/);
    });

    it('refuses illegal moves with 409, keeps released for the packet step, and returns from quality check only by a reviewer', async () => {
      await setUp();
      const patientId = await registerOverHttp(app(), clerk, 'Delacroix');
      const { id } = await log(ownRequest(patientId));
      expectProblem(await move(clerk, id, 'quality_check'), 409, 'release.transition');
      expectProblem(await move(clerk, id, 'released'), 400, 'request.invalid');
      for (const to of ['validated', 'in_process', 'quality_check']) expect((await move(clerk, id, to)).statusCode).toBe(200);
      expectProblem(await move(clerk, id, 'in_process'), 403, 'access.forbidden');
      expect((await move(supervisor, id, 'in_process')).json().request.status).toBe('in_process');
      expect((await move(clerk, id, 'cancelled')).json().request).toMatchObject({ status: 'cancelled', closedAt: expect.any(String) });
      expectProblem(await move(clerk, id, 'logged'), 409, 'release.transition');
    });

    it('releases only through the packet step, from quality check, with the legal basis checked again', async () => {
      await setUp();
      const patientId = await registerOverHttp(app(), clerk, 'Lindgren');
      const { id } = await log(ownRequest(patientId));
      const principal = makePrincipal('user', clerk.id, clerk.username, 'records_clerk', {});
      const release = () => changeRequest(ctx(), principal, id, 'release', (c) => releaseRequestWithPacket(c, ctx(), principal, 'Packet sent'));
      for (const to of ['validated', 'in_process']) expect((await move(clerk, id, to)).statusCode).toBe(200);
      await expect(release()).rejects.toMatchObject({ code: 'release.transition' });
      expect((await move(clerk, id, 'quality_check')).statusCode).toBe(200);
      await release();
      const released = (await send(app(), clerk.session, 'GET', `/api/release/requests/${id}`)).json().request;
      expect(released).toMatchObject({ status: 'released', closedAt: expect.any(String), overdue: false });
    });

    it('denies on a reviewable ground with a letter of rights; the review goes to someone who did not deny', async () => {
      await setUp();
      const patientId = await registerOverHttp(app(), clerk, 'Eriksen');
      const { id } = await log(ownRequest(patientId));
      const denied = await send(app(), supervisor.session, 'POST', `/api/release/requests/${id}/denial`, { ground: 'endangerment', explanation: 'The treating psychiatrist judged access likely to endanger the patient.' });
      expect(denied.statusCode, denied.body).toBe(200);
      const body = denied.json();
      expect(body.request).toMatchObject({ status: 'denied', denial: { ground: 'endangerment', deniedBy: { name: 'roi.supervisor' } } });
      const letter = body.letters.find((l: { kind: string }) => l.kind === 'denial');
      const pdf = await send(app(), clerk.session, 'GET', `/api/release/requests/${id}/letters/${letter.id}`);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      const text = (await pdfText(pdf.rawPayload)).lines.join(' ');
      expect(text).toMatch(/45 CFR 164.524\(a\)\(3\)\(i\)/);
      expect(text).toMatch(/licensed health care professional/);
      expect(text).toMatch(/Office for Civil Rights/);

      const self = expectProblem(await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/denial/review-request`, { reviewerId: supervisor.id }), 409, 'release.review');
      expect(self.detail).toMatch(/took no part/);
      expectProblem(await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/denial/review-request`, { reviewerId: clerk.id }), 400, 'request.invalid');
      expect((await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/denial/review-request`, { reviewerId: privacy.id })).statusCode).toBe(200);
      expectProblem(await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/denial/review`, { decision: 'overturned', licence: 'x' }), 403, 'access.forbidden');
      expectProblem(await send(app(), supervisor.session, 'POST', `/api/release/requests/${id}/denial/review`, { decision: 'overturned', licence: 'MD 1234' }), 403, 'access.forbidden');
      const decided = await send(app(), privacy.session, 'POST', `/api/release/requests/${id}/denial/review`, { decision: 'overturned', licence: 'MD ME-55012' });
      expect(decided.statusCode, decided.body).toBe(200);
      expect(decided.json().request).toMatchObject({ status: 'validated', closedAt: null, denial: { review: { decision: 'overturned', reviewer: { id: privacy.id } } } });
      expect(decided.json().letters.map((l: { kind: string }) => l.kind)).toEqual(['denial-review', 'denial']);

      // A ground that is not reviewable cannot be sent for review.
      const other = await log(ownRequest(patientId));
      await send(app(), clerk.session, 'POST', `/api/release/requests/${other.id}/denial`, { ground: 'psychotherapy-notes' });
      const notReviewable = expectProblem(await send(app(), clerk.session, 'POST', `/api/release/requests/${other.id}/denial/review-request`, { reviewerId: privacy.id }), 409, 'release.review');
      expect(notReviewable.detail).toMatch(/not reviewable/);
    });

    it('extends a right-of-access request once, within the first 30 days, with a notice letter', async () => {
      await setUp();
      ctx().clock.set(new Date('2026-11-25T09:00:00Z'));
      const patientId = await registerOverHttp(app(), clerk, 'Fontaine');
      const { id } = await log(ownRequest(patientId, { receivedOn: '2026-11-10' }));
      ctx().clock.set(new Date('2026-12-05T09:00:00Z'));
      const extended = await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/extension`, { reason: 'The 2019 records are in off-site storage.' });
      expect(extended.statusCode, extended.body).toBe(200);
      expect(extended.json().request).toMatchObject({ dueDate: '2027-01-09', originalDueDate: '2026-12-10', extension: { reason: 'The 2019 records are in off-site storage.' } });
      const letter = extended.json().letters[0];
      expect(letter.kind).toBe('extension-notice');
      const text = (await pdfText((await send(app(), clerk.session, 'GET', `/api/release/requests/${id}/letters/${letter.id}`)).rawPayload)).lines.join(' ');
      expect(text).toMatch(/off-site storage/);
      expect(text).toMatch(/no later than 2027-01-09/);
      // The letter is kept in the blob store; the orphan sweep must count it as referenced.
      const stored = await ctx().db.selectFrom('releaseRequestLetters').select('blobSha256').where('id', '=', letter.id).executeTakeFirstOrThrow();
      expect(await ctx().blobs.exists(stored.blobSha256)).toBe(true);
      expect(await letterBlobAddresses(ctx())).toContain(stored.blobSha256);
      const again = expectProblem(await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/extension`, { reason: 'More delay' }), 400, 'release.extension');
      expect(again.detail).toMatch(/one extension/);

      const late = await log(ownRequest(patientId, { receivedOn: '2026-11-01' }));
      ctx().clock.set(new Date('2026-12-02T09:00:00Z'));
      expect(expectProblem(await send(app(), clerk.session, 'POST', `/api/release/requests/${late.id}/extension`, { reason: 'Late' }), 400, 'release.extension').detail).toMatch(/within the first 30 days/);
      ctx().clock.set(new Date('2026-11-25T09:00:00Z'));
    });

    it('lists documents included or left out with reasons, and flags the Part 2 notice', async () => {
      await setUp();
      const patientId = await registerOverHttp(app(), clerk, 'Gallagher');
      const file = async (typeCode: string, sensitivity: string[]) => {
        const form = await uploadForm({ patientId, typeCode, serviceDate: '2025-06-01', sensitivity }, { bytes: await samplePdf(), name: 'scan.pdf', type: 'application/pdf' });
        const res = await app().inject({ method: 'POST', url: '/api/documents', payload: form.payload, headers: { ...form.headers, cookie: clerk.session.cookie, 'x-csrf-token': clerk.session.csrfToken } });
        expect(res.statusCode, res.body).toBe(201);
        return res.json().document.id as string;
      };
      const summary = await file('18842-5', []);
      const hiv = await file('11502-2', ['hiv-sti']);
      const sud = await file('11506-3', ['substance-use-disorder']);
      const notes = await file('11506-3', ['psychotherapy-notes']);
      const { id } = await log({
        ...attorneyRequest(patientId), receivedOn: '2026-11-24',
        basis: { kind: 'authorization', authorization: {
          informationDescription: 'All records 2025', discloser: 'Chartroom Hospital', recipient: 'Hale & Partners LLP', purposes: ['Litigation'],
          expiresOn: '2027-10-31', signedOn: '2026-11-10', statements: { rightToRevoke: true, conditioning: true, redisclosure: true }, sensitiveCategories: ['substance-use-disorder'],
        } },
        part2Consent: { patientName: 'Gallagher', discloser: 'Chartroom Hospital', informationDescription: 'SUD treatment 2025', recipient: 'Hale & Partners LLP', purpose: 'Litigation', expiresOn: '2027-10-31', signedOn: '2026-11-10', statements: { rightToRevoke: true, redisclosure: true } },
      });
      const res = await send(app(), clerk.session, 'GET', `/api/release/requests/${id}/documents`);
      expect(res.statusCode, res.body).toBe(200);
      const byId = new Map(res.json().documents.map((d: { documentId: string }) => [d.documentId, d]));
      expect(byId.get(summary)).toMatchObject({ included: true, reasons: [] });
      expect(byId.get(hiv)).toMatchObject({ included: false, reasons: [expect.stringMatching(/HIV/)] });
      expect(byId.get(sud)).toMatchObject({ included: true });
      expect(byId.get(notes)).toMatchObject({ included: false, reasons: [expect.stringMatching(/psychotherapy notes/i)] });
      expect(res.json()).toMatchObject({ part2NoticeRequired: true, part2ConsentCopyRequired: true });
    });

    it('goes with the patient in a merge, and back with an unmerge; a legal hold stops its release', async () => {
      await setUp();
      const retired = await registerOverHttp(app(), clerk, 'Ibsen');
      const survivor = await registerOverHttp(app(), clerk, 'Ibsen');
      const { id } = await log(ownRequest(retired));
      const merged = await send(app(), supervisor.session, 'POST', '/api/merges', { survivorId: survivor, retiredId: retired, reason: 'Same person' });
      expect(merged.statusCode, merged.body).toBe(201);
      expect((await send(app(), clerk.session, 'GET', `/api/release/requests/${id}`)).json().request.patient.id).toBe(survivor);
      expect((await send(app(), supervisor.session, 'POST', `/api/merges/${merged.json().merge.id}/undo`, { reason: 'Not the same person' })).statusCode).toBe(200);
      expect((await send(app(), clerk.session, 'GET', `/api/release/requests/${id}`)).json().request.patient.id).toBe(retired);

      expect((await send(app(), supervisor.session, 'PUT', `/api/patients/${retired}/legal-hold`, { reason: 'Smith v. County General' })).statusCode).toBe(200);
      const held = (await send(app(), clerk.session, 'GET', `/api/release/requests/${id}`)).json();
      expect(held.checklist.holds.filter((h: { met: boolean }) => !h.met).map((h: { key: string }) => h.key)).toEqual(['noLegalHold']);
      const refused = expectProblem(await move(clerk, id, 'validated'), 423, 'release.hold');
      expect(refused.detail).not.toMatch(/Smith/);
    });

    it('sorts the queue by due date, flags the overdue, and counts the dashboard as the clock moves', async () => {
      await setUp();
      ctx().clock.set(new Date('2026-11-25T09:00:00Z'));
      const patientId = await registerOverHttp(app(), clerk, 'Hartmann');
      // Baselines at both instants, before this test's requests: earlier tests' requests fall due in between.
      const base = (await send(app(), clerk.session, 'GET', '/api/release/dashboard')).json();
      ctx().clock.set(new Date(Date.parse('2026-11-25T09:00:00Z') + 8 * DAY));
      const laterBase = (await send(app(), clerk.session, 'GET', '/api/release/dashboard')).json();
      ctx().clock.set(new Date('2026-11-25T09:00:00Z'));
      const late = await log(ownRequest(patientId, { receivedOn: '2026-10-20' }));
      const soon = await log(ownRequest(patientId, { receivedOn: '2026-10-28' }));
      const fresh = await log(ownRequest(patientId, { receivedOn: '2026-11-25' }));
      await send(app(), clerk.session, 'POST', `/api/release/requests/${fresh.id}/assignment`, { userId: clerk.id });

      const queue = (await send(app(), clerk.session, 'GET', '/api/release/requests')).json().requests as { id: string; dueDate: string; overdue: boolean; daysLeft: number }[];
      const mine = queue.filter((q) => [late.id, soon.id, fresh.id].includes(q.id));
      expect(mine.map((q) => [q.id, q.dueDate, q.overdue, q.daysLeft])).toEqual([
        [late.id, '2026-11-19', true, -6], [soon.id, '2026-11-27', false, 2], [fresh.id, '2026-12-25', false, 30],
      ]);
      const dueDates = queue.map((q) => q.dueDate);
      expect(dueDates).toEqual([...dueDates].sort());
      const assigned = (await send(app(), clerk.session, 'GET', '/api/release/requests?assignee=me')).json().requests;
      expect(assigned.map((q: { id: string }) => q.id)).toEqual([fresh.id]);
      expect((await send(app(), clerk.session, 'GET', '/api/release/requests?overdue=true')).json().requests.every((q: { overdue: boolean }) => q.overdue)).toBe(true);

      const now = (await send(app(), clerk.session, 'GET', '/api/release/dashboard')).json();
      expect(now.open - base.open).toBe(3);
      expect(now.overdue - base.overdue).toBe(1);
      expect(now.dueThisWeek - base.dueThisWeek).toBe(1);

      // The soon one is closed by a denial 8 days later: received 2026-10-28, closed 2026-12-03, 36 days.
      ctx().clock.set(new Date(Date.parse('2026-11-25T09:00:00Z') + 8 * DAY));
      await send(app(), clerk.session, 'POST', `/api/release/requests/${soon.id}/denial`, { ground: 'confidential-source' });
      const later = (await send(app(), clerk.session, 'GET', '/api/release/dashboard')).json();
      expect(later.today).toBe('2026-12-03');
      expect(later.open - laterBase.open).toBe(2);
      expect(later.overdue - laterBase.overdue).toBe(1);
      const week = later.turnaround.weeks.find((w: { weekStart: string }) => w.weekStart === '2026-11-30');
      expect(week).toMatchObject({ closed: 1, averageDays: 36 });
      ctx().clock.set(new Date('2026-11-25T09:00:00Z'));
    });
  });
}
