import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNoAxeViolations, launchBrowser } from './browser.js';
import {
  ADMIN_NEW_PASSWORD,
  alertText,
  E2E_TIMEOUT,
  enterVerificationCode,
  expectShell,
  heading,
  nextTotp,
  openPage,
  setUpAdministrator,
  signIn,
  signOut,
  type Authenticator,
  wrongTotp,
} from './steps.js';

describe('two-step verification at sign-in', () => {
  let server: TestServer;
  let browser: Browser;
  let authenticator: Authenticator;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    const page = await openPage(browser, server);
    authenticator = await setUpAdministrator(page, server);
    await page.context().close();
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('asks for the code from the authenticator app after the password', async () => {
    const page = await openPage(browser, server);
    await signIn(page, 'admin', ADMIN_NEW_PASSWORD);
    await heading(page, 'Enter your verification code');
    await expectNoAxeViolations(page);
    await enterVerificationCode(page, await nextTotp(authenticator));
    await expectShell(page, 'Administrator');
    await page.context().close();
  }, E2E_TIMEOUT);

  it('refuses a wrong code with a message and lets the person try again', async () => {
    const page = await openPage(browser, server);
    await signIn(page, 'admin', ADMIN_NEW_PASSWORD);
    await enterVerificationCode(page, wrongTotp(authenticator));
    expect(await alertText(page)).toContain('not correct');
    await heading(page, 'Enter your verification code');
    await expectNoAxeViolations(page);

    await enterVerificationCode(page, await nextTotp(authenticator));
    await expectShell(page, 'Administrator');
    await page.context().close();
  }, E2E_TIMEOUT);

  it('accepts a recovery code once, and refuses it the second time', async () => {
    const [recoveryCode] = authenticator.recoveryCodes;
    const page = await openPage(browser, server);
    await signIn(page, 'admin', ADMIN_NEW_PASSWORD);
    await enterVerificationCode(page, recoveryCode!);
    await expectShell(page, 'Administrator');
    await signOut(page);

    await signIn(page, 'admin', ADMIN_NEW_PASSWORD);
    await enterVerificationCode(page, recoveryCode!);
    expect(await alertText(page)).toContain('already used');
    await heading(page, 'Enter your verification code');
    await page.context().close();
  }, E2E_TIMEOUT);
});
