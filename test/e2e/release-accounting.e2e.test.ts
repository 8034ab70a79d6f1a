import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/audit/actions.js';
import { recordDisclosures, type DisclosureEntry } from '../../src/release/disclosures/index.js';
import { createUserOn } from '../support/accounts.js';
import { patientInput } from '../support/patients.js';
import { pdfText } from '../support/pdf-text.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNoAxeViolations, launchBrowser } from './browser.js';
import { E2E_TIMEOUT, field, heading, openSignedIn, registerPatientThroughApi, type RegisteredPatient } from './steps.js';

const CLERK = { username: 'mokoye', displayName: 'Mara Okoye', password: 'Lighthouse ferry 27 q' };

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
const localInput = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}T${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;

describe('an accounting of disclosures', () => {
  let server: TestServer;
  let browser: Browser;
  let clerk: Page;
  let patient: RegisteredPatient;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    await createUserOn(server, { ...CLERK, role: 'records_clerk' });
    clerk = await openSignedIn(browser, server, CLERK);
    patient = await registerPatientThroughApi(clerk, patientInput());
    // What the release workflow logged over the past months: reports to the registry, some exempt disclosures, a court order.
    const ctx = server.running.chartroom;
    const entry = (days: number, e: Omit<DisclosureEntry, 'patientId' | 'disclosedAt'>): DisclosureEntry => ({ patientId: patient.id, disclosedAt: daysAgo(days).toISOString(), ...e });
    const registry = { recipient: { name: 'Maine Cancer Registry', address: '11 State House Station, Augusta ME' }, kind: 'public_health', purpose: 'Cancer registry' } as const;
    await ctx.db.transaction().execute((trx) => recordDisclosures(trx, ctx, SYSTEM_ACTOR, [
      entry(200, { ...registry, description: 'Pathology report and abstract' }),
      entry(170, { ...registry, description: 'Follow-up' }),
      entry(140, { ...registry, description: 'Follow-up' }),
      entry(120, { recipient: { name: 'Dr. Ruth Amaral' }, kind: 'treatment', description: 'Discharge summary', purpose: 'Referral' }),
      entry(90, { recipient: { name: 'Acme Life Insurance' }, kind: 'authorization', description: 'Complete record', purpose: 'Underwriting' }),
    ]));
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('records a disclosure, requests an accounting, shows exempt ones left out and repeats summarised, and gives the letter', async () => {
    await clerk.goto(new URL(`/patients/${patient.id}`, server.url).href);
    await heading(clerk, 'OKAFOR, William James');
    const section = clerk.getByRole('region', { name: 'Disclosures', exact: true });
    const rows = section.getByTestId('disclosures').locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(5);
    expect(await section.getByText('Exempt', { exact: true }).count()).toBe(2);

    // A disclosure made outside Chartroom: a court order answered on paper.
    await section.getByRole('button', { name: 'Record a disclosure' }).click();
    const dialog = clerk.getByRole('dialog');
    await dialog.waitFor();
    await field(dialog, 'Disclosed at').fill(localInput(daysAgo(30)));
    await field(dialog, 'Recipient').fill('Cumberland County Court');
    await field(dialog, "Recipient's address").fill('205 Newbury St, Portland ME');
    await dialog.getByRole('combobox', { name: 'Kind of disclosure' }).selectOption({ label: 'Judicial or administrative proceeding' });
    await field(dialog, 'What was disclosed').fill('Emergency department record');
    await field(dialog, 'Purpose').fill('Court order 26-CV-301');
    await expectNoAxeViolations(clerk);
    await dialog.getByRole('button', { name: 'Record disclosure' }).click();
    await dialog.waitFor({ state: 'detached' });
    await section.getByText('Cumberland County Court').waitFor();
    expect(await rows.count()).toBe(6);
    await expectNoAxeViolations(clerk);

    await section.getByRole('button', { name: 'Request an accounting' }).click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Request accounting' }).click();

    await heading(clerk, 'Accounting of disclosures');
    const table = clerk.getByTestId('accounting-rows');
    await table.waitFor();
    const cells = async (i: number) => (await table.locator('tbody tr').nth(i).locator('td').allTextContents()).map((t) => t.trim());
    expect(await table.locator('tbody tr').count()).toBe(2);
    const registry = await cells(0);
    expect(registry[0]).toBe(daysAgo(200).toISOString().slice(0, 10));
    expect(registry.slice(1, 4)).toEqual(['Maine Cancer Registry11 State House Station, Augusta ME', 'Pathology report and abstract', 'Cancer registry']);
    expect(registry[4]).toBe(`3 disclosures, about monthly, last on ${daysAgo(140).toISOString().slice(0, 10)}`);
    expect((await cells(1)).slice(1, 4)).toEqual(['Cumberland County Court205 Newbury St, Portland ME', 'Emergency department record', 'Court order 26-CV-301']);
    await clerk.getByText('4 listed in 2 rows; 2 left out as exempt', { exact: false }).waitFor();
    expect(await clerk.getByText('Acme Life Insurance').count()).toBe(0);
    await clerk.getByText('Free (first in 12 months)').waitFor();
    await expectNoAxeViolations(clerk);

    await clerk.getByRole('button', { name: 'Produce the letter' }).click();
    const download = clerk.getByRole('link', { name: 'Download the letter' });
    await download.waitFor();
    const href = await download.getAttribute('href');
    const letter = await clerk.context().request.get(new URL(href!, server.url).href);
    expect(letter.headers()['content-type']).toBe('application/pdf');
    const text = (await pdfText(await letter.body())).lines.join('\n');
    expect(text).toContain('Accounting of disclosures');
    expect(text).toContain('Maine Cancer Registry, 11 State House Station, Augusta ME');
    expect(text).toContain('   Repeated: 3 disclosures to this recipient for this purpose, about monthly;');
    expect(text).not.toContain('Acme Life Insurance');
    expect(await clerk.getByRole('button', { name: 'Produce the letter' }).count()).toBe(0);
    await expectNoAxeViolations(clerk);
  }, E2E_TIMEOUT);
  it('logs an amendment request from the summary and finds it in the work queue, due in 60 days', async () => {
    await clerk.goto(new URL(`/patients/${patient.id}`, server.url).href);
    const section = clerk.getByRole('region', { name: 'Amendments', exact: true });
    await section.getByText('No amendment requests.').waitFor();
    await section.getByRole('button', { name: 'Log an amendment request' }).click();
    const dialog = clerk.getByRole('dialog');
    await dialog.waitFor();
    await field(dialog, 'What the patient asks to change, and why').fill('The allergy list should say penicillin, not sulfa.');
    await expectNoAxeViolations(clerk);
    await dialog.getByRole('button', { name: 'Log request' }).click();

    await heading(clerk, 'Amendment request');
    await clerk.getByText('The allergy list should say penicillin, not sulfa.').waitFor();
    // Accepting and denying are for those who review (the HIM supervisor, the privacy officer), not the clerk.
    const actions = clerk.getByRole('group', { name: 'Amendment actions' });
    expect(await actions.getByRole('button', { name: 'Accept' }).count()).toBe(0);
    await actions.getByRole('button', { name: 'Extend due date' }).waitFor();
    await expectNoAxeViolations(clerk);

    await clerk.getByRole('navigation').getByRole('link', { name: 'Amendments', exact: true }).click();
    await heading(clerk, 'Amendment requests');
    const row = clerk.getByTestId('amendment-queue').locator('tbody tr').first();
    // The queue loads after the heading: wait for the request's row before reading it.
    await row.getByRole('link', { name: 'Okafor, William' }).waitFor();
    const due = new Date(Date.now() + 60 * 86_400_000);
    expect((await row.locator('td').allTextContents())[0]).toContain(`${due.getFullYear()}-${String(due.getMonth() + 1).padStart(2, '0')}-${String(due.getDate()).padStart(2, '0')}`);
    expect(await row.getByRole('link', { name: 'Okafor, William' }).count()).toBe(1);
    await expectNoAxeViolations(clerk);
  }, E2E_TIMEOUT);
});
