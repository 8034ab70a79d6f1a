import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNoAxeViolations, launchBrowser } from './browser.js';
import { addUser, alertText, changePassword, E2E_TIMEOUT, expectShell, field, openFromNavigation, openPage, setUpAdministrator, signIn, signOut } from './steps.js';

/** Applies the filters and answers the rows of the table that comes back, as [user, action] pairs. */
async function searchAudit(page: Page, filters: { username: string; action: string }): Promise<{ user: string; action: string }[]> {
  const form = page.getByRole('form', { name: 'Filter audit events' });
  await field(form, 'Username').fill(filters.username);
  await form.getByRole('combobox', { name: 'Action' }).selectOption({ label: filters.action });
  await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/audit-events' && new URL(r.url()).searchParams.get('username') === filters.username),
    form.getByRole('button', { name: 'Apply filters' }).click(),
  ]);
  const table = page.getByTestId('audit-events');
  await table.waitFor();
  const rows = await table.locator('tbody tr').all();
  return Promise.all(
    rows.map(async (row) => {
      const cells = row.getByRole('cell');
      return { user: (await cells.nth(1).textContent()) ?? '', action: (await cells.nth(3).textContent()) ?? '' };
    }),
  );
}

describe('audit log', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: Page;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    admin = await openPage(browser, server);
    await setUpAdministrator(admin, server);
    const temporaryPassword = await addUser(admin, { username: 'tnguyen', displayName: 'Tam Nguyen', role: 'Records clerk' });

    const clerk = await openPage(browser, server);
    await signIn(clerk, 'tnguyen', temporaryPassword);
    await changePassword(clerk, temporaryPassword, 'Maple lantern harbor 31');
    await expectShell(clerk, 'Tam Nguyen');
    await signOut(clerk);
    await signIn(clerk, 'tnguyen', 'a wrong password');
    expect(await alertText(clerk)).toContain('not correct');
    await clerk.context().close();
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("shows one user's failed and successful sign-ins when filtered by username and action", async () => {
    await openFromNavigation(admin, 'Audit log');
    await expectNoAxeViolations(admin);

    const failed = await searchAudit(admin, { username: 'tnguyen', action: 'Failed sign-in' });
    expect(failed).toEqual([{ user: 'tnguyen', action: 'Failed sign-in' }]);

    const signIns = await searchAudit(admin, { username: 'tnguyen', action: 'Sign-in' });
    expect(signIns.length).toBeGreaterThanOrEqual(1);
    for (const row of signIns) expect(row).toEqual({ user: 'tnguyen', action: 'Sign-in' });
    await expectNoAxeViolations(admin);
  }, E2E_TIMEOUT);

  it('exports the filtered events as a CSV file with a header row', async () => {
    await searchAudit(admin, { username: 'tnguyen', action: 'Failed sign-in' });
    const [download] = await Promise.all([admin.waitForEvent('download'), admin.getByRole('link', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    const [header, ...rows] = csv.trim().split(/\r?\n/);
    const columns = header!.split(',').map((c) => c.replace(/^"|"$/g, ''));
    expect(columns).toEqual(expect.arrayContaining(['occurredAt', 'actorName', 'actorRole', 'action', 'patientId', 'recordType', 'recordId', 'outcome', 'ip', 'reason']));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('tnguyen');
    expect(rows[0]).toContain('login-failed');
  }, E2E_TIMEOUT);

  it('shows older events with "Load more" when there are more than one page', async () => {
    // Every search of the trail is itself audited as a read: sixty searches make sixty events.
    await admin.evaluate(async () => {
      for (let i = 0; i < 60; i++) await fetch('/api/audit-events?limit=1', { credentials: 'same-origin' });
    });
    const firstPage = await searchAudit(admin, { username: 'admin', action: 'Read' });
    expect(firstPage.length).toBeGreaterThan(0);
    const loadMore = admin.getByRole('button', { name: 'Load more' });
    await Promise.all([
      admin.waitForResponse((r) => new URL(r.url()).pathname === '/api/audit-events' && new URL(r.url()).searchParams.has('before')),
      loadMore.click(),
    ]);
    await admin.getByTestId('audit-events').locator('tbody tr').nth(firstPage.length).waitFor();
    const rows = await admin.getByTestId('audit-events').locator('tbody tr').count();
    expect(rows).toBeGreaterThan(firstPage.length);
    await expectNoAxeViolations(admin);
  }, E2E_TIMEOUT);
});
