import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNoAxeViolations, launchBrowser } from './browser.js';
import { addUser, alertText, changePassword, E2E_TIMEOUT, expectShell, field, openFromNavigation, openPage, setUpAdministrator, signIn, signOut } from './steps.js';

interface AuditRow {
  user: string;
  action: string;
  record: string;
  details: string;
}

/** Applies the filters and answers the rows of the table that comes back, as the reader sees them. */
async function searchAudit(page: Page, filters: { username: string; action: string }): Promise<AuditRow[]> {
  const form = page.getByRole('form', { name: 'Filter audit events' });
  await field(form, 'Username').fill(filters.username);
  await form.getByRole('combobox', { name: 'Action' }).selectOption({ label: filters.action });
  await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/audit-events' && new URL(r.url()).searchParams.get('username') === filters.username),
    form.getByRole('button', { name: 'Apply filters' }).click(),
  ]);
  const table = page.getByTestId('audit-events');
  await table.waitFor();
  const headers = (await table.locator('thead th').allTextContents()).map((h) => h.trim());
  const column = (name: string) => headers.indexOf(name);
  const rows = await table.locator('tbody tr').all();
  return Promise.all(
    rows.map(async (row) => {
      const cells = row.getByRole('cell');
      const text = async (name: string) => ((await cells.nth(column(name)).textContent()) ?? '').trim();
      return { user: await text('User'), action: await text('Action'), record: await text('Record'), details: await text('Details') };
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
    // A look at a page the role does not allow, refused and audited with the permission it lacked.
    expect(await clerk.evaluate(async () => (await fetch('/api/users')).status)).toBe(403);
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
    expect(failed).toEqual([{ user: 'tnguyen', action: 'Failed sign-in', record: expect.stringMatching(/^User account …[0-9a-f]{8}$/), details: 'Wrong password (attempt 1)' }]);

    const signIns = await searchAudit(admin, { username: 'tnguyen', action: 'Sign-in' });
    expect(signIns.length).toBeGreaterThanOrEqual(1);
    for (const row of signIns) expect(row).toMatchObject({ user: 'tnguyen', action: 'Sign-in', record: 'Sign-in session' });
    // Their first sign-in went on to the forced password change.
    expect(signIns.map((row) => row.details)).toContain('Must change password next');
    await expectNoAxeViolations(admin);
  }, E2E_TIMEOUT);

  it('names records and refusals in words, with internal ids shortened and whole in their title', async () => {
    const denied = await searchAudit(admin, { username: 'tnguyen', action: 'Permission denied' });
    expect(denied).toEqual([{ user: 'tnguyen', action: 'Permission denied', record: 'Page or function GET /api/users', details: 'Needs permission: Manage users' }]);

    await searchAudit(admin, { username: 'tnguyen', action: 'Failed sign-in' });
    const row = admin.getByTestId('audit-events').locator('tbody tr').first();
    const id = row.locator('abbr');
    expect(await id.getAttribute('title')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(await id.textContent()).toBe(`…${(await id.getAttribute('title'))!.slice(-8)}`);

    const form = admin.getByRole('form', { name: 'Filter audit events' });
    await form.getByText('Exact username, e.g. mlopez').waitFor();
    await form.getByText("Patient's internal id (from the patient's page)").waitFor();
  }, E2E_TIMEOUT);

  it('keeps each time on one line, with the full local time and UTC in its title, and scrolls the wide table in its box', async () => {
    await admin.setViewportSize({ width: 1280, height: 800 });
    await searchAudit(admin, { username: 'tnguyen', action: 'Sign-in' });
    const time = admin.getByTestId('audit-events').locator('tbody tr time').first();
    // An inline element broken over lines has one box per line.
    expect(await time.evaluate((el) => el.getClientRects().length)).toBe(1);
    expect(await time.getAttribute('title')).toMatch(/\(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC\)$/);

    const box = admin.getByRole('region', { name: 'Audit events' });
    const { scrollWidth, clientWidth } = await box.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
    expect(scrollWidth).toBeGreaterThan(clientWidth);
    // The page itself does not scroll sideways: only the table's box does.
    expect(await admin.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
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
