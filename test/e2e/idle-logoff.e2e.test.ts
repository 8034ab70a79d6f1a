import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNoAxeViolations, launchBrowser } from './browser.js';
import { ADMIN_NEW_PASSWORD, E2E_TIMEOUT, expectShell, heading, openPage, setUpAdministrator, signInWithAuthenticator, type Authenticator } from './steps.js';

/** What the server says about this browser's session now, without extending it. */
async function sessionStatus(page: Page): Promise<number> {
  return page.evaluate(async () => (await fetch('/api/auth/session', { credentials: 'same-origin' })).status);
}

const warning = (page: Page) => page.getByRole('dialog').filter({ hasText: /You will be signed out in \d+ seconds?/ });

describe('automatic log-off after inactivity', () => {
  let server: TestServer;
  let browser: Browser;
  let authenticator: Authenticator;

  beforeAll(async () => {
    // Six seconds: the warning comes at half of it, three seconds before the end.
    [server, browser] = await Promise.all([startTestServer({ idleTimeoutMinutes: 0.1 }), launchBrowser()]);
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('warns an idle person, then signs them out and says why', async () => {
    const page = await openPage(browser, server);
    authenticator = await setUpAdministrator(page, server);

    await warning(page).waitFor({ timeout: 60_000 });
    await heading(page, 'Sign in to Chartroom');
    await page.getByText('You were signed out after a period of inactivity.').waitFor();
    expect(await sessionStatus(page)).toBe(401);
    await expectNoAxeViolations(page);
    await page.context().close();
  }, E2E_TIMEOUT);

  it('keeps a person who is using the page signed in without asking', async () => {
    const page = await openPage(browser, server);
    await signInWithAuthenticator(page, 'admin', ADMIN_NEW_PASSWORD, authenticator);
    await expectShell(page, 'Administrator');

    // Twice the time-out of someone reading and moving the mouse.
    const until = Date.now() + 12_000;
    for (let x = 300; Date.now() < until; x = x === 300 ? 400 : 300) {
      await page.mouse.move(x, 300);
      await page.waitForTimeout(250);
    }
    await warning(page).waitFor({ state: 'hidden' });
    expect(await sessionStatus(page)).toBe(200);
    await expectShell(page, 'Administrator');
    await page.context().close();
  }, E2E_TIMEOUT);

  it('keeps the person signed in when they press "Stay signed in"', async () => {
    const page = await openPage(browser, server);
    await signInWithAuthenticator(page, 'admin', ADMIN_NEW_PASSWORD, authenticator);
    await expectShell(page, 'Administrator');

    await warning(page).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Stay signed in' }).click();
    await warning(page).waitFor({ state: 'hidden' });

    // The next warning comes only after the first deadline has passed: the session lived on.
    await warning(page).waitFor({ timeout: 60_000 });
    expect(await sessionStatus(page)).toBe(200);
    await page.getByRole('button', { name: 'Stay signed in' }).click();
    await warning(page).waitFor({ state: 'hidden' });
    await expectShell(page, 'Administrator');
    // No axe run on the warning itself: with a six-second time-out it shows for three seconds,
    // less than axe may take on a busy machine. It is the same Mantine dialog the Users page checks.
    await page.context().close();
  }, E2E_TIMEOUT);
});
