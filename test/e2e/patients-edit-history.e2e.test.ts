import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserOn } from '../support/accounts.js';
import { patientInput } from '../support/patients.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNoAxeViolations, launchBrowser } from './browser.js';
import { changePatientThroughApi, E2E_TIMEOUT, field, heading, openSignedIn, registerPatientThroughApi, type RegisteredPatient } from './steps.js';

const CLERK = { username: 'eclerk', displayName: 'Eli Clerk', password: 'Granite harbour 77 q' };
const COLLEAGUE = { username: 'oclerk', displayName: 'Opal Clerk', password: 'Saffron meadow 31 k' };

describe('changing a patient’s record', () => {
  let server: TestServer;
  let browser: Browser;
  let clerk: Page;
  let colleague: Page;
  let patient: RegisteredPatient;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    await createUserOn(server, { ...CLERK, role: 'records_clerk' });
    await createUserOn(server, { ...COLLEAGUE, role: 'records_clerk' });
    clerk = await openSignedIn(browser, server, CLERK);
    colleague = await openSignedIn(browser, server, COLLEAGUE);
    patient = await registerPatientThroughApi(clerk, patientInput());
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const openEdit = async () => {
    await clerk.goto(new URL(`/patients/${patient.id}`, server.url).href);
    await heading(clerk, 'OKAFOR, William James');
    await clerk.getByRole('link', { name: 'Edit', exact: true }).click();
    await heading(clerk, 'Edit patient record');
  };

  it('saves a new phone number and shows the change, who made it and why in the record’s history', async () => {
    await openEdit();
    const ssn = field(clerk, 'Social Security number');
    expect(await ssn.inputValue()).toBe('');
    await clerk.getByText('On file, ending 9999 — leave blank to keep.', { exact: false }).waitFor();
    const phone = clerk.getByRole('group', { name: 'Phone 1' });
    expect(await field(phone, 'Number').inputValue()).toBe('(207) 555-0142');
    await field(phone, 'Number').fill('(207) 555-0177');
    await field(clerk, 'Reason for change').fill('Patient has a new mobile number');
    await expectNoAxeViolations(clerk);
    await clerk.getByRole('button', { name: 'Save changes' }).click();

    await heading(clerk, 'OKAFOR, William James');
    await clerk.getByText('(207) 555-0177 (mobile)').waitFor();
    // The SSN left blank was kept.
    await clerk.getByText('On file, ending 9999').waitFor();

    await clerk.getByRole('link', { name: 'History' }).click();
    await heading(clerk, 'Record history');
    const latest = clerk.getByTestId('version-2');
    await latest.getByRole('heading', { name: 'Version 2: Updated' }).waitFor();
    await latest.getByText('by eclerk').waitFor();
    await latest.getByText('Reason: Patient has a new mobile number').waitFor();
    const phones = latest.locator('tr[data-field="phones"]');
    expect(await phones.locator('td').nth(0).textContent()).toContain('(207) 555-0142');
    expect(await phones.locator('td').nth(1).textContent()).toContain('(207) 555-0177');
    // Newest first: version 2 is above version 1.
    const headings = await clerk.getByRole('heading', { level: 2 }).allTextContents();
    expect(headings.indexOf('Version 2: Updated')).toBeLessThan(headings.indexOf('Version 1: Registered'));
    await expectNoAxeViolations(clerk);
  }, E2E_TIMEOUT);

  it('refuses a save when someone else saved first, says so, and keeps what the clerk typed until they reload', async () => {
    await openEdit();
    await changePatientThroughApi(colleague, patient.id, { email: 'william.okafor@example.net' }, 'E-mail corrected on the phone');

    const phone = field(clerk.getByRole('group', { name: 'Phone 1' }), 'Number');
    await phone.fill('(207) 555-0188');
    await clerk.getByRole('button', { name: 'Save changes' }).click();
    await clerk.getByRole('alert').filter({ hasText: 'Someone else saved this record since you opened it' }).waitFor();
    expect(await phone.inputValue()).toBe('(207) 555-0188');
    await expectNoAxeViolations(clerk);

    await clerk.getByRole('button', { name: 'Reload' }).click();
    await expect.poll(() => field(clerk, 'E-mail').first().inputValue()).toBe('william.okafor@example.net');
    expect(await phone.inputValue()).toBe('(207) 555-0177');
    await phone.fill('(207) 555-0188');
    await clerk.getByRole('button', { name: 'Save changes' }).click();
    await heading(clerk, 'OKAFOR, William James');
    await clerk.getByText('(207) 555-0188 (mobile)').waitFor();
    await clerk.getByText('william.okafor@example.net').waitFor();
  }, E2E_TIMEOUT);
});
