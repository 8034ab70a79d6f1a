import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/chartroom.js';
import { auditEventsWhere, expectProblem, fieldsOf, send, signedInUser, useTestApp, type SignedInUser } from '../../../test/support/http.js';
import { registerOverHttp } from '../../../test/support/patients.js';
import { samplePdf, uploadForm } from '../../../test/support/documents.js';
import { pdfText } from '../../../test/support/pdf-text.js';
import type { FastifyInstance } from 'fastify';
import { amendmentStatementsFor } from './amendments.js';
import { SYSTEM_ACTOR } from '../../audit/actions.js';
import { mergePatients, unmergePatients } from '../../patients/merge.js';

const TODAY = new Date('2026-11-25T09:00:00.000Z');

async function fileDocument(app: FastifyInstance, user: SignedInUser, patientId: string): Promise<string> {
  const { payload, headers } = await uploadForm({ patientId, typeCode: '18842-5', serviceDate: '2026-10-02', status: 'final' }, { bytes: await samplePdf(), name: 'discharge.pdf', type: 'application/pdf' });
  const res = await send(app, user.session, 'POST', '/api/documents', payload, headers);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().document.id;
}

const letterText = async (app: FastifyInstance, user: SignedInUser, url: string) => {
  const res = await send(app, user.session, 'GET', url);
  expect(res.headers['content-type'], res.body).toBe('application/pdf');
  return (await pdfText(res.rawPayload)).lines.join(' ');
};

for (const dialect of DIALECTS) {
  describe(`${dialect}: amendments of the record`, () => {
    const { app, ctx } = useTestApp(dialect);

    it('accepts an amendment: linked to its documents, the patient-named and earlier recipients told, with letters', async () => {
      ctx().clock.set(TODAY);
      const clerk = await signedInUser(app(), ctx(), 'am.clerk', 'records_clerk');
      const supervisor = await signedInUser(app(), ctx(), 'am.supervisor', 'him_supervisor');
      const patientId = await registerOverHttp(app(), clerk, 'Vasquez');
      const documentId = await fileDocument(app(), clerk, patientId);
      await send(app(), clerk.session, 'POST', '/api/release/disclosures', {
        patientId, disclosedAt: '2026-11-01T10:00:00Z', recipient: { name: 'Harbor Orthopedics', address: '9 Pier Rd, Portland ME' }, description: 'Discharge summary',
        purpose: 'Continuing care', kind: 'treatment', documentIds: [documentId],
      });

      expect(fieldsOf(expectProblem(await send(app(), clerk.session, 'POST', '/api/release/amendments', { patientId, receivedOn: '2026-11-24', requestedChange: 'x', documentIds: ['missing'] }), 400, 'amendment.invalid'))).toEqual(['documentIds.0']);
      const asked = await send(app(), clerk.session, 'POST', '/api/release/amendments', {
        patientId, receivedOn: '2026-11-24', requestedChange: 'The allergy list should say penicillin, not sulfa.', documentIds: [documentId],
      });
      expect(asked.statusCode, asked.body).toBe(201);
      const amendment = asked.json().amendment;
      expect(amendment).toMatchObject({ status: 'open', dueOn: '2027-01-23', documentIds: [documentId] });
      expect((await send(app(), clerk.session, 'GET', '/api/release/amendments')).json().amendments.map((a: { id: string }) => a.id)).toContain(amendment.id);

      const extended = await send(app(), clerk.session, 'POST', `/api/release/amendments/${amendment.id}/extension`, { reason: 'Awaiting the attending physician' });
      expect(extended.json().amendment).toMatchObject({ extendedDueOn: '2027-02-22', extensionReason: 'Awaiting the attending physician' });
      expectProblem(await send(app(), clerk.session, 'POST', `/api/release/amendments/${amendment.id}/accept`, { amendmentText: 'x' }), 403, 'access.forbidden');

      const accepted = await send(app(), supervisor.session, 'POST', `/api/release/amendments/${amendment.id}/accept`, {
        amendmentText: 'Allergy: penicillin (not sulfa), corrected 2026-11-25.', notify: [{ name: 'Dr. Ruth Amaral', address: '14 Elm St, Bath ME' }], notifyPriorRecipients: true,
      });
      expect(accepted.statusCode, accepted.body).toBe(200);
      const done = accepted.json().amendment;
      expect(done).toMatchObject({ status: 'accepted', decidedBy: 'am.supervisor', documentIds: [documentId], hasLetter: true });
      expect(done.notifications.map((n: { recipientName: string; source: string }) => [n.recipientName, n.source])).toEqual([['Dr. Ruth Amaral', 'patient-named'], ['Harbor Orthopedics', 'prior-recipient']]);
      expectProblem(await send(app(), supervisor.session, 'POST', `/api/release/amendments/${amendment.id}/deny`, { basis: 'accurate_and_complete', explanation: 'x' }), 409, 'amendment.decided');

      const acceptance = await letterText(app(), clerk, `/api/release/amendments/${amendment.id}/letter.pdf`);
      for (const s of ['Amendment accepted', 'penicillin (not sulfa)', '- Dr. Ruth Amaral', '- Harbor Orthopedics']) expect(acceptance).toContain(s);
      const notice = await letterText(app(), clerk, `/api/release/amendments/${amendment.id}/notifications/${done.notifications[1].id}/letter.pdf`);
      for (const s of ['Notice of amendment', 'Harbor Orthopedics', '9 Pier Rd, Portland ME', 'penicillin (not sulfa)']) expect(notice).toContain(s);
      expect(await amendmentStatementsFor(ctx().db, patientId, [documentId])).toMatchObject([{ status: 'accepted', amendmentText: 'Allergy: penicillin (not sulfa), corrected 2026-11-25.' }]);
      expect((await auditEventsWhere(ctx(), { recordId: amendment.id })).map((e) => e.action)).toEqual(expect.arrayContaining(['create', 'update', 'read']));
    });

    it('denies with the basis and the rights, keeps the statement of disagreement and the rebuttal for later disclosures', async () => {
      ctx().clock.set(TODAY);
      const clerk = await signedInUser(app(), ctx(), 'deny.clerk', 'records_clerk');
      const privacy = await signedInUser(app(), ctx(), 'deny.privacy', 'privacy_officer');
      const patientId = await registerOverHttp(app(), clerk, 'Whitcombe');
      const documentId = await fileDocument(app(), clerk, patientId);
      const amendment = (await send(app(), clerk.session, 'POST', '/api/release/amendments', { patientId, receivedOn: '2026-11-20', requestedChange: 'Remove the diagnosis of hypertension.', documentIds: [documentId] })).json().amendment;

      expectProblem(await send(app(), clerk.session, 'POST', `/api/release/amendments/${amendment.id}/statements`, { kind: 'disagreement', text: 'I disagree', receivedOn: '2026-11-25' }), 409, 'amendment.statement-not-allowed');
      expect(fieldsOf(expectProblem(await send(app(), privacy.session, 'POST', `/api/release/amendments/${amendment.id}/deny`, { basis: 'looks_fine', explanation: 'x' }), 400, 'request.invalid'))).toEqual(['basis']);
      const denied = await send(app(), privacy.session, 'POST', `/api/release/amendments/${amendment.id}/deny`, { basis: 'accurate_and_complete', explanation: 'Three readings above 150/95 are recorded.' });
      expect(denied.json().amendment).toMatchObject({ status: 'denied', denialBasis: 'accurate_and_complete' });
      const letter = await letterText(app(), clerk, `/api/release/amendments/${amendment.id}/letter.pdf`);
      for (const s of ['Amendment denied', 'We reviewed the information and found it accurate and complete.', 'Three readings above', 'statement disagreeing', 'Secretary of the U.S. Department of Health and Human', 'future disclosure']) expect(letter).toContain(s);
      expect(await amendmentStatementsFor(ctx().db, patientId, [documentId])).toEqual([]);

      expectProblem(await send(app(), clerk.session, 'POST', `/api/release/amendments/${amendment.id}/statements`, { kind: 'rebuttal', text: 'Our rebuttal', receivedOn: '2026-11-25' }), 409, 'amendment.statement-not-allowed');
      expect(fieldsOf(expectProblem(await send(app(), clerk.session, 'POST', `/api/release/amendments/${amendment.id}/statements`, { kind: 'disagreement', text: 'My readings at home are normal.', receivedOn: '2026-12-01' }), 400, 'amendment.statement-invalid'))).toEqual(['receivedOn']);
      expect((await send(app(), clerk.session, 'POST', `/api/release/amendments/${amendment.id}/statements`, { kind: 'disagreement', text: 'My readings at home are normal.', receivedOn: '2026-11-25' })).statusCode).toBe(201);
      const rebutted = await send(app(), clerk.session, 'POST', `/api/release/amendments/${amendment.id}/statements`, { kind: 'rebuttal', text: 'Clinic readings were taken per protocol.', receivedOn: '2026-11-25' });
      expect(rebutted.json().amendment.statements.map((s: { kind: string }) => s.kind)).toEqual(['disagreement', 'rebuttal']);
      expect(await amendmentStatementsFor(ctx().db, patientId, [documentId])).toMatchObject([{
        status: 'denied', denialBasis: 'accurate_and_complete', requestedChange: 'Remove the diagnosis of hypertension.',
        statements: [{ kind: 'disagreement', text: 'My readings at home are normal.' }, { kind: 'rebuttal', text: 'Clinic readings were taken per protocol.' }],
      }]);
      expect(await amendmentStatementsFor(ctx().db, patientId, ['another-document'])).toEqual([]);
    });

    it('will not accept an amendment while the record is under legal hold, and leaves the request as it was', async () => {
      ctx().clock.set(TODAY);
      const clerk = await signedInUser(app(), ctx(), 'hold.clerk', 'records_clerk');
      const supervisor = await signedInUser(app(), ctx(), 'hold.supervisor', 'him_supervisor');
      const patientId = await registerOverHttp(app(), clerk, 'Brannigan');
      const amendment = (await send(app(), clerk.session, 'POST', '/api/release/amendments', { patientId, receivedOn: '2026-11-25', requestedChange: 'Correct the date of the fall.', documentIds: [] })).json().amendment;
      expect((await send(app(), supervisor.session, 'PUT', `/api/patients/${patientId}/legal-hold`, { reason: 'Litigation 26-441' })).statusCode).toBe(200);
      expectProblem(await send(app(), supervisor.session, 'POST', `/api/release/amendments/${amendment.id}/accept`, { amendmentText: 'Fall on 2026-10-03', notify: [{ name: 'Dr. Ng' }] }), 423, 'amendment.legal-hold');
      const unchanged = (await send(app(), clerk.session, 'GET', `/api/release/amendments/${amendment.id}`)).json().amendment;
      expect(unchanged).toMatchObject({ status: 'open', hasLetter: false, notifications: [] });

      expect(fieldsOf(expectProblem(await send(app(), clerk.session, 'POST', '/api/release/amendments', { patientId, receivedOn: '2026-12-01', requestedChange: 'x' }), 400, 'amendment.invalid'))).toEqual(['receivedOn']);
      expect(fieldsOf(expectProblem(await send(app(), clerk.session, 'POST', '/api/release/amendments', { patientId: 'nobody', receivedOn: '2026-11-25', requestedChange: 'x' }), 404, 'patient.not-found'))).toEqual(['patientId']);
      expect((await send(app(), clerk.session, 'GET', `/api/release/patients/${patientId}/amendments`)).json().amendments).toHaveLength(1);
    });
    it('carries amendment and accounting requests to the surviving record in a merge, and back in an unmerge', async () => {
      ctx().clock.set(TODAY);
      const clerk = await signedInUser(app(), ctx(), 'merge.clerk', 'records_clerk');
      const survivor = await registerOverHttp(app(), clerk, 'Kowalczyk');
      const retired = await registerOverHttp(app(), clerk, 'Kowalcyk');
      const amendment = (await send(app(), clerk.session, 'POST', '/api/release/amendments', { patientId: retired, receivedOn: '2026-11-25', requestedChange: 'Spelling of the surname.' })).json().amendment;
      const accounting = (await send(app(), clerk.session, 'POST', '/api/release/accountings', { patientId: retired, receivedOn: '2026-11-25' })).json().request;
      const { merge } = await mergePatients(ctx(), SYSTEM_ACTOR, survivor, retired, 'Same person');
      const ownerOf = async () => [
        (await ctx().db.selectFrom('amendmentRequests').select('patientId').where('id', '=', amendment.id).executeTakeFirstOrThrow()).patientId,
        (await ctx().db.selectFrom('accountingRequests').select('patientId').where('id', '=', accounting.id).executeTakeFirstOrThrow()).patientId,
      ];
      expect(await ownerOf()).toEqual([survivor, survivor]);
      await unmergePatients(ctx(), SYSTEM_ACTOR, merge.id, 'Not the same person');
      expect(await ownerOf()).toEqual([retired, retired]);
    });
  });
}
