import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserOn } from '../support/accounts.js';
import { patientInput } from '../support/patients.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNoAxeViolations, launchBrowser } from './browser.js';
import { E2E_TIMEOUT, field, heading, openFromNavigation, openSignedIn, registerPatientThroughApi, searchPatients, type RegisteredPatient } from './steps.js';

const CLERK = { username: 'mclerk', displayName: 'Maya Clerk', password: 'Copper kettle morning 5' };

describe('finding a patient', () => {
  let server: TestServer;
  let browser: Browser;
  let clerk: Page;
  let william: RegisteredPatient;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    await createUserOn(server, { ...CLERK, role: 'records_clerk' });
    clerk = await openSignedIn(browser, server, CLERK);
    william = await registerPatientThroughApi(clerk, patientInput({ ssn: undefined }));
    await registerPatientThroughApi(clerk, patientInput({
      given: 'Grace', middle: undefined, birthDate: '1961-09-30', sex: 'female', ssn: undefined, email: undefined,
      phones: [{ use: 'home', number: '(207) 555-0150' }],
      addresses: [{ use: 'home', line1: '3 Pine Street', city: 'Bangor', state: 'ME', postalCode: '04401' }],
      contacts: [],
    }));
    await registerPatientThroughApi(clerk, patientInput({
      given: 'Olivia', middle: undefined, birthDate: '1990-01-05', sex: 'female', ssn: '219-09-4321', email: undefined,
      phones: [{ use: 'mobile', number: '(207) 555-0161' }],
      addresses: [{ use: 'home', line1: '88 Fore Street', city: 'Portland', state: 'ME', postalCode: '04102' }],
      contacts: [],
    }));
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lists every patient with the family name the clerk types, once they press Enter', async () => {
    await openFromNavigation(clerk, 'Patients');
    // The search box has the cursor as soon as the page opens.
    expect(await field(clerk, 'Search patients').evaluate((input) => input === document.activeElement)).toBe(true);
    await searchPatients(clerk, 'Okafor');
    const results = clerk.getByRole('table', { name: 'Search results' });
    await results.getByRole('cell', { name: 'OKAFOR, William James' }).waitFor();
    expect(await results.locator('tbody tr').count()).toBe(3);
    await clerk.getByText('3 patients match “Okafor”.').waitFor();
    await expectNoAxeViolations(clerk);
  }, E2E_TIMEOUT);

  it('opens the second result with the arrow keys and Enter, without the mouse', async () => {
    const box = field(clerk, 'Search patients');
    const rows = clerk.getByRole('table', { name: 'Search results' }).locator('tbody tr');
    await box.press('ArrowDown');
    await box.press('ArrowDown');
    await box.press('ArrowUp');
    await box.press('ArrowDown');
    expect(await rows.nth(1).getAttribute('aria-selected')).toBe('true');
    expect(await rows.nth(0).getAttribute('aria-selected')).toBe('false');
    const secondName = ((await rows.nth(1).locator('td').nth(1).textContent()) ?? '').trim();
    await box.press('Enter');
    await heading(clerk, secondName);
    await expectNoAxeViolations(clerk);
    // Back returns to the same results.
    await clerk.goBack();
    await clerk.getByRole('table', { name: 'Search results' }).waitFor();
  }, E2E_TIMEOUT);

  it('finds a patient by MRN', async () => {
    await searchPatients(clerk, william.mrn);
    const row = clerk.getByTestId(`patient-result-${william.mrn}`);
    await row.getByText('Matched on MRN').waitFor();
    expect(await clerk.getByRole('table', { name: 'Search results' }).locator('tbody tr').count()).toBe(1);
  }, E2E_TIMEOUT);

  it('finds William when the clerk types his nickname, or misspells his family name', async () => {
    await searchPatients(clerk, 'Okafor, Bill');
    await clerk.getByTestId(`patient-result-${william.mrn}`).getByRole('cell', { name: 'OKAFOR, William James' }).waitFor();

    await searchPatients(clerk, 'William Okafur');
    await clerk.getByTestId(`patient-result-${william.mrn}`).getByRole('cell', { name: 'OKAFOR, William James' }).waitFor();
    await expectNoAxeViolations(clerk);
  }, E2E_TIMEOUT);

  it('says in the hint every form the search takes, and finds Olivia by her SSN’s last four with her birth date', async () => {
    const box = field(clerk, 'Search patients');
    const hintId = ((await box.getAttribute('aria-describedby')) ?? '').split(' ').find(Boolean);
    const hint = (await clerk.locator(`[id="${hintId}"]`).textContent()) ?? '';
    for (const form of ['family, given', 'given family', 'MRN', 'retired', 'birth date', 'MM/DD/YYYY', 'YYYY-MM-DD', 'phone', 'postal code', 'last four of the SSN with the birth date']) {
      expect(hint).toContain(form);
    }
    await searchPatients(clerk, '4321 01/05/1990');
    const results = clerk.getByRole('table', { name: 'Search results' });
    await results.getByRole('cell', { name: 'OKAFOR, Olivia' }).waitFor();
    expect(await results.locator('tbody tr').count()).toBe(1);
    await expect.poll(() => results.locator('tbody tr').first().textContent()).toContain('SSN last four and birth date');
    await expectNoAxeViolations(clerk);
  }, E2E_TIMEOUT);

  it('says so when nobody matches', async () => {
    await searchPatients(clerk, 'Zzyzx, Quentin');
    await clerk.getByText('No patient matches “Zzyzx, Quentin”.', { exact: false }).waitFor();
    await expectNoAxeViolations(clerk);
  }, E2E_TIMEOUT);
});
