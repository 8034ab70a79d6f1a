import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { DIALECTS, type TestChartroom } from '../../test/support/chartroom.js';
import { auditEventsWhere, expectProblem, fieldsOf, send, signedInUser, useTestApp, type SignedInUser } from '../../test/support/http.js';
import { registerOverHttp } from '../../test/support/patients.js';
import { pngDeclaring, sampleImage, samplePdf, uploadForm } from '../../test/support/documents.js';
import { pdfText } from '../../test/support/pdf-text.js';
import { SYSTEM_ACTOR } from '../audit/actions.js';
import { mergePatients, unmergePatients } from '../patients/merge.js';

const MAX_BYTES = 256 * 1024;

async function upload(app: FastifyInstance, user: SignedInUser, url: string, metadata: unknown, file?: { bytes: Buffer; name: string; type?: string }) {
  const { payload, headers } = await uploadForm(metadata, file);
  return send(app, user.session, 'POST', url, payload, headers);
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

const documentCount = async (ctx: TestChartroom) =>
  Number((await ctx.db.selectFrom('documents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

for (const dialect of DIALECTS) {
  describe(`${dialect}: documents over HTTP`, () => {
    const { app, ctx } = useTestApp(dialect, { maxDocumentBytes: MAX_BYTES });

    it("files a PDF to a patient's visit, lists it with filters, and serves it back exactly, each read audited", async () => {
      const clerk = await signedInUser(app(), ctx(), 'doc.clerk', 'records_clerk');
      const patientId = await registerOverHttp(app(), clerk, 'Lindqvist');
      const admitted = await send(app(), clerk.session, 'POST', '/api/encounters', { patientId, type: 'admit', at: '2026-11-20T08:00:00Z', details: { class: 'inpatient' } });
      expect(admitted.statusCode, admitted.body).toBe(201);
      const encounterId = admitted.json().encounter.id;

      const pdf = await samplePdf(2, 'Discharge summary for the visit');
      const filed = await upload(app(), clerk, '/api/documents', {
        patientId, encounterId, typeCode: '18842-5', author: 'Dr. Kwame Osei', serviceDate: '2026-11-22', status: 'final',
        authentication: { signedBy: 'Dr. Kwame Osei', signedAt: '2026-11-22T16:30:00-05:00' }, sensitivity: ['mental-health'],
      }, { bytes: pdf, name: 'discharge summary.pdf', type: 'application/pdf' });
      expect(filed.statusCode, filed.body).toBe(201);
      const document = filed.json().document;
      expect(document).toMatchObject({
        patientId, encounterId, type: { code: '18842-5', display: 'Discharge summary', category: 'summary' }, status: 'final', version: 1,
        authentication: { signedBy: 'Dr. Kwame Osei', signedAt: '2026-11-22T21:30:00.000Z' }, sensitivity: ['mental-health'],
        content: { contentType: 'application/pdf', fileName: 'discharge summary.pdf', size: pdf.length, pageCount: 2 },
      });

      const scan = await sampleImage('tiff');
      const card = await upload(app(), clerk, '/api/documents', { patientId, typeCode: '64290-0', serviceDate: '2026-11-20' }, { bytes: scan, name: 'card.tif', type: 'image/tiff' });
      expect(card.statusCode, card.body).toBe(201);

      const list = async (query = '') => {
        const res = await send(app(), clerk.session, 'GET', `/api/patients/${patientId}/documents${query}`);
        expect(res.statusCode, res.body).toBe(200);
        return (res.json().documents as { type: { code: string } }[]).map((d) => d.type.code);
      };
      expect(await list()).toEqual(['18842-5', '64290-0']);
      expect(await list('?type=64290-0')).toEqual(['64290-0']);
      expect(await list('?category=summary')).toEqual(['18842-5']);
      expect(await list('?category=summary&type=64290-0')).toEqual([]);
      expect(await list(`?encounter=${encounterId}`)).toEqual(['18842-5']);
      expect(await list('?from=2026-11-21&to=2026-11-30')).toEqual(['18842-5']);
      expect(await list('?status=preliminary,entered-in-error')).toEqual([]);
      expectProblem(await send(app(), clerk.session, 'GET', `/api/patients/${patientId}/documents?status=lost`), 400, 'request.invalid');

      const read = await send(app(), clerk.session, 'GET', `/api/documents/${document.id}`);
      expect(read.json().document.versions).toHaveLength(1);
      const content = await send(app(), clerk.session, 'GET', `/api/documents/${document.id}/content?download=true`);
      expect(content.statusCode).toBe(200);
      expect(content.headers['content-type']).toBe('application/pdf');
      expect(content.headers['content-disposition']).toBe(`attachment; filename="discharge summary.pdf"; filename*=UTF-8''discharge%20summary.pdf`);
      expect(content.rawPayload.equals(pdf)).toBe(true);
      expect((await pdfText(new Uint8Array(content.rawPayload))).lines).toContain('Discharge summary for the visit, page 2');
      const tiff = await send(app(), clerk.session, 'GET', `/api/documents/${card.json().document.id}/content`);
      expect(tiff.headers['content-type']).toBe('image/tiff');
      expect(tiff.rawPayload.equals(scan)).toBe(true);

      const events = await auditEventsWhere(ctx(), { patientId });
      expect(events.filter((e) => e.recordId === document.id).map((e) => [e.action, e.recordType])).toEqual([
        ['create', 'document'], ['read', 'document'], ['read', 'document_content'],
      ]);
      expect(events.filter((e) => e.recordType === 'document_list')).toHaveLength(7);

      // At rest, the blobs are neither readable nor named by their content's hash.
      const blobs = filesUnder(join(ctx().dataDir, 'blobs'));
      expect(blobs).toHaveLength(2);
      for (const file of blobs) {
        expect(file).not.toContain(document.content.sha256);
        expect(readFileSync(file).includes(Buffer.from('%PDF-'))).toBe(false);
      }
    });

    it('amends by adding a version: the original stays, with its content, and the reason is kept', async () => {
      const clerk = await signedInUser(app(), ctx(), 'amend.clerk', 'records_clerk');
      const patientId = await registerOverHttp(app(), clerk, 'Marchetti');
      const original = await samplePdf(1, 'Operative note, first dictation');
      const filed = (await upload(app(), clerk, '/api/documents', { patientId, typeCode: '11504-8', serviceDate: '2026-11-18', status: 'final' }, { bytes: original, name: 'op-note.pdf' })).json().document;

      const corrected = await samplePdf(1, 'Operative note, corrected laterality');
      const amended = await upload(app(), clerk, `/api/documents/${filed.id}/versions`, { reason: 'Laterality corrected by the surgeon', expectedVersion: 1 }, { bytes: corrected, name: 'op-note-v2.pdf', type: 'application/pdf' });
      expect(amended.statusCode, amended.body).toBe(201);
      expect(amended.json().document).toMatchObject({ status: 'amended', version: 2, content: { version: 2, reason: 'Laterality corrected by the surgeon', fileName: 'op-note-v2.pdf' } });

      const stale = expectProblem(await upload(app(), clerk, `/api/documents/${filed.id}/versions`, { reason: 'Another change', expectedVersion: 1 }, { bytes: corrected, name: 'v3.pdf' }), 409, 'document.version-changed');
      expect(stale.detail).toMatch(/version 2/);

      const first = await send(app(), clerk.session, 'GET', `/api/documents/${filed.id}/content?version=1`);
      expect(first.rawPayload.equals(original)).toBe(true);
      const current = await send(app(), clerk.session, 'GET', `/api/documents/${filed.id}/content`);
      expect(current.rawPayload.equals(corrected)).toBe(true);
      const detail = (await send(app(), clerk.session, 'GET', `/api/documents/${filed.id}`)).json().document;
      expect(detail.versions.map((v: { version: number; reason: string | null }) => [v.version, v.reason])).toEqual([[2, 'Laterality corrected by the surgeon'], [1, null]]);
      expect(detail.versions[0].sha256).not.toBe(detail.versions[1].sha256);

      const wrong = await send(app(), clerk.session, 'POST', `/api/documents/${filed.id}/entered-in-error`, { reason: 'Filed to the wrong patient' });
      expect(wrong.statusCode, wrong.body).toBe(200);
      expect(wrong.json().document).toMatchObject({ status: 'entered-in-error', enteredInErrorReason: 'Filed to the wrong patient', version: 2 });
      expectProblem(await upload(app(), clerk, `/api/documents/${filed.id}/versions`, { reason: 'Try again' }, { bytes: corrected, name: 'v3.pdf' }), 409, 'document.status-change');
      expectProblem(await send(app(), clerk.session, 'POST', `/api/documents/${filed.id}/entered-in-error`, { reason: 'Twice' }), 409, 'document.status-change');
      const changes = await auditEventsWhere(ctx(), { action: 'update', recordId: filed.id });
      expect(changes.map((e) => JSON.parse(e.details!).change)).toEqual(['new-version', 'entered-in-error']);
    });

    it('refuses to amend while the patient is under legal hold, and a preliminary document may become final', async () => {
      const clerk = await signedInUser(app(), ctx(), 'hold.clerk', 'records_clerk');
      const supervisor = await signedInUser(app(), ctx(), 'hold.supervisor', 'him_supervisor');
      const patientId = await registerOverHttp(app(), clerk, 'Abernathy');
      const filed = (await upload(app(), clerk, '/api/documents', { patientId, typeCode: '11506-3', serviceDate: '2026-11-19', status: 'preliminary' }, { bytes: await samplePdf(), name: 'progress.pdf' })).json().document;
      const final = await upload(app(), clerk, `/api/documents/${filed.id}/versions`, { reason: 'Signed by the author', status: 'final', authentication: { signedBy: 'Dr. Ines Ferreira', signedAt: '2026-11-19T18:00:00Z' } }, { bytes: await samplePdf(1, 'Signed'), name: 'progress.pdf' });
      expect(final.json().document).toMatchObject({ status: 'final', version: 2, authentication: { signedBy: 'Dr. Ines Ferreira' } });

      const hold = await send(app(), supervisor.session, 'PUT', `/api/patients/${patientId}/legal-hold`, { reason: 'Litigation notice 2026-114' });
      expect(hold.statusCode, hold.body).toBe(200);
      expectProblem(await upload(app(), clerk, `/api/documents/${filed.id}/versions`, { reason: 'Late entry' }, { bytes: await samplePdf(1, 'Late'), name: 'late.pdf' }), 423, 'document.legal-hold');
    });

    it('refuses bad files with a clear problem, storing nothing', async () => {
      const clerk = await signedInUser(app(), ctx(), 'bad.clerk', 'records_clerk');
      const patientId = await registerOverHttp(app(), clerk, 'Okonkwo');
      const meta = { patientId, typeCode: '34117-2', serviceDate: '2026-11-21' };
      const blobsDir = join(ctx().dataDir, 'blobs');
      const before = { documents: await documentCount(ctx()), blobs: filesUnder(blobsDir).length };
      const png = await sampleImage('png');

      const cases: [Promise<Awaited<ReturnType<typeof upload>>>, number, string, string[]?][] = [
        [upload(app(), clerk, '/api/documents', meta, { bytes: png, name: 'hp.pdf', type: 'application/pdf' }), 400, 'document.type-mismatch', ['contentType']],
        [upload(app(), clerk, '/api/documents', meta, { bytes: await samplePdf(), name: '../../etc/hp.pdf', type: 'application/pdf' }), 400, 'document.file-name', ['fileName']],
        [upload(app(), clerk, '/api/documents', meta, { bytes: Buffer.from('%PDF-1.7 broken'), name: 'hp.pdf' }), 400, 'document.corrupt', ['file']],
        [upload(app(), clerk, '/api/documents', meta, { bytes: await pngDeclaring(90_000, 90_000), name: 'hp.png', type: 'image/png' }), 400, 'document.image-too-large', ['file']],
        [upload(app(), clerk, '/api/documents', meta, { bytes: Buffer.concat([await samplePdf(), Buffer.alloc(MAX_BYTES)]), name: 'big.pdf' }), 413, 'document.too-large'],
        [upload(app(), clerk, '/api/documents', { ...meta, typeCode: '99999-9', sensitivity: ['gossip'] }, { bytes: await samplePdf(), name: 'hp.pdf' }), 400, 'request.invalid', ['metadata.typeCode', 'metadata.sensitivity.0']],
        [upload(app(), clerk, '/api/documents', meta), 400, 'document.upload-form', ['file']],
        [upload(app(), clerk, '/api/documents', '{not json', { bytes: await samplePdf(), name: 'hp.pdf' }), 400, 'document.upload-form', ['metadata']],
        [send(app(), clerk.session, 'POST', '/api/documents', meta), 400, 'document.upload-form'],
      ];
      for (const [response, status, code, fields] of cases) {
        const problem = expectProblem(await response, status, code);
        if (fields) expect(fieldsOf(problem)).toEqual(fields);
      }
      expect(await documentCount(ctx())).toBe(before.documents);
      expect(filesUnder(blobsDir).length).toBe(before.blobs);
      expect(filesUnder(join(blobsDir, 'tmp'))).toEqual([]);
    });

    it("keeps documents to those whose role reads them, and to a patient's visits", async () => {
      const clerk = await signedInUser(app(), ctx(), 'perm.clerk', 'records_clerk');
      const auditor = await signedInUser(app(), ctx(), 'perm.auditor', 'auditor');
      const patientId = await registerOverHttp(app(), clerk, 'Vasquez');
      const otherId = await registerOverHttp(app(), clerk, 'Whitlock');
      const otherVisit = (await send(app(), clerk.session, 'POST', '/api/encounters', { patientId: otherId, type: 'register', at: '2026-11-20T08:00:00Z', details: { class: 'emergency' } })).json().encounter.id;
      expectProblem(await upload(app(), clerk, '/api/documents', { patientId, encounterId: otherVisit, typeCode: '34111-5', serviceDate: '2026-11-20' }, { bytes: await samplePdf(), name: 'ed.pdf' }), 400, 'document.encounter');
      const filed = await upload(app(), clerk, '/api/documents', { patientId, typeCode: '34111-5', serviceDate: '2026-11-20' }, { bytes: await samplePdf(), name: 'ed.pdf' });
      expect(filed.statusCode).toBe(201);
      expectProblem(await send(app(), auditor.session, 'GET', `/api/documents/${filed.json().document.id}/content`), 403, 'access.forbidden');
      expectProblem(await upload(app(), auditor, '/api/documents', { patientId, typeCode: '34111-5', serviceDate: '2026-11-20' }, { bytes: await samplePdf(), name: 'ed.pdf' }), 403, 'access.forbidden');
      expectProblem(await send(app(), clerk.session, 'GET', '/api/documents/nope/content'), 404, 'not-found');
    });

    it("carries a patient's documents with a merge and back with its undo", async () => {
      const clerk = await signedInUser(app(), ctx(), 'merge.clerk', 'records_clerk');
      const survivor = await registerOverHttp(app(), clerk, 'Fairweather');
      const retired = await registerOverHttp(app(), clerk, 'Fairwether');
      const filed = (await upload(app(), clerk, '/api/documents', { patientId: retired, typeCode: '59284-0', serviceDate: '2026-11-01' }, { bytes: await sampleImage('jpeg'), name: 'consent.jpg' })).json().document;
      const { merge } = await mergePatients(ctx(), SYSTEM_ACTOR, survivor, retired, 'Same person');
      const moved = await send(app(), clerk.session, 'GET', `/api/patients/${survivor}/documents`);
      expect(moved.json().documents.map((d: { id: string }) => d.id)).toEqual([filed.id]);
      expectProblem(await upload(app(), clerk, '/api/documents', { patientId: retired, typeCode: '59284-0', serviceDate: '2026-11-01' }, { bytes: await sampleImage('jpeg'), name: 'consent.jpg' }), 409, 'patient.merged');
      await unmergePatients(ctx(), SYSTEM_ACTOR, merge.id, 'Not the same person');
      const back = await send(app(), clerk.session, 'GET', `/api/patients/${retired}/documents`);
      expect(back.json().documents.map((d: { id: string }) => d.id)).toEqual([filed.id]);
    });
  });
}
