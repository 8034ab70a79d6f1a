import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { PDFDocument } from 'pdf-lib';
import type * as fhir4 from 'fhir/r4.js';
import { DIALECTS } from '../../../test/support/chartroom.js';
import { auditEventsWhere, expectProblem, send, signedInUser, useTestApp, type SignedInUser } from '../../../test/support/http.js';
import { patientInput, registerOverHttp } from '../../../test/support/patients.js';
import { multiPageTiff, sampleImage, samplePdf, uploadForm } from '../../../test/support/documents.js';
import { pdfText } from '../../../test/support/pdf-text.js';

async function file(app: FastifyInstance, user: SignedInUser, patientId: string, metadata: Record<string, unknown>, content: { bytes: Buffer; name: string }) {
  const { payload, headers } = await uploadForm({ patientId, ...metadata }, content);
  const res = await send(app, user.session, 'POST', '/api/documents', payload, headers);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().document as { id: string; version: number };
}

const pageCount = async (bytes: Buffer) => (await PDFDocument.load(bytes)).getPageCount();

for (const dialect of DIALECTS) {
  describe(`${dialect}: conversion`, () => {
    const { app, ctx } = useTestApp(dialect);

    it('answers any document as a PDF: a PDF as stored, a TIFF one page per image page; viewing and printing audited apart', async () => {
      const clerk = await signedInUser(app(), ctx(), 'pdf.clerk', 'records_clerk');
      const patientId = await registerOverHttp(app(), clerk, 'Achterberg');
      const pdf = await samplePdf(2, 'Consultation');
      const note = await file(app(), clerk, patientId, { typeCode: '11488-4', serviceDate: '2026-10-01' }, { bytes: pdf, name: 'consult.pdf' });
      const scan = await file(app(), clerk, patientId, { typeCode: '64290-0', serviceDate: '2026-10-02' }, { bytes: await multiPageTiff(3), name: 'insurance card.tif' });
      const photo = await file(app(), clerk, patientId, { typeCode: '64290-0', serviceDate: '2026-10-02' }, { bytes: await sampleImage('jpeg'), name: 'card.jpg' });

      const asStored = await send(app(), clerk.session, 'GET', `/api/documents/${note.id}/pdf`);
      expect(asStored.statusCode, asStored.body).toBe(200);
      expect(asStored.headers['content-type']).toBe('application/pdf');
      expect(asStored.rawPayload.equals(pdf)).toBe(true);

      const converted = await send(app(), clerk.session, 'GET', `/api/documents/${scan.id}/pdf?purpose=print`);
      expect(converted.statusCode, converted.body).toBe(200);
      expect(converted.headers['content-disposition']).toBe(`inline; filename="insurance card.pdf"; filename*=UTF-8''insurance%20card.pdf`);
      expect(await pageCount(converted.rawPayload)).toBe(3);
      const photoPdf = await send(app(), clerk.session, 'GET', `/api/documents/${photo.id}/pdf?version=1`);
      expect(photoPdf.statusCode, photoPdf.body).toBe(200);
      expect(await pageCount(photoPdf.rawPayload)).toBe(1);

      const events = (await auditEventsWhere(ctx(), { patientId })).filter((e) => e.recordType === 'document_content');
      expect(events.map((e) => [e.recordId, e.action])).toEqual([[note.id, 'read'], [scan.id, 'print'], [photo.id, 'read']]);

      expectProblem(await send(app(), clerk.session, 'GET', `/api/documents/${note.id}/pdf?version=9`), 404, 'not-found');
      expectProblem(await send(app(), clerk.session, 'GET', `/api/documents/${note.id}/pdf?purpose=fax`), 400, 'request.invalid');
      expectProblem(await send(app(), clerk.session, 'GET', '/api/documents/0190f000-0000-7000-8000-000000000000/pdf'), 404, 'not-found');
      const paths = Object.keys((await app().inject({ method: 'GET', url: '/api/openapi.json' })).json().paths);
      expect(paths).toEqual(expect.arrayContaining(['/api/documents/{id}/pdf', '/api/patients/{id}/chart-pdf', '/api/patients/{id}/chart-bundle']));
    });

    it('prints the chart as one PDF: cover, table of contents, every page numbered with the patient and MRN; entered-in-error left out unless chosen', async () => {
      const clerk = await signedInUser(app(), ctx(), 'chart.clerk', 'records_clerk');
      const patientId = await registerOverHttp(app(), clerk, 'Valdivia');
      const mrn = (await send(app(), clerk.session, 'GET', `/api/patients/${patientId}`)).json().patient.mrn;
      const summary = await file(app(), clerk, patientId, { typeCode: '18842-5', serviceDate: '2026-11-02', title: 'Discharge after pneumonia', sensitivity: ['mental-health'] }, { bytes: await samplePdf(2, 'Discharge summary text'), name: 'ds.pdf' });
      const hp = await file(app(), clerk, patientId, { typeCode: '34117-2', serviceDate: '2026-10-28' }, { bytes: await samplePdf(1, 'History and physical text'), name: 'hp.pdf' });
      const card = await file(app(), clerk, patientId, { typeCode: '64290-0', serviceDate: '2026-10-29' }, { bytes: await multiPageTiff(3), name: 'card.tif' });
      const wrong = await file(app(), clerk, patientId, { typeCode: '11506-3', serviceDate: '2026-10-30' }, { bytes: await samplePdf(4, 'Progress note of another patient'), name: 'wrong.pdf' });
      expect((await send(app(), clerk.session, 'POST', `/api/documents/${wrong.id}/entered-in-error`, { reason: 'Filed to the wrong patient' })).statusCode).toBe(200);

      const res = await send(app(), clerk.session, 'POST', `/api/patients/${patientId}/chart-pdf`, {});
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="medical-record.pdf"/);
      const { pages, lines } = await pdfText(new Uint8Array(res.rawPayload));
      // Cover, contents, then 1 + 3 + 2 document pages in date-of-service order; the 4 entered-in-error pages left out.
      expect(pages).toBe(2 + 6);
      expect(res.headers['x-chart-pages']).toBe('8');
      expect(lines).toContain('2026-10-28  History and physical note');
      expect(lines).toContain('2026-11-02  Discharge summary: Discharge after pneumonia');
      const pageRefs = lines.filter((l) => /^page \d+$/.test(l));
      expect(pageRefs).toEqual(['page 3', 'page 4', 'page 7']);
      expect(lines.some((l) => l.includes('Progress note'))).toBe(false);
      for (let n = 1; n <= 8; n++) expect(lines).toContain(`VALDIVIA, William James \u00b7 MRN ${mrn} \u00b7 Page ${n} of 8`);
      expect(lines).toContain('History and physical text, page 1');
      expect(lines).toContain('Discharge summary text, page 2');
      expect(lines).toContain(mrn);
      expect(lines).toContain('chart.clerk');

      const chosen = await send(app(), clerk.session, 'POST', `/api/patients/${patientId}/chart-pdf`, { documentIds: [wrong.id, summary.id] });
      expect(chosen.statusCode, chosen.body).toBe(200);
      const chosenText = await pdfText(new Uint8Array(chosen.rawPayload));
      expect(chosenText.pages).toBe(2 + 4 + 2);
      expect(chosenText.lines).toContain('2026-10-30  Progress note (entered in error)');

      const filtered = await send(app(), clerk.session, 'POST', `/api/patients/${patientId}/chart-pdf`, { filters: { category: 'summary' } });
      expect((await pdfText(new Uint8Array(filtered.rawPayload))).pages).toBe(2 + 2);
      const sensitive = await send(app(), clerk.session, 'GET', `/api/patients/${patientId}/documents?sensitivity=mental-health`);
      expect(sensitive.json().documents.map((d: { id: string }) => d.id)).toEqual([summary.id]);
      expect((await send(app(), clerk.session, 'GET', `/api/patients/${patientId}/documents?sensitivity=genetic`)).json().documents).toEqual([]);

      const prints = (await auditEventsWhere(ctx(), { patientId, action: 'print' })).filter((e) => e.recordType === 'chart');
      expect(prints).toHaveLength(3);
      expect(prints.every((e) => e.actorName === 'chart.clerk' && e.recordId === patientId)).toBe(true);
      expect(JSON.parse(prints[0].details!)).toEqual({ documents: `${hp.id}.1,${card.id}.1,${summary.id}.1`, count: 3, pages: 8 });
      expect(prints[0].details).not.toContain('VALDIVIA');
    });

    it('exports the chart as a FHIR collection Bundle whose attachments are the stored bytes, audited as an export', async () => {
      const clerk = await signedInUser(app(), ctx(), 'bundle.clerk', 'records_clerk');
      const patientId = await registerOverHttp(app(), clerk, 'Nakashima');
      const pdf = await samplePdf(1, 'Operative note');
      const tiff = await multiPageTiff(2);
      const op = await file(app(), clerk, patientId, { typeCode: '11504-8', serviceDate: '2026-11-10', author: 'Dr. Hale' }, { bytes: pdf, name: 'op.pdf' });
      const scan = await file(app(), clerk, patientId, { typeCode: '64290-0', serviceDate: '2026-11-09' }, { bytes: tiff, name: 'scan.tiff' });

      const res = await send(app(), clerk.session, 'POST', `/api/patients/${patientId}/chart-bundle`, {});
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
      const bundle = res.json() as fhir4.Bundle;
      expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection', identifier: { system: 'urn:ietf:rfc:3986' }, timestamp: '2026-11-25T09:00:00.000Z' });
      expect(bundle.entry!.every((e) => e.fullUrl && e.resource && !('search' in e) && !('request' in e))).toBe(true);
      const [patientEntry, ...documentEntries] = bundle.entry!;
      expect(patientEntry.resource).toMatchObject({ resourceType: 'Patient', id: patientId, name: [expect.objectContaining({ family: 'Nakashima' })] });
      expect(patientEntry.fullUrl).toMatch(new RegExp(`/fhir/R4/Patient/${patientId}$`));
      expect(documentEntries.map((e) => e.resource!.id)).toEqual([scan.id, op.id]);
      for (const [entry, bytes] of [[documentEntries[0], tiff], [documentEntries[1], pdf]] as const) {
        const reference = entry.resource as fhir4.DocumentReference;
        expect(reference.subject).toEqual({ reference: `Patient/${patientId}` });
        const attachment = reference.content[0].attachment;
        expect(Buffer.from(attachment.data!, 'base64').equals(bytes)).toBe(true);
        expect(attachment.hash).toBe(createHash('sha1').update(bytes).digest('base64'));
        expect(attachment.size).toBe(bytes.length);
      }
      expect((documentEntries[1].resource as fhir4.DocumentReference).content[0].attachment).toMatchObject({ contentType: 'application/pdf', title: 'op.pdf' });

      const exports = await auditEventsWhere(ctx(), { patientId, action: 'export' });
      expect(exports).toHaveLength(1);
      expect(JSON.parse(exports[0].details!)).toMatchObject({ documents: `${scan.id}.1,${op.id}.1`, count: 2 });
    });

    it('refuses what it should: no permission, a restricted record, an unknown patient, another patient\'s document, nothing to print', async () => {
      const clerk = await signedInUser(app(), ctx(), 'refuse.clerk', 'records_clerk');
      const registrar = await signedInUser(app(), ctx(), 'refuse.registrar', 'registrar');
      const patientId = await registerOverHttp(app(), clerk, 'Oyelaran');
      const other = await registerOverHttp(app(), clerk, 'Brennan');
      const doc = await file(app(), clerk, patientId, { typeCode: '18842-5', serviceDate: '2026-11-01' }, { bytes: await samplePdf(), name: 'ds.pdf' });
      const theirs = await file(app(), clerk, other, { typeCode: '18842-5', serviceDate: '2026-11-01' }, { bytes: await samplePdf(), name: 'ds.pdf' });

      for (const [method, url] of [['GET', `/api/documents/${doc.id}/pdf`], ['POST', `/api/patients/${patientId}/chart-pdf`], ['POST', `/api/patients/${patientId}/chart-bundle`]] as const) {
        expectProblem(await send(app(), registrar.session, method, url, method === 'POST' ? {} : undefined), 403, 'access.forbidden');
      }
      for (const path of ['chart-pdf', 'chart-bundle']) {
        expectProblem(await send(app(), clerk.session, 'POST', `/api/patients/0190f000-0000-7000-8000-000000000000/${path}`, {}), 404, 'not-found');
        expectProblem(await send(app(), clerk.session, 'POST', `/api/patients/${patientId}/${path}`, { documentIds: [doc.id, theirs.id] }), 400, 'chart.document-not-in-chart');
        expectProblem(await send(app(), clerk.session, 'POST', `/api/patients/${patientId}/${path}`, { filters: { from: '2030-01-01' } }), 400, 'chart.empty');
        expectProblem(await send(app(), clerk.session, 'POST', `/api/patients/${patientId}/${path}`, { filters: { status: ['lost'] } }), 400, 'request.invalid');
      }

      const restricted = await send(app(), clerk.session, 'POST', '/api/patients', patientInput({ family: 'Quist', birthDate: '1971-03-03', ssn: undefined, flags: { vip: false, employee: false, restricted: true, doNotRelease: false } }));
      expect(restricted.statusCode, restricted.body).toBe(201);
      const restrictedId = restricted.json().patient.id;
      expectProblem(await send(app(), clerk.session, 'POST', `/api/patients/${restrictedId}/chart-pdf`, {}), 403, 'access.emergency-available');
      expectProblem(await send(app(), clerk.session, 'POST', `/api/patients/${restrictedId}/chart-bundle`, {}), 403, 'access.emergency-available');
      expect(await auditEventsWhere(ctx(), { action: 'print', patientId })).toHaveLength(0);
      expect(await auditEventsWhere(ctx(), { action: 'export', patientId })).toHaveLength(0);
    });
  });
}
