import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNoAxeViolations, launchBrowser } from './browser.js';
import { addUser, alertText, changePassword, E2E_TIMEOUT, expectShell, field, heading, nextTotp, openFromNavigation, openPage, setUpAdministrator, signIn } from './steps.js';

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
    const mustChange = row.getByText('Must change password');
    await mustChange.waitFor();
    // The whole badge shows, not "MUST CHANGE PASSW…".
    expect(await mustChange.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await expectNoAxeViolations(admin);

    clerk = await openPage(browser, server);
    await signIn(clerk, 'dreyes', temporaryPassword);
    await changePassword(clerk, temporaryPassword, 'Copper kettle morning 5');
    // A records clerk's role needs no second step: the menu comes straight after the new password.
    await expectShell(clerk, 'Dana Reyes');
    await heading(clerk, 'Welcome, Dana Reyes');
    // The start page offers only what works for the role; parts not built yet wait in the menu, marked as such.
    const offered = (await clerk.getByRole('main').getByRole('link').allTextContents()).map((text) => text.trim());
    expect(offered).toEqual(['Patients', 'Census', 'Scanning', 'Indexing queue', 'Release of information', 'Amendments', 'Retention', 'My account']);
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

  it("lets an administrator change a user's role (which signs them out), reset their password or two-step verification, and disable them", async () => {
    const row = admin.getByTestId('user-row-dreyes');
    const manage = admin.getByRole('dialog', { name: 'Manage dreyes' });
    const act = async (action: string) => {
      await row.getByRole('button', { name: 'Manage dreyes' }).click();
      await manage.getByRole('button', { name: action }).click();
    };

    await row.getByRole('button', { name: 'Manage dreyes' }).click();
    await manage.getByText('Changing the role signs the user out; they sign in again with the new role.').waitFor();
    // One "Role", the section's heading, which also names the list.
    expect(await manage.getByText('Role', { exact: true }).count()).toBe(1);
    await manage.getByRole('combobox', { name: 'Role' }).selectOption({ label: 'Auditor' });
    await expectNoAxeViolations(admin);
    await manage.getByRole('button', { name: 'Save role' }).click();
    await row.getByRole('cell', { name: 'Auditor' }).waitFor();
    await admin.keyboard.press('Escape');
    await manage.waitFor({ state: 'detached' });

    // As the dialog said: the clerk's session ended with the change of role.
    await clerk.reload();
    await heading(clerk, 'Sign in to Chartroom');

    await act('Reset password');
    await admin.getByRole('dialog', { name: 'Reset password' }).getByRole('button', { name: 'Reset password' }).click();
    const temporaryPassword = ((await admin.getByTestId('temporary-password').textContent()) ?? '').trim();
    await admin.getByRole('dialog', { name: 'Password reset' }).getByRole('button', { name: 'Done' }).click();

    const auditor = await openPage(browser, server);
    await signIn(auditor, 'dreyes', temporaryPassword);
    await changePassword(auditor, temporaryPassword, 'Silver birch lane 808');
    await expectShell(auditor, 'Dana Reyes');
    await auditor.getByRole('navigation').getByRole('link', { name: 'Audit log', exact: true }).waitFor();
    // An auditor may choose two-step verification; their role does not require it.
    await openFromNavigation(auditor, 'My account');
    const mfa = auditor.getByRole('region', { name: 'Two-step verification' });
    await mfa.getByRole('button', { name: 'Set up two-step verification' }).click();
    const secret = ((await mfa.getByTestId('mfa-secret').textContent()) ?? '').replace(/\s/g, '');
    await field(mfa, 'Code from your authenticator app').fill(await nextTotp({ secret, recoveryCodes: [], lastStep: 0 }));
    await mfa.getByRole('button', { name: 'Turn on two-step verification' }).click();
    await mfa.getByRole('button', { name: 'I have saved these codes' }).click();
    await mfa.getByText('Two-step verification is on').waitFor();
    await auditor.context().close();

    // Resetting it: the auditor's stays off until they choose it again; the administrator's is required again.
    await admin.reload();
    await heading(admin, 'Users');
    await act('Reset two-step verification');
    const resetAuditor = admin.getByRole('dialog', { name: 'Reset two-step verification' });
    expect(await resetAuditor.textContent()).toContain('does not require it, so it stays off until they set it up again');
    await resetAuditor.getByRole('button', { name: 'Cancel' }).click();
    await resetAuditor.waitFor({ state: 'detached' });
    await admin.getByTestId('user-row-admin').getByRole('button', { name: 'Manage admin' }).click();
    await admin.getByRole('dialog', { name: 'Manage admin' }).getByRole('button', { name: 'Reset two-step verification' }).click();
    const resetAdmin = admin.getByRole('dialog', { name: 'Reset two-step verification' });
    expect(await resetAdmin.textContent()).toContain('Their role (Administrator) requires two-step verification, so they set it up again at their next sign-in.');
    await expectNoAxeViolations(admin);
    await resetAdmin.getByRole('button', { name: 'Cancel' }).click();
    await resetAdmin.waitFor({ state: 'detached' });

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
