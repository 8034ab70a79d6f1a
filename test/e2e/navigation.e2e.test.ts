import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../support/accounts.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNoAxeViolations, launchBrowser } from './browser.js';
import { E2E_TIMEOUT, heading, openPage, openSignedIn, setUpAdministrator, tabTo } from './steps.js';

const CLERK = { username: 'rdiaz', displayName: 'Rosa Diaz', password: 'Paper lantern river 6' };

describe('the menu', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    await createUser(server, { username: CLERK.username, displayName: CLERK.displayName, role: 'records_clerk', password: CLERK.password });
    page = await openPage(browser, server);
    await setUpAdministrator(page, server);
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('opens every page of the menu, each with its own heading and no accessibility problems', async () => {
    const navigation = page.getByRole('navigation');
    const working = ['Audit log', 'Users', 'Reference data', 'Interfaces', 'My account'];
    const comingSoon = ['Chart completion', 'Chart locations', 'Forms', 'Correspondence'];
    // Parts not built yet are marked, to the eye ("Soon") and to screen readers ("(coming soon)").
    expect(await navigation.getByRole('link').count()).toBe(working.length + comingSoon.length);
    for (const label of comingSoon) {
      const link = navigation.getByRole('link', { name: `${label} (coming soon)`, exact: true });
      expect(await link.textContent()).toContain('Soon');
    }
    // The administrator reviews no emergency access (the privacy officer's) and, by least privilege, opens no patient record.
    expect(await navigation.getByRole('link', { name: 'Emergency access reviews' }).count()).toBe(0);
    expect(await navigation.getByRole('link', { name: 'Patients' }).count()).toBe(0);

    const visit = async (name: string, title: string) => {
      const link = navigation.getByRole('link', { name, exact: true });
      await link.click();
      await heading(page, title);
      expect(await link.getAttribute('aria-current')).toBe('page');
      await expectNoAxeViolations(page);
    };
    for (const label of working) await visit(label, label);
    for (const label of comingSoon) await visit(`${label} (coming soon)`, label);
    await navigation.getByRole('link', { name: 'Chart locations (coming soon)', exact: true }).click();
    await page.getByText('This part of Chartroom is not available yet.').waitFor();
  }, E2E_TIMEOUT);

  it('groups My account under "You", shows "Administration" only with an administration page, and names the role once', async () => {
    const navigation = page.getByRole('navigation');
    await navigation.getByText('Administration', { exact: true }).waitFor();
    await navigation.getByText('You', { exact: true }).waitFor();
    // The built-in administrator is called "Administrator", like the role: said once.
    expect((await page.getByRole('banner').getByTestId('signed-in-user').textContent())?.trim()).toBe('Administrator');

    const clerk = await openSignedIn(browser, server, CLERK);
    const clerkMenu = clerk.getByRole('navigation');
    await clerkMenu.getByText('You', { exact: true }).waitFor();
    expect(await clerkMenu.getByText('Administration', { exact: true }).count()).toBe(0);
    const clerkHeader = clerk.getByRole('banner').getByTestId('signed-in-user');
    await clerkHeader.getByText('Records clerk').waitFor();
    expect((await clerkHeader.textContent())?.trim()).toBe('Rosa Diaz · Records clerk');
    await clerk.context().close();
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
