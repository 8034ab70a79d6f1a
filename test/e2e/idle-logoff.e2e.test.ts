import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../support/accounts.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNoAxeViolations, launchBrowser } from './browser.js';
import { E2E_TIMEOUT, expectShell, heading, openPage, signIn } from './steps.js';

// A records clerk: no second step at sign-in, so each test starts at once and on its own.
const CLERK = { username: 'sidle', displayName: 'Sam Idle', role: 'records_clerk', password: 'Slow tide on sand 48' };

async function signInAsClerk(browser: Browser, server: TestServer): Promise<Page> {
  const page = await openPage(browser, server);
  await signIn(page, CLERK.username, CLERK.password);
  await expectShell(page, CLERK.displayName);
  return page;
}

/** What the server says about this browser's session now, without extending it. */
async function sessionStatus(page: Page): Promise<number> {
  return page.evaluate(async () => (await fetch('/api/auth/session', { credentials: 'same-origin' })).status);
}

const warning = (page: Page) => page.getByRole('dialog').filter({ hasText: /You will be signed out in \d+ seconds?/ });

describe('automatic log-off after inactivity', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    // Six seconds: the warning comes at half of it, three seconds before the end.
    [server, browser] = await Promise.all([startTestServer({ idleTimeoutMinutes: 0.1 }), launchBrowser()]);
    await createUser(server, CLERK);
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('warns an idle person, then signs them out and says why', async () => {
    const page = await signInAsClerk(browser, server);

    await warning(page).waitFor({ timeout: 60_000 });
    await heading(page, 'Sign in to Chartroom');
    await page.getByText('You were signed out after a period of inactivity.').waitFor();
    expect(await sessionStatus(page)).toBe(401);
    await expectNoAxeViolations(page);
    await page.context().close();
  }, E2E_TIMEOUT);

  it('keeps a person who is using the page signed in without asking', async () => {
    const page = await signInAsClerk(browser, server);

    let keepAlives = 0;
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/auth/keep-alive') keepAlives += 1;
    });
    // Twice the time-out of someone reading and moving the mouse.
    const started = Date.now();
    for (let x = 300; Date.now() - started < 12_000; x = x === 300 ? 400 : 300) {
      await page.mouse.move(x, 300);
      await page.waitForTimeout(250);
    }
    const elapsedSeconds = (Date.now() - started) / 1000;
    await warning(page).waitFor({ state: 'hidden' });
    expect(await sessionStatus(page)).toBe(200);
    // At most one keep-alive per third of the time-out (two seconds here), however busy the mouse.
    expect(keepAlives).toBeGreaterThan(0);
    expect(keepAlives).toBeLessThanOrEqual(Math.floor(elapsedSeconds / 2) + 1);
    await expectShell(page, CLERK.displayName);
    await page.context().close();
  }, E2E_TIMEOUT);

  it('keeps the person signed in when they press "Stay signed in"', async () => {
    const page = await signInAsClerk(browser, server);

    await warning(page).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Stay signed in' }).click();
    await warning(page).waitFor({ state: 'hidden' });

    // The next warning comes only after the first deadline has passed: the session lived on.
    await warning(page).waitFor({ timeout: 60_000 });
    expect(await sessionStatus(page)).toBe(200);
    await page.getByRole('button', { name: 'Stay signed in' }).click();
    await warning(page).waitFor({ state: 'hidden' });
    await expectShell(page, CLERK.displayName);
    // No axe run on the warning itself: with a six-second time-out it shows for three seconds,
    // less than axe may take on a busy machine. It is the same Mantine dialog the Users page checks.
    await page.context().close();
  }, E2E_TIMEOUT);
});
