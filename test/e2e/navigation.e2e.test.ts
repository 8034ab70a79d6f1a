import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNoAxeViolations, launchBrowser } from './browser.js';
import { E2E_TIMEOUT, heading, openPage, setUpAdministrator } from './steps.js';

/** Presses Tab until the focused element has this accessible text, as a keyboard user would. */
async function tabTo(page: Page, text: string, maxPresses = 60): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    if (focused === text) return;
  }
  throw new Error(`Tab never reached "${text}"`);
}

describe('the menu', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    page = await openPage(browser, server);
    await setUpAdministrator(page, server);
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('opens every page of the menu, each with its own heading and no accessibility problems', async () => {
    const navigation = page.getByRole('navigation');
    const labels = (await navigation.getByRole('link').allTextContents()).map((label) => label.trim());
    expect(labels).toEqual(expect.arrayContaining(['Admissions', 'Documents', 'Release of information', 'Chart completion', 'Chart locations', 'Forms', 'Correspondence', 'Audit log', 'Users', 'My account']));
    // The administrator reviews no emergency access (the privacy officer's) and, by least privilege, opens no patient record.
    expect(labels).not.toContain('Emergency access reviews');
    expect(labels).not.toContain('Patients');

    for (const label of labels) {
      await navigation.getByRole('link', { name: label, exact: true }).click();
      await heading(page, label);
      expect(await navigation.getByRole('link', { name: label, exact: true }).getAttribute('aria-current')).toBe('page');
      await expectNoAxeViolations(page);
    }
    await navigation.getByRole('link', { name: 'Chart locations', exact: true }).click();
    await page.getByText('This part of Chartroom is not available yet.').waitFor();
  }, E2E_TIMEOUT);

  it('can be used with the keyboard alone', async () => {
    await page.goto(new URL('/', server.url).href);
    await heading(page, 'Welcome, Administrator');

    await tabTo(page, 'Audit log');
    await page.keyboard.press('Enter');
    await heading(page, 'Audit log');

    await tabTo(page, 'Apply filters');
    await page.keyboard.press('Enter');
    await page.getByTestId('audit-events').waitFor();

    await tabTo(page, 'Sign out');
    await page.keyboard.press('Enter');
    await heading(page, 'Sign in to Chartroom');
  }, E2E_TIMEOUT);
});
