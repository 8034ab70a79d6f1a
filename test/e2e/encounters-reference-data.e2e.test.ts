import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserOn } from '../support/accounts.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNoAxeViolations, launchBrowser } from './browser.js';
import { E2E_TIMEOUT, field, heading, openFromNavigation, openSignedIn, openSignedInEnrolling } from './steps.js';

const SUPERVISOR = { username: 'hmarsh', displayName: 'Helen Marsh', password: 'Granary bridge 64 t' };
const REGISTRAR = { username: 'pquinn', displayName: 'Paul Quinn', password: 'Tidewater lamp 27 s' };

describe('reference data for admissions', () => {
  let server: TestServer;
  let browser: Browser;
  let supervisor: Page;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    await createUserOn(server, { ...SUPERVISOR, role: 'him_supervisor' });
    await createUserOn(server, { ...REGISTRAR, role: 'registrar' });
    supervisor = await openSignedInEnrolling(browser, server, SUPERVISOR);
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('refuses a provider with a wrong NPI check digit, saying why beside the field, then adds, edits and deactivates the provider', async () => {
    await openFromNavigation(supervisor, 'Reference data');
    await expectNoAxeViolations(supervisor);
    await supervisor.getByRole('button', { name: 'Add a provider' }).click();
    const form = supervisor.getByRole('dialog', { name: 'Add a provider' });
    await field(form, 'Family name').fill('Osei');
    await field(form, 'Given name').fill('Kwame');
    await field(form, 'Credentials').fill('MD');
    await field(form, 'Specialty').fill('Internal medicine');
    // Ten digits, but the check digit is wrong (1234567893 is the valid one).
    await field(form, 'NPI').fill('1234567890');
    await form.getByRole('button', { name: 'Save provider' }).click();
    await form.getByText('Not a valid NPI (ten digits with a check digit).').first().waitFor();
    expect(await field(form, 'NPI').getAttribute('aria-invalid')).toBe('true');
    await form.getByRole('alert').filter({ hasText: 'Please check the form' }).waitFor();
    await expectNoAxeViolations(supervisor);

    await field(form, 'NPI').fill('1234567893');
    await form.getByRole('button', { name: 'Save provider' }).click();
    await form.waitFor({ state: 'detached' });
    const providers = supervisor.getByTestId('providers');
    const row = providers.locator('tbody tr', { hasText: 'Kwame Osei, MD' });
    expect(await row.locator('td').allTextContents()).toEqual(['1234567893', '—', 'Internal medicine', 'Active', 'EditDeactivate']);

    await row.getByRole('button', { name: 'Edit Kwame Osei, MD' }).click();
    const edit = supervisor.getByRole('dialog', { name: 'Edit Kwame Osei, MD' });
    await field(edit, 'Hospital code').fill('OSEIK');
    await edit.getByRole('button', { name: 'Save provider' }).click();
    await edit.waitFor({ state: 'detached' });
    await expect.poll(() => row.locator('td').nth(1).textContent()).toBe('OSEIK');

    await row.getByRole('button', { name: 'Deactivate Kwame Osei, MD' }).click();
    await expect.poll(() => row.locator('td').nth(3).textContent()).toBe('Inactive');
    await row.getByRole('button', { name: 'Reactivate Kwame Osei, MD' }).waitFor();
    await expectNoAxeViolations(supervisor);
  }, E2E_TIMEOUT);

  it('adds a unit, a room in it and a bed in the room, shown as a tree and offered on the admit screen', async () => {
    await openFromNavigation(supervisor, 'Reference data');
    const locations = supervisor.getByRole('region', { name: 'Locations', exact: true });
    const add = async (button: string, dialogName: string, code: string, name: string) => {
      await locations.getByRole('button', { name: button, exact: true }).click();
      const form = supervisor.getByRole('dialog', { name: dialogName });
      await field(form, 'Code').fill(code);
      await field(form, 'Name').fill(name);
      await form.getByRole('button', { name: /^Save / }).click();
      await form.waitFor({ state: 'detached' });
    };
    await add('Add a unit', 'Add a unit', '3W', '3 West Medical');
    await add('Add room to 3W', 'Add a room to 3W', '312', 'Room 312');
    await add('Add bed to 3W/312', 'Add a bed to 3W/312', 'A', 'Bed A');
    const bed = locations.locator('li[data-path="3W/312/A"]');
    await bed.waitFor();
    // The bed sits inside the room, which sits inside the unit.
    expect(await locations.locator('li[data-path="3W"] li[data-path="3W/312"] li[data-path="3W/312/A"]').count()).toBe(1);
    await locations.getByRole('list', { name: 'In 3W/312' }).waitFor();

    // A second room with the same code in the unit is refused, beside the code.
    await locations.getByRole('button', { name: 'Add room to 3W', exact: true }).click();
    const again = supervisor.getByRole('dialog', { name: 'Add a room to 3W' });
    await field(again, 'Code').fill('312');
    await field(again, 'Name').fill('Room 312 again');
    await again.getByRole('button', { name: 'Save room' }).click();
    await again.getByText('Already used.').waitFor();
    await expectNoAxeViolations(supervisor);
    await again.getByRole('button', { name: 'Cancel' }).click();

    await locations.getByRole('button', { name: 'Rename 3W', exact: true }).click();
    const rename = supervisor.getByRole('dialog', { name: 'Rename 3W' });
    await field(rename, 'Name').fill('3 West Medicine');
    await rename.getByRole('button', { name: 'Save unit' }).click();
    await rename.waitFor({ state: 'detached' });
    await locations.locator('li[data-path="3W"]').getByText('3 West Medicine', { exact: true }).waitFor();
    await expectNoAxeViolations(supervisor);

    // The registrar's admit screen offers the unit, its room and the room's bed.
    const registrar = await openSignedIn(browser, server, REGISTRAR);
    const patient = await registrar.evaluate(async () => {
      const session = (await (await fetch('/api/auth/session')).json()) as { csrfToken: string };
      const response = await fetch('/api/patients', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken },
        body: JSON.stringify({ given: 'Ines', family: 'Carvalho', birthDate: '1990-07-01', sex: 'female' }),
      });
      return ((await response.json()) as { patient: { id: string } }).patient;
    });
    await registrar.goto(new URL(`/patients/${patient.id}/admit`, server.url).href);
    await heading(registrar, 'Admit the patient');
    const suggestions = async (name: string) => {
      const list = await registrar.getByRole('combobox', { name, exact: true }).getAttribute('list');
      return registrar.locator(`datalist[id="${list}"] option`).evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    };
    expect(await suggestions('Unit')).toEqual(['3W']);
    await registrar.getByRole('combobox', { name: 'Unit', exact: true }).fill('3W');
    expect(await suggestions('Room')).toEqual(['312']);
    await registrar.getByRole('combobox', { name: 'Room', exact: true }).fill('312');
    expect(await suggestions('Bed')).toEqual(['A']);
    await registrar.context().close();
  }, E2E_TIMEOUT);
});
