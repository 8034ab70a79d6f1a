import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserOn } from '../support/accounts.js';
import { samplePdf } from '../support/documents.js';
import { patientInput } from '../support/patients.js';
import { pdfText } from '../support/pdf-text.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNoAxeViolations, launchBrowser } from './browser.js';
import {
  E2E_TIMEOUT, enrolAuthenticator, expectShell, field, openFromNavigation, openPage, openSignedIn, registerPatientThroughApi, signIn,
  type RegisteredPatient,
} from './steps.js';

const SUPERVISOR = { username: 'hsuper', displayName: 'Hana Supervisor', password: 'Basalt harbour 7712 q' };
const SECOND = { username: 'osuper', displayName: 'Omar Supervisor', password: 'Cedar lantern 4408 w' };
const CLERK = { username: 'dclerk', displayName: 'Dana Clerk', password: 'Willow quarry 2291 m' };
const MATTER = 'Vance v. Riverside Hospital, case 2026-CV-0091';

/** Files a document through the API as the page's user would upload it, with an old date of service. */
async function fileThroughApi(page: Page, patientId: string, serviceDate: string, text: string): Promise<string> {
  const bytes = [...(await samplePdf(1, text))];
  return page.evaluate(async ({ patientId, serviceDate, bytes }) => {
    const session = (await (await fetch('/api/auth/session')).json()) as { csrfToken: string };
    const form = new FormData();
    form.append('metadata', JSON.stringify({ patientId, typeCode: '11506-3', serviceDate }));
    form.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), 'note.pdf');
    const res = await fetch('/api/documents', { method: 'POST', body: form, headers: { 'X-CSRF-Token': session.csrfToken } });
    if (res.status !== 201) throw new Error(`filing answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { document: { id: string } }).document.id;
  }, { patientId, serviceDate, bytes });
}

async function signInSupervisor(browser: Browser, server: TestServer, user: typeof SUPERVISOR): Promise<Page> {
  const page = await openPage(browser, server);
  await signIn(page, user.username, user.password);
  await enrolAuthenticator(page);
  await expectShell(page, user.displayName);
  return page;
}

const eligibleTable = (page: Page) => page.getByRole('table', { name: 'Documents eligible for destruction' });

describe('retention, destruction and legal holds', () => {
  let server: TestServer;
  let browser: Browser;
  let supervisor: Page;
  let patient: RegisteredPatient;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    await createUserOn(server, { ...SUPERVISOR, role: 'him_supervisor' });
    await createUserOn(server, { ...SECOND, role: 'him_supervisor' });
    await createUserOn(server, { ...CLERK, role: 'records_clerk' });
    supervisor = await signInSupervisor(browser, server, SUPERVISOR);
    patient = await registerPatientThroughApi(supervisor, patientInput({
      given: 'Irene', middle: undefined, family: 'Vance', birthDate: '1948-02-11', sex: 'female', ssn: undefined, email: undefined,
      phones: [], addresses: [], contacts: [], coverages: [], race: [], ethnicity: undefined, maritalStatus: undefined,
    }));
    await fileThroughApi(supervisor, patient.id, '2011-03-04', 'Progress note held for litigation');
    await fileThroughApi(supervisor, patient.id, '2012-05-06', 'Progress note past retention');
    await fileThroughApi(supervisor, patient.id, '2013-07-08', 'Another progress note past retention');
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a supervisor places a hold on one document, and the eligible list leaves it off', async () => {
    await openFromNavigation(supervisor, 'Legal holds');
    await field(supervisor, "Patient's MRN").fill(patient.mrn);
    await supervisor.getByRole('button', { name: 'Find patient' }).click();
    await supervisor.getByText(`VANCE, Irene — MRN ${patient.mrn}, born 1948-02-11`).waitFor();
    await supervisor.getByRole('radio', { name: 'The documents I choose' }).check();
    await supervisor.getByRole('checkbox', { name: 'Progress note, 2011-03-04' }).check();
    await supervisor.getByRole('button', { name: 'Place legal hold' }).click();
    await supervisor.getByText('Name the matter or case.').waitFor();
    await field(supervisor, 'Matter or case').fill(MATTER);
    await field(supervisor, 'Reason').fill('Litigation hold notice received 2026-11-02');
    await expectNoAxeViolations(supervisor);
    await supervisor.getByRole('button', { name: 'Place legal hold' }).click();
    await supervisor.getByRole('status').filter({ hasText: `Hold placed for “${MATTER}” on MRN ${patient.mrn}.` }).waitFor();
    const held = supervisor.getByRole('table', { name: 'Legal holds in place' });
    await held.getByRole('cell', { name: MATTER, exact: true }).waitFor();
    await held.getByRole('cell', { name: '1 document(s)', exact: true }).waitFor();
    await expectNoAxeViolations(supervisor);

    await openFromNavigation(supervisor, 'Retention');
    const table = eligibleTable(supervisor);
    await table.getByRole('cell', { name: '2012-05-06', exact: true }).waitFor();
    await table.getByRole('cell', { name: '2013-07-08', exact: true }).waitFor();
    expect(await table.getByRole('cell', { name: '2011-03-04', exact: true }).count()).toBe(0);
    await expectNoAxeViolations(supervisor);
  }, E2E_TIMEOUT);

  it('a clerk proposes destroying the eligible documents', async () => {
    const clerk = await openSignedIn(browser, server, CLERK);
    await openFromNavigation(clerk, 'Retention');
    await clerk.getByRole('checkbox', { name: `Select Progress note of 2012-05-06, MRN ${patient.mrn}` }).check();
    await clerk.getByRole('checkbox', { name: `Select Progress note of 2013-07-08, MRN ${patient.mrn}` }).check();
    await clerk.getByRole('button', { name: 'Propose destruction of 2 selected' }).click();
    const dialog = clerk.getByRole('dialog', { name: 'Propose destruction' });
    await dialog.getByRole('button', { name: 'Propose destruction' }).click();
    await dialog.getByText('Say why, for example the retention schedule being applied.').waitFor();
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('Retention schedule applied for 2026');
    await expectNoAxeViolations(clerk);
    await dialog.getByRole('button', { name: 'Propose destruction' }).click();
    await clerk.getByRole('status').filter({ hasText: 'Proposed 2 documents for destruction' }).waitFor();
    await eligibleTable(clerk).getByText('Proposed').first().waitFor();
    // A clerk sees the proposal waiting, with no approve button and no rule editing.
    await clerk.getByRole('tab', { name: 'Destructions' }).click();
    await clerk.getByRole('cell', { name: 'Waiting for a supervisor', exact: true }).waitFor();
    expect(await clerk.getByRole('button', { name: /Approve/ }).count()).toBe(0);
    await expectNoAxeViolations(clerk);
    await clerk.context().close();
  }, E2E_TIMEOUT);

  it('a second supervisor approves, and the certificate of destruction downloads', async () => {
    const second = await signInSupervisor(browser, server, SECOND);
    await openFromNavigation(second, 'Retention');
    await second.getByRole('tab', { name: 'Destructions' }).click();
    await second.getByRole('button', { name: /^Approve destruction proposed by dclerk/ }).click();
    const confirm = second.getByRole('dialog', { name: 'Approve destruction' });
    await confirm.getByText('The content of 2 document(s) will be destroyed for good').waitFor();
    await expectNoAxeViolations(second);
    await confirm.getByRole('button', { name: 'Destroy documents' }).click();
    await second.getByRole('status').filter({ hasText: /Destroyed 2 document\(s\); certificate COD-\d{4}-000001\./ }).waitFor();

    await second.getByRole('tab', { name: 'Destroyed' }).click();
    const link = second.getByRole('link', { name: /Download certificate COD-\d{4}-000001/ });
    const [download] = await Promise.all([second.waitForEvent('download'), link.click()]);
    const { lines } = await pdfText(new Uint8Array(readFileSync((await download.path())!)));
    expect(lines.some((l) => /^Certificate of destruction COD-\d{4}-000001$/.test(l)), JSON.stringify(lines.slice(0, 8))).toBe(true);
    expect(lines.filter((l) => l.includes(`MRN ${patient.mrn}  11506-3 Progress note`))).toHaveLength(2);
    expect(lines).toContain(SECOND.username);
    expect(lines).toContain(CLERK.username);
    await expectNoAxeViolations(second);
    await second.context().close();
  }, E2E_TIMEOUT);

  it('releasing the hold, with a reason, puts the held document on the eligible list', async () => {
    await openFromNavigation(supervisor, 'Legal holds');
    await supervisor.getByRole('button', { name: `Release hold for ${MATTER}, MRN ${patient.mrn}` }).click();
    const dialog = supervisor.getByRole('dialog', { name: 'Release legal hold' });
    await dialog.getByRole('textbox', { name: 'Reason for release' }).fill('Case settled 2026-11-20');
    await expectNoAxeViolations(supervisor);
    await dialog.getByRole('button', { name: 'Release legal hold' }).click();
    await dialog.waitFor({ state: 'detached' });
    await supervisor.getByText('No legal hold is in place.').waitFor();
    await supervisor.getByRole('tab', { name: 'All, with released' }).click();
    await supervisor.getByRole('cell', { name: /Case settled 2026-11-20/ }).waitFor();

    await openFromNavigation(supervisor, 'Retention');
    await eligibleTable(supervisor).getByRole('cell', { name: '2011-03-04', exact: true }).waitFor();
    expect(await eligibleTable(supervisor).getByRole('cell', { name: '2012-05-06', exact: true }).count()).toBe(0);
    await expectNoAxeViolations(supervisor);
  }, E2E_TIMEOUT);
});
