import { readFileSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserOn } from '../support/accounts.js';
import { patientInput } from '../support/patients.js';
import { scanPdfPage, scannedBatchPdf, scannedContentPage } from '../support/scanning.js';
import { pdfText } from '../support/pdf-text.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNoAxeViolations, launchBrowser } from './browser.js';
import { callApi, E2E_TIMEOUT, field, heading, openFromNavigation, openSignedIn, registerPatientThroughApi, type RegisteredPatient } from './steps.js';

const CLERK = { username: 'mokafor', displayName: 'Mercy Okafor', password: 'Lantern harbour 73 q' };

interface FiledDocument {
  type: { code: string };
  encounterId: string | null;
  content: { pageCount: number };
}

/** Finds a patient in a patient picker by name (Enter searches; an earlier search's answer is reused) and chooses them. */
async function choosePatient(scope: Locator, family: string): Promise<void> {
  const box = field(scope, 'Patient');
  await box.fill(family);
  await box.press('Enter');
  await scope.getByRole('button', { name: new RegExp(`^Choose ${family.toUpperCase()},`) }).click();
  await scope.getByTestId('chosen-patient').waitFor();
}

/** Prints a cover sheet on the Scanning page; answers the downloaded PDF. */
async function printCoverSheet(page: Page, family: string, visit: string, type: string): Promise<Buffer> {
  const form = page.getByRole('form', { name: 'Print cover sheets' });
  if (await form.getByRole('button', { name: 'Change patient' }).count()) await form.getByRole('button', { name: 'Change patient' }).click();
  await choosePatient(form, family);
  await form.getByRole('combobox', { name: 'Visit' }).selectOption({ label: visit });
  await form.getByRole('combobox', { name: /^Document type/ }).selectOption({ label: type });
  const [download] = await Promise.all([page.waitForEvent('download'), form.getByRole('button', { name: 'Download cover sheet' }).click()]);
  expect(download.suggestedFilename()).toBe('cover-sheet.pdf');
  const path = await download.path();
  return readFileSync(path);
}

describe('scanning with cover sheets', () => {
  let server: TestServer;
  let browser: Browser;
  let clerk: Page;
  let inpatient: RegisteredPatient;
  let outpatient: RegisteredPatient;
  let visitNumber: string;
  let visitId: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    await createUserOn(server, { ...CLERK, role: 'records_clerk' });
    clerk = await openSignedIn(browser, server, CLERK);
    inpatient = await registerPatientThroughApi(clerk, patientInput({ family: 'Lindqvist', given: 'Astrid', middle: undefined, sex: 'female', birthDate: '1961-02-03', ssn: undefined }));
    outpatient = await registerPatientThroughApi(clerk, patientInput({ family: 'Abernathy', given: 'Colm', middle: undefined, birthDate: '1977-09-30', ssn: undefined, phones: [], email: undefined }));
    const admitted = await callApi<{ encounter: { id: string; visitNumber: string } }>(clerk, 'POST', '/api/encounters', {
      patientId: inpatient.id, type: 'admit', at: '2026-11-20T08:00:00Z', details: { class: 'inpatient' },
    });
    expect(admitted.status, JSON.stringify(admitted.body)).toBe(201);
    ({ id: visitId, visitNumber } = admitted.body.encounter);
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('prints cover sheets, files a scanned batch by them, and indexes the page left over beside its image', async () => {
    await openFromNavigation(clerk, 'Scanning');
    await expectNoAxeViolations(clerk);

    const dischargeSheet = await printCoverSheet(clerk, 'Lindqvist', `${visitNumber} · inpatient · 2026-11-20`, 'Discharge summary (18842-5)');
    expect((await pdfText(dischargeSheet)).lines).toContain(inpatient.mrn);
    await clerk.getByText('The cover sheet is downloaded.').waitFor();
    const consentSheet = await printCoverSheet(clerk, 'Abernathy', 'No visit (file to the chart)', 'Consent document (59284-0)');
    await expectNoAxeViolations(clerk);

    // What the scanner makes of the paper: a stray page, then each cover sheet in front of its document.
    const batch = await scannedBatchPdf([
      await scannedContentPage('A page without a cover sheet'),
      scanPdfPage(dischargeSheet), await scannedContentPage('Discharge summary, page 1'), await scannedContentPage('Discharge summary, page 2'),
      scanPdfPage(consentSheet), await scannedContentPage('Consent to treatment'),
    ]);
    const upload = clerk.getByRole('form', { name: 'Upload a scanned batch' });
    await upload.getByLabel('Batch file (PDF or TIFF)').setInputFiles({ name: 'ward-3-monday.pdf', mimeType: 'application/pdf', buffer: batch });
    await upload.getByRole('button', { name: 'Upload batch' }).click();
    const report = clerk.getByTestId('batch-report');
    await report.getByRole('heading', { name: 'Batch report: ward-3-monday.pdf' }).waitFor();
    expect(await report.getByTestId('count-pages').textContent()).toBe('6');
    expect(await report.getByTestId('count-cover-sheets').textContent()).toBe('2');
    expect(await report.getByTestId('count-documents-made').textContent()).toBe('2');
    expect(await report.getByTestId('count-pages-left-for-indexing').textContent()).toBe('1');
    expect(await report.getByTestId('batch-document-3').textContent()).toContain(`LINDQVIST, Astrid · ${inpatient.mrn}`);
    expect(await report.getByTestId('batch-document-6').textContent()).toContain('Consent document');
    expect(await report.getByTestId('batch-document-1').textContent()).toContain('No cover sheet in front of these pages');
    await clerk.getByTestId('recent-batches').getByRole('button', { name: 'Show the report of ward-3-monday.pdf' }).waitFor();
    await expectNoAxeViolations(clerk);

    // The indexing queue: the stray page, shown beside the form.
    await report.getByRole('link', { name: 'Open the indexing queue' }).click();
    await heading(clerk, 'Indexing queue');
    await clerk.getByRole('button', { name: 'Index page 1 of ward-3-monday.pdf' }).click();
    const image = clerk.getByRole('img', { name: 'Scanned page 1 of ward-3-monday.pdf' });
    await image.waitFor();
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(100);
    const form = clerk.getByRole('form', { name: 'Index the pages' });
    await choosePatient(form, 'Abernathy');
    await form.getByRole('combobox', { name: /^Document type/ }).selectOption({ label: 'Progress note (11506-3)' });
    await field(form, 'Title').fill('Nursing progress note, scanned');
    await field(form, 'Date of service').fill('2026-11-21');
    await expectNoAxeViolations(clerk);
    await form.getByRole('button', { name: 'File document' }).click();
    await clerk.getByText(/page 1 of ward-3-monday\.pdf filed to ABERNATHY, Colm/).waitFor();
    await clerk.getByText('Nothing waits for indexing.').waitFor();
    await expectNoAxeViolations(clerk);

    // The documents exist where the cover sheets and the clerk said.
    const documentsOf = async (patientId: string) => (await callApi<{ documents: FiledDocument[] }>(clerk, 'GET', `/api/patients/${patientId}/documents`)).body.documents;
    expect((await documentsOf(inpatient.id)).map((d) => [d.type.code, d.encounterId, d.content.pageCount])).toEqual([['18842-5', visitId, 2]]);
    expect((await documentsOf(outpatient.id)).map((d) => [d.type.code, d.content.pageCount]).sort()).toEqual([['11506-3', 1], ['59284-0', 1]]);
  }, E2E_TIMEOUT);
});
