import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../support/accounts.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNoAxeViolations, launchBrowser } from './browser.js';
import { E2E_TIMEOUT, enterVerificationCode, expectShell, field, nextTotp, openFromNavigation, openPage, signIn, signOut, type Authenticator } from './steps.js';

async function recoveryCodes(scope: Locator): Promise<string[]> {
  return (await scope.getByTestId('recovery-codes').getByRole('listitem').allTextContents()).map((code) => code.trim());
}

describe('my account', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    await createUser(server, { username: 'pkim', displayName: 'Paul Kim', role: 'records_clerk', password: 'Blue heron at dawn 12' });
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lets a person change their own password, turn on two-step verification and replace their recovery codes', async () => {
    const page = await openPage(browser, server);
    await signIn(page, 'pkim', 'Blue heron at dawn 12');
    await expectShell(page, 'Paul Kim');
    await openFromNavigation(page, 'My account');
    await page.getByRole('cell', { name: 'Records clerk' }).waitFor();
    await expectNoAxeViolations(page);

    const passwordForm = page.getByRole('region', { name: 'Change your password' });
    // The rules are listed once, not again under the field.
    expect(await passwordForm.getByText(/At least 12 characters/).count()).toBe(1);
    await field(passwordForm, 'Current password').fill('Blue heron at dawn 12');
    await field(passwordForm, 'New password').fill('Grey heron at dusk 34');
    await field(passwordForm, 'Confirm new password').fill('Grey heron at dusk 34');
    await passwordForm.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Your password is changed.').waitFor();

    const mfa = page.getByRole('region', { name: 'Two-step verification' });
    // Setting up is a choice here: it can be put off.
    await mfa.getByRole('button', { name: 'Set up two-step verification' }).click();
    await mfa.getByTestId('mfa-secret').waitFor();
    await mfa.getByRole('button', { name: 'Cancel' }).click();
    await mfa.getByText('Two-step verification is off').waitFor();
    await mfa.getByRole('button', { name: 'Set up two-step verification' }).click();
    const secret = ((await mfa.getByTestId('mfa-secret').textContent()) ?? '').replace(/\s/g, '');
    await expectNoAxeViolations(page);
    const authenticator: Authenticator = { secret, recoveryCodes: [], lastStep: 0 };
    await field(mfa, 'Code from your authenticator app').fill(await nextTotp(authenticator));
    await mfa.getByRole('button', { name: 'Turn on two-step verification' }).click();
    const firstCodes = await recoveryCodes(mfa);
    expect(firstCodes.length).toBeGreaterThan(0);
    await mfa.getByRole('button', { name: 'I have saved these codes' }).click();
    await mfa.getByText('Two-step verification is on').waitFor();
    await expectNoAxeViolations(page);

    // New recovery codes, after a warning that the old ones stop working.
    await mfa.getByRole('button', { name: 'Get new recovery codes' }).click();
    const confirm = page.getByRole('dialog', { name: 'Get new recovery codes' });
    expect(await confirm.textContent()).toContain('Your current recovery codes stop working');
    await expectNoAxeViolations(page);
    await confirm.getByRole('button', { name: 'Get new recovery codes' }).click();
    await confirm.waitFor({ state: 'detached' });
    const newCodes = await recoveryCodes(mfa);
    expect(newCodes.length).toBe(firstCodes.length);
    expect(newCodes.filter((code) => firstCodes.includes(code))).toEqual([]);
    await expectNoAxeViolations(page);
    await mfa.getByRole('button', { name: 'I have saved these codes' }).click();
    await mfa.getByText('Two-step verification is on').waitFor();

    // The old password no longer works; the new one leads to the code step, where an old recovery code is refused and a new one accepted.
    await signOut(page);
    await signIn(page, 'pkim', 'Blue heron at dawn 12');
    await page.getByRole('alert').getByText('not correct').waitFor();
    await signIn(page, 'pkim', 'Grey heron at dusk 34');
    await enterVerificationCode(page, firstCodes[0]!);
    await page.getByRole('alert').getByText('not correct').waitFor();
    await enterVerificationCode(page, newCodes[0]!);
    await expectShell(page, 'Paul Kim');
  }, E2E_TIMEOUT);
});
