import { createHash } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import type * as fhir4 from 'fhir/r4.js';
import { afterAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/chartroom.js';
import { auditEventsWhere, expectProblem, send, signedInUser, useTestApp, type SignedInUser } from '../../../test/support/http.js';
import { registerOverHttp } from '../../../test/support/patients.js';
import { samplePdf, uploadForm } from '../../../test/support/documents.js';
import { pdfPageTexts, pdfText } from '../../../test/support/pdf-text.js';
import { startTestMailServer } from '../../../test/support/smtp.js';
import { ownRecordsRequest, part2AttorneyRequest } from '../../../test/support/release.js';
import { PART2_NOTICE } from '../requests/index.js';

const mail = await startTestMailServer();
afterAll(() => mail.stop());

const ownRequest = (patientId: string) => ownRecordsRequest(patientId, { format: 'secure-link' });
const part2Request = (patientId: string) => part2AttorneyRequest(patientId, { format: 'fhir', delivery: { method: 'secure-link', email: 'records@hale.example' } });
const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('base64');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

for (const dialect of DIALECTS) {
  describe(`${dialect}: release packet as a ZIP or a FHIR Bundle`, () => {
    const { app, ctx } = useTestApp(dialect, { smtpUrl: mail.url, publicUrl: 'https://records.example.test', facilityName: 'Harbor General' });
    let clerk: SignedInUser;
    let supervisor: SignedInUser;
    const setUp = async () => {
      ctx().clock.set(new Date('2026-11-25T09:00:00Z'));
      if (clerk) return;
      clerk = await signedInUser(app(), ctx(), 'copy.clerk', 'records_clerk');
      supervisor = await signedInUser(app(), ctx(), 'copy.supervisor', 'him_supervisor');
    };
    const upload = async (patientId: string, typeCode: string, sensitivity: string[], text: string) => {
      const form = await uploadForm({ patientId, typeCode, serviceDate: '2025-06-01', sensitivity }, { bytes: await samplePdf(2, text), name: 'scan.pdf', type: 'application/pdf' });
      const res = await app().inject({ method: 'POST', url: '/api/documents', payload: form.payload, headers: { ...form.headers, cookie: clerk.session.cookie, 'x-csrf-token': clerk.session.csrfToken } });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().document.id as string;
    };
    /** A request whose packet is built (with `redactions`) and checked by a second person. */
    const checkedPacket = async (family: string, body: (patientId: string) => object, documents: { sensitivity: string[]; text: string }[], redactions: (ids: string[]) => object[] = () => []) => {
      const patientId = await registerOverHttp(app(), clerk, family);
      const ids: string[] = [];
      for (const d of documents) ids.push(await upload(patientId, d.sensitivity.length ? '11506-3' : '18842-5', d.sensitivity, d.text));
      const res = await send(app(), clerk.session, 'POST', '/api/release/requests', body(patientId));
      expect(res.statusCode, res.body).toBe(201);
      const id = res.json().request.id as string;
      for (const to of ['validated', 'in_process']) expect((await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/status`, { to })).statusCode).toBe(200);
      const built = await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/packet`, { redactions: redactions(ids) });
      expect(built.statusCode, built.body).toBe(201);
      const packet = built.json().packet as { id: string; pageCount: number; pages: { kind: string; title: string }[] };
      const pages = Array.from({ length: packet.pageCount }, (_, i) => i + 1);
      expect((await send(app(), supervisor.session, 'POST', `/api/release/requests/${id}/packet/quality-check`, { decision: 'confirm', confirmedPages: pages })).statusCode).toBe(200);
      return { patientId, id, ids, packet };
    };
    /** Releases by secure link and downloads what the recipient gets with the two e-mails. */
    const releaseAndDownload = async (id: string, recipientEmail: string, file: string) => {
      const before = mail.messages.length;
      const released = await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/release`, { delivery: { method: 'secure-link', recipientEmail, passcodeBy: 'email', file } });
      expect(released.statusCode, released.body).toBe(200);
      const [linkMail, passcodeMail] = await mail.waitFor(before + 2).then((m) => m.slice(before));
      const token = /\/download\/([A-Za-z0-9_-]{43})\b/.exec(linkMail.text)![1];
      const passcode = /passcode is: (\d{8})/.exec(passcodeMail.text)![1];
      const downloaded = await app().inject({ method: 'POST', url: `/api/public/downloads/${token}`, payload: { passcode } });
      expect(downloaded.statusCode, downloaded.body).toBe(200);
      return { released: released.json(), downloaded };
    };

    it('releases a ZIP of one PDF per part, with the redactions and stamps of the checked packet and a contents list', async () => {
      await setUp();
      const { id, ids, packet } = await checkedPacket('Marchetti', ownRequest, [{ sensitivity: [], text: 'Discharge summary' }, { sensitivity: [], text: 'Operative note' }],
        // Over "Discharge summary, page 1" (drawn at 72, 700 from the bottom of a letter page).
        (docs) => [{ documentId: docs[0], page: 1, x: 60, y: 70, width: 300, height: 30 }]);
      const { released, downloaded } = await releaseAndDownload(id, 'ines@example.org', 'zip');
      expect(downloaded.headers['content-type']).toBe('application/zip');
      expect(released.link.fileName).toMatch(/^records-[0-9a-z-]{8}\.zip$/);

      const files = unzipSync(new Uint8Array(downloaded.rawPayload));
      const names = Object.keys(files).sort();
      expect(names).toEqual(['01-cover-letter.pdf', '02-discharge-summary-2025-06-01.pdf', '03-discharge-summary-2025-06-01.pdf', 'contents.txt'].sort());
      const contents = strFromU8(files['contents.txt']);
      expect(contents).toContain(`Release request ${id}`);
      for (const name of names.filter((n) => n.endsWith('.pdf'))) expect(contents).toContain(`${name}  `);
      for (const name of names.filter((n) => n.endsWith('.pdf'))) expect(contents).toContain(`SHA-256 ${sha256(files[name])}`);
      expect(contents).not.toContain(PART2_NOTICE);

      // Every page of the packet, in its files, stamped with its place in the whole packet.
      const texts = await Promise.all(['01-cover-letter.pdf', '02-discharge-summary-2025-06-01.pdf', '03-discharge-summary-2025-06-01.pdf'].map((n) => pdfText(files[n])));
      expect(texts.map((t) => t.pages)).toEqual([1, 2, 2]);
      expect(texts.reduce((n, t) => n + t.pages, 0)).toBe(packet.pageCount);
      for (let n = 1; n <= packet.pageCount; n++) expect(texts.flatMap((t) => t.lines)).toContain(`Request ${id} - page ${n} of ${packet.pageCount}`);
      // The redacted document lost the words under the box, and only those (read as a PDF reader
      // reads them: mupdf rewrites a redacted page, which pdfText cannot follow).
      const readerTexts = ['02-discharge-summary-2025-06-01.pdf', '03-discharge-summary-2025-06-01.pdf'].map((n) => pdfPageTexts(files[n]));
      const redacted = readerTexts.find((pages) => pages[1].includes('Discharge summary, page 2'))!;
      expect(redacted[0]).toMatch(new RegExp(`Request ${id} - page \\d of ${packet.pageCount}`));
      expect(redacted[0]).not.toContain('Discharge summary, page 1');
      const other = readerTexts.find((pages) => pages[0].includes('Operative note, page 1'))!;
      expect(other[1]).toContain('Operative note, page 2');

      const disclosures = await ctx().db.selectFrom('disclosures').select(['description', 'documentIds']).where('releaseRequestId', '=', id).execute();
      expect(disclosures.map((d) => JSON.parse(d.documentIds)[0]).sort()).toEqual([...ids].sort());
      for (const d of disclosures) expect(d.description).toContain('electronic copy, ZIP');
      expect((await send(app(), clerk.session, 'GET', `/api/release/requests/${id}/packet`)).json().packet.delivery).toMatchObject({ method: 'secure-link', file: 'zip' });
    });

    it('releases a FHIR R4 Bundle: the patient\'s identity only, a DocumentReference per part with its PDF inline, labelled Part 2 when it holds Part 2 records', async () => {
      await setUp();
      const { patientId, id, ids, packet } = await checkedPacket('Gallagher', part2Request, [{ sensitivity: [], text: 'Clinic letter' }, { sensitivity: ['substance-use-disorder'], text: 'SUD progress note' }]);
      const { downloaded } = await releaseAndDownload(id, 'records@hale.example', 'fhir-bundle');
      expect(downloaded.headers['content-type']).toMatch(/^application\/fhir\+json/);
      const bundle = JSON.parse(downloaded.body) as fhir4.Bundle;
      expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection', identifier: { value: id } });
      expect(bundle.meta?.security?.map((s) => s.code)).toEqual(['R', '42CFRPart2']);

      const [patientEntry, ...references] = bundle.entry!;
      const patient = patientEntry.resource as fhir4.Patient;
      expect(patientEntry.fullUrl).toBe(`https://records.example.test/fhir/R4/Patient/${patientId}`);
      expect(patient.name?.[0].family).toBe('Gallagher');
      expect(patient.identifier).toHaveLength(1);
      expect(patient).not.toHaveProperty('telecom');
      expect(patient).not.toHaveProperty('address');

      // Cover letter, the Part 2 notice, then the two documents: the packet's parts in order.
      const parts = [...new Set(packet.pages.map((p) => p.title))];
      expect(references.map((e) => (e.resource as fhir4.DocumentReference).description ?? (e.resource as fhir4.DocumentReference).type?.text)).toHaveLength(parts.length);
      const docRefs = references.map((e) => e.resource as fhir4.DocumentReference);
      expect(docRefs.slice(-2).map((r) => r.id).sort()).toEqual([...ids].sort());
      expect(docRefs[0].type?.coding?.[0].code).toBe('51852-2');
      let pages = 0;
      for (const ref of docRefs) {
        expect(ref.subject?.reference).toBe(`Patient/${patientId}`);
        const attachment = ref.content[0].attachment;
        const bytes = Buffer.from(attachment.data!, 'base64');
        expect(attachment).toMatchObject({ contentType: 'application/pdf', size: bytes.length, hash: sha1(bytes) });
        const text = await pdfText(bytes);
        pages += text.pages;
        expect(text.lines.some((l) => l.startsWith(`Request ${id} - page `))).toBe(true);
      }
      expect(pages).toBe(packet.pageCount);
      const notice = await pdfText(Buffer.from(docRefs[1].content[0].attachment.data!, 'base64'));
      expect(notice.lines.join(' ')).toContain('Notice prohibiting redisclosure');
      const sud = docRefs.find((r) => r.securityLabel?.some((l) => l.coding?.some((c) => c.code === 'substance-use-disorder')));
      expect(sud).toBeDefined();
    });

    it('lets the records staff download the packet as a ZIP or a Bundle (audited), and refuses an unknown format', async () => {
      await setUp();
      const { id, packet } = await checkedPacket('Lindqvist', ownRequest, [{ sensitivity: [], text: 'Discharge summary' }]);
      const zip = await send(app(), clerk.session, 'GET', `/api/release/requests/${id}/packet/file?format=zip`);
      expect(zip.statusCode, zip.body).toBe(200);
      expect(zip.headers['content-disposition']).toBe('attachment; filename="release-packet.zip"');
      expect(Object.keys(unzipSync(new Uint8Array(zip.rawPayload)))).toHaveLength(3);
      const fhir = await send(app(), clerk.session, 'GET', `/api/release/requests/${id}/packet/file?format=fhir-bundle`);
      expect(JSON.parse(fhir.body).entry).toHaveLength(3);
      const reads = await auditEventsWhere(ctx(), { action: 'read', recordId: packet.id });
      expect(reads.map((e) => JSON.parse(e.details ?? '{}').part).sort()).toEqual(['fhir-bundle', 'zip']);
      expectProblem(await send(app(), clerk.session, 'GET', `/api/release/requests/${id}/packet/file?format=docx`), 400, 'request.invalid');
    });
  });
}
