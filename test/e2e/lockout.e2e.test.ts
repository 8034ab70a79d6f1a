import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNoAxeViolations, launchBrowser } from './browser.js';
import { addUser, alertText, changePassword, E2E_TIMEOUT, expectShell, field, heading, openFromNavigation, openPage, setUpAdministrator, signIn } from './steps.js';

const LOCKOUT_THRESHOLD = 3;

describe('account lockout', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ lockoutThreshold: LOCKOUT_THRESHOLD }), launchBrowser()]);
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('locks an account after repeated wrong passwords until an administrator unlocks it', async () => {
    const admin = await openPage(browser, server);
    await setUpAdministrator(admin, server);
    const temporaryPassword = await addUser(admin, { username: 'mlopez', displayName: 'Maria Lopez', role: 'Records clerk' });

    const clerk = await openPage(browser, server);
    for (let attempt = 1; attempt < LOCKOUT_THRESHOLD; attempt++) {
      await signIn(clerk, 'mlopez', `wrong password ${attempt}`);
      expect(await alertText(clerk)).toContain('not correct');
    }
    await signIn(clerk, 'mlopez', `wrong password ${LOCKOUT_THRESHOLD}`);
    expect(await alertText(clerk)).toContain('locked');
    // How long: the browser does not know the configured time, so it says the usual one and who else can help.
    expect(await alertText(clerk)).toContain('Accounts unlock automatically after a while (15 minutes unless your organisation set otherwise), or an administrator can unlock yours.');

    // Even the right password is refused while the account is locked.
    await signIn(clerk, 'mlopez', temporaryPassword);
    expect(await alertText(clerk)).toMatch(/Account locked.*locked/);
    await expectNoAxeViolations(clerk);

    await admin.reload();
    await heading(admin, 'Users');
    const row = admin.getByTestId('user-row-mlopez');
    await row.getByText('Locked', { exact: true }).waitFor();
    await expectNoAxeViolations(admin);
    await row.getByRole('button', { name: 'Manage mlopez' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Manage mlopez' });
    await expectNoAxeViolations(admin);
    await dialog.getByRole('button', { name: 'Unlock' }).click();
    await dialog.getByRole('button', { name: 'Unlock' }).waitFor({ state: 'detached' });
    await admin.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await row.getByText('Active', { exact: true }).waitFor();
    expect(await row.getByText('Locked', { exact: true }).count()).toBe(0);

    await signIn(clerk, 'mlopez', temporaryPassword);
    await changePassword(clerk, temporaryPassword, 'Quiet river stones 77');
    await expectShell(clerk, 'Maria Lopez');
    await expectNoAxeViolations(clerk);

    // The audit log tells the attempt that locked the account, and the refusal while it was locked.
    await openFromNavigation(admin, 'Audit log');
    const form = admin.getByRole('form', { name: 'Filter audit events' });
    await field(form, 'Username').fill('mlopez');
    await form.getByRole('combobox', { name: 'Action' }).selectOption({ label: 'Failed sign-in' });
    await form.getByRole('button', { name: 'Apply filters' }).click();
    const events = admin.getByTestId('audit-events');
    await events.getByRole('cell', { name: `Wrong password (attempt ${LOCKOUT_THRESHOLD}) — account locked`, exact: true }).waitFor();
    await events.getByRole('cell', { name: 'Account was locked', exact: true }).waitFor();
  }, E2E_TIMEOUT);
});
