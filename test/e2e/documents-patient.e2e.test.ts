import { readFileSync } from 'node:fs';
import type { Browser, Download, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserOn } from '../support/accounts.js';
import { sampleImage, samplePdf } from '../support/documents.js';
import { patientInput } from '../support/patients.js';
import { pdfText } from '../support/pdf-text.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNoAxeViolations, launchBrowser } from './browser.js';
import { E2E_TIMEOUT, field, heading, openSignedIn, registerPatientThroughApi, type RegisteredPatient } from './steps.js';

const CLERK = { username: 'dclerk', displayName: 'Dana Clerk', password: 'Lantern orchard 7713 q' };

const combobox = (scope: Page | Locator, name: string) => scope.getByRole('combobox', { name, exact: true });

/** Drops a file on the zone as a browser does when a file is dragged in from the desktop. */
async function dropFile(page: Page, zone: Locator, bytes: Buffer, name: string, type: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle(({ base64, name, type }) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], name, { type }));
    return transfer;
  }, { base64: bytes.toString('base64'), name, type });
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
}

/** Files a document through the API as someone else at the desk did earlier (multipart, with the CSRF token). */
async function fileThroughApi(page: Page, metadata: object, bytes: Buffer, name: string): Promise<string> {
  const answer = await page.evaluate(async ({ metadata, base64, name }) => {
    const session = (await (await fetch('/api/auth/session')).json()) as { csrfToken: string };
    const form = new FormData();
    form.append('metadata', JSON.stringify(metadata));
    form.append('file', new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], name, { type: 'application/pdf' }));
    const res = await fetch('/api/documents', { method: 'POST', body: form, headers: { 'X-CSRF-Token': session.csrfToken } });
    return { status: res.status, body: await res.json() };
  }, { metadata, base64: bytes.toString('base64'), name });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body.document.id;
}

const downloaded = async (download: Download): Promise<Buffer> => readFileSync((await download.path())!);

describe("a patient's documents in the web app", () => {
  let server: TestServer;
  let browser: Browser;
  let clerk: Page;
  let patient: RegisteredPatient;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    await createUserOn(server, { ...CLERK, role: 'records_clerk' });
    clerk = await openSignedIn(browser, server, CLERK);
    patient = await registerPatientThroughApi(clerk, patientInput({ family: 'Halvorsen', given: 'Ingrid', middle: undefined, ssn: undefined, birthDate: '1951-06-30', sex: 'female' }));
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('files a dropped PDF, filters, views, adds a version, marks another entered in error, and prints the chart', async () => {
    await fileThroughApi(clerk, { patientId: patient.id, typeCode: '11506-3', serviceDate: '2026-11-03', title: 'Night nursing note' }, await samplePdf(2, 'Night nursing note'), 'nursing.pdf');
    await clerk.goto(new URL(`/patients/${patient.id}`, server.url).href);
    await heading(clerk, 'HALVORSEN, Ingrid');
    const section = clerk.getByRole('region', { name: 'Documents', exact: true });
    const rows = section.getByTestId('documents').locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    const zone = section.getByTestId('document-drop-zone');

    // A picture named as a PDF: the server's refusal is shown in words, and nothing is filed.
    await dropFile(clerk, zone, await sampleImage('png'), 'discharge.pdf', 'application/pdf');
    let dialog = clerk.getByRole('dialog', { name: 'File a document' });
    await combobox(dialog, 'Document type').selectOption({ label: 'Discharge summary (18842-5)' });
    await dialog.getByRole('button', { name: 'File document' }).click();
    await expect.poll(async () => dialog.getByRole('alert').textContent()).toMatch(/content is image\/png, not the application\/pdf it was sent as/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    await dropFile(clerk, zone, await samplePdf(1, 'Discharge summary as dictated'), 'discharge.pdf', 'application/pdf');
    dialog = clerk.getByRole('dialog', { name: 'File a document' });
    await dialog.getByText('discharge.pdf').waitFor();
    await combobox(dialog, 'Document type').selectOption({ label: 'Discharge summary (18842-5)' });
    await field(dialog, 'Title').fill('Pneumonia admission');
    await field(dialog, 'Author').fill('Dr. Kwame Osei');
    await dialog.getByLabel('Date of service').fill('2026-11-05');
    await dialog.getByRole('checkbox', { name: 'Mental health' }).check();
    await expectNoAxeViolations(clerk);
    await dialog.getByRole('button', { name: 'File document' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.first().textContent()).toContain('Discharge summary: Pneumonia admission');

    // Filters narrow the list on the server's answer.
    const filters = section.getByRole('group', { name: 'Document filters' });
    await combobox(filters, 'Category').selectOption({ label: 'Summaries' });
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('Pneumonia admission');
    await combobox(filters, 'Category').selectOption({ label: 'All categories' });
    await combobox(filters, 'Sensitivity').selectOption({ label: 'Genetic' });
    await section.getByText('No documents match these filters.').waitFor();
    await combobox(filters, 'Sensitivity').selectOption({ label: 'Any' });
    await filters.getByLabel('Service to').fill('2026-11-04');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('Night nursing note');
    await filters.getByLabel('Service to').fill('');
    await expect.poll(() => rows.count()).toBe(2);
    await expectNoAxeViolations(clerk);

    // The viewer, then an amendment as a new version.
    const viewerLoaded = clerk.waitForResponse((r) => /\/api\/documents\/[^/]+\/pdf/.test(r.url()) && r.status() === 200);
    await section.getByRole('link', { name: 'Discharge summary: Pneumonia admission' }).click();
    await heading(clerk, 'Discharge summary: Pneumonia admission');
    await viewerLoaded;
    await clerk.locator('iframe[title="Document viewer, version 1"]').waitFor();
    await expectNoAxeViolations(clerk);
    await clerk.getByRole('button', { name: 'Add version' }).click();
    dialog = clerk.getByRole('dialog', { name: 'Add a version' });
    await dialog.locator('input[type=file]').setInputFiles({ name: 'discharge-v2.pdf', mimeType: 'application/pdf', buffer: await samplePdf(3, 'Discharge summary corrected') });
    await dialog.getByRole('textbox', { name: 'Reason for the change' }).fill('Medication list corrected by the author');
    await dialog.getByRole('button', { name: 'Add version' }).click();
    await dialog.waitFor({ state: 'detached' });
    await clerk.getByRole('heading', { name: 'Version 2 of 2: discharge-v2.pdf' }).waitFor();
    expect(await clerk.getByTestId('document-versions').locator('tbody tr').count()).toBe(2);
    await clerk.getByText('Amended', { exact: true }).waitFor();
    await clerk.getByRole('link', { name: 'Back to the patient' }).click();

    // The nursing note was filed to the wrong chart: it stays, marked.
    await heading(clerk, 'HALVORSEN, Ingrid');
    await section.getByRole('link', { name: 'Progress note: Night nursing note' }).click();
    await heading(clerk, 'Progress note: Night nursing note');
    await clerk.getByRole('button', { name: 'Mark entered in error' }).click();
    dialog = clerk.getByRole('dialog', { name: 'Mark entered in error' });
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('Belongs to another patient');
    await dialog.getByRole('button', { name: 'Mark entered in error' }).click();
    await dialog.waitFor({ state: 'detached' });
    await clerk.getByText('Belongs to another patient').waitFor();
    expect(await clerk.getByRole('button', { name: 'Add version' }).count()).toBe(0);
    await clerk.getByRole('link', { name: 'Back to the patient' }).click();
    await heading(clerk, 'HALVORSEN, Ingrid');
    await section.getByTestId('documents').getByText('Entered in error', { exact: true }).waitFor();

    // The chart printed: the amended summary's 3 pages after the cover and contents; the note entered in error left out.
    const [printed] = await Promise.all([clerk.waitForEvent('download'), section.getByRole('button', { name: 'Print chart' }).click()]);
    expect(printed.suggestedFilename()).toBe('medical-record.pdf');
    const { pages, lines } = await pdfText(new Uint8Array(await downloaded(printed)));
    expect(pages).toBe(5);
    expect(lines).toContain('2026-11-05  Discharge summary: Pneumonia admission (amended)');
    expect(lines).toContain('Discharge summary corrected, page 3');
    expect(lines).toContain(`HALVORSEN, Ingrid \u00b7 MRN ${patient.mrn} \u00b7 Page 5 of 5`);
    expect(lines.some((l) => l.includes('Night nursing note'))).toBe(false);


    // A cover sheet for this chart's paper, from the same place: the patient comes with it.
    await section.getByRole('button', { name: 'Print cover sheet' }).click();
    const coverSheet = clerk.getByRole('dialog', { name: 'Print a scanning cover sheet' });
    await coverSheet.getByRole('button', { name: 'Download cover sheet' }).waitFor();
    // The patient is fixed: the form asks only for the visit, the type and the copies.
    expect(await coverSheet.getByRole('textbox', { name: 'Patient' }).count()).toBe(0);
    await clerk.keyboard.press('Escape');
    await coverSheet.waitFor({ state: 'hidden' });

    const [exported] = await Promise.all([clerk.waitForEvent('download'), section.getByRole('button', { name: 'Export FHIR Bundle' }).click()]);
    const bundle = JSON.parse((await downloaded(exported)).toString('utf8'));
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(bundle.entry.map((e: { resource: { resourceType: string } }) => e.resource.resourceType)).toEqual(['Patient', 'DocumentReference']);
  }, E2E_TIMEOUT);
});
