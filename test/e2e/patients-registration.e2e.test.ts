import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidMrn } from '../../src/patients/mrn.js';
import { createUserOn } from '../support/accounts.js';
import { patientInput } from '../support/patients.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNoAxeViolations, launchBrowser } from './browser.js';
import { bannerMrn, E2E_TIMEOUT, field, heading, openFromNavigation, openSignedIn, registerPatientThroughApi, type RegisteredPatient } from './steps.js';

const CLERK = { username: 'rdesk', displayName: 'Rae Desk', password: 'Willow basket 2026 z' };

/** Opens an empty registration form from the patient search, as a clerk does after searching first. */
async function openRegistration(page: Page): Promise<void> {
  await openFromNavigation(page, 'Patients');
  await page.getByRole('link', { name: 'Register new patient' }).click();
  await heading(page, 'Register a new patient');
}

async function fillIdentity(page: Page, person: { given: string; family: string; birthDate: string; sex: string }): Promise<void> {
  await field(page, 'Given name').first().fill(person.given);
  await field(page, 'Family name').first().fill(person.family);
  await page.getByLabel('Birth date').fill(person.birthDate);
  await page.getByRole('combobox', { name: 'Sex', exact: true }).selectOption({ label: person.sex });
}

describe('registering a patient', () => {
  let server: TestServer;
  let browser: Browser;
  let clerk: Page;
  let william: RegisteredPatient;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    await createUserOn(server, { ...CLERK, role: 'records_clerk' });
    clerk = await openSignedIn(browser, server, CLERK);
    william = await registerPatientThroughApi(clerk, patientInput({ ssn: undefined }));
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('registers a new patient from the form and opens the new record with its MRN', async () => {
    await openRegistration(clerk);
    await fillIdentity(clerk, { given: 'Amara', family: 'Nwosu', birthDate: '1984-07-19', sex: 'Female' });
    const phone = clerk.getByRole('group', { name: 'Phone 1' });
    await field(phone, 'Number').fill('(617) 555-0199');
    const address = clerk.getByRole('group', { name: 'Address 1' });
    await field(address, 'Street').fill('40 Elm Street');
    await field(address, 'City').fill('Cambridge');
    await field(address, 'State').fill('MA');
    await field(address, 'ZIP or postal code').fill('02139');
    await clerk.getByRole('button', { name: 'Add a related person' }).click();
    const contact = clerk.getByRole('group', { name: 'Related person 1' });
    await field(contact, 'Name').fill('Chidi Nwosu');
    await contact.getByRole('combobox', { name: 'Relationship' }).selectOption({ label: 'Sibling' });
    await clerk.getByRole('complementary', { name: 'Possible existing records' }).getByText('No existing record looks like this patient.').waitFor();
    await expectNoAxeViolations(clerk);

    await clerk.getByRole('button', { name: 'Register patient' }).click();
    await heading(clerk, 'NWOSU, Amara');
    const mrn = await bannerMrn(clerk);
    expect(isValidMrn('M', mrn)).toBe(true);
    expect(mrn).not.toBe(william.mrn);
    await clerk.getByText('Chidi Nwosu (sibling)').waitFor();
    await expectNoAxeViolations(clerk);
  }, E2E_TIMEOUT);

  it('shows the problem beside Birth date when the birth date is in the future', async () => {
    await openRegistration(clerk);
    await fillIdentity(clerk, { given: 'Future', family: 'Child', birthDate: '2099-01-01', sex: 'Unknown' });
    await clerk.getByRole('button', { name: 'Register patient' }).click();
    const birthDate = clerk.getByLabel('Birth date');
    await expect.poll(() => birthDate.getAttribute('aria-invalid')).toBe('true');
    // The message is the input's own description, so a screen reader reads it with the field.
    const describedBy = (await birthDate.getAttribute('aria-describedby')) ?? '';
    const messages = await Promise.all(describedBy.split(' ').filter(Boolean).map((id) => clerk.locator(`[id="${id}"]`).textContent()));
    expect(messages.join(' ')).toContain('The birth date is in the future.');
    await clerk.getByRole('alert').filter({ hasText: 'Please check the form' }).getByText('Birth date: The birth date is in the future.').waitFor();
    await expectNoAxeViolations(clerk);
  }, E2E_TIMEOUT);

  it('shows the existing record beside the form while the clerk types the same patient’s name and birth date', async () => {
    await openRegistration(clerk);
    await fillIdentity(clerk, { given: 'Bill', family: 'Okafor', birthDate: '1958-04-12', sex: 'Male' });
    const panel = clerk.getByRole('complementary', { name: 'Possible existing records' });
    const candidate = panel.getByTestId(`candidate-${william.mrn}`);
    await candidate.waitFor();
    await candidate.getByText('OKAFOR, William James', { exact: true }).waitFor();
    // The grade, the probability to a tenth of a percent and the weight: strong matches no longer all read "over 99%".
    const score = candidate.getByTestId('match-score');
    await score.getByText(/^(Certain|Probable|Possible)$/).waitFor();
    expect(await score.textContent()).toMatch(/^(Certain|Probable|Possible)\d{1,3}\.\d% · weight -?\d+\.\d$/);
    expect(await panel.textContent()).not.toContain('over 99%');
    await candidate.getByText('Given name (nickname)').waitFor();
    await candidate.getByText('Birth date', { exact: true }).waitFor();
    await expectNoAxeViolations(clerk);
  }, E2E_TIMEOUT);

  it('asks why a second record is right before creating it, and then creates it', async () => {
    await clerk.getByRole('button', { name: 'Register patient' }).click();
    const suspected = clerk.getByRole('region', { name: 'This patient may already be registered' });
    await suspected.getByTestId(`candidate-${william.mrn}`).waitFor();
    const reason = clerk.getByRole('textbox', { name: 'Reason for creating a new record' });
    expect(await reason.evaluate((input) => input === document.activeElement)).toBe(true);
    await expectNoAxeViolations(clerk);

    await clerk.getByRole('button', { name: 'Register as a new patient' }).click();
    await clerk.getByText('Say why a new record is right although these records look like the same patient.').waitFor();
    await reason.fill('Different person: father of the patient on file, confirmed by photo ID');
    await clerk.getByRole('button', { name: 'Register as a new patient' }).click();
    await heading(clerk, 'OKAFOR, Bill');
    expect(await bannerMrn(clerk)).not.toBe(william.mrn);
  }, E2E_TIMEOUT);
});
