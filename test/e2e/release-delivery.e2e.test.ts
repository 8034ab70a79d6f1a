import { readFile } from 'node:fs/promises';
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
import { E2E_TIMEOUT, field, heading, openSignedIn, registerPatientThroughApi, type RegisteredPatient } from './steps.js';

const CLERK = { username: 'mhalloran', displayName: 'Maeve Halloran', password: 'Lighthouse ferry 27 q' };

describe('sending records by a secure download link', () => {
  let server: TestServer;
  let mail: TestMailServer;
  let browser: Browser;
  let clerk: Page;
  let patient: RegisteredPatient;
  let packet: Buffer;

  beforeAll(async () => {
    mail = await startTestMailServer();
    [server, browser] = await Promise.all([startTestServer({ config: { smtpUrl: mail.url, facilityName: 'Harbor General' } }), launchBrowser()]);
    const clerkId = await createUserOn(server, { ...CLERK, role: 'records_clerk' });
    clerk = await openSignedIn(browser, server, CLERK);
    patient = await registerPatientThroughApi(clerk, patientInput({ family: 'Fairweather' }));
    packet = await samplePdf(3, 'Release packet');
    const principal = makePrincipal('user', clerkId, CLERK.username, 'records_clerk', {});
    await fileDocument(server.running.chartroom, principal, { patientId: patient.id, typeCode: '18842-5', title: 'Release packet', serviceDate: '2026-11-20', status: 'final' }, {
      bytes: packet, fileName: 'packet.pdf', contentType: 'application/pdf',
    });
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await mail?.stop();
  });

  it('a clerk sends a link; the recipient opens it elsewhere, is told a wrong passcode, and downloads the exact file with the right one', async () => {
    await clerk.goto(new URL(`/release/delivery?patientId=${patient.id}`, server.url).href);
    await heading(clerk, 'Secure delivery');
    await clerk.getByRole('combobox', { name: 'File to send' }).click();
    await clerk.getByRole('option', { name: /^Release packet, 2026-11-20/ }).click();
    await field(clerk, "Recipient's e-mail").fill('records.requests@example.org');
    await clerk.getByRole('button', { name: 'Send link' }).click();
    await clerk.getByRole('status').filter({ hasText: 'Link sent' }).waitFor();
    const links = clerk.getByRole('region', { name: 'Secure download links', exact: true });
    await links.getByText('Active').waitFor();
    await expectNoAxeViolations(clerk);

    const [linkMail, passcodeMail] = await mail.waitFor(2);
    expect(linkMail.to).toEqual(['records.requests@example.org']);
    expect(linkMail.subject).toBe('Records you requested from Harbor General are ready');
    for (const message of [linkMail, passcodeMail]) {
      expect(message.raw).not.toContain('Fairweather');
      expect(message.raw).not.toContain(patient.mrn);
    }
    const url = /https?:\/\/\S+\/download\/[A-Za-z0-9_-]{43}/.exec(linkMail.text)?.[0];
    const passcode = /passcode is: (\d{8})/.exec(passcodeMail.text)?.[1];
    expect(url).toBeDefined();
    expect(passcode).toBeDefined();
    expect(linkMail.text).not.toContain(passcode);

    // The recipient: another browser profile, never signed in.
    const recipient = await (await openContext(browser)).newPage();
    await recipient.goto(new URL(new URL(url!).pathname, server.url).href);
    await heading(recipient, 'Download your records');
    const wrong = passcode === '00000000' ? '11111111' : '00000000';
    await field(recipient, 'Passcode').fill(wrong);
    await recipient.getByRole('button', { name: 'Download' }).click();
    await recipient.getByText('That passcode is not right. 4 attempts left before the link locks.').waitFor();
    await expectNoAxeViolations(recipient);

    await field(recipient, 'Passcode').fill(passcode!);
    const [download] = await Promise.all([recipient.waitForEvent('download'), recipient.getByRole('button', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^records-[0-9a-f]{8}\.pdf$/);
    const bytes = await readFile(await download.path());
    expect(Buffer.compare(bytes, packet)).toBe(0);

    await clerk.reload();
    await links.getByText('1 of 3 (1 wrong passcode)').waitFor();
    await links.getByRole('button', { name: /^Revoke the link/ }).click();
    await clerk.getByRole('dialog').getByRole('button', { name: 'Revoke link' }).click();
    await links.getByText('Revoked').waitFor();

    await recipient.reload();
    await recipient.getByRole('alert').filter({ hasText: 'This download link was withdrawn.' }).waitFor();
    await expectNoAxeViolations(recipient);
  }, E2E_TIMEOUT);
});
