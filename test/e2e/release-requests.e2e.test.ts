import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserOn } from '../support/accounts.js';
import { patientInput } from '../support/patients.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNoAxeViolations, launchBrowser } from './browser.js';
import { callApi, E2E_TIMEOUT, field, heading, openFromNavigation, openSignedIn, registerPatientThroughApi, type RegisteredPatient } from './steps.js';

const CLERK = { username: 'mreyes', displayName: 'Marisol Reyes', password: 'Lantern harbor 77 q' };

const combobox = (page: Page, name: string) => page.getByRole('combobox', { name, exact: true });
const checkbox = (page: Page, name: string) => page.getByRole('checkbox', { name, exact: true });
const status = (page: Page) => page.getByTestId('request-status');

/** Clicks Next and waits for the wizard's step heading. */
async function nextStep(page: Page, step: string): Promise<void> {
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await page.getByRole('heading', { name: new RegExp(`: ${step}$`) }).waitFor();
}

/** The wizard's first step: finds the patient by name and chooses them. */
async function choosePatient(page: Page, family: string, label: string): Promise<void> {
  await openFromNavigation(page, 'Release of information');
  await page.getByRole('link', { name: 'Log a request' }).click();
  await heading(page, 'Log a request for records');
  await field(page, 'Find the patient').fill(family);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('button', { name: `Choose ${label}` }).click();
  await page.getByTestId('chosen-patient').waitFor();
}

describe('release of information requests', () => {
  let server: TestServer;
  let browser: Browser;
  let clerk: Page;
  let patient: RegisteredPatient;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    await createUserOn(server, { ...CLERK, role: 'records_clerk' });
    clerk = await openSignedIn(browser, server, CLERK);
    patient = await registerPatientThroughApi(clerk, patientInput());
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("logs a patient's right-of-access request through the wizard and validates it", async () => {
    await choosePatient(clerk, 'Okafor', 'OKAFOR, William James');
    await expectNoAxeViolations(clerk);
    await nextStep(clerk, 'Requester');
    await combobox(clerk, 'Received by').selectOption({ label: 'Patient portal' });
    expect(await combobox(clerk, 'Requester').inputValue()).toBe('patient');
    await field(clerk, "Requester's name").fill('William Okafor');
    await combobox(clerk, 'How the identity was verified').selectOption({ label: 'Verified portal account' });
    await expectNoAxeViolations(clerk);
    await nextStep(clerk, 'What and how');
    expect(await checkbox(clerk, 'The whole designated record set').isChecked()).toBe(true);
    await combobox(clerk, 'Format').selectOption({ label: 'Electronic, by secure link' });
    await combobox(clerk, 'Delivery').selectOption({ label: 'Secure link' });
    await field(clerk, 'Delivery e-mail').fill('w.okafor@example.org');
    await expectNoAxeViolations(clerk);
    await nextStep(clerk, 'Legal basis');
    expect(await combobox(clerk, 'Legal basis').inputValue()).toBe('right-of-access');
    await expect.poll(() => clerk.getByTestId('intake-checklist-verdict').textContent()).toBe('Valid');
    // A purpose asked of a patient for their own record turns the checklist red; taking it out turns it back.
    await field(clerk, 'Purpose of the request').fill('Second opinion');
    await expect.poll(() => clerk.getByTestId('intake-checklist-verdict').textContent()).toBe('Invalid');
    await clerk.getByTestId('intake-checklist').getByText('A patient asking for their own record is never asked why: remove the purpose.').waitFor();
    await field(clerk, 'Purpose of the request').fill('');
    await expect.poll(() => clerk.getByTestId('intake-checklist-verdict').textContent()).toBe('Valid');
    await expectNoAxeViolations(clerk);
    await nextStep(clerk, 'Review');
    await clerk.getByRole('button', { name: 'Log the request' }).click();

    await heading(clerk, 'Request for records');
    expect(await status(clerk).textContent()).toBe('Logged');
    expect(await clerk.getByTestId('request-patient').textContent()).toBe(`Okafor, William James · MRN ${patient.mrn}`);
    expect(await clerk.getByTestId('request-checklist-verdict').textContent()).toBe('Valid');
    await expectNoAxeViolations(clerk);
    await clerk.getByRole('group', { name: 'Request actions' }).getByRole('button', { name: 'Validate', exact: true }).click();
    await expect.poll(() => status(clerk).textContent()).toBe('Validated');
    expect(await clerk.getByTestId('request-history').locator('tbody tr').first().textContent()).toContain('Logged → Validated');

    // The work queue lists it, due 30 days after receipt.
    await openFromNavigation(clerk, 'Release of information');
    const row = clerk.getByTestId('release-queue').locator('tbody tr').filter({ hasText: patient.mrn });
    await row.first().waitFor();
    expect(await row.first().textContent()).toContain('Validated');
    expect(await row.first().textContent()).toContain('30 d left');
    await expectNoAxeViolations(clerk);

    // The dashboard counts it among the open requests and draws the turnaround chart.
    await clerk.getByRole('link', { name: 'Dashboard' }).click();
    await heading(clerk, 'Release of information dashboard');
    expect(await clerk.getByTestId('figure-open').textContent()).toBe('1');
    await clerk.getByRole('img', { name: 'Average days from receipt to release or denial, by week' }).waitFor();
    await expectNoAxeViolations(clerk);
  }, E2E_TIMEOUT);

  it("shows an attorney's defective authorization invalid with the reasons, refuses to validate it, and validates the corrected one", async () => {
    await choosePatient(clerk, 'Okafor', 'OKAFOR, William James');
    await nextStep(clerk, 'Requester');
    await combobox(clerk, 'Requester').selectOption({ label: 'Attorney' });
    await field(clerk, "Requester's name").fill('Dana Hale');
    await field(clerk, 'Organization').fill('Hale & Partners LLP');
    await nextStep(clerk, 'What and how');
    await combobox(clerk, 'Format').selectOption({ label: 'Paper' });
    await field(clerk, 'Delivery address').fill('1 Court Street, Portland ME 04101');
    await nextStep(clerk, 'Legal basis');
    await combobox(clerk, 'Legal basis').selectOption({ label: 'HIPAA authorization (45 CFR 164.508)' });
    await field(clerk, 'Description of the information').fill('All records of 2025');
    await field(clerk, 'Who may disclose').fill('Chartroom Hospital');
    await field(clerk, 'Purpose stated on the authorization').fill('Personal injury claim');
    await clerk.getByLabel('Expiration date').fill('2020-06-30');
    await clerk.getByLabel('Date signed').fill('2020-01-10');
    await checkbox(clerk, 'States the right to revoke in writing, and how').check();
    await checkbox(clerk, 'States that redisclosed information may no longer be protected').check();
    const checklist = clerk.getByTestId('intake-checklist');
    await expect.poll(() => checklist.getByTestId('checklist-reason').allTextContents()).toEqual([
      'The authorization does not name who may receive the information.',
      'The form does not say whether treatment or payment may be conditioned on signing.',
      'The authorization has expired.',
    ]);
    await expectNoAxeViolations(clerk);
    await nextStep(clerk, 'Review');
    await clerk.getByText('The request can be logged, but not validated').waitFor();
    await clerk.getByRole('button', { name: 'Log the request' }).click();

    await heading(clerk, 'Request for records');
    expect(await clerk.getByTestId('request-checklist-verdict').textContent()).toBe('Invalid');
    expect(await clerk.getByTestId('request-checklist').getByTestId('checklist-reason').count()).toBe(3);
    await clerk.getByRole('group', { name: 'Request actions' }).getByRole('button', { name: 'Validate', exact: true }).click();
    const problem = clerk.getByRole('alert').filter({ hasText: 'does not meet its legal basis' });
    await problem.waitFor();
    expect(await problem.getByTestId('problem-fields').locator('li').allTextContents()).toEqual([
      'The authorization does not name who may receive the information.',
      'The form does not say whether treatment or payment may be conditioned on signing.',
      'The authorization has expired.',
    ]);
    expect(await status(clerk).textContent()).toBe('Logged');
    await expectNoAxeViolations(clerk);

    // The attorney sends a corrected authorization: the clerk corrects the request, and it validates.
    await clerk.getByRole('group', { name: 'Request actions' }).getByRole('button', { name: 'Correct the legal basis' }).click();
    const dialog = clerk.getByRole('dialog');
    await field(dialog, 'Who may receive').fill('Hale & Partners LLP');
    await dialog.getByRole('checkbox', { name: 'States whether treatment or payment may be conditioned on signing', exact: true }).check();
    await dialog.getByLabel('Expiration date').fill(`${new Date().getUTCFullYear() + 1}-06-30`);
    await expect.poll(() => dialog.getByTestId('correction-checklist-verdict').textContent()).toBe('Valid');
    await expectNoAxeViolations(clerk);
    await dialog.getByRole('button', { name: 'Save the correction' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => clerk.getByTestId('request-checklist-verdict').textContent()).toBe('Valid');
    await clerk.getByRole('group', { name: 'Request actions' }).getByRole('button', { name: 'Validate', exact: true }).click();
    await expect.poll(() => status(clerk).textContent()).toBe('Validated');
  }, E2E_TIMEOUT);

  it('blocks a subpoena without satisfactory assurance, with its reason', async () => {
    const logged = await callApi<{ request: { id: string } }>(clerk, 'POST', '/api/release/requests', {
      patientId: patient.id, receivedOn: new Date().toISOString().slice(0, 10), channel: 'mail',
      requester: { kind: 'court', name: 'Clerk of the Superior Court' },
      basis: { kind: 'subpoena', noticeToPatient: false, objectionPeriodLapsed: false, qualifiedProtectiveOrder: false },
      scope: { wholeRecordSet: true }, format: 'paper', delivery: { method: 'mail', address: '142 Federal Street, Portland ME' },
    });
    expect(logged.status, JSON.stringify(logged.body)).toBe(201);
    await clerk.goto(new URL(`/release/${logged.body.request.id}`, server.url).href);
    await heading(clerk, 'Request for records');
    expect(await clerk.getByTestId('request-checklist-verdict').textContent()).toBe('Invalid');
    const reason = 'A subpoena without a court order needs satisfactory assurance (written notice to the patient and the time to object lapsed) or a qualified protective order.';
    await clerk.getByTestId('request-checklist').getByText(reason).waitFor();
    await clerk.getByRole('group', { name: 'Request actions' }).getByRole('button', { name: 'Validate', exact: true }).click();
    await clerk.getByTestId('problem-fields').getByText(reason).waitFor();
    expect(await status(clerk).textContent()).toBe('Logged');
    await expectNoAxeViolations(clerk);
  }, E2E_TIMEOUT);
});
