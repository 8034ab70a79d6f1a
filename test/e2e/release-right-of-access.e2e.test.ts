import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileDocument } from '../../src/documents/index.js';
import { makePrincipal } from '../../src/access/principal.js';
import { createUserOn } from '../support/accounts.js';
import { samplePdf } from '../support/documents.js';
import { patientInput } from '../support/patients.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startTestMailServer, type TestMailServer } from '../support/smtp.js';
import { expectNoAxeViolations, launchBrowser, openContext } from './browser.js';
import { callApi, E2E_TIMEOUT, field, heading, openSignedIn, openSignedInEnrolling, registerPatientThroughApi } from './steps.js';

const CLERK = { username: 'tnakamura', displayName: 'Toshiro Nakamura', password: 'Quayside lantern 58 q' };
const REVIEWER = { username: 'abrennan', displayName: 'Aoife Brennan', password: 'Harbour beacon 93 q' };

describe('a right-of-access request delivered electronically', () => {
  let server: TestServer;
  let mail: TestMailServer;
  let browser: Browser;
  let clerk: Page;
  let reviewer: Page;
  let requestId: string;

  beforeAll(async () => {
    mail = await startTestMailServer();
    [server, browser] = await Promise.all([startTestServer({ config: { smtpUrl: mail.url, facilityName: 'Harbor General' } }), launchBrowser()]);
    const clerkId = await createUserOn(server, { ...CLERK, role: 'records_clerk' });
    await createUserOn(server, { ...REVIEWER, role: 'him_supervisor' });
    clerk = await openSignedIn(browser, server, CLERK);
    reviewer = await openSignedInEnrolling(browser, server, REVIEWER);
    const patient = await registerPatientThroughApi(clerk, patientInput({ family: 'Castellanos' }));
    const principal = makePrincipal('user', clerkId, CLERK.username, 'records_clerk', {});
    await fileDocument(server.running.chartroom, principal, { patientId: patient.id, typeCode: '18842-5', title: 'Discharge summary', serviceDate: '2026-11-20', status: 'final' }, {
      bytes: await samplePdf(2), fileName: 'summary.pdf', contentType: 'application/pdf',
    });
    // Intake through the API: the wizard has its own browser test.
    const logged = await callApi<{ request: { id: string } }>(clerk, 'POST', '/api/release/requests', {
      patientId: patient.id, receivedOn: new Date().toISOString().slice(0, 10), channel: 'portal',
      requester: { kind: 'patient', name: 'Elena Castellanos' }, basis: { kind: 'right-of-access' }, identityVerification: { method: 'portal-account' },
      scope: { wholeRecordSet: true }, format: 'pdf', delivery: { method: 'secure-link', email: 'elena@example.org' },
    });
    expect(logged.status, JSON.stringify(logged.body)).toBe(201);
    requestId = logged.body.request.id;
    for (const to of ['validated', 'in_process']) expect((await callApi(clerk, 'POST', `/api/release/requests/${requestId}/status`, { to })).status).toBe(200);
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await mail?.stop();
  });

  it('a complete right-of-access request delivered electronically', async () => {
    const url = new URL(`/release/${requestId}`, server.url).href;
    await clerk.goto(url);
    await heading(clerk, 'Request for records');
    await clerk.getByRole('button', { name: 'Build packet' }).click();
    await expect.poll(() => clerk.getByTestId('packet-status').textContent()).toMatch(/3 pages: Waiting for quality check/);
    await clerk.getByRole('img', { name: 'Packet page 1: Cover letter' }).waitFor();
    expect(await clerk.getByTestId('request-status').textContent()).toBe('Quality check');
    await expectNoAxeViolations(clerk);

    await reviewer.goto(url);
    await heading(reviewer, 'Request for records');
    const confirm = reviewer.getByRole('button', { name: 'Confirm every page' });
    expect(await confirm.isDisabled()).toBe(true);
    await reviewer.getByRole('checkbox', { name: 'All 3 pages belong to the patient' }).check();
    await expectNoAxeViolations(reviewer);
    await confirm.click();
    await expect.poll(() => reviewer.getByTestId('packet-status').textContent()).toMatch(/Checked: ready to release/);

    await clerk.reload();
    await heading(clerk, 'Request for records');
    expect(await field(clerk, 'Recipient e-mail').inputValue()).toBe('elena@example.org');
    await clerk.getByRole('button', { name: 'Release', exact: true }).click();
    await expect.poll(() => clerk.getByTestId('request-status').textContent()).toBe('Released');

    const [linkMail, passcodeMail] = await mail.waitFor(2);
    expect(linkMail.to).toEqual(['elena@example.org']);
    const link = /https?:\/\/\S+\/download\/[A-Za-z0-9_-]{43}/.exec(linkMail.text)![0];
    const passcode = /passcode is: (\d{8})/.exec(passcodeMail.text)![1];
    const recipient = await (await openContext(browser)).newPage();
    await recipient.goto(new URL(new URL(link).pathname, server.url).href);
    await heading(recipient, 'Download your records');
    await field(recipient, 'Passcode').fill(passcode);
    const [download] = await Promise.all([recipient.waitForEvent('download'), recipient.getByRole('button', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^records-[0-9a-f]{8}\.pdf$/);
  }, E2E_TIMEOUT);
});
