import { Secret, TOTP } from 'otpauth';
import type { Browser, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { TestServer } from '../support/server.js';
import { openContext } from './browser.js';

/** Each browser test drives a real server and Chromium on a shared machine: be patient. */
export const E2E_TIMEOUT = 240_000;

/** The administrator's password after the forced change at first sign-in. */
export const ADMIN_NEW_PASSWORD = 'Harbour lantern 4821';

/** What a person keeps after setting up two-step verification: the key in their app, and the codes on paper. */
export interface Authenticator {
  secret: string;
  recoveryCodes: string[];
  /** The last TOTP time step the server accepted: it refuses a code twice. */
  lastStep: number;
}

const TOTP_PERIOD_SECONDS = 30;

/** A page in a fresh profile, opened at `path` of the server. */
export async function openPage(browser: Browser, server: TestServer, path = '/'): Promise<Page> {
  const context = await openContext(browser);
  const page = await context.newPage();
  await page.goto(new URL(path, server.url).href);
  return page;
}

/**
 * A text or password field by its label. Not getByLabel: a required field's label reads "Password *"
 * to the eye, and getByLabel matches the visible text, while the accessible name is "Password".
 */
export function field(scope: Page | Locator, label: string): Locator {
  return scope.getByRole('textbox', { name: label, exact: true });
}

export async function heading(page: Page, name: string | RegExp): Promise<void> {
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await heading(page, 'Sign in to Chartroom');
  await field(page, 'Username').fill(username);
  await field(page, 'Password').fill(password);
  await Promise.all([
    page.waitForResponse((response) => new URL(response.url()).pathname === '/api/auth/login'),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
}

/** The forced change at first sign-in (or after a reset). */
export async function changePassword(page: Page, currentPassword: string, newPassword: string): Promise<void> {
  await heading(page, 'Change your password');
  await field(page, 'Current password').fill(currentPassword);
  await field(page, 'New password').fill(newPassword);
  await field(page, 'Confirm new password').fill(newPassword);
  await page.getByRole('button', { name: 'Change password' }).click();
}

/** A code as the phone would show it: if the current one was used, wait for the next. */
export async function nextTotp(authenticator: Authenticator): Promise<string> {
  let step = Math.floor(Date.now() / 1000 / TOTP_PERIOD_SECONDS);
  if (step <= authenticator.lastStep) {
    const wait = (authenticator.lastStep + 1) * TOTP_PERIOD_SECONDS * 1000 - Date.now() + 250;
    await new Promise((resolve) => setTimeout(resolve, wait));
    step = authenticator.lastStep + 1;
  }
  authenticator.lastStep = step;
  return new TOTP({ secret: Secret.fromBase32(authenticator.secret), digits: 6, period: TOTP_PERIOD_SECONDS, algorithm: 'SHA1' }).generate({
    timestamp: step * TOTP_PERIOD_SECONDS * 1000,
  });
}

/** A 6-digit code the authenticator would not show now or in the steps either side of now. */
export function wrongTotp(authenticator: Authenticator): string {
  const totp = new TOTP({ secret: Secret.fromBase32(authenticator.secret), digits: 6, period: TOTP_PERIOD_SECONDS, algorithm: 'SHA1' });
  const now = Date.now();
  const valid = new Set([-1, 0, 1].map((offset) => totp.generate({ timestamp: now + offset * TOTP_PERIOD_SECONDS * 1000 })));
  let code = 123456;
  while (valid.has(String(code))) code += 1;
  return String(code);
}

/** Sets up two-step verification from the secret shown as text, and keeps the recovery codes. */
export async function enrolAuthenticator(page: Page, check: (page: Page) => Promise<void> = async () => {}): Promise<Authenticator> {
  await heading(page, 'Set up two-step verification');
  const secret = ((await page.getByTestId('mfa-secret').textContent()) ?? '').replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]+=*$/);
  await page.getByRole('img', { name: /QR code/ }).waitFor();
  await check(page);
  const authenticator: Authenticator = { secret, recoveryCodes: [], lastStep: 0 };
  await field(page, 'Code from your authenticator app').fill(await nextTotp(authenticator));
  await page.getByRole('button', { name: 'Turn on two-step verification' }).click();
  await heading(page, 'Save your recovery codes');
  authenticator.recoveryCodes = (await page.getByTestId('recovery-codes').getByRole('listitem').allTextContents()).map((c) => c.trim());
  expect(authenticator.recoveryCodes.length).toBeGreaterThan(0);
  await check(page);
  await page.getByRole('button', { name: 'I have saved these codes' }).click();
  return authenticator;
}

/** The second step of signing in. */
export async function enterVerificationCode(page: Page, code: string): Promise<void> {
  await heading(page, 'Enter your verification code');
  await field(page, 'Verification code').fill(code);
  await Promise.all([
    page.waitForResponse((response) => new URL(response.url()).pathname === '/api/auth/mfa/verify'),
    page.getByRole('button', { name: 'Verify' }).click(),
  ]);
}

/** Waits for the signed-in shell, with the person's name in its header. */
export async function expectShell(page: Page, displayName: string): Promise<void> {
  const user = page.getByRole('banner').getByTestId('signed-in-user');
  await user.waitFor();
  expect(await user.textContent()).toContain(displayName);
  await page.getByRole('navigation').getByRole('link', { name: 'My account' }).waitFor();
}

/** The administrator's whole first sign-in: new password, authenticator, recovery codes. */
export async function setUpAdministrator(page: Page, server: TestServer): Promise<Authenticator> {
  await signIn(page, 'admin', server.adminPassword);
  await changePassword(page, server.adminPassword, ADMIN_NEW_PASSWORD);
  const authenticator = await enrolAuthenticator(page);
  await expectShell(page, 'Administrator');
  return authenticator;
}

/** A later sign-in of someone with an authenticator. */
export async function signInWithAuthenticator(page: Page, username: string, password: string, authenticator: Authenticator): Promise<void> {
  // Wait for a fresh code first, so the half-signed-in session does not sit idle meanwhile.
  const code = await nextTotp(authenticator);
  await signIn(page, username, password);
  await enterVerificationCode(page, code);
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  await heading(page, 'Sign in to Chartroom');
}

export async function openFromNavigation(page: Page, link: string, title: string | RegExp = link): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: link, exact: true }).click();
  await heading(page, title);
}

/** An administrator adds a user on the Users page; answers the temporary password shown once. */
export async function addUser(page: Page, user: { username: string; displayName: string; role: string }): Promise<string> {
  await openFromNavigation(page, 'Users');
  const form = page.getByRole('region', { name: 'Add a user' });
  await field(form, 'Username').fill(user.username);
  await field(form, 'Display name').fill(user.displayName);
  await form.getByRole('combobox', { name: 'Role' }).selectOption({ label: user.role });
  await form.getByRole('button', { name: 'Create user' }).click();
  const password = ((await page.getByTestId('temporary-password').textContent()) ?? '').trim();
  expect(password.length).toBeGreaterThanOrEqual(12);
  await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  return password;
}

/** The text of the alert on the page, once there is one. */
export async function alertText(page: Page): Promise<string> {
  const alert = page.getByRole('alert').first();
  await alert.waitFor();
  return (await alert.textContent()) ?? '';
}

/** What an API call made from the page answered. */
export interface ApiAnswer<T> {
  status: number;
  body: T;
}

/**
 * A request to the API from a signed-in page, as the web app makes it: the session cookie, and the
 * CSRF token on writes. For arranging what a test needs, not for what the test is about.
 */
export async function callApi<T = Record<string, unknown>>(page: Page, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<ApiAnswer<T>> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const session = (await (await fetch('/api/auth/session')).json()) as { csrfToken: string };
      const response = await fetch(path, {
        method,
        headers: { Accept: 'application/json', 'X-CSRF-Token': session.csrfToken, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
    },
    { method, path, body },
  );
}

/** A registered patient as a test keeps it. */
export interface RegisteredPatient {
  id: string;
  mrn: string;
  version: number;
}

/** Registers a patient through the API as the person signed in on the page (a reason when the MPI suspects a duplicate). */
export async function registerPatientThroughApi(page: Page, demographics: object, duplicateReason?: string): Promise<RegisteredPatient> {
  const answer = await callApi<{ patient: RegisteredPatient }>(page, 'POST', '/api/patients', { ...demographics, ...(duplicateReason ? { duplicateReason } : {}) });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  const { id, mrn, version } = answer.body.patient;
  return { id, mrn, version };
}

// What GET /api/patients/:id adds to the demographics; PUT takes the demographics only.
const VIEW_ONLY_FIELDS = ['id', 'mrn', 'version', 'status', 'mergedInto', 'ssnLast4', 'hasDriversLicence', 'legalHoldReason', 'aliasMrns', 'deceased', 'createdAt', 'updatedAt'];

/** Someone else changes a patient's record through the API (the version they read, then their change). */
export async function changePatientThroughApi(page: Page, id: string, change: object, reason?: string): Promise<number> {
  const read = await callApi<{ patient: Record<string, unknown> & { version: number } }>(page, 'GET', `/api/patients/${id}`);
  expect(read.status, JSON.stringify(read.body)).toBe(200);
  const demographics = Object.fromEntries(Object.entries(read.body.patient).filter(([key]) => !VIEW_ONLY_FIELDS.includes(key)));
  const saved = await callApi<{ patient: { version: number } }>(page, 'PUT', `/api/patients/${id}`, {
    version: read.body.patient.version,
    patient: { ...demographics, ...change },
    ...(reason ? { reason } : {}),
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  return saved.body.patient.version;
}

/** Signs in someone whose role needs no second step, in a fresh profile, and waits for the shell. */
export async function openSignedIn(browser: Browser, server: TestServer, user: { username: string; password: string; displayName: string }): Promise<Page> {
  const page = await openPage(browser, server);
  await signIn(page, user.username, user.password);
  await expectShell(page, user.displayName);
  return page;
}

/**
 * Signs in someone whose role needs two-step verification for the first time, in a fresh profile:
 * enrols an authenticator at the prompt and waits for the shell.
 */
export async function openSignedInEnrolling(browser: Browser, server: TestServer, user: { username: string; password: string; displayName: string }): Promise<Page> {
  const page = await openPage(browser, server);
  await signIn(page, user.username, user.password);
  await enrolAuthenticator(page);
  await expectShell(page, user.displayName);
  return page;
}

/** Types into the patient search box and presses Enter, as a clerk does; waits for the answer. */
export async function searchPatients(page: Page, text: string): Promise<void> {
  const box = field(page, 'Search patients');
  await box.fill(text);
  await Promise.all([
    page.waitForResponse((response) => new URL(response.url()).pathname === '/api/patients' && response.request().method() === 'GET'),
    box.press('Enter'),
  ]);
}

/** The MRN the patient banner shows. */
export async function bannerMrn(page: Page): Promise<string> {
  const banner = page.getByTestId('patient-banner');
  await banner.waitFor();
  const match = /MRN ([A-Z]*\d+)/.exec((await banner.textContent()) ?? '');
  if (!match) throw new Error('The banner shows no MRN.');
  return match[1];
}

/** Presses Tab until the focused element has this accessible text, as a keyboard user would. */
export async function tabTo(page: Page, text: string, maxPresses = 60): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    if (focused === text) return;
  }
  throw new Error(`Tab never reached "${text}"`);
}
