import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../support/accounts.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNoAxeViolations, launchBrowser } from './browser.js';
import { E2E_TIMEOUT, expectShell, field, heading, nextTotp, openFromNavigation, openPage, signIn, signOut, type Authenticator } from './steps.js';

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

  it('lets a person change their own password and turn on two-step verification', async () => {
    const page = await openPage(browser, server);
    await signIn(page, 'pkim', 'Blue heron at dawn 12');
    await expectShell(page, 'Paul Kim');
    await openFromNavigation(page, 'My account');
    await page.getByRole('cell', { name: 'Records clerk' }).waitFor();
    await expectNoAxeViolations(page);

    const passwordForm = page.getByRole('region', { name: 'Change your password' });
    await field(passwordForm, 'Current password').fill('Blue heron at dawn 12');
    await field(passwordForm, 'New password').fill('Grey heron at dusk 34');
    await field(passwordForm, 'Confirm new password').fill('Grey heron at dusk 34');
    await passwordForm.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Your password is changed.').waitFor();

    const mfa = page.getByRole('region', { name: 'Two-step verification' });
    await mfa.getByRole('button', { name: 'Set up two-step verification' }).click();
    const secret = ((await mfa.getByTestId('mfa-secret').textContent()) ?? '').replace(/\s/g, '');
    await expectNoAxeViolations(page);
    const authenticator: Authenticator = { secret, recoveryCodes: [], lastStep: 0 };
    await field(mfa, 'Code from your authenticator app').fill(await nextTotp(authenticator));
    await mfa.getByRole('button', { name: 'Turn on two-step verification' }).click();
    expect(await mfa.getByTestId('recovery-codes').getByRole('listitem').count()).toBeGreaterThan(0);
    await mfa.getByRole('button', { name: 'I have saved these codes' }).click();
    await mfa.getByText('Two-step verification is on').waitFor();
    await expectNoAxeViolations(page);

    // The old password no longer works; the new one leads to the code step.
    await signOut(page);
    await signIn(page, 'pkim', 'Blue heron at dawn 12');
    await page.getByRole('alert').getByText('not correct').waitFor();
    await signIn(page, 'pkim', 'Grey heron at dusk 34');
    await heading(page, 'Enter your verification code');
  }, E2E_TIMEOUT);
});
