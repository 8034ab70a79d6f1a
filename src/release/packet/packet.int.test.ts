import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/chartroom.js';
import { auditEventsWhere, expectProblem, fieldsOf, send, signedInUser, useTestApp, type SignedInUser } from '../../../test/support/http.js';
import { registerOverHttp } from '../../../test/support/patients.js';
import { samplePdf, uploadForm } from '../../../test/support/documents.js';
import { pdfText } from '../../../test/support/pdf-text.js';
import { startTestMailServer } from '../../../test/support/smtp.js';
import { ownRecordsRequest, part2AttorneyRequest } from '../../../test/support/release.js';
import { PART2_NOTICE } from '../requests/index.js';
import { CONFIDENTIALITY_FOOTER } from './cover-letter.js';

const mail = await startTestMailServer();
afterAll(() => mail.stop());

for (const dialect of DIALECTS) {
  describe(`${dialect}: release packet, quality check and release`, () => {
    const { app, ctx } = useTestApp(dialect, { smtpUrl: mail.url, publicUrl: 'https://records.example.test', facilityName: 'Harbor General' });
    let clerk: SignedInUser;
    let supervisor: SignedInUser;
    let privacy: SignedInUser;
    const setUp = async () => {
      ctx().clock.set(new Date('2026-11-25T09:00:00Z'));
      if (clerk) return;
      clerk = await signedInUser(app(), ctx(), 'packet.clerk', 'records_clerk');
      supervisor = await signedInUser(app(), ctx(), 'packet.supervisor', 'him_supervisor');
      privacy = await signedInUser(app(), ctx(), 'packet.privacy', 'privacy_officer');
    };
    const upload = async (patientId: string, typeCode: string, sensitivity: string[], pages = 2) => {
      const form = await uploadForm({ patientId, typeCode, serviceDate: '2025-06-01', sensitivity }, { bytes: await samplePdf(pages), name: 'scan.pdf', type: 'application/pdf' });
      const res = await app().inject({ method: 'POST', url: '/api/documents', payload: form.payload, headers: { ...form.headers, cookie: clerk.session.cookie, 'x-csrf-token': clerk.session.csrfToken } });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().document.id as string;
    };
    /** A request in process, with the patient's documents. */
    const inProcess = async (family: string, body: (patientId: string) => object, sensitivity: string[][] = [[]]) => {
      const patientId = await registerOverHttp(app(), clerk, family);
      const documents: string[] = [];
      for (const s of sensitivity) documents.push(await upload(patientId, s.length ? '11506-3' : '18842-5', s));
      const res = await send(app(), clerk.session, 'POST', '/api/release/requests', body(patientId));
      expect(res.statusCode, res.body).toBe(201);
      const id = res.json().request.id as string;
      for (const to of ['validated', 'in_process']) {
        const moved = await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/status`, { to });
        expect(moved.statusCode, moved.body).toBe(200);
      }
      return { patientId, id, documents };
    };
    const statusOf = async (id: string) => (await ctx().db.selectFrom('releaseRequests').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
    const build = (user: SignedInUser, id: string, redactions: object[] = []) => send(app(), user.session, 'POST', `/api/release/requests/${id}/packet`, { redactions });
    const allPages = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

    it('builds a stamped packet, a second person checks every page, and a secure-link release writes disclosures and sends both e-mails', async () => {
      await setUp();
      const { patientId, id, documents } = await inProcess('Marchetti', ownRecordsRequest);
      const built = await build(clerk, id, [{ documentId: documents[0], page: 1, x: 50, y: 50, width: 200, height: 40 }]);
      expect(built.statusCode, built.body).toBe(201);
      const packet = built.json().packet;
      expect(packet).toMatchObject({ status: 'built', version: 1, pageCount: 3 });
      expect(packet.pages.map((p: { kind: string }) => p.kind)).toEqual(['cover-letter', 'document', 'document']);
      expect(await statusOf(id)).toBe('quality_check');

      const pdf = await send(app(), clerk.session, 'GET', `/api/release/requests/${id}/packet/pdf`);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      const text = await pdfText(pdf.rawPayload);
      expect(text.pages).toBe(3);
      for (const n of allPages(3)) expect(text.lines).toContain(`Request ${id} - page ${n} of 3`);
      expect(text.lines.filter((l) => l === CONFIDENTIALITY_FOOTER)).toHaveLength(3);
      const image = await send(app(), clerk.session, 'GET', `/api/release/requests/${id}/packet/pages/2/image`);
      expect(image.headers['content-type']).toBe('image/png');
      expect(image.rawPayload.subarray(1, 4).toString()).toBe('PNG');
      expect((await auditEventsWhere(ctx(), { action: 'read', recordId: packet.id })).length).toBe(2);

      // Not before the check; the clerk has no release.review; the reviewer must confirm every page.
      expectProblem(await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/release`, { delivery: { method: 'pick-up' } }), 409, 'release.quality-check');
      expect((await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/packet/quality-check`, { decision: 'confirm', confirmedPages: [1, 2, 3] })).statusCode).toBe(403);
      const partial = expectProblem(await send(app(), supervisor.session, 'POST', `/api/release/requests/${id}/packet/quality-check`, { decision: 'confirm', confirmedPages: [1, 2] }), 400, 'release.pages-unconfirmed');
      expect(fieldsOf(partial)).toEqual(['confirmedPages']);
      const checked = await send(app(), supervisor.session, 'POST', `/api/release/requests/${id}/packet/quality-check`, { decision: 'confirm', confirmedPages: [3, 1, 2] });
      expect(checked.statusCode, checked.body).toBe(200);
      expect(checked.json().packet).toMatchObject({ status: 'confirmed', checkedBy: 'packet.supervisor' });

      const before = mail.messages.length;
      const released = await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/release`, { delivery: { method: 'secure-link', recipientEmail: 'ines@example.org', passcodeBy: 'email' } });
      expect(released.statusCode, released.body).toBe(200);
      expect(released.json().link).toMatchObject({ emailsSent: 2 });
      expect(released.json().link).not.toHaveProperty('passcode');
      expect(await statusOf(id)).toBe('released');
      const [linkMail, passcodeMail] = await mail.waitFor(before + 2).then((m) => m.slice(before));
      expect(linkMail.to).toEqual(['ines@example.org']);
      const token = /\/download\/([A-Za-z0-9_-]{43})\b/.exec(linkMail.text)![1];
      const passcode = /passcode is: (\d{8})/.exec(passcodeMail.text)![1];
      const downloaded = await app().inject({ method: 'POST', url: `/api/public/downloads/${token}`, payload: { passcode } });
      expect(downloaded.statusCode).toBe(200);
      expect(Buffer.compare(downloaded.rawPayload, pdf.rawPayload)).toBe(0);

      const disclosures = await ctx().db.selectFrom('disclosures').selectAll().where('releaseRequestId', '=', id).execute();
      expect(disclosures).toHaveLength(1);
      expect(disclosures[0]).toMatchObject({ patientId, kind: 'to_patient', recipientName: 'Ines Marchetti', recipientAddress: '4 Quay Lane, Portland ME', purpose: 'At the request of the individual' });
      expect(JSON.parse(disclosures[0].documentIds)).toEqual(documents);
      const view = (await send(app(), clerk.session, 'GET', `/api/release/requests/${id}/packet`)).json().packet;
      expect(view).toMatchObject({ status: 'released', delivery: { method: 'secure-link', recipientEmail: 'ines@example.org' } });
      expectProblem(await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/release`, { delivery: { method: 'pick-up' } }), 409, 'release.transition');
    });

    it('keeps the builder from checking their own packet; a rejection sends the request back', async () => {
      await setUp();
      const { id } = await inProcess('Lindqvist', ownRecordsRequest);
      expect((await build(supervisor, id)).statusCode).toBe(201);
      expectProblem(await send(app(), supervisor.session, 'POST', `/api/release/requests/${id}/packet/quality-check`, { decision: 'confirm', confirmedPages: [1, 2, 3] }), 403, 'access.forbidden');
      const rejected = await send(app(), privacy.session, 'POST', `/api/release/requests/${id}/packet/quality-check`, { decision: 'reject', reason: 'Page 3 belongs to another patient' });
      expect(rejected.statusCode, rejected.body).toBe(200);
      expect(rejected.json().packet).toMatchObject({ status: 'rejected', checkNote: 'Page 3 belongs to another patient' });
      expect(await statusOf(id)).toBe('in_process');
      expectProblem(await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/release`, { delivery: { method: 'pick-up' } }), 409, 'release.no-packet');
      const rebuilt = await build(clerk, id);
      expect(rebuilt.json().packet).toMatchObject({ version: 2, status: 'built' });
    });

    it('refuses a redaction outside the page, naming it, and changes nothing', async () => {
      await setUp();
      const { id, documents } = await inProcess('Okonkwo', ownRecordsRequest);
      const problem = expectProblem(await build(clerk, id, [
        { documentId: documents[0], page: 1, x: 10, y: 10, width: 20, height: 20 },
        { documentId: documents[0], page: 2, x: 500, y: 700, width: 400, height: 400 },
      ]), 400, 'release.redaction-outside-page');
      expect(fieldsOf(problem)).toEqual(['redactions[1]']);
      expect(fieldsOf(expectProblem(await build(clerk, id, [{ documentId: documents[0], page: 9, x: 1, y: 1, width: 1, height: 1 }]), 400, 'release.redaction-outside-page'))).toEqual(['redactions[0]']);
      expect(fieldsOf(expectProblem(await build(clerk, id, [{ documentId: 'no-such-document', page: 1, x: 1, y: 1, width: 1, height: 1 }]), 400, 'release.redaction-document'))).toEqual(['redactions[0].documentId']);
      expect(await ctx().db.selectFrom('releasePackets').select('id').where('requestId', '=', id).execute()).toEqual([]);
      expect(await statusOf(id)).toBe('in_process');
    });

    it('puts the Part 2 notice in a packet with a substance-use-disorder document released under Part 2 consent, and mails it', async () => {
      await setUp();
      const { id, documents } = await inProcess('Gallagher', part2AttorneyRequest, [[], ['substance-use-disorder']]);
      const built = await build(clerk, id);
      expect(built.statusCode, built.body).toBe(201);
      const pages = built.json().packet.pages as { kind: string; title: string }[];
      expect(pages.slice(0, 2).map((p) => p.kind)).toEqual(['cover-letter', 'notice']);
      expect(pages[1].title).toMatch(/42 CFR 2\.32/);
      const text = (await pdfText((await send(app(), clerk.session, 'GET', `/api/release/requests/${id}/packet/pdf`)).rawPayload)).lines.join(' ');
      expect(text).toContain('42 CFR part 2');
      expect(PART2_NOTICE.startsWith('This record which has been disclosed')).toBe(true);
      expect((await send(app(), supervisor.session, 'POST', `/api/release/requests/${id}/packet/quality-check`, { decision: 'confirm', confirmedPages: allPages(pages.length) })).statusCode).toBe(200);
      const released = await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/release`, { delivery: { method: 'mail', address: '1 Court St, Portland ME', trackingNumber: '9400 1000' } });
      expect(released.statusCode, released.body).toBe(200);
      const disclosures = await ctx().db.selectFrom('disclosures').selectAll().where('releaseRequestId', '=', id).execute();
      expect(disclosures.map((d) => [d.kind, d.recipientName, d.purpose])).toEqual([['authorization', 'Hale & Partners LLP', 'Litigation'], ['authorization', 'Hale & Partners LLP', 'Litigation']]);
      expect(disclosures.flatMap((d) => JSON.parse(d.documentIds) as string[]).sort()).toEqual([...documents].sort());
    });
  });

  describe(`${dialect}: release without the quality check (CHARTROOM_RELEASE_QUALITY_CHECK=false)`, () => {
    const { app, ctx } = useTestApp(dialect, { releaseQualityCheck: false });
    it('releases a packet straight after the build, by mail, with the address on the disclosure', async () => {
      ctx().clock.set(new Date('2026-11-25T09:00:00Z'));
      const clerk = await signedInUser(app(), ctx(), 'solo.clerk', 'records_clerk');
      const patientId = await registerOverHttp(app(), clerk, 'Ferreira');
      const form = await uploadForm({ patientId, typeCode: '18842-5', serviceDate: '2025-06-01', sensitivity: [] }, { bytes: await samplePdf(), name: 'scan.pdf', type: 'application/pdf' });
      expect((await app().inject({ method: 'POST', url: '/api/documents', payload: form.payload, headers: { ...form.headers, cookie: clerk.session.cookie, 'x-csrf-token': clerk.session.csrfToken } })).statusCode).toBe(201);
      const id = (await send(app(), clerk.session, 'POST', '/api/release/requests', ownRecordsRequest(patientId))).json().request.id as string;
      for (const to of ['validated', 'in_process']) expect((await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/status`, { to })).statusCode).toBe(200);
      expect((await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/packet`, {})).statusCode).toBe(201);
      const released = await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/release`, { delivery: { method: 'mail', address: '9 Elm St, Bath ME', trackingNumber: 'RR1' } });
      expect(released.statusCode, released.body).toBe(200);
      expect(released.json().packet).toMatchObject({ status: 'released', checkedBy: null, delivery: { method: 'mail', address: '9 Elm St, Bath ME', trackingNumber: 'RR1' } });
      const disclosures = await ctx().db.selectFrom('disclosures').select(['recipientAddress', 'kind']).where('releaseRequestId', '=', id).execute();
      expect(disclosures).toEqual([{ recipientAddress: '9 Elm St, Bath ME', kind: 'to_patient' }]);
    });
  });

  describe(`${dialect}: releasing a packet when the mail server refuses`, () => {
    let refusing: Awaited<ReturnType<typeof startTestMailServer>>;
    const { app, ctx } = useTestApp(dialect, { smtpUrl: undefined });
    beforeAll(async () => {
      refusing = await startTestMailServer({ refuseRecipients: true });
      ctx().config.smtpUrl = refusing.url;
    });
    afterAll(() => refusing.stop());

    it('refuses the whole release: the request stays in quality check, no disclosure, no link', async () => {
      ctx().clock.set(new Date('2026-11-25T09:00:00Z'));
      const clerk = await signedInUser(app(), ctx(), 'refused.clerk', 'records_clerk');
      const supervisor = await signedInUser(app(), ctx(), 'refused.supervisor', 'him_supervisor');
      const patientId = await registerOverHttp(app(), clerk, 'Abernethy');
      const form = await uploadForm({ patientId, typeCode: '18842-5', serviceDate: '2025-06-01', sensitivity: [] }, { bytes: await samplePdf(), name: 'scan.pdf', type: 'application/pdf' });
      expect((await app().inject({ method: 'POST', url: '/api/documents', payload: form.payload, headers: { ...form.headers, cookie: clerk.session.cookie, 'x-csrf-token': clerk.session.csrfToken } })).statusCode).toBe(201);
      const id = (await send(app(), clerk.session, 'POST', '/api/release/requests', ownRecordsRequest(patientId))).json().request.id as string;
      for (const to of ['validated', 'in_process']) expect((await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/status`, { to })).statusCode).toBe(200);
      const built = await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/packet`, {});
      expect(built.statusCode, built.body).toBe(201);
      const pages = Array.from({ length: built.json().packet.pageCount as number }, (_, i) => i + 1);
      expect((await send(app(), supervisor.session, 'POST', `/api/release/requests/${id}/packet/quality-check`, { decision: 'confirm', confirmedPages: pages })).statusCode).toBe(200);
      expectProblem(await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/release`, { delivery: { method: 'secure-link', recipientEmail: 'nobody@example.org', passcodeBy: 'email' } }), 500, 'mail.send-failed');
      expect((await ctx().db.selectFrom('releaseRequests').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('quality_check');
      expect(await ctx().db.selectFrom('disclosures').select('id').where('releaseRequestId', '=', id).execute()).toEqual([]);
      expect(await ctx().db.selectFrom('releaseDownloadLinks').select('id').execute()).toEqual([]);
      expect((await send(app(), clerk.session, 'GET', `/api/release/requests/${id}/packet`)).json().packet).toMatchObject({ status: 'confirmed', delivery: null });
      // Picked up at the desk instead: released.
      expect((await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/release`, { delivery: { method: 'pick-up' } })).statusCode).toBe(200);
    });
  });
}
