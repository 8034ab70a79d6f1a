import { describe, expect, it } from 'vitest';
import { degrees, PDFDocument, StandardFonts } from 'pdf-lib';
import { DIALECTS } from '../../../test/support/chartroom.js';
import { auditEventsWhere, expectProblem, fieldsOf, send, signedInUser, useTestApp, type SignedInUser } from '../../../test/support/http.js';
import { registerOverHttp } from '../../../test/support/patients.js';
import { samplePdf, uploadForm } from '../../../test/support/documents.js';

/** A letter page, a landscape A4 page, and a letter page scanned sideways (/Rotate 90: seen 792 wide). */
async function mixedPages(): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pdf.addPage([612, 792]).drawText('Letter page', { x: 72, y: 700, size: 12, font });
  pdf.addPage([842, 595]).drawText('Landscape page', { x: 72, y: 500, size: 12, font });
  const sideways = pdf.addPage([612, 792]);
  sideways.setRotation(degrees(90));
  sideways.drawText('Sideways page', { x: 72, y: 400, size: 12, font });
  return Buffer.from(await pdf.save());
}

/** The pixel size a PNG declares in its IHDR chunk. */
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

for (const dialect of DIALECTS) {
  describe(`${dialect}: previewing a document's pages to draw redaction boxes`, () => {
    const { app, ctx } = useTestApp(dialect);
    let clerk: SignedInUser;
    let nurse: SignedInUser;
    const setUp = async () => {
      ctx().clock.set(new Date('2026-11-25T09:00:00Z'));
      if (clerk) return;
      clerk = await signedInUser(app(), ctx(), 'preview.clerk', 'records_clerk');
      nurse = await signedInUser(app(), ctx(), 'preview.nurse', 'nurse');
    };
    const upload = async (patientId: string, bytes: Buffer, serviceDate = '2025-06-01') => {
      const form = await uploadForm({ patientId, typeCode: '18842-5', serviceDate, sensitivity: [] }, { bytes, name: 'scan.pdf', type: 'application/pdf' });
      const res = await app().inject({ method: 'POST', url: '/api/documents', payload: form.payload, headers: { ...form.headers, cookie: clerk.session.cookie, 'x-csrf-token': clerk.session.csrfToken } });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().document.id as string;
    };
    /** A request for the patient's 2025 records, in process. */
    const requestFor = async (patientId: string) => {
      const res = await send(app(), clerk.session, 'POST', '/api/release/requests', {
        patientId, receivedOn: '2026-11-25', channel: 'portal',
        requester: { kind: 'patient', name: 'Wren Achterberg' }, basis: { kind: 'right-of-access' }, identityVerification: { method: 'portal-account' },
        scope: { from: '2025-01-01', to: '2025-12-31', wholeRecordSet: true }, format: 'pdf', delivery: { method: 'secure-link', email: 'wren@example.org' },
      });
      expect(res.statusCode, res.body).toBe(201);
      const id = res.json().request.id as string;
      for (const to of ['validated', 'in_process']) expect((await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/status`, { to })).statusCode).toBe(200);
      return id;
    };
    const pagesOf = (user: SignedInUser, id: string, documentId: string) => send(app(), user.session, 'GET', `/api/release/requests/${id}/documents/${documentId}/pages`);
    const imageOf = (user: SignedInUser, id: string, documentId: string, n: number | string) => send(app(), user.session, 'GET', `/api/release/requests/${id}/documents/${documentId}/pages/${n}/image`);
    const contentReads = async (documentId: string) => (await auditEventsWhere(ctx(), { recordId: documentId })).filter((e) => e.recordType === 'document_content');

    it("answers an included document's page count and each page's size in points as it is seen", async () => {
      await setUp();
      const patientId = await registerOverHttp(app(), clerk, 'Achterberg');
      const documentId = await upload(patientId, await mixedPages());
      const id = await requestFor(patientId);
      const res = await pagesOf(clerk, id, documentId);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({
        documentId, pageCount: 3,
        pages: [{ page: 1, width: 612, height: 792 }, { page: 2, width: 842, height: 595 }, { page: 3, width: 792, height: 612 }],
      });
    });

    it('answers each page as a PNG of the seen page, in proportion to its size in points', async () => {
      await setUp();
      const patientId = await registerOverHttp(app(), clerk, 'Vasquez');
      const documentId = await upload(patientId, await mixedPages());
      const id = await requestFor(patientId);
      for (const [n, width, height] of [[1, 612, 792], [2, 842, 595], [3, 792, 612]]) {
        const res = await imageOf(clerk, id, documentId, n);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.headers['content-type']).toBe('image/png');
        expect(res.rawPayload.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
        const size = pngSize(res.rawPayload);
        expect(size.width / size.height, `page ${n}`).toBeCloseTo(width / height, 2);
        expect(size.width, `page ${n}`).toBeGreaterThanOrEqual(width);
      }
    });

    it('refuses a document the request does not release: left out by its dates, or another patient\'s', async () => {
      await setUp();
      const patientId = await registerOverHttp(app(), clerk, 'Haddad');
      await upload(patientId, await samplePdf(1));
      const tooOld = await upload(patientId, await samplePdf(1), '2023-02-01');
      const otherPatient = await upload(await registerOverHttp(app(), clerk, 'Kowalczyk'), await samplePdf(1));
      const id = await requestFor(patientId);
      const selection = (await send(app(), clerk.session, 'GET', `/api/release/requests/${id}/documents`)).json().documents as { documentId: string; included: boolean }[];
      expect(selection.find((d) => d.documentId === tooOld)?.included).toBe(false);
      for (const documentId of [tooOld, otherPatient, 'no-such-document']) {
        expectProblem(await pagesOf(clerk, id, documentId), 404, 'release.document-not-included');
        expectProblem(await imageOf(clerk, id, documentId, 1), 404, 'release.document-not-included');
        expect(await contentReads(documentId)).toEqual([]);
      }
      expectProblem(await pagesOf(clerk, 'no-such-request', tooOld), 404, 'not-found');
    });

    it('refuses a page the document does not have, naming it', async () => {
      await setUp();
      const patientId = await registerOverHttp(app(), clerk, 'Oyelaran');
      const documentId = await upload(patientId, await samplePdf(2));
      const id = await requestFor(patientId);
      expect((await imageOf(clerk, id, documentId, 2)).statusCode).toBe(200);
      expect(fieldsOf(expectProblem(await imageOf(clerk, id, documentId, 3), 400, 'release.document-page'))).toEqual(['n']);
      expectProblem(await imageOf(clerk, id, documentId, 0), 400, 'request.invalid');
      expectProblem(await imageOf(clerk, id, documentId, 'first'), 400, 'request.invalid');
    });

    it('audits each preview as one read of the document, by the clerk, and refuses a role without release.read', async () => {
      await setUp();
      const patientId = await registerOverHttp(app(), clerk, 'Lindgren');
      const documentId = await upload(patientId, await samplePdf(2));
      const id = await requestFor(patientId);
      const before = (await contentReads(documentId)).length;
      expect((await pagesOf(clerk, id, documentId)).statusCode).toBe(200);
      expect((await imageOf(clerk, id, documentId, 1)).statusCode).toBe(200);
      expect((await imageOf(clerk, id, documentId, 2)).statusCode).toBe(200);
      const reads = (await contentReads(documentId)).slice(before);
      expect(reads.map((e) => [e.action, e.actorName, e.patientId, e.outcome])).toEqual(Array.from({ length: 3 }, () => ['read', 'preview.clerk', patientId, 'success']));

      expectProblem(await pagesOf(nurse, id, documentId), 403, 'access.forbidden');
      expectProblem(await imageOf(nurse, id, documentId, 1), 403, 'access.forbidden');
      expect((await contentReads(documentId)).length).toBe(before + 3);
    });

    it('describes both routes in the OpenAPI document, the page sizes with their schema', async () => {
      const doc = (await app().inject({ method: 'GET', url: '/api/openapi.json' })).json();
      const pages = doc.paths['/api/release/requests/{id}/documents/{documentId}/pages'];
      expect(pages).toHaveProperty('get');
      expect(Object.keys(pages.get.responses['200'].content['application/json'].schema.properties)).toEqual(['documentId', 'pageCount', 'pages']);
      expect(doc.paths['/api/release/requests/{id}/documents/{documentId}/pages/{n}/image']).toHaveProperty('get');
    });
  });
}
