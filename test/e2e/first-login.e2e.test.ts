import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNoAxeViolations, launchBrowser } from './browser.js';
import { ADMIN_NEW_PASSWORD, changePassword, E2E_TIMEOUT, enrolAuthenticator, expectShell, field, heading, openPage, signIn } from './steps.js';

describe('first sign-in of the administrator', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('makes the administrator choose a new password and set up two-step verification before the menu appears', async () => {
    const page = await openPage(browser, server);
    await heading(page, 'Sign in to Chartroom');
    await expectNoAxeViolations(page);

    await signIn(page, 'admin', server.adminPassword);
    await heading(page, 'Change your password');
    expect(await page.getByText('At least 12 characters.').isVisible()).toBe(true);
    await expectNoAxeViolations(page);

    // A password the policy refuses is explained beside the field, without reaching the next step.
    await field(page, 'Current password').fill(server.adminPassword);
    await field(page, 'New password').fill('admin-is-me-2026');
    await field(page, 'Confirm new password').fill('admin-is-me-2026');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Do not include your username.').waitFor();

    await changePassword(page, server.adminPassword, ADMIN_NEW_PASSWORD);
    const authenticator = await enrolAuthenticator(page, expectNoAxeViolations);
    expect(authenticator.recoveryCodes.length).toBeGreaterThanOrEqual(8);

    await expectShell(page, 'Administrator');
    await heading(page, 'Welcome, Administrator');
    for (const link of ['Chart completion (coming soon)', 'Audit log', 'Users', 'My account']) {
      await page.getByRole('navigation').getByRole('link', { name: link, exact: true }).waitFor();
    }
    await expectNoAxeViolations(page);
  }, E2E_TIMEOUT);
});
