import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/chartroom.js';
import { auditEventsWhere, countRows, expectProblem, send, signedInUser, useTestApp, type SignedInUser } from '../../../test/support/http.js';
import { registerOverHttp } from '../../../test/support/patients.js';
import { samplePdf } from '../../../test/support/documents.js';
import { startTestMailServer, type ReceivedMail } from '../../../test/support/smtp.js';

const mail = await startTestMailServer();
afterAll(() => mail.stop());

const tokenOf = (message: ReceivedMail) => {
  const match = /\/download\/([A-Za-z0-9_-]{43})\b/.exec(message.text);
  if (!match) throw new Error('No download link in the e-mail.');
  return match[1];
};
const passcodeOf = (message: ReceivedMail) => {
  const match = /passcode is: (\d{8})/.exec(message.text);
  if (!match) throw new Error('No passcode in the e-mail.');
  return match[1];
};

for (const dialect of DIALECTS) {
  describe(`${dialect}: secure download links`, () => {
    const { app, ctx } = useTestApp(dialect, { smtpUrl: mail.url, publicUrl: 'https://records.example.test', facilityName: 'Harbor General' });
    let clerk: SignedInUser;
    let family: string;
    let clerks = 0;
    // A fresh clerk for each test: one test moves the clock past any session's idle time.
    beforeEach(async () => {
      clerks += 1;
      clerk = await signedInUser(app(), ctx(), `deliver.clerk${clerks}`, 'records_clerk');
    });

    /** A patient with a stored packet, and a link sent for it; answers the two e-mails and the link. */
    async function sendLink(overrides: Record<string, unknown> = {}) {
      family = `Vanterpool${randomBytes(3).toString('hex')}`;
      const patientId = await registerOverHttp(app(), clerk, family);
      const packet = await samplePdf(2, 'Release packet');
      const { sha256 } = await ctx().blobs.put(packet);
      const before = mail.messages.length;
      const res = await send(app(), clerk.session, 'POST', '/api/release/download-links', {
        patientId, sha256, recipientEmail: 'attorney@example.org', ...overrides,
      });
      expect(res.statusCode, res.body).toBe(201);
      const link = res.json().link;
      const messages = mail.messages.slice(before);
      return { patientId, packet, link, messages };
    }

    const download = (token: string, passcode: string) => app().inject({ method: 'POST', url: `/api/public/downloads/${token}`, payload: { passcode } });

    it('e-mails the link and then the passcode alone, with nothing about the patient, and the passcode gives back the exact file', async () => {
      const { patientId, packet, link, messages } = await sendLink();
      expect(link.passcode).toBeUndefined();
      expect(messages).toHaveLength(2);
      const [first, second] = messages;
      expect(first.to).toEqual(['attorney@example.org']);
      expect(first.subject).toBe('Records you requested from Harbor General are ready');
      expect(first.text).toContain('https://records.example.test/download/');
      expect(second.text).not.toContain('/download/');
      const passcode = passcodeOf(second);
      expect(first.text).not.toContain(passcode);
      const { mrn } = await ctx().db.selectFrom('patients').select('mrn').where('id', '=', patientId).executeTakeFirstOrThrow();
      for (const message of messages) {
        expect(message.raw).not.toContain(family);
        expect(message.raw).not.toContain(mrn);
        expect(message.raw).not.toContain(patientId);
      }
      const token = tokenOf(first);
      const stored = await ctx().db.selectFrom('releaseDownloadLinks').selectAll().where('id', '=', link.id).executeTakeFirstOrThrow();
      expect(JSON.stringify(stored)).not.toContain(token);
      expect(JSON.stringify(stored)).not.toContain(passcode);

      const page = await app().inject({ method: 'GET', url: `/api/public/downloads/${token}` });
      expect(page.json().link).toEqual({ status: 'active', expiresAt: link.expiresAt, fileName: link.fileName });
      expect(link.fileName).toMatch(/^records-[0-9a-f]{8}\.pdf$/);

      const res = await download(token, passcode);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${link.fileName}"`);
      expect(Buffer.compare(res.rawPayload, packet)).toBe(0);

      const disclosed = await auditEventsWhere(ctx(), { action: 'disclose', recordId: link.id });
      expect(disclosed.map((e) => [e.actorType, e.outcome, e.patientId])).toEqual([['recipient', 'success', patientId]]);
      expect((await auditEventsWhere(ctx(), { action: 'create', recordId: link.id })).map((e) => e.actorName)).toEqual([clerk.username]);
      const listed = await send(app(), clerk.session, 'GET', `/api/release/download-links?patientId=${patientId}`);
      expect(listed.json().links).toMatchObject([{ id: link.id, status: 'active', downloads: 1, maxDownloads: 3, recipientEmail: 'attorney@example.org' }]);
      expect(listed.json().links[0]).not.toHaveProperty('tokenHash');
    });

    it('counts wrong passcodes, each in its own committed transaction, and locks the link at the fifth', async () => {
      const { link, messages } = await sendLink();
      const token = tokenOf(messages[0]);
      const passcode = passcodeOf(messages[1]);
      const wrong = passcode === '00000000' ? '11111111' : '00000000';
      for (let left = 4; left >= 1; left--) {
        const problem = expectProblem(await download(token, wrong), 400, 'release.passcode-wrong') as { detail: string; attemptsLeft?: number };
        expect(problem.attemptsLeft).toBe(left);
      }
      expectProblem(await download(token, wrong), 410, 'release.link-locked');
      expectProblem(await download(token, passcode), 410, 'release.link-locked');
      const row = await ctx().db.selectFrom('releaseDownloadLinks').select(['failedAttempts', 'lockedAt', 'downloads']).where('id', '=', link.id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ failedAttempts: 5, downloads: 0 });
      expect(row.lockedAt).not.toBeNull();
      const failures = await auditEventsWhere(ctx(), { action: 'disclose', recordId: link.id });
      expect(failures.map((e) => e.outcome)).toEqual(Array(5).fill('failure'));
      expect((await app().inject({ method: 'GET', url: `/api/public/downloads/${token}` })).json().link.status).toBe('locked');
    });

    it('refuses an expired link with 410, and a link used as many times as it allows', async () => {
      const expiring = await sendLink({ expiresInDays: 1 });
      const once = await sendLink({ maxDownloads: 1 });
      const onceToken = tokenOf(once.messages[0]);
      expect((await download(onceToken, passcodeOf(once.messages[1]))).statusCode).toBe(200);
      expectProblem(await download(onceToken, passcodeOf(once.messages[1])), 410, 'release.link-used-up');

      ctx().clock.advance(86_400_000 + 1000);
      const token = tokenOf(expiring.messages[0]);
      expectProblem(await download(token, passcodeOf(expiring.messages[1])), 410, 'release.link-expired');
      expect((await app().inject({ method: 'GET', url: `/api/public/downloads/${token}` })).json().link.status).toBe('expired');
      expect(await auditEventsWhere(ctx(), { action: 'disclose', recordId: expiring.link.id })).toEqual([]);
    });

    it('revokes a link at once, and answers 404 for a token it never issued', async () => {
      const { patientId, link, messages } = await sendLink();
      const revoked = await send(app(), clerk.session, 'POST', `/api/release/download-links/${link.id}/revoke`);
      expect(revoked.json().link).toMatchObject({ status: 'revoked' });
      expectProblem(await download(tokenOf(messages[0]), passcodeOf(messages[1])), 410, 'release.link-revoked');
      const listed = await send(app(), clerk.session, 'GET', `/api/release/download-links?patientId=${patientId}`);
      expect(listed.json().links.map((l: { status: string }) => l.status)).toEqual(['revoked']);
      expect((await auditEventsWhere(ctx(), { action: 'update', recordId: link.id })).map((e) => JSON.parse(e.details ?? '{}').change)).toEqual(['revoked']);
      expectProblem(await download(randomBytes(32).toString('base64url'), '12345678'), 404, 'not-found');
      expectProblem(await app().inject({ method: 'GET', url: `/api/public/downloads/${randomBytes(32).toString('base64url')}` }), 404, 'not-found');
    });

    it('answers the passcode once to the clerk when it goes by telephone, and sends only the link', async () => {
      const { link, messages } = await sendLink({ passcodeBy: 'phone' });
      expect(messages).toHaveLength(1);
      expect(link.passcode).toMatch(/^\d{8}$/);
      expect(messages[0].text).not.toContain(link.passcode);
      expect(messages[0].text).toContain('by telephone');
      expect((await download(tokenOf(messages[0]), link.passcode)).statusCode).toBe(200);
    });

    it('changes nothing and sends nothing when the file is not stored', async () => {
      const patientId = await registerOverHttp(app(), clerk, 'Quennell');
      const links = await ctx().db.selectFrom('releaseDownloadLinks').select('id').execute();
      const events = await countRows(ctx(), 'auditEvents');
      const sent = mail.messages.length;
      expectProblem(await send(app(), clerk.session, 'POST', '/api/release/download-links', {
        patientId, sha256: 'a'.repeat(64), recipientEmail: 'someone@example.org',
      }), 400, 'release.link-file');
      expect(await ctx().db.selectFrom('releaseDownloadLinks').select('id').execute()).toEqual(links);
      expect(await countRows(ctx(), 'auditEvents')).toBe(events);
      expect(mail.messages.length).toBe(sent);
    });
  });

  describe(`${dialect}: download links when the mail server refuses`, () => {
    let refusing: Awaited<ReturnType<typeof startTestMailServer>>;
    const { app, ctx } = useTestApp(dialect, { smtpUrl: undefined });
    beforeAll(async () => {
      refusing = await startTestMailServer({ refuseRecipients: true });
      ctx().config.smtpUrl = refusing.url;
    });
    afterAll(() => refusing.stop());

    it('answers mail.send-failed, keeps no link and records no event', async () => {
      const clerk = await signedInUser(app(), ctx(), 'refused.clerk', 'records_clerk');
      const patientId = await registerOverHttp(app(), clerk, 'Abernethy');
      const { sha256 } = await ctx().blobs.put(await samplePdf());
      const events = await countRows(ctx(), 'auditEvents');
      const problem = expectProblem(await send(app(), clerk.session, 'POST', '/api/release/download-links', { patientId, sha256, recipientEmail: 'nobody@example.org' }), 500, 'mail.send-failed');
      expect(problem.detail).not.toContain('nobody@example.org');
      expect(await ctx().db.selectFrom('releaseDownloadLinks').select('id').execute()).toEqual([]);
      expect(await countRows(ctx(), 'auditEvents')).toBe(events);
    });
  });

  describe(`${dialect}: download links without a mail server`, () => {
    const { app, ctx } = useTestApp(dialect);
    it('refuses to send with mail.not-configured and stores no link', async () => {
      const clerk = await signedInUser(app(), ctx(), 'nomail.clerk', 'records_clerk');
      const patientId = await registerOverHttp(app(), clerk, 'Lindqvist');
      const { sha256 } = await ctx().blobs.put(await samplePdf());
      expectProblem(await send(app(), clerk.session, 'POST', '/api/release/download-links', { patientId, sha256, recipientEmail: 'a@example.org' }), 409, 'mail.not-configured');
      expect(await ctx().db.selectFrom('releaseDownloadLinks').select('id').execute()).toEqual([]);
    });
  });
}
