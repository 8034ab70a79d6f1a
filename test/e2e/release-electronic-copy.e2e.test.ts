import { readFile } from 'node:fs/promises';
import { unzipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePdf } from '../support/documents.js';
import { patientInput } from '../support/patients.js';
import type { TestServer } from '../support/server.js';
import type { TestMailServer } from '../support/smtp.js';
import { expectNoAxeViolations } from './browser.js';
import { downloadAsRecipient, fileFinalDocument, openReleaseDesk, ownRequestInProcess, type ReleaseDesk } from './release-steps.js';
import { callApi, E2E_TIMEOUT, heading, registerPatientThroughApi } from './steps.js';

const CLERK = { username: 'mokafor', displayName: 'Maryam Okafor', password: 'Granary window 61 q' };
const REVIEWER = { username: 'pdelacroix', displayName: 'Paul Delacroix', password: 'Orchard ladder 27 q' };

describe('records released electronically as a FHIR Bundle or a ZIP', () => {
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
    const patient = await registerPatientThroughApi(clerk, patientInput({ family: 'Abernathy' }));
    await fileFinalDocument(server, desk.clerkUser, patient.id, { typeCode: '18842-5', title: 'Discharge summary', bytes: await samplePdf(2) });
    // The patient asks for a FHIR copy for their health app.
    requestId = await ownRequestInProcess(clerk, patient.id, { name: 'Ruth Abernathy', email: 'ruth@example.org' }, 'fhir');
    expect((await callApi(clerk, 'POST', `/api/release/requests/${requestId}/packet`, { redactions: [] })).status).toBe(201);
  }, E2E_TIMEOUT);

  afterAll(() => desk?.close());

  it('offers the packet as a ZIP, and sends a FHIR request as a Bundle by secure link', async () => {
    const url = new URL(`/release/${requestId}`, server.url).href;
    await reviewer.goto(url);
    await heading(reviewer, 'Request for records');
    await reviewer.getByRole('checkbox', { name: 'All 3 pages belong to the patient' }).check();
    await reviewer.getByRole('button', { name: 'Confirm every page' }).click();
    await expect.poll(() => reviewer.getByTestId('packet-status').textContent()).toMatch(/Checked: ready to release/);

    await clerk.goto(url);
    await heading(clerk, 'Request for records');
    await clerk.getByTestId('packet-release').waitFor();
    // The staff copy as a ZIP: a PDF for each part and the contents list.
    const [zipDownload] = await Promise.all([clerk.waitForEvent('download'), clerk.getByRole('link', { name: 'Download as ZIP' }).click()]);
    expect(zipDownload.suggestedFilename()).toBe('release-packet.zip');
    const zip = unzipSync(new Uint8Array(await readFile((await zipDownload.path())!)));
    expect(Object.keys(zip).sort()).toEqual(['01-cover-letter.pdf', '02-discharge-summary-2026-11-20.pdf', 'contents.txt']);

    // A request for a FHIR copy is sent as a Bundle unless the clerk chooses otherwise.
    expect(await clerk.getByLabel('File sent').inputValue()).toBe('fhir-bundle');
    await expectNoAxeViolations(clerk);
    await clerk.getByRole('button', { name: 'Release', exact: true }).click();
    // Making the Bundle from the packet takes a moment on a loaded machine; a refusal would show in the section.
    await expect.poll(async () => (await clerk.getByTestId('packet-release').getByRole('alert').count()) ? await clerk.getByTestId('packet-release').textContent() : clerk.getByTestId('request-status').textContent(), { timeout: 20_000 }).toBe('Released');

    const download = await downloadAsRecipient(browser, server, mail);
    expect(download.suggestedFilename()).toMatch(/^records-[0-9a-f]{8}\.json$/);
    const bundle = JSON.parse(await readFile((await download.path())!, 'utf8')) as { resourceType: string; type: string; entry: { resource: { resourceType: string } }[] };
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(bundle.entry.map((e) => e.resource.resourceType)).toEqual(['Patient', 'DocumentReference', 'DocumentReference']);
  }, E2E_TIMEOUT);
});
