import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { PDFDocument } from 'pdf-lib';
import { DIALECTS, type TestChartroom } from '../../../test/support/chartroom.js';
import { auditEventsWhere, expectProblem, send, signedInUser, useTestApp, type SignedInUser } from '../../../test/support/http.js';
import { registerOverHttp } from '../../../test/support/patients.js';
import { encryptedPdf, pngDeclaring, sampleImage, samplePdf, uploadForm } from '../../../test/support/documents.js';
import { scanPdfPage, scannedBatchPdf, scannedBatchTiff, scannedContentPage } from '../../../test/support/scanning.js';
import { pdfText } from '../../../test/support/pdf-text.js';
import { SYSTEM_ACTOR } from '../../audit/actions.js';
import { mergePatients } from '../../patients/merge.js';
import { formatMrn } from '../../patients/mrn.js';
import { renderSheet } from '../../platform/pdf/sheet.js';
import { sweepOrphanBlobs } from '../orphan-sweep.js';
import { encodeCoverSheetCode } from './cover-sheet-code.js';
import { drawQrCode } from './barcodes.js';

const MAX_BYTES = 4 * 1024 * 1024;
/** Every page of a batch is rendered and searched for a code: on a busy shared machine that takes a while. */
const SCANNING_TIMEOUT = 240_000;

async function printCoverSheet(app: FastifyInstance, user: SignedInUser, body: object) {
  const res = await send(app, user.session, 'POST', '/api/documents/cover-sheets', body);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toBe('application/pdf');
  return new Uint8Array(res.rawPayload);
}

/** A cover sheet as another system (or a damaged or altered sheet) would carry: our layout around any code. */
async function coverSheetSaying(text: string): Promise<Buffer> {
  const qr = await drawQrCode(text);
  return scanPdfPage(await renderSheet({ title: 'Scanning cover sheet', organisation: 'Elsewhere', now: new Date() }, (sheet) => sheet.image(qr, 200)));
}
const strangersCoverSheet = () => coverSheetSaying(encodeCoverSheetCode({ mrn: formatMrn('M', 99_999_998), visitNumber: null, typeCode: '18842-5' }));

async function uploadBatch(app: FastifyInstance, user: SignedInUser, file: { bytes: Buffer; name: string; type?: string }) {
  const { payload, headers } = await uploadForm(undefined, file);
  return send(app, user.session, 'POST', '/api/documents/scan-batches', payload, headers);
}

const mrnOf = async (app: FastifyInstance, user: SignedInUser, id: string): Promise<string> => (await send(app, user.session, 'GET', `/api/patients/${id}`)).json().patient.mrn;
const count = async (ctx: TestChartroom, table: 'documents' | 'scanBatches' | 'scanBatchDocuments') =>
  Number((await ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const filesUnder = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)) : []);
const pagesOf = async (app: FastifyInstance, user: SignedInUser, documentId: string) =>
  (await PDFDocument.load((await send(app, user.session, 'GET', `/api/documents/${documentId}/content`)).rawPayload)).getPageCount();

for (const dialect of DIALECTS) {
  describe(`${dialect}: scanning with cover sheets`, () => {
    const { app, ctx } = useTestApp(dialect, { maxDocumentBytes: MAX_BYTES });

    it('prints a cover sheet with the code and the facts in words, audited as a print', async () => {
      const clerk = await signedInUser(app(), ctx(), 'print.clerk', 'records_clerk');
      const patientId = await registerOverHttp(app(), clerk, 'Halvorsen');
      const mrn = await mrnOf(app(), clerk, patientId);
      const pdf = await printCoverSheet(app(), clerk, { patientId, typeCode: '59284-0', copies: 2 });
      const { pages, lines } = await pdfText(pdf);
      expect(pages).toBe(2);
      expect(lines).toEqual(expect.arrayContaining(['Consent document', mrn, 'HALVORSEN, William James']));
      expect(lines.join(' ')).toContain('Place this sheet in front of the document.');
      const printed = await auditEventsWhere(ctx(), { action: 'print', patientId });
      expect(printed.map((e) => [e.recordType, JSON.parse(e.details!).copies])).toEqual([['cover_sheet', 2]]);
      expectProblem(await send(app(), clerk.session, 'POST', '/api/documents/cover-sheets', { patientId, typeCode: '00000-0' }), 400, 'request.invalid');
    }, SCANNING_TIMEOUT);

    it('splits a scanned batch at its cover sheets, files each document, and queues the pages it cannot place', async () => {
      const clerk = await signedInUser(app(), ctx(), 'scan.clerk', 'records_clerk');
      const first = await registerOverHttp(app(), clerk, 'Nakamura');
      const second = await registerOverHttp(app(), clerk, 'Oyelaran');
      const visit = (await send(app(), clerk.session, 'POST', '/api/encounters', { patientId: first, type: 'admit', at: '2026-11-20T08:00:00Z', details: { class: 'inpatient' } })).json().encounter;

      const firstSheet = await printCoverSheet(app(), clerk, { patientId: first, encounterId: visit.id, typeCode: '18842-5' });
      const secondSheet = await printCoverSheet(app(), clerk, { patientId: second, typeCode: '59284-0' });
      const batch = await scannedBatchPdf([
        await scannedContentPage('A loose page'),
        scanPdfPage(firstSheet), await scannedContentPage('Discharge summary 1'), await scannedContentPage('Discharge summary 2'),
        scanPdfPage(secondSheet), await scannedContentPage('Consent'),
        await strangersCoverSheet(), await scannedContentPage('Someone else'),
      ]);
      const res = await uploadBatch(app(), clerk, { bytes: batch, name: 'ward 3 batch.pdf', type: 'application/pdf' });
      expect(res.statusCode, res.body).toBe(201);
      const report = res.json().batch;
      expect(report).toMatchObject({ fileName: 'ward 3 batch.pdf', pageCount: 8, coverSheets: 3, documentsFiled: 2, pagesFiled: 3, pagesAwaiting: 2, status: 'awaiting-indexing', receivedBy: 'scan.clerk' });
      expect(report.documents.map((d: { firstPage: number; lastPage: number; status: string; reason: { code: string } | null; patient: { id: string } | null; type: { code: string } | null }) =>
        [d.firstPage, d.lastPage, d.status, d.reason?.code ?? null, d.patient?.id ?? null, d.type?.code ?? null])).toEqual([
        [1, 1, 'awaiting-indexing', 'no-cover-sheet', null, null],
        [3, 4, 'filed', null, first, '18842-5'],
        [6, 6, 'filed', null, second, '59284-0'],
        [8, 8, 'awaiting-indexing', 'unknown-patient', null, null],
      ]);
      const summary = report.documents[1];
      expect(summary.encounter).toEqual({ id: visit.id, visitNumber: visit.visitNumber });

      const firstDocs = (await send(app(), clerk.session, 'GET', `/api/patients/${first}/documents`)).json().documents;
      expect(firstDocs).toHaveLength(1);
      expect(firstDocs[0]).toMatchObject({ encounterId: visit.id, type: { code: '18842-5' }, serviceDate: '2026-11-20', status: 'final', content: { pageCount: 2, contentType: 'application/pdf' } });
      expect(await pagesOf(app(), clerk, firstDocs[0].id)).toBe(2);
      const secondDocs = (await send(app(), clerk.session, 'GET', `/api/patients/${second}/documents`)).json().documents;
      expect(secondDocs.map((d: { type: { code: string }; serviceDate: string; content: { pageCount: number } }) => [d.type.code, d.serviceDate, d.content.pageCount])).toEqual([['59284-0', '2026-11-25', 1]]);

      // The queue: the loose page and the stranger's page, each with its reason and its image.
      const queue = (await send(app(), clerk.session, 'GET', '/api/documents/indexing-queue')).json().items;
      expect(queue.map((i: { firstPage: number; reason: { code: string } }) => [i.firstPage, i.reason.code])).toEqual([[1, 'no-cover-sheet'], [8, 'unknown-patient']]);
      const image = await send(app(), clerk.session, 'GET', `/api/documents/scan-batches/${report.id}/pages/1/image`);
      expect(image.statusCode).toBe(200);
      expect(image.headers['content-type']).toBe('image/png');
      expect(image.rawPayload.subarray(1, 4).toString()).toBe('PNG');
      expectProblem(await send(app(), clerk.session, 'GET', `/api/documents/scan-batches/${report.id}/pages/9/image`), 404, 'not-found');

      // The clerk files the loose page to the second patient; it cannot be filed twice.
      const assigned = await send(app(), clerk.session, 'POST', `/api/documents/indexing-queue/${queue[0].id}/assign`, { patientId: second, typeCode: '11506-3', serviceDate: '2026-11-21', title: 'Progress note, scanned' });
      expect(assigned.statusCode, assigned.body).toBe(201);
      expect(assigned.json().document).toMatchObject({ patientId: second, type: { code: '11506-3' }, title: 'Progress note, scanned', content: { pageCount: 1 } });
      expectProblem(await send(app(), clerk.session, 'POST', `/api/documents/indexing-queue/${queue[0].id}/assign`, { patientId: second, typeCode: '11506-3', serviceDate: '2026-11-21' }), 409, 'scan.already-indexed');
      const after = (await send(app(), clerk.session, 'GET', `/api/documents/scan-batches/${report.id}`)).json().batch;
      expect(after).toMatchObject({ pagesAwaiting: 1, pagesFiled: 4, documentsFiled: 3, status: 'awaiting-indexing' });
      expect(after.documents[0]).toMatchObject({ status: 'indexed', patient: { id: second }, filedBy: 'scan.clerk' });
      const list = (await send(app(), clerk.session, 'GET', '/api/documents/scan-batches')).json().batches;
      expect(list.map((b: { id: string }) => b.id)).toContain(report.id);

      const batchEvents = await auditEventsWhere(ctx(), { recordId: report.id });
      expect(batchEvents.filter((e) => e.recordType === 'scan_batch' && e.action === 'create')).toHaveLength(1);
      expect(batchEvents.some((e) => e.recordType === 'scan_page' && e.action === 'read')).toBe(true);
      expect((await auditEventsWhere(ctx(), { recordId: queue[0].id })).map((e) => [e.action, e.patientId])).toEqual([['update', second]]);

      // The orphan sweep keeps the batch's own file: the queue still shows its pages.
      await sweepOrphanBlobs(ctx(), new Date(Date.now() + 86_400_000));
      expect((await send(app(), clerk.session, 'GET', `/api/documents/scan-batches/${report.id}/pages/8/image`)).statusCode).toBe(200);
    }, SCANNING_TIMEOUT);

    it('files to the surviving record when a cover sheet carries a retired MRN, and reads TIFF batches', async () => {
      const clerk = await signedInUser(app(), ctx(), 'tiff.clerk', 'records_clerk');
      const survivor = await registerOverHttp(app(), clerk, 'Castellanos');
      const retired = await registerOverHttp(app(), clerk, 'Castelanos');
      const sheet = await printCoverSheet(app(), clerk, { patientId: retired, typeCode: '11488-4' });
      await mergePatients(ctx(), SYSTEM_ACTOR, survivor, retired, 'Same person');
      const tiff = await scannedBatchTiff([scanPdfPage(sheet), await scannedContentPage('Consult 1'), await scannedContentPage('Consult 2')]);
      const res = await uploadBatch(app(), clerk, { bytes: tiff, name: 'consults.tif', type: 'image/tiff' });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().batch).toMatchObject({ contentType: 'image/tiff', pageCount: 3, documentsFiled: 1, pagesAwaiting: 0, status: 'complete' });
      const docs = (await send(app(), clerk.session, 'GET', `/api/patients/${survivor}/documents`)).json().documents;
      expect(docs.map((d: { type: { code: string }; content: { pageCount: number } }) => [d.type.code, d.content.pageCount])).toEqual([['11488-4', 2]]);
      expect(await pagesOf(app(), clerk, docs[0].id)).toBe(2);
    }, SCANNING_TIMEOUT);

    it('queues the pages behind a cover sheet that names an unknown type, another patient\'s visit, or was altered', async () => {
      const clerk = await signedInUser(app(), ctx(), 'reasons.clerk', 'records_clerk');
      const patientId = await registerOverHttp(app(), clerk, 'Vasquez');
      const otherId = await registerOverHttp(app(), clerk, 'Whitlock');
      const mrn = await mrnOf(app(), clerk, patientId);
      const othersVisit = (await send(app(), clerk.session, 'POST', '/api/encounters', { patientId: otherId, type: 'register', at: '2026-11-20T08:00:00Z', details: { class: 'emergency' } })).json().encounter;
      const altered = encodeCoverSheetCode({ mrn, visitNumber: null, typeCode: '18842-5' }).replace(mrn, formatMrn('M', 12_345_678));
      const batch = await scannedBatchPdf([
        await coverSheetSaying(encodeCoverSheetCode({ mrn, visitNumber: null, typeCode: '99999-9' })), await scannedContentPage('Unknown type'),
        await coverSheetSaying(encodeCoverSheetCode({ mrn, visitNumber: othersVisit.visitNumber, typeCode: '18842-5' })), await scannedContentPage('Wrong visit'),
        await coverSheetSaying(altered), await scannedContentPage('Altered'),
        await coverSheetSaying('https://example.org/not-a-cover-sheet'), await scannedContentPage('Still the altered one'),
      ]);
      const res = await uploadBatch(app(), clerk, { bytes: batch, name: 'reasons.pdf' });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().batch.documents.map((d: { firstPage: number; lastPage: number; reason: { code: string } }) => [d.firstPage, d.lastPage, d.reason.code])).toEqual([
        [2, 2, 'unknown-type'], [4, 4, 'visit-of-another-patient'], [6, 8, 'unreadable-cover-sheet'],
      ]);
      expect((await send(app(), clerk.session, 'GET', `/api/patients/${patientId}/documents`)).json().documents).toEqual([]);
    }, SCANNING_TIMEOUT);

    it('refuses bad batches with a clear problem, storing nothing', async () => {
      const clerk = await signedInUser(app(), ctx(), 'badscan.clerk', 'records_clerk');
      const auditor = await signedInUser(app(), ctx(), 'scan.auditor', 'auditor');
      const blobsDir = join(ctx().dataDir, 'blobs');
      const before = { documents: await count(ctx(), 'documents'), batches: await count(ctx(), 'scanBatches'), parts: await count(ctx(), 'scanBatchDocuments'), blobs: filesUnder(blobsDir).length };
      const cases: [Awaited<ReturnType<typeof uploadBatch>>, number, string][] = [
        [await uploadBatch(app(), clerk, { bytes: await sampleImage('png'), name: 'batch.pdf', type: 'application/pdf' }), 400, 'document.type-mismatch'],
        [await uploadBatch(app(), clerk, { bytes: Buffer.from('%PDF-1.7 broken'), name: 'batch.pdf' }), 400, 'document.corrupt'],
        [await uploadBatch(app(), clerk, { bytes: await encryptedPdf(), name: 'batch.pdf' }), 400, 'document.pdf-encrypted'],
        [await uploadBatch(app(), clerk, { bytes: await pngDeclaring(90_000, 90_000), name: 'batch.png', type: 'image/png' }), 400, 'document.image-too-large'],
        [await uploadBatch(app(), clerk, { bytes: Buffer.concat([await samplePdf(), Buffer.alloc(MAX_BYTES)]), name: 'big.pdf' }), 413, 'document.too-large'],
        [await uploadBatch(app(), clerk, { bytes: await samplePdf(), name: '../scans/batch.pdf' }), 400, 'document.file-name'],
        [await uploadBatch(app(), clerk, { bytes: await sampleImage('jpeg'), name: 'batch.jpg' }), 400, 'scan.unsupported-type'],
        [await send(app(), clerk.session, 'POST', '/api/documents/scan-batches', {}), 400, 'document.upload-form'],
        [await uploadBatch(app(), auditor, { bytes: await samplePdf(), name: 'batch.pdf' }), 403, 'access.forbidden'],
      ];
      for (const [response, status, code] of cases) expectProblem(response, status, code);
      expect(await count(ctx(), 'documents')).toBe(before.documents);
      expect(await count(ctx(), 'scanBatches')).toBe(before.batches);
      expect(await count(ctx(), 'scanBatchDocuments')).toBe(before.parts);
      expect(filesUnder(blobsDir).length).toBe(before.blobs);
    }, SCANNING_TIMEOUT);
  });
}
