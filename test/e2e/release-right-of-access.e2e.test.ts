import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePdf } from '../support/documents.js';
import { patientInput } from '../support/patients.js';
import type { TestServer } from '../support/server.js';
import type { TestMailServer } from '../support/smtp.js';
import { expectNoAxeViolations } from './browser.js';
import { downloadAsRecipient, fileFinalDocument, openReleaseDesk, ownRequestInProcess, type ReleaseDesk } from './release-steps.js';
import { E2E_TIMEOUT, field, heading, registerPatientThroughApi } from './steps.js';

const CLERK = { username: 'tnakamura', displayName: 'Toshiro Nakamura', password: 'Quayside lantern 58 q' };
const REVIEWER = { username: 'abrennan', displayName: 'Aoife Brennan', password: 'Harbour beacon 93 q' };

describe('a right-of-access request delivered electronically', () => {
  let desk: ReleaseDesk;
  let server: TestServer;
  let mail: TestMailServer;
  let browser: Browser;
  let clerk: Page;
  let reviewer: Page;
  let requestId: string;

  beforeAll(async () => {
    desk = await openReleaseDesk(CLERK, REVIEWER);
    ({ server, mail, browser, clerk, reviewer } = desk);
    const patient = await registerPatientThroughApi(clerk, patientInput({ family: 'Castellanos' }));
    await fileFinalDocument(server, desk.clerkUser, patient.id, { typeCode: '18842-5', title: 'Discharge summary', bytes: await samplePdf(2) });
    requestId = await ownRequestInProcess(clerk, patient.id, { name: 'Elena Castellanos', email: 'elena@example.org' });
  }, E2E_TIMEOUT);

  afterAll(() => desk?.close());

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

    expect((await mail.waitFor(2))[0].to).toEqual(['elena@example.org']);
    const download = await downloadAsRecipient(browser, server, mail);
    expect(download.suggestedFilename()).toMatch(/^records-[0-9a-f]{8}\.pdf$/);
  }, E2E_TIMEOUT);
});
