import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { DIALECTS } from '../../../test/support/chartroom.js';
import { auditEventsWhere, expectProblem, fieldsOf, send, signedInUser, useTestApp, type SignedInUser } from '../../../test/support/http.js';
import { patientInput } from '../../../test/support/patients.js';
import { samplePdf, uploadForm } from '../../../test/support/documents.js';
import { pdfText } from '../../../test/support/pdf-text.js';

let born = 0;
/** A patient with a given birth date (unique family names keep the duplicate check quiet). */
async function register(app: FastifyInstance, user: SignedInUser, birthDate: string): Promise<{ id: string; mrn: string }> {
  born += 1;
  const res = await send(app, user.session, 'POST', '/api/patients', patientInput({ family: `Retention${'abcdefghij'[born % 10]}${born}`, given: `Pat${born}`, birthDate, ssn: undefined, phones: [], email: undefined, addresses: [] }));
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().patient.id, mrn: res.json().patient.mrn };
}

async function file(app: FastifyInstance, user: SignedInUser, patientId: string, serviceDate: string, bytes?: Buffer, typeCode = '11506-3'): Promise<string> {
  const { payload, headers } = await uploadForm({ patientId, typeCode, serviceDate }, { bytes: bytes ?? await samplePdf(1, `Note of ${patientId} on ${serviceDate}`), name: 'note.pdf' });
  const res = await send(app, user.session, 'POST', '/api/documents', payload, headers);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().document.id;
}

async function eligibleIds(app: FastifyInstance, user: SignedInUser, query = ''): Promise<string[]> {
  const res = await send(app, user.session, 'GET', `/api/retention/eligible${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().documents as { id: string }[]).map((d) => d.id);
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: retention and legal hold`, () => {
    const { app, ctx } = useTestApp(dialect);
    let clerk: SignedInUser;
    let supervisor: SignedInUser;
    let second: SignedInUser;
    const signInAll = async (suffix: string) => {
      clerk = await signedInUser(app(), ctx(), `ret.clerk${suffix}`, 'records_clerk');
      supervisor = await signedInUser(app(), ctx(), `ret.supervisor${suffix}`, 'him_supervisor');
      second = await signedInUser(app(), ctx(), `ret.second${suffix}`, 'him_supervisor');
    };

    it('keeps the seeded default, refuses a rule below the federal floor, and lets only a supervisor change rules', async () => {
      await signInAll('');
      const rules = await send(app(), clerk.session, 'GET', '/api/retention/rules');
      expect(rules.json()).toMatchObject({ floorYears: 6, rules: [{ scope: 'default', appliesTo: '', adultYears: 10, majorityAge: 18, minorYearsAfterMajority: 10 }] });
      const below = expectProblem(await send(app(), supervisor.session, 'PUT', '/api/retention/rules', { scope: 'default', adultYears: 5, majorityAge: 18, minorYearsAfterMajority: 10 }), 400, 'retention.below-floor');
      expect(fieldsOf(below)).toEqual(['adultYears']);
      expectProblem(await send(app(), supervisor.session, 'PUT', '/api/retention/rules', { scope: 'type', appliesTo: '99999-9', adultYears: 10, majorityAge: 18, minorYearsAfterMajority: 10 }), 400, 'retention.rule-target');
      expectProblem(await send(app(), clerk.session, 'PUT', '/api/retention/rules', { scope: 'default', adultYears: 12, majorityAge: 18, minorYearsAfterMajority: 10 }), 403, 'access.forbidden');
      const saved = await send(app(), supervisor.session, 'PUT', '/api/retention/rules', { scope: 'type', appliesTo: '59284-0', adultYears: 25, majorityAge: 18, minorYearsAfterMajority: 10 });
      expect(saved.statusCode, saved.body).toBe(200);
      expect((await auditEventsWhere(ctx(), { recordId: saved.json().rule.id })).map((e) => e.action)).toEqual(['create']);
      const removed = await send(app(), supervisor.session, 'DELETE', `/api/retention/rules/${saved.json().rule.id}`);
      expect(removed.statusCode).toBe(204);
      const defaultId = rules.json().rules[0].id;
      expectProblem(await send(app(), supervisor.session, 'DELETE', `/api/retention/rules/${defaultId}`), 409, 'retention.default-required');
    });

    it("holds block versions, entered-in-error and destruction; a destruction needs a second supervisor and removes content another document does not share", async () => {
      const adult = await register(app(), clerk, '1950-03-01');
      const other = await register(app(), clerk, '1951-04-02');
      const shared = await samplePdf(1, 'The same consent form filed twice');
      const held = await file(app(), clerk, adult.id, '2015-01-10');
      const unique = await file(app(), clerk, adult.id, '2015-02-10');
      const sharing = await file(app(), clerk, adult.id, '2015-03-10', shared);
      const keeper = await file(app(), clerk, other.id, '2025-03-10', shared);
      const recent = await file(app(), clerk, adult.id, '2020-03-10');
      expect(await eligibleIds(app(), clerk)).toEqual([held, unique, sharing]);

      const placed = await send(app(), supervisor.session, 'POST', '/api/legal-holds', { patientId: adult.id, documentIds: [held], matter: 'Smith v. Hospital', reason: 'Litigation hold notice of 2026-11-01' });
      expect(placed.statusCode, placed.body).toBe(201);
      const hold = placed.json().hold;
      expect(hold).toMatchObject({ scope: 'documents', documentIds: [held], matter: 'Smith v. Hospital', releasedAt: null, patient: { mrn: adult.mrn } });
      expectProblem(await send(app(), clerk.session, 'POST', '/api/legal-holds', { patientId: adult.id, matter: 'x y', reason: 'clerks do not hold' }), 403, 'access.forbidden');
      expect(await eligibleIds(app(), clerk)).toEqual([unique, sharing]);
      const { payload, headers } = await uploadForm({ reason: 'Late entry' }, { bytes: await samplePdf(1, 'Late'), name: 'late.pdf' });
      expectProblem(await send(app(), clerk.session, 'POST', `/api/documents/${held}/versions`, payload, headers), 423, 'document.legal-hold');
      expectProblem(await send(app(), clerk.session, 'POST', `/api/documents/${held}/entered-in-error`, { reason: 'Wrong patient' }), 423, 'document.legal-hold');
      const heldProposal = expectProblem(await send(app(), clerk.session, 'POST', '/api/retention/destructions', { documentIds: [held, unique], reason: 'Retention schedule 2026' }), 423, 'document.legal-hold');
      expect(fieldsOf(heldProposal)).toEqual([`documentIds.${held}`]);
      expectProblem(await send(app(), clerk.session, 'POST', '/api/retention/destructions', { documentIds: [recent], reason: 'Retention schedule 2026' }), 409, 'destruction.not-eligible');

      const proposed = await send(app(), clerk.session, 'POST', '/api/retention/destructions', { documentIds: [unique, sharing], reason: 'Retention schedule 2026' });
      expect(proposed.statusCode, proposed.body).toBe(201);
      const batch = proposed.json().destruction;
      expect(batch).toMatchObject({ status: 'proposed', method: 'Encrypted content deleted from the document store', proposedBy: clerk.username });
      expectProblem(await send(app(), clerk.session, 'POST', `/api/retention/destructions/${batch.id}/approve`), 403, 'access.forbidden');

      // A supervisor's own proposal waits for another supervisor.
      const own = (await send(app(), supervisor.session, 'POST', '/api/retention/destructions', { documentIds: [], reason: 'Nothing' }));
      expect(own.statusCode).toBe(400);
      const versionsBefore = await ctx().db.selectFrom('documentVersions').select(['documentId', 'blobSha256']).where('documentId', 'in', [unique, sharing]).execute();
      const approved = await send(app(), second.session, 'POST', `/api/retention/destructions/${batch.id}/approve`);
      expect(approved.statusCode, approved.body).toBe(200);
      expect(approved.json().destruction).toMatchObject({ status: 'approved', decidedBy: second.username, certificateNumber: 'COD-2026-000001' });
      expectProblem(await send(app(), second.session, 'POST', `/api/retention/destructions/${batch.id}/approve`), 409, 'destruction.status-change');

      const gone = expectProblem(await send(app(), clerk.session, 'GET', `/api/documents/${unique}/content`), 410, 'document.destroyed');
      expect(gone.detail).not.toContain(adult.mrn);
      expect((await send(app(), clerk.session, 'GET', `/api/documents/${unique}`)).json().document).toMatchObject({ status: 'destroyed', serviceDate: '2015-02-10' });
      const uniqueSha = versionsBefore.find((v) => v.documentId === unique)!.blobSha256;
      const sharedSha = versionsBefore.find((v) => v.documentId === sharing)!.blobSha256;
      expect(await ctx().blobs.exists(uniqueSha)).toBe(false);
      expect(await ctx().blobs.exists(sharedSha)).toBe(true);
      const kept = await send(app(), clerk.session, 'GET', `/api/documents/${keeper}/content`);
      expect(kept.statusCode).toBe(200);
      expect(kept.rawPayload.equals(shared)).toBe(true);
      expect(await eligibleIds(app(), clerk)).toEqual([]);

      const deletes = await auditEventsWhere(ctx(), { action: 'delete', patientId: adult.id });
      expect(deletes.map((e) => e.recordId).sort()).toEqual([unique, sharing].sort());
      expect(deletes.every((e) => e.actorName === second.username && e.recordType === 'document')).toBe(true);

      expectProblem(await send(app(), clerk.session, 'GET', `/api/retention/destructions/${batch.id}/certificate`), 403, 'access.forbidden');
      const certificate = await send(app(), supervisor.session, 'GET', `/api/retention/destructions/${batch.id}/certificate`);
      expect(certificate.statusCode).toBe(200);
      expect(certificate.headers['content-type']).toBe('application/pdf');
      const { lines } = await pdfText(new Uint8Array(certificate.rawPayload));
      const text = lines.join('\n');
      expect(text).toContain('Certificate of destruction COD-2026-000001');
      expect(lines).toContain(`${unique}  MRN ${adult.mrn}  11506-3 Progress note`);
      expect(text).toContain(`service 2015-02-10, eligible from 2025-02-10, 1 version(s)\n    SHA-256 ${versionsBefore.find((v) => v.documentId === unique)!.blobSha256}`);
      expect(text).toContain(`Proposed by:\n${clerk.username}`);
      expect(text).toContain(`Approved by:\n${second.username}`);
      expect(text).toContain('Method:\nEncrypted content deleted from the document store');

      const released = await send(app(), supervisor.session, 'POST', `/api/legal-holds/${hold.id}/release`, { reason: 'Case settled 2026-11-20' });
      expect(released.json().hold).toMatchObject({ releasedBy: supervisor.username, releaseReason: 'Case settled 2026-11-20' });
      expectProblem(await send(app(), supervisor.session, 'POST', `/api/legal-holds/${hold.id}/release`, { reason: 'Again and again' }), 409, 'legal-hold.released');
      expect(await eligibleIds(app(), clerk)).toEqual([held]);
      expect((await auditEventsWhere(ctx(), { recordId: hold.id })).map((e) => e.action)).toEqual(['create', 'update']);

      // A document hold on the record merged away refuses the merge.
      const wholePatient = await send(app(), supervisor.session, 'POST', '/api/legal-holds', { patientId: other.id, matter: 'Audit 2026', reason: 'Payer audit of 2025 claims' });
      expect(wholePatient.json().hold).toMatchObject({ scope: 'patient', documentIds: [] });
      expect(await eligibleIds(app(), clerk)).toEqual([held]);
      expectProblem(await send(app(), supervisor.session, 'POST', '/api/merges', { survivorId: adult.id, retiredId: other.id, reason: 'same person' }), 409, 'patient.legal-hold');
      expect((await send(app(), clerk.session, 'GET', `/api/documents/${keeper}`)).json().document.patientId).toBe(other.id);
      await send(app(), supervisor.session, 'POST', `/api/legal-holds/${wholePatient.json().hold.id}/release`, { reason: 'Audit closed' });
      const holds = await send(app(), supervisor.session, 'GET', '/api/legal-holds?active=false');
      expect(holds.json().holds.map((h: { id: string }) => h.id)).toContain(hold.id);

      // The orphan sweep keeps the certificate and the shared content.
      const { sweepOrphanBlobs } = await import('../orphan-sweep.js');
      await sweepOrphanBlobs(ctx(), new Date(Date.now() + 86_400_000));
      expect((await send(app(), supervisor.session, 'GET', `/api/retention/destructions/${batch.id}/certificate`)).statusCode).toBe(200);
      expect((await send(app(), clerk.session, 'GET', `/api/documents/${keeper}/content`)).statusCode).toBe(200);
    });

    it('approval checks again: a hold placed on the record after the proposal stops it, and the proposer may not approve', async () => {
      const adult = await register(app(), clerk, '1952-05-03');
      const doc = await file(app(), clerk, adult.id, '2014-06-01');
      const proposed = await send(app(), supervisor.session, 'POST', '/api/retention/destructions', { documentIds: [doc], reason: 'Retention schedule 2026', method: 'Shredded on site' });
      expect(proposed.statusCode, proposed.body).toBe(201);
      const batchId = proposed.json().destruction.id;
      expectProblem(await send(app(), supervisor.session, 'POST', `/api/retention/destructions/${batchId}/approve`), 403, 'destruction.own-proposal');
      expect((await send(app(), supervisor.session, 'PUT', `/api/patients/${adult.id}/legal-hold`, { reason: 'Subpoena 2026-77' })).statusCode).toBe(200);
      expect(await eligibleIds(app(), clerk)).not.toContain(doc);
      expectProblem(await send(app(), second.session, 'POST', `/api/retention/destructions/${batchId}/approve`), 423, 'document.legal-hold');
      expect((await send(app(), clerk.session, 'GET', `/api/documents/${doc}/content`)).statusCode).toBe(200);
      const rejected = await send(app(), second.session, 'POST', `/api/retention/destructions/${batchId}/reject`, { reason: 'Record under subpoena' });
      expect(rejected.json().destruction).toMatchObject({ status: 'rejected', decisionReason: 'Record under subpoena', certificateNumber: null });
      const list = await send(app(), clerk.session, 'GET', '/api/retention/destructions?status=rejected');
      expect(list.json().destructions.map((d: { id: string }) => d.id)).toEqual([batchId]);
    });

    it("computes eligibility through the clock: an adult's document after ten years, a minor's after majority plus ten", async () => {
      const adult = await register(app(), clerk, '1960-01-15');
      const minor = await register(app(), clerk, '2010-05-01');
      const adultDoc = await file(app(), clerk, adult.id, '2017-01-10');
      const minorDoc = await file(app(), clerk, minor.id, '2012-01-01');
      const before = await eligibleIds(app(), clerk);
      expect(before).not.toContain(adultDoc);
      expect(before).not.toContain(minorDoc);

      ctx().clock.set(new Date('2027-02-01T09:00:00Z'));
      await signInAll('.2027');
      const in2027 = await eligibleIds(app(), clerk);
      expect(in2027).toContain(adultDoc);
      expect(in2027).not.toContain(minorDoc); // until 2038-05-01: majority 2028 + 10

      ctx().clock.set(new Date('2038-05-02T09:00:00Z'));
      await signInAll('.2038');
      expect(await eligibleIds(app(), clerk, '?type=11506-3')).toContain(minorDoc);
      expect(await eligibleIds(app(), clerk, '?type=18842-5')).toEqual([]);

      // A longer rule for progress notes is applied at once.
      const longer = await send(app(), supervisor.session, 'PUT', '/api/retention/rules', { scope: 'type', appliesTo: '11506-3', adultYears: 30, majorityAge: 18, minorYearsAfterMajority: 10 });
      expect(longer.statusCode, longer.body).toBe(200);
      expect(await eligibleIds(app(), clerk)).toEqual([]);
    });
  });
}
