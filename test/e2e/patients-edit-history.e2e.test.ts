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

  it('refuses a save when someone else saved first, and on reload keeps the clerk’s edits, brings in the other change and lists both', async () => {
    await openEdit();
    // A colleague saves meanwhile: a new e-mail (the clerk leaves it alone) and another phone number (the clerk changes it too).
    await changePatientThroughApi(colleague, patient.id, { email: 'william.okafor@example.net', phones: [{ use: 'mobile', number: '(207) 555-0199' }] }, 'Updated on the phone');

    const phone = field(clerk.getByRole('group', { name: 'Phone 1' }), 'Number');
    await phone.fill('(207) 555-0188');
    await field(clerk, 'Occupation').fill('Harbour pilot');
    await clerk.getByRole('button', { name: 'Save changes' }).click();
    await clerk.getByRole('alert').filter({ hasText: 'Someone else saved this record since you opened it' }).waitFor();
    expect(await phone.inputValue()).toBe('(207) 555-0188');
    await expectNoAxeViolations(clerk);

    await clerk.getByRole('button', { name: 'Reload' }).click();
    const changes = clerk.getByTestId('server-changes');
    await changes.getByText('Saved by someone else while you were editing (now version 3)').waitFor();
    // The clerk's edits stay; the e-mail only the colleague changed comes in.
    expect(await phone.inputValue()).toBe('(207) 555-0188');
    expect(await field(clerk, 'Occupation').inputValue()).toBe('Harbour pilot');
    await expect.poll(() => field(clerk, 'E-mail').first().inputValue()).toBe('william.okafor@example.net');
    const table = changes.getByRole('table', { name: 'Changes saved meanwhile' });
    const email = table.locator('tr[data-field="email"]');
    expect(await email.locator('td').nth(0).textContent()).toBe('w.okafor@example.org');
    expect(await email.locator('td').nth(1).textContent()).toBe('william.okafor@example.net');
    const phones = table.locator('tr[data-field="phones"]');
    await phones.getByText('You changed this too: your value is kept').waitFor();
    expect(await phones.locator('td').nth(0).textContent()).toBe('(207) 555-0177 (mobile)');
    expect(await phones.locator('td').nth(1).textContent()).toBe('(207) 555-0199 (mobile)');
    expect(await table.locator('tbody tr').count()).toBe(2);
    await expectNoAxeViolations(clerk);

    await clerk.getByRole('button', { name: 'Save changes' }).click();
    await heading(clerk, 'OKAFOR, William James');
    await clerk.getByText('(207) 555-0188 (mobile)').waitFor();
    await clerk.getByText('william.okafor@example.net').waitFor();
    await clerk.getByText('Harbour pilot').waitFor();
  }, E2E_TIMEOUT);

  it('shows each change in the history in words, before and after, and never the SSN’s digits', async () => {
    await changePatientThroughApi(colleague, patient.id, { ssn: '219-09-8888', maritalStatus: 'W' }, 'SSN card seen; widowed');
    await clerk.goto(new URL(`/patients/${patient.id}/history`, server.url).href);
    await heading(clerk, 'Record history');
    const latest = clerk.getByTestId('version-5');
    await latest.getByText('Reason: SSN card seen; widowed').waitFor();
    const row = (name: string) => latest.locator(`tr[data-field="${name}"]`);
    expect(await row('ssn').locator('th').textContent()).toBe('SSN');
    expect(await row('ssn').locator('td').nth(0).textContent()).toBe('On file, ending 9999');
    expect(await row('ssn').locator('td').nth(1).textContent()).toBe('On file, ending 8888');
    expect(await row('maritalStatus').locator('td').nth(0).textContent()).toBe('Married');
    expect(await row('maritalStatus').locator('td').nth(1).textContent()).toBe('Widowed');
    // Lists read one item a line, in words: no JSON anywhere on the page.
    const registered = clerk.getByTestId('version-1');
    await registered.locator('tr[data-field="contacts"] td').nth(1).getByText('Ada Okafor (spouse) · 207-555-0143 · emergency contact').waitFor();
    expect(await registered.locator('tr[data-field="contacts"] td').nth(0).textContent()).toBe('(blank)');
    const page = (await clerk.locator('main').textContent()) ?? '';
    expect(page).not.toMatch(/[{}[\]"]/);
    expect(page.replace(/\D/g, '')).not.toMatch(/21909(9999|8888)/);
    expect(page).not.toMatch(/219-09/);
    await expectNoAxeViolations(clerk);
  }, E2E_TIMEOUT);
});
