import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../support/accounts.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNoAxeViolations, launchBrowser } from './browser.js';
import { E2E_TIMEOUT, enrolAuthenticator, expectShell, field, openFromNavigation, openPage, signIn } from './steps.js';

/** Breaks the glass through the API as the signed-in person (the patient pages that will offer it are not built yet). */
async function requestEmergencyAccess(page: Page, patientId: string, reason: string): Promise<number> {
  return page.evaluate(
    async ({ patientId, reason }) => {
      const session = (await (await fetch('/api/auth/session')).json()) as { csrfToken: string };
      const response = await fetch('/api/emergency-access', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken },
        body: JSON.stringify({ patientId, reason }),
      });
      return response.status;
    },
    { patientId, reason },
  );
}

describe('emergency access review', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    await createUser(server, { username: 'jward', displayName: 'Jo Ward', role: 'records_clerk', password: 'Orchard gate 2026 x' });
    await createUser(server, { username: 'privacy', displayName: 'Pat Privacy', role: 'privacy_officer', password: 'Lighthouse keeper 9' });
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lists emergency access for the privacy officer until it is reviewed with a note', async () => {
    const clerk = await openPage(browser, server);
    await signIn(clerk, 'jward', 'Orchard gate 2026 x');
    await expectShell(clerk, 'Jo Ward');
    expect(await requestEmergencyAccess(clerk, 'MRN-000123', 'Patient in the emergency department, chart needed now')).toBe(201);

    const officer = await openPage(browser, server);
    await signIn(officer, 'privacy', 'Lighthouse keeper 9');
    await enrolAuthenticator(officer);
    await expectShell(officer, 'Pat Privacy');
    await openFromNavigation(officer, 'Emergency access reviews');
    const pending = officer.getByRole('table', { name: 'Emergency access waiting for review' });
    await pending.getByRole('cell', { name: 'Patient in the emergency department, chart needed now' }).waitFor();
    // When the access ends, and the way to the patient's page (which decides itself what the officer may see).
    const [granted, expires] = await pending.locator('tbody tr').first().locator('time').evaluateAll((times) => times.map((t) => t.getAttribute('datetime') ?? ''));
    expect(Date.parse(expires!)).toBeGreaterThan(Date.parse(granted!));
    expect(await pending.getByRole('link', { name: 'Open patient MRN-000123' }).getAttribute('href')).toBe('/patients/MRN-000123');
    await expectNoAxeViolations(officer);

    await pending.getByRole('button', { name: 'Review access by jward to patient MRN-000123' }).click();
    const dialog = officer.getByRole('dialog', { name: 'Review emergency access' });
    await field(dialog, 'Review note').fill('Confirmed with the ED charge nurse: treatment relationship.');
    await expectNoAxeViolations(officer);
    await dialog.getByRole('button', { name: 'Mark as reviewed' }).click();
    await dialog.waitFor({ state: 'detached' });
    await officer.getByText('No emergency access is waiting for review.').waitFor();

    await officer.getByRole('tab', { name: 'Reviewed' }).click();
    const reviewed = officer.getByRole('table', { name: 'Reviewed emergency access' });
    await reviewed.getByRole('cell', { name: 'Confirmed with the ED charge nurse: treatment relationship.' }).waitFor();
    await expectNoAxeViolations(officer);

    // In the audit log the access carries a whole "Emergency" badge, under the action.
    await openFromNavigation(officer, 'Audit log');
    const form = officer.getByRole('form', { name: 'Filter audit events' });
    await field(form, 'Username').fill('jward');
    await form.getByRole('combobox', { name: 'Action' }).selectOption({ label: 'Emergency access' });
    await form.getByRole('button', { name: 'Apply filters' }).click();
    const row = officer.getByTestId('audit-events').locator('tbody tr[data-action="emergency-access"]');
    await row.getByText('Emergency', { exact: true }).waitFor();
    expect(await row.getByText('Emergency', { exact: true }).evaluate((el) => el.scrollWidth <= el.clientWidth && el.textContent === 'Emergency')).toBe(true);
    await row.getByRole('cell', { name: /^Emergency access …[0-9a-f]{8}$/ }).waitFor();
    await expectNoAxeViolations(officer);
  }, E2E_TIMEOUT);
});
