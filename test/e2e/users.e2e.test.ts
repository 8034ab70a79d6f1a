import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNoAxeViolations, launchBrowser } from './browser.js';
import { addUser, alertText, changePassword, E2E_TIMEOUT, expectShell, heading, openPage, setUpAdministrator, signIn } from './steps.js';

describe('managing users', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: Page;
  let clerk: Page;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lets an administrator add a records clerk, who signs in with the temporary password and chooses their own', async () => {
    admin = await openPage(browser, server);
    await setUpAdministrator(admin, server);
    const temporaryPassword = await addUser(admin, { username: 'dreyes', displayName: 'Dana Reyes', role: 'Records clerk' });
    const row = admin.getByTestId('user-row-dreyes');
    await row.getByText('Records clerk').waitFor();
    await row.getByText('Must change password').waitFor();
    await expectNoAxeViolations(admin);

    clerk = await openPage(browser, server);
    await signIn(clerk, 'dreyes', temporaryPassword);
    await changePassword(clerk, temporaryPassword, 'Copper kettle morning 5');
    // A records clerk's role needs no second step: the menu comes straight after the new password.
    await expectShell(clerk, 'Dana Reyes');
    await heading(clerk, 'Welcome, Dana Reyes');
    await expectNoAxeViolations(clerk);
  }, E2E_TIMEOUT);

  it('hides the Users page from a records clerk and explains why if they open it by its address', async () => {
    const navigation = clerk.getByRole('navigation');
    await navigation.getByRole('link', { name: 'Patients', exact: true }).waitFor();
    expect(await navigation.getByRole('link', { name: 'Users', exact: true }).count()).toBe(0);
    expect(await navigation.getByRole('link', { name: 'Audit log', exact: true }).count()).toBe(0);

    await clerk.goto(new URL('/users', server.url).href);
    await heading(clerk, 'Not permitted');
    await clerk.getByText('You do not have permission to open this page').waitFor();
    await expectNoAxeViolations(clerk);

    // The server refuses too, in words, whatever the page shows.
    const refusal = await clerk.evaluate(async () => {
      const response = await fetch('/api/users', { credentials: 'same-origin' });
      return { status: response.status, body: (await response.json()) as { code?: string; detail?: string } };
    });
    expect(refusal.status).toBe(403);
    expect(refusal.body.detail).toBeTruthy();
  }, E2E_TIMEOUT);

  it("lets an administrator change a user's role, reset their password and disable them", async () => {
    const row = admin.getByTestId('user-row-dreyes');
    const manage = admin.getByRole('dialog', { name: 'Manage dreyes' });
    const act = async (action: string) => {
      await row.getByRole('button', { name: 'Manage dreyes' }).click();
      await manage.getByRole('button', { name: action }).click();
    };

    await row.getByRole('button', { name: 'Manage dreyes' }).click();
    await manage.getByRole('combobox', { name: 'Role' }).selectOption({ label: 'Auditor' });
    await expectNoAxeViolations(admin);
    await manage.getByRole('button', { name: 'Save role' }).click();
    await row.getByRole('cell', { name: 'Auditor' }).waitFor();
    await admin.keyboard.press('Escape');
    await manage.waitFor({ state: 'detached' });

    await act('Reset password');
    await admin.getByRole('dialog', { name: 'Reset password' }).getByRole('button', { name: 'Reset password' }).click();
    const temporaryPassword = ((await admin.getByTestId('temporary-password').textContent()) ?? '').trim();
    await admin.getByRole('dialog', { name: 'Password reset' }).getByRole('button', { name: 'Done' }).click();

    const auditor = await openPage(browser, server);
    await signIn(auditor, 'dreyes', temporaryPassword);
    await changePassword(auditor, temporaryPassword, 'Silver birch lane 808');
    await expectShell(auditor, 'Dana Reyes');
    await auditor.getByRole('navigation').getByRole('link', { name: 'Audit log', exact: true }).waitFor();
    await auditor.context().close();

    await act('Disable');
    await admin.getByRole('dialog', { name: 'Disable user' }).getByRole('button', { name: 'Disable' }).click();
    await row.getByText('Disabled', { exact: true }).waitFor();

    const refused = await openPage(browser, server);
    await signIn(refused, 'dreyes', 'Silver birch lane 808');
    // A disabled account is refused like a wrong password, so the page tells a stranger nothing.
    expect(await alertText(refused)).toContain('not correct');
    await heading(refused, 'Sign in to Chartroom');
    await refused.context().close();
  }, E2E_TIMEOUT);
});
