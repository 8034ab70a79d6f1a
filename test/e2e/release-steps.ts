import type { Browser, Download, Page } from 'playwright-core';
import { expect } from 'vitest';
import { fileDocument } from '../../src/documents/index.js';
import { makePrincipal } from '../../src/access/principal.js';
import { createUserOn } from '../support/accounts.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startTestMailServer, type TestMailServer } from '../support/smtp.js';
import { launchBrowser, openContext } from './browser.js';
import { callApi, field, heading, openSignedIn, openSignedInEnrolling } from './steps.js';

/** Files a final PDF document for the patient as the user would (through the documents service), dated 2026-11-20. */
export async function fileFinalDocument(
  server: TestServer, user: { id: string; username: string; role: string }, patientId: string,
  document: { typeCode: string; title: string; bytes: Uint8Array },
): Promise<void> {
  const principal = makePrincipal('user', user.id, user.username, user.role, {});
  await fileDocument(server.running.chartroom, principal, { patientId, typeCode: document.typeCode, title: document.title, serviceDate: '2026-11-20', status: 'final' }, {
    bytes: Buffer.from(document.bytes), fileName: 'scan.pdf', contentType: 'application/pdf',
  });
}

/**
 * A patient's own request for their whole record through the portal, received today, logged through
 * the API (the intake wizard has its own browser test) and moved to in process. Answers its id.
 */
export async function ownRequestInProcess(page: Page, patientId: string, requester: { name: string; email: string }, format = 'pdf'): Promise<string> {
  const logged = await callApi<{ request: { id: string } }>(page, 'POST', '/api/release/requests', {
    patientId, receivedOn: new Date().toISOString().slice(0, 10), channel: 'portal',
    requester: { kind: 'patient', name: requester.name }, basis: { kind: 'right-of-access' }, identityVerification: { method: 'portal-account' },
    scope: { wholeRecordSet: true }, format, delivery: { method: 'secure-link', email: requester.email },
  });
  expect(logged.status, JSON.stringify(logged.body)).toBe(201);
  const id = logged.body.request.id;
  for (const to of ['validated', 'in_process']) expect((await callApi(page, 'POST', `/api/release/requests/${id}/status`, { to })).status).toBe(200);
  return id;
}

/** What the recipient does with the two e-mails (link, then passcode): opens the link, types the passcode, downloads. */
export async function downloadAsRecipient(browser: Browser, server: TestServer, mail: TestMailServer, from = 0): Promise<Download> {
  const [linkMail, passcodeMail] = (await mail.waitFor(from + 2)).slice(from);
  const link = /https?:\/\/\S+\/download\/[A-Za-z0-9_-]{43}/.exec(linkMail.text)![0];
  const passcode = /passcode is: (\d{8})/.exec(passcodeMail.text)![1];
  const recipient = await (await openContext(browser)).newPage();
  await recipient.goto(new URL(new URL(link).pathname, server.url).href);
  await heading(recipient, 'Download your records');
  await field(recipient, 'Passcode').fill(passcode);
  const [download] = await Promise.all([recipient.waitForEvent('download'), recipient.getByRole('button', { name: 'Download' }).click()]);
  return download;
}

/** A release desk for a browser test: mail server, Chartroom, Chromium, a records clerk and an HIM supervisor signed in. */
export interface ReleaseDesk {
  server: TestServer;
  mail: TestMailServer;
  browser: Browser;
  clerk: Page;
  clerkUser: { id: string; username: string; role: string };
  reviewer: Page;
  close(): Promise<void>;
}

type Person = { username: string; displayName: string; password: string };

/** Opens a release desk: the clerk signs in, the supervisor (who checks packets) enrols MFA and signs in. */
export async function openReleaseDesk(clerk: Person, reviewer: Person): Promise<ReleaseDesk> {
  const mail = await startTestMailServer();
  const [server, browser] = await Promise.all([startTestServer({ config: { smtpUrl: mail.url, facilityName: 'Harbor General' } }), launchBrowser()]);
  const clerkId = await createUserOn(server, { ...clerk, role: 'records_clerk' });
  await createUserOn(server, { ...reviewer, role: 'him_supervisor' });
  return {
    server, mail, browser,
    clerk: await openSignedIn(browser, server, clerk),
    clerkUser: { id: clerkId, username: clerk.username, role: 'records_clerk' },
    reviewer: await openSignedInEnrolling(browser, server, reviewer),
    async close() {
      await browser.close();
      await server.stop();
      await mail.stop();
    },
  };
}
