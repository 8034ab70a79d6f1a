import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserOn } from '../support/accounts.js';
import { patientInput } from '../support/patients.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNoAxeViolations, launchBrowser } from './browser.js';
import { callApi, E2E_TIMEOUT, field, heading, openFromNavigation, openSignedIn, openSignedInEnrolling, registerPatientThroughApi } from './steps.js';

const CLERK = { username: 'fclerk', displayName: 'Fenna Clerk', password: 'Lantern harbor 77 q' };
const SUPERVISOR = { username: 'fsuper', displayName: 'Saul Supervisor', password: 'Harbour lantern 4821 z' };

describe('fees on release requests', () => {
  let server: TestServer;
  let browser: Browser;
  let clerk: Page;
  let requestId: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    await createUserOn(server, { ...CLERK, role: 'records_clerk' });
    await createUserOn(server, { ...SUPERVISOR, role: 'him_supervisor' });
    clerk = await openSignedIn(browser, server, CLERK);
    const patient = await registerPatientThroughApi(clerk, patientInput());
    const logged = await callApi<{ request: { id: string } }>(clerk, 'POST', '/api/release/requests', {
      patientId: patient.id, receivedOn: '2026-11-20', channel: 'mail', requester: { kind: 'patient', name: 'William Okafor' },
      basis: { kind: 'right-of-access' }, identityVerification: { method: 'photo-id' }, scope: { wholeRecordSet: true },
      format: 'paper', delivery: { method: 'mail', address: '12 Harbor Rd, Portland ME' },
    });
    expect(logged.status, JSON.stringify(logged.body)).toBe(201);
    requestId = logged.body.request.id;
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a clerk quotes and invoices a paper copy for the patient, records the payment, and the invoice shows paid', async () => {
    await clerk.goto(new URL(`/release/${requestId}`, server.url).href);
    await heading(clerk, 'Request for records');
    const fees = clerk.getByRole('region', { name: 'Fees' });
    await field(fees, 'Pages').fill('20');
    await field(fees, 'Postage ($)').fill('1.50');
    await fees.getByRole('button', { name: 'Quote the fee' }).click();
    const quote = clerk.getByTestId('fee-quote');
    await quote.getByText("The patient's own copy (right of access)", { exact: false }).waitFor();
    await quote.getByRole('table', { name: 'Quoted charges' }).getByText('$4.50').waitFor();
    await expectNoAxeViolations(clerk);

    await fees.getByRole('button', { name: 'Issue invoice' }).click();
    const invoice = clerk.getByTestId('invoice');
    await expect.poll(() => invoice.getByTestId('invoice-status').textContent()).toBe('Unpaid');
    expect(await invoice.getByText(/^INV-\d{4}-\d{6}$/).count()).toBe(1);
    await expectNoAxeViolations(clerk);
    await field(invoice, 'Reference (check number)').fill('1042');
    await invoice.getByRole('button', { name: 'Record payment' }).click();
    await expect.poll(() => invoice.getByTestId('invoice-status').textContent()).toBe('Paid');
    await invoice.getByText('$4.50 by Check (1042), recorded by fclerk', { exact: false }).waitFor();
    await expectNoAxeViolations(clerk);
  });

  it('the supervisor edits the fee schedule; a fee below zero shows a readable error, a good one saves', async () => {
    const supervisor = await openSignedInEnrolling(browser, server, SUPERVISOR);
    await openFromNavigation(supervisor, 'Fee schedule');
    await expectNoAxeViolations(supervisor);
    await field(supervisor, 'Base fee').fill('-5');
    await supervisor.getByRole('button', { name: 'Save the fee schedule' }).click();
    await supervisor.getByText('A fee cannot be below zero.').first().waitFor();
    await expect.poll(() => field(supervisor, 'Base fee').getAttribute('aria-invalid')).toBe('true');
    await expectNoAxeViolations(supervisor);
    await field(supervisor, 'Base fee').fill('20');
    await supervisor.getByRole('button', { name: 'Save the fee schedule' }).click();
    await supervisor.getByText('Saved as version 1.').waitFor();
    const saved = await callApi<{ schedule: { thirdParty: { baseCents: number } } }>(supervisor, 'GET', '/api/release/fee-schedule');
    expect(saved.body.schedule.thirdParty.baseCents).toBe(2_000);
  });
});
