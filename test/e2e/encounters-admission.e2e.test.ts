import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveLocation, saveProvider } from '../../src/encounters/reference-data.js';
import { createUserOn } from '../support/accounts.js';
import { patientInput } from '../support/patients.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNoAxeViolations, launchBrowser } from './browser.js';
import { callApi, E2E_TIMEOUT, field, heading, openFromNavigation, openSignedIn, registerPatientThroughApi, tabTo, type RegisteredPatient } from './steps.js';

const REGISTRAR = { username: 'rnovak', displayName: 'Rita Novak', password: 'Copper kettle 58 w' };
const COLLEAGUE = { username: 'tbrand', displayName: 'Theo Brand', password: 'Willow station 93 p' };

/** The hospital's places and a provider, as the HIM supervisor would have entered them. */
async function enterReferenceData(server: TestServer): Promise<string> {
  const ctx = server.running.chartroom;
  for (const [unit, name, room, beds] of [['3W', '3 West Medical', '312', ['A', 'B']], ['4E', '4 East Surgical', '401', ['B']]] as const) {
    const u = await saveLocation(ctx, { kind: 'unit', code: unit, name });
    const r = await saveLocation(ctx, { kind: 'room', code: room, name: `Room ${room}`, parentId: u.id });
    for (const bed of beds) await saveLocation(ctx, { kind: 'bed', code: bed, name: `Bed ${bed}`, parentId: r.id });
  }
  const provider = await saveProvider(ctx, { npi: '1234567893', family: 'Osei', given: 'Kwame', credentials: 'MD', specialty: 'Internal medicine' });
  return provider.display;
}

const dialog = (page: Page) => page.getByRole('dialog');
const combobox = (scope: Page | Locator, name: string) => scope.getByRole('combobox', { name, exact: true });
/** The value beside a label in a visit's list of facts. */
const fact = (page: Page, label: string) => page.locator('dt', { hasText: new RegExp(`^${label}$`) }).locator('xpath=following-sibling::dd[1]');

async function fillLocation(scope: Page | Locator, unit: string, room: string, bed: string): Promise<void> {
  await combobox(scope, 'Unit').fill(unit);
  await combobox(scope, 'Room').fill(room);
  await combobox(scope, 'Bed').fill(bed);
}

/** Opens an action's form on the visit page, fills it, sends it, and waits for the form to close. */
async function act(page: Page, action: string, fill: (form: Locator) => Promise<void> = async () => {}): Promise<void> {
  await page.getByRole('group', { name: 'Visit actions' }).getByRole('button', { name: action, exact: true }).click();
  const form = dialog(page);
  await form.waitFor();
  await fill(form);
  await form.getByRole('button', { name: action, exact: true }).click();
  await form.waitFor({ state: 'detached' });
}

async function censusOf(page: Page, unit: string): Promise<Locator> {
  await openFromNavigation(page, 'Census');
  const row = page.getByTestId('census-units').locator(`tr[data-unit="${unit}"]`);
  return row;
}

describe('admissions, transfers and discharges', () => {
  let server: TestServer;
  let browser: Browser;
  let registrar: Page;
  let colleague: Page;
  let patient: RegisteredPatient;
  let attending: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    await createUserOn(server, { ...REGISTRAR, role: 'registrar' });
    await createUserOn(server, { ...COLLEAGUE, role: 'records_clerk' });
    attending = await enterReferenceData(server);
    registrar = await openSignedIn(browser, server, REGISTRAR);
    colleague = await openSignedIn(browser, server, COLLEAGUE);
    patient = await registerPatientThroughApi(registrar, patientInput());
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('admits from the summary into a bed, shows the patient on the census, transfers, discharges, prints the discharge record and cancels the discharge', async () => {
    await registrar.goto(new URL(`/patients/${patient.id}`, server.url).href);
    await heading(registrar, 'OKAFOR, William James');
    const visits = registrar.getByRole('region', { name: 'Visits', exact: true });
    await visits.getByText('No visits recorded.').waitFor();
    await visits.getByRole('link', { name: 'Admit', exact: true }).click();

    await heading(registrar, 'Admit the patient');
    expect(await combobox(registrar, 'Patient class').inputValue()).toBe('inpatient');
    await fillLocation(registrar, '3W', '312', 'A');
    await combobox(registrar, 'Hospital service').fill('MED');
    await combobox(registrar, 'Admission type').selectOption({ label: 'E — Emergency' });
    await combobox(registrar, 'Admission source').selectOption({ label: '7 — Emergency room' });
    const choice = `${attending} · Internal medicine · NPI 1234567893`;
    await combobox(registrar, 'Admitting provider').selectOption({ label: choice });
    await combobox(registrar, 'Attending provider').selectOption({ label: choice });
    await field(registrar, 'Reason for the visit').fill('Community-acquired pneumonia');
    await expectNoAxeViolations(registrar);
    await registrar.getByRole('button', { name: 'Admit', exact: true }).click();

    await heading(registrar, /^Visit V\d+$/);
    const visitUrl = registrar.url();
    expect(await fact(registrar, 'Where').textContent()).toBe('3W (3 West Medical) · room 312 · bed A');
    expect(await fact(registrar, 'Admission type').textContent()).toBe('E — Emergency');
    expect(await fact(registrar, 'Attending provider').textContent()).toBe('Kwame Osei, MD (NPI 1234567893)');
    await registrar.getByText('In house', { exact: true }).first().waitFor();
    expect(await registrar.getByTestId('bed-history').locator('tbody tr').count()).toBe(1);
    await expectNoAxeViolations(registrar);

    // The census board: 3W holds one patient, listed by room and bed with a link back to the visit; all by keyboard.
    const unitRow = await censusOf(registrar, '3W');
    expect(await unitRow.locator('td').allTextContents()).toEqual(['1', '0']);
    await registrar.getByRole('button', { name: 'Show census' }).focus();
    await tabTo(registrar, '3W — 3 West Medical');
    await registrar.keyboard.press('Enter');
    const occupants = registrar.getByTestId('census-patients');
    await occupants.waitFor();
    expect(await unitRow.getByRole('button', { name: '3W — 3 West Medical' }).getAttribute('aria-pressed')).toBe('true');
    const occupant = occupants.locator('tbody tr').first();
    expect((await occupant.locator('td').allTextContents()).slice(0, 4)).toEqual(['312', 'A', 'Okafor, William', patient.mrn]);
    await expectNoAxeViolations(registrar);
    await tabTo(registrar, 'Okafor, William');
    await registrar.keyboard.press('Enter');
    await heading(registrar, /^Visit V\d+$/);

    await act(registrar, 'Transfer', (form) => fillLocation(form, '4E', '401', 'B'));
    await expect.poll(() => fact(registrar, 'Where').textContent()).toBe('4E (4 East Surgical) · room 401 · bed B');
    expect(await registrar.getByTestId('bed-history').locator('tbody tr').count()).toBe(2);

    // A discharge dated before the admission is refused, with the reason beside the time.
    await registrar.getByRole('group', { name: 'Visit actions' }).getByRole('button', { name: 'Discharge', exact: true }).click();
    const form = dialog(registrar);
    const when = form.getByLabel('Date and time');
    const now = await when.inputValue();
    await when.fill('2020-01-01T10:00');
    await combobox(form, 'Discharge disposition').selectOption({ label: '06 — Discharged home under care of a home health service' });
    await field(form, 'Discharged to').fill('Home with visiting nurse');
    await form.getByRole('button', { name: 'Discharge', exact: true }).click();
    await form.getByText('The discharge is before the admission.').first().waitFor();
    expect(await when.getAttribute('aria-invalid')).toBe('true');
    await expectNoAxeViolations(registrar);
    await when.fill(now);
    await form.getByRole('button', { name: 'Discharge', exact: true }).click();
    await form.waitFor({ state: 'detached' });
    await registrar.getByText('Discharged', { exact: true }).first().waitFor();
    expect(await fact(registrar, 'Disposition').textContent()).toBe('06 — Discharged home under care of a home health service');
    expect(await fact(registrar, 'Discharged to').textContent()).toBe('Home with visiting nurse');

    // The discharge record opens as a PDF in a new tab.
    const [opened, popup] = await Promise.all([
      registrar.context().waitForEvent('response', (response) => new URL(response.url()).pathname.endsWith('/discharge-record.pdf')),
      registrar.context().waitForEvent('page'),
      registrar.getByRole('link', { name: 'Print discharge record' }).click(),
    ]);
    expect(opened.status()).toBe(200);
    expect(opened.headers()['content-type']).toBe('application/pdf');
    // Chromium hands the tab to its PDF viewer; fetch the same address with the same session for the bytes.
    const pdf = await registrar.context().request.get(opened.url());
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    const bytes = await pdf.body();
    expect(bytes.length).toBeGreaterThan(500);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await popup.close();

    // Discharged: the patient is no longer on the census.
    await censusOf(registrar, '4E');
    await registrar.getByText(/Patients in house at/).waitFor();
    expect(await registrar.getByTestId('census-units').locator('tr[data-unit="4E"]').count()).toBe(0);
    expect(await registrar.getByTestId('census-units').locator('tr[data-unit="3W"]').count()).toBe(0);

    await registrar.goto(visitUrl);
    await heading(registrar, /^Visit V\d+$/);
    await act(registrar, 'Cancel discharge', async (confirm) => {
      await confirm.getByText('The discharge is undone').waitFor();
      await expectNoAxeViolations(registrar);
    });
    await registrar.getByText('In house', { exact: true }).first().waitFor();
    expect(await fact(registrar, 'Where').textContent()).toBe('4E (4 East Surgical) · room 401 · bed B');
    expect(await registrar.getByRole('link', { name: 'Print discharge record' }).count()).toBe(0);
    const events = await registrar.getByTestId('visit-events').locator('tbody tr td:nth-child(2)').allTextContents();
    expect(events).toEqual(['Discharge cancelled', 'Discharged', 'Transferred', 'Admitted']);

    // Back on the summary, the visit is listed with its bed and attending.
    await registrar.getByRole('link', { name: "Back to the patient's record" }).click();
    await heading(registrar, 'OKAFOR, William James');
    const row = registrar.getByTestId('visits').locator('tbody tr');
    // The visits load after the banner: wait for them rather than count too early.
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator('td').nth(5).textContent()).toBe('4E · room 401 · bed B');
    expect(await row.locator('td').nth(6).textContent()).toBe('Kwame Osei, MD (NPI 1234567893)');
    await expectNoAxeViolations(registrar);
  }, E2E_TIMEOUT);

  it('refuses an action when someone else changed the visit, says so, reloads it and keeps what was typed', async () => {
    const opened = await callApi<{ encounter: { id: string; version: number } }>(registrar, 'POST', '/api/encounters', {
      patientId: (await registerPatientThroughApi(registrar, patientInput({ given: 'Grace', middle: undefined, family: 'Lindqvist', birthDate: '1980-03-09', ssn: undefined, email: undefined, phones: [] }))).id,
      type: 'admit',
      at: new Date(Date.now() - 3_600_000).toISOString(),
      details: { class: 'inpatient', location: { unit: '3W', room: '312', bed: 'B' } },
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const { id, version } = opened.body.encounter;
    await registrar.goto(new URL(`/encounters/${id}`, server.url).href);
    await heading(registrar, /^Visit V\d+$/);

    // Meanwhile a colleague moves the patient.
    const moved = await callApi(colleague, 'POST', `/api/encounters/${id}/events`, { version, event: { type: 'transfer', at: new Date().toISOString(), to: { unit: '4E', room: '401', bed: 'B' } } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);

    await registrar.getByRole('group', { name: 'Visit actions' }).getByRole('button', { name: 'Discharge', exact: true }).click();
    const form = dialog(registrar);
    await combobox(form, 'Discharge disposition').selectOption({ label: '03 — Transferred to a skilled nursing facility' });
    await field(form, 'Discharged to').fill('Riverside Nursing Center');
    await form.getByRole('button', { name: 'Discharge', exact: true }).click();
    await form.getByRole('alert').filter({ hasText: 'Someone else changed this visit since you opened it' }).waitFor();
    await expect.poll(() => fact(registrar, 'Where').textContent()).toBe('4E (4 East Surgical) · room 401 · bed B');
    expect(await field(form, 'Discharged to').inputValue()).toBe('Riverside Nursing Center');
    expect(await combobox(form, 'Discharge disposition').inputValue()).toBe('03');
    await expectNoAxeViolations(registrar);

    await form.getByRole('button', { name: 'Discharge', exact: true }).click();
    await form.waitFor({ state: 'detached' });
    expect(await fact(registrar, 'Discharged to').textContent()).toBe('Riverside Nursing Center');
    expect(await fact(registrar, 'Version').textContent()).toBe(String(version + 2));
  }, E2E_TIMEOUT);

  it('pre-admits, admits the planned visit into a bed not yet in the reference data, sends on leave and back, cancels a transfer and the admission, and registers an outpatient visit', async () => {
    const ines = await registerPatientThroughApi(registrar, patientInput({ given: 'Ines', middle: undefined, family: 'Carvalho', birthDate: '1990-07-01', sex: 'female', ssn: undefined, email: undefined, phones: [] }));
    const summary = new URL(`/patients/${ines.id}`, server.url).href;
    await registrar.goto(summary);
    await heading(registrar, 'CARVALHO, Ines');
    await registrar.getByRole('link', { name: 'Pre-admit', exact: true }).click();
    await heading(registrar, 'Pre-admit the patient');
    await combobox(registrar, 'Hospital service').fill('SUR');
    await combobox(registrar, 'Admission type').selectOption({ label: 'C — Elective' });
    await field(registrar, 'Reason for the visit').fill('Elective hip replacement');
    await registrar.getByRole('button', { name: 'Pre-admit', exact: true }).click();
    await heading(registrar, /^Visit V\d+$/);
    await registrar.getByText('Pre-admitted', { exact: true }).first().waitFor();
    await registrar.getByText('No bed yet.').waitFor();
    const actions = registrar.getByRole('group', { name: 'Visit actions' });
    expect(await actions.getByRole('button').allTextContents()).toEqual(['Admit now', 'Change class', 'Cancel admission']);
    await expectNoAxeViolations(registrar);

    // 5N is not in the reference data yet: the code is kept as typed.
    await act(registrar, 'Admit now', (form) => fillLocation(form, '5N', '510', 'A'));
    await registrar.getByText('In house', { exact: true }).first().waitFor();
    expect(await fact(registrar, 'Where').textContent()).toBe('5N · room 510 · bed A');
    expect(await fact(registrar, 'Reason').textContent()).toBe('Elective hip replacement');

    await act(registrar, 'Leave of absence');
    await registrar.getByText('On leave', { exact: true }).first().waitFor();
    expect(await actions.getByRole('button', { name: 'Return from leave' }).count()).toBe(1);
    await act(registrar, 'Return from leave');
    await registrar.getByText('In house', { exact: true }).first().waitFor();

    await act(registrar, 'Transfer', (form) => fillLocation(form, '3W', '312', 'A'));
    await expect.poll(() => fact(registrar, 'Where').textContent()).toBe('3W (3 West Medical) · room 312 · bed A');
    await act(registrar, 'Cancel transfer');
    await expect.poll(() => fact(registrar, 'Where').textContent()).toBe('5N · room 510 · bed A');
    const beds = registrar.getByTestId('bed-history').locator('tbody tr');
    expect(await beds.count()).toBe(2);
    await beds.nth(1).getByText('Cancelled').waitFor();
    await expectNoAxeViolations(registrar);

    await act(registrar, 'Cancel admission');
    await registrar.getByText('Cancelled', { exact: true }).first().waitFor();
    expect(await actions.getByRole('button').count()).toBe(0);
    const events = await registrar.getByTestId('visit-events').locator('tbody tr td:nth-child(2)').allTextContents();
    expect(events).toEqual(['Admission cancelled', 'Transfer cancelled', 'Transferred', 'Returned from leave', 'Left on leave of absence', 'Admitted', 'Pre-admitted']);

    await registrar.goto(summary);
    await heading(registrar, 'CARVALHO, Ines');
    await registrar.getByRole('link', { name: 'Register outpatient visit' }).click();
    await heading(registrar, 'Register an outpatient visit');
    expect(await combobox(registrar, 'Patient class').inputValue()).toBe('outpatient');
    await field(registrar, 'Reason for the visit').fill('Follow-up of hip replacement');
    await registrar.getByRole('button', { name: 'Register visit' }).click();
    await heading(registrar, /^Visit V\d+$/);
    expect(await fact(registrar, 'Class').textContent()).toBe('Outpatient');
    await registrar.getByText('In house', { exact: true }).first().waitFor();

    await registrar.goto(summary);
    await heading(registrar, 'CARVALHO, Ines');
    const statuses = registrar.getByTestId('visits').locator('tbody tr td:nth-child(3)');
    await expect.poll(async () => (await statuses.allTextContents()).sort()).toEqual(['Cancelled', 'In house']);
    await expectNoAxeViolations(registrar);
  }, E2E_TIMEOUT);
});
