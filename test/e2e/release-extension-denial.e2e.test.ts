import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserOn } from '../support/accounts.js';
import { patientInput } from '../support/patients.js';
import { pdfText } from '../support/pdf-text.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNoAxeViolations, launchBrowser } from './browser.js';
import { callApi, E2E_TIMEOUT, field, heading, openSignedIn, openSignedInEnrolling, registerPatientThroughApi, type RegisteredPatient } from './steps.js';

const CLERK = { username: 'ldubois', displayName: 'Lucie Dubois', password: 'Breakwater lamp 64 q' };
const SUPERVISOR = { username: 'okwame', displayName: 'Kwame Osei', password: 'Tidewater chart 29 q' };
const REVIEWER = { username: 'mfitz', displayName: 'Maeve Fitzgerald', password: 'Lighthouse keel 47 q' };

const DAY_MS = 86_400_000;
/** A YYYY-MM-DD date `days` calendar days after `date` (the server counts in UTC days too). */
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const todayUtc = () => new Date().toISOString().slice(0, 10);

const actions = (page: Page) => page.getByRole('group', { name: 'Request actions' });
const status = (page: Page) => page.getByTestId('request-status');
/** The value beside a label in one titled section of the request page. */
const fact = (page: Page, section: string, label: string): Locator =>
  page.getByRole('region', { name: section }).locator('dt', { hasText: new RegExp(`^${label}$`) }).locator('xpath=following-sibling::dd[1]');
const letterLinks = (page: Page) => page.getByRole('region', { name: 'Letters' }).getByRole('link');

/** Logs a patient's own right-of-access request through the API (the wizard has its own browser test). */
async function logRightOfAccess(page: Page, patient: RegisteredPatient, receivedOn: string): Promise<string> {
  const logged = await callApi<{ request: { id: string } }>(page, 'POST', '/api/release/requests', {
    patientId: patient.id, receivedOn, channel: 'mail',
    requester: { kind: 'patient', name: 'Ines Marchetti', address: '8 Pier Road, Portland ME 04101' }, basis: { kind: 'right-of-access' },
    identityVerification: { method: 'photo-id' }, scope: { wholeRecordSet: true }, format: 'paper',
    delivery: { method: 'mail', address: '8 Pier Road, Portland ME 04101' },
  });
  expect(logged.status, JSON.stringify(logged.body)).toBe(201);
  return logged.body.request.id;
}

async function openRequest(page: Page, server: TestServer, id: string): Promise<void> {
  await page.goto(new URL(`/release/${id}`, server.url).href);
  await heading(page, 'Request for records');
}

/**
 * Opens a letter from the request's Letters as a clerk does (a new tab): the link must answer a PDF.
 * Answers the letter's text, its lines joined as the paragraphs were wrapped.
 */
async function openLetter(page: Page, name: RegExp): Promise<string> {
  const link = letterLinks(page).filter({ hasText: name });
  const href = await link.getAttribute('href');
  expect(href).toMatch(/^\/api\/release\/requests\/[^/]+\/letters\/[^/]+$/);
  const [answer, tab] = await Promise.all([
    page.context().waitForEvent('response', (response) => new URL(response.url()).pathname === href),
    page.context().waitForEvent('page'),
    link.click(),
  ]);
  expect(answer.status()).toBe(200);
  expect(answer.headers()['content-type']).toMatch(/^application\/pdf/);
  // Chromium hands the tab to its PDF viewer; fetch the same address with the same session for the bytes.
  const pdf = await page.context().request.get(answer.url());
  expect(pdf.status()).toBe(200);
  const bytes = await pdf.body();
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  await tab.close();
  return (await pdfText(new Uint8Array(bytes))).lines.join(' ');
}

describe('the extension of a right-of-access request, and the review of a denial', () => {
  let server: TestServer;
  let browser: Browser;
  let clerk: Page;
  let supervisor: Page;
  let reviewer: Page;
  let supervisorId: string;
  let patient: RegisteredPatient;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ config: { facilityName: 'Harbor General' } }), launchBrowser()]);
    await createUserOn(server, { ...CLERK, role: 'records_clerk' });
    supervisorId = await createUserOn(server, { ...SUPERVISOR, role: 'him_supervisor' });
    await createUserOn(server, { ...REVIEWER, role: 'privacy_officer' });
    clerk = await openSignedIn(browser, server, CLERK);
    supervisor = await openSignedInEnrolling(browser, server, SUPERVISOR);
    reviewer = await openSignedInEnrolling(browser, server, REVIEWER);
    patient = await registerPatientThroughApi(clerk, patientInput({ given: 'Ines', middle: undefined, family: 'Marchetti', sex: 'female' }));
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('extends the due date once by 30 days with a written notice, and refuses a second extension', async () => {
    const receivedOn = todayUtc();
    const id = await logRightOfAccess(clerk, patient, receivedOn);
    await openRequest(clerk, server, id);
    const dueBefore = (await fact(clerk, 'Deadline', 'Due').textContent()) ?? '';
    expect(dueBefore).toBe(addDays(receivedOn, 30));
    expect(await letterLinks(clerk).count()).toBe(0);

    await actions(clerk).getByRole('button', { name: 'Extend the due date' }).click();
    const dialog = clerk.getByRole('dialog', { name: 'Extend the due date' });
    const reason = 'The records from 2019 are in off-site storage and take three weeks to retrieve.';
    await field(dialog, 'Reason for the delay').fill(reason);
    await expectNoAxeViolations(clerk);
    await dialog.getByRole('button', { name: 'Extend and make the notice' }).click();
    await dialog.waitFor({ state: 'detached' });

    // The new due date is 30 days after the old one, and the page says why and who extended it (actors go by username).
    const dueAfter = addDays(dueBefore, 30);
    await expect.poll(() => fact(clerk, 'Deadline', 'Due').textContent()).toBe(dueAfter);
    expect(await fact(clerk, 'Deadline', 'Originally due').textContent()).toBe(dueBefore);
    expect(await fact(clerk, 'Deadline', 'Extension').textContent()).toBe(`${reason} (by ${CLERK.username})`);
    await clerk.getByTestId('request-history').getByText(`Due date moved from ${dueBefore} to ${dueAfter}`).waitFor();

    // The notice is among the request's letters, and its link answers the PDF giving the reason and the new date.
    expect(await letterLinks(clerk).allTextContents()).toEqual([expect.stringMatching(/^Extension notice \(/)]);
    const notice = await openLetter(clerk, /^Extension notice \(/);
    expect(notice).toContain('Notice of extension of time');
    expect(notice).toContain(reason);
    expect(notice).toContain(`We will act on your request no later than ${dueAfter}.`);

    // A second extension is not offered, and the server refuses one in words.
    expect(await actions(clerk).getByRole('button', { name: 'Extend the due date' }).count()).toBe(0);
    const again = await callApi<{ code: string; detail: string }>(clerk, 'POST', `/api/release/requests/${id}/extension`, { reason: 'Still waiting for storage.' });
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('release.extension');
    expect(again.body.detail).toBe('The request was extended once already; the rule allows one extension.');
    await clerk.reload();
    await heading(clerk, 'Request for records');
    expect(await fact(clerk, 'Deadline', 'Due').textContent()).toBe(dueAfter);
    await expectNoAxeViolations(clerk);
  }, E2E_TIMEOUT);

  it('refuses, in words, an extension asked for after the first 30 days', async () => {
    const receivedOn = addDays(todayUtc(), -35);
    const id = await logRightOfAccess(clerk, patient, receivedOn);
    await openRequest(clerk, server, id);
    const due = (await fact(clerk, 'Deadline', 'Due').textContent()) ?? '';
    expect(due).toBe(addDays(receivedOn, 30));

    await actions(clerk).getByRole('button', { name: 'Extend the due date' }).click();
    const dialog = clerk.getByRole('dialog', { name: 'Extend the due date' });
    await field(dialog, 'Reason for the delay').fill('The chart was misfiled.');
    await dialog.getByRole('button', { name: 'Extend and make the notice' }).click();
    const problem = dialog.getByRole('alert');
    await problem.waitFor();
    expect(await problem.getByTestId('problem-fields').locator('li').allTextContents()).toEqual([
      'The extension notice must go out within the first 30 days (and before the due date).',
    ]);
    await expectNoAxeViolations(clerk);

    // Nothing changed: the same due date, no notice.
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await fact(clerk, 'Deadline', 'Due').textContent()).toBe(due);
    expect(await fact(clerk, 'Deadline', 'Extension').count()).toBe(0);
    expect(await letterLinks(clerk).count()).toBe(0);
  }, E2E_TIMEOUT);

  it('denies on a reviewable ground with a letter of rights, and a licensed reviewer who took no part overturns the denial', async () => {
    const id = await logRightOfAccess(clerk, patient, todayUtc());
    await openRequest(supervisor, server, id);
    await expect.poll(() => status(supervisor).textContent()).toBe('Logged');

    // The supervisor denies on the endangerment ground of 164.524(a)(3), which the patient may have reviewed.
    await actions(supervisor).getByRole('button', { name: 'Deny', exact: true }).click();
    const deny = supervisor.getByRole('dialog', { name: 'Deny the request' });
    await deny.getByRole('combobox', { name: 'Ground' }).selectOption({
      label: 'Likely to endanger the life or physical safety of the patient or another (45 CFR 164.524(a)(3)(i)) — reviewable',
    });
    const explanation = 'The treating psychiatrist judged that access now is likely to endanger the patient.';
    await field(deny, 'Explanation for the letter').fill(explanation);
    await expectNoAxeViolations(supervisor);
    await deny.getByRole('button', { name: 'Deny and make the letter' }).click();
    await deny.waitFor({ state: 'detached' });
    await expect.poll(() => status(supervisor).textContent()).toBe('Denied');
    expect(await fact(supervisor, 'Denial', 'Denied by').textContent()).toBe(SUPERVISOR.username);
    await expect.poll(() => fact(supervisor, 'Denial', 'Ground').textContent()).toBe('Likely to endanger the life or physical safety of the patient or another (45 CFR 164.524(a)(3)(i); reviewable)');
    expect(await fact(supervisor, 'Denial', 'Explanation').textContent()).toBe(explanation);

    // The denial letter is listed and states the ground, the right to a review, and how to complain.
    expect(await letterLinks(supervisor).allTextContents()).toEqual([expect.stringMatching(/^Denial letter \(/)]);
    const letter = await openLetter(supervisor, /^Denial letter \(/);
    expect(letter).toContain('Likely to endanger the life or physical safety of the patient or another (45 CFR 164.524(a)(3)(i)).');
    expect(letter).toContain(explanation);
    expect(letter).toContain('You may ask that this denial be reviewed by a licensed health care professional chosen by us who did not take part in it');
    expect(letter).toContain('Office for Civil Rights');

    // The one who denied is not offered as the reviewer; the server refuses them in words too.
    await actions(supervisor).getByRole('button', { name: 'Send denial for review' }).click();
    const send = supervisor.getByRole('dialog', { name: 'Send the denial for review' });
    const reviewerChoice = send.getByRole('combobox', { name: 'Reviewer' });
    await reviewerChoice.locator('option', { hasText: REVIEWER.displayName }).waitFor({ state: 'attached' });
    const offered = await reviewerChoice.locator('option').allTextContents();
    expect(offered).toContain(REVIEWER.displayName);
    expect(offered).not.toContain(SUPERVISOR.displayName);
    const self = await callApi<{ code: string; detail: string }>(supervisor, 'POST', `/api/release/requests/${id}/denial/review-request`, { reviewerId: supervisorId });
    expect(self.status).toBe(409);
    expect(self.body.code).toBe('release.review');
    expect(self.body.detail).toBe('The reviewer must be someone who took no part in the denial.');
    expect(await send.getByRole('button', { name: 'Send for review' }).isDisabled()).toBe(true);
    await reviewerChoice.selectOption({ label: REVIEWER.displayName });
    await expectNoAxeViolations(supervisor);
    await send.getByRole('button', { name: 'Send for review' }).click();
    await send.waitFor({ state: 'detached' });
    await expect.poll(() => fact(supervisor, 'Denial', 'Review').textContent()).toBe(`${REVIEWER.displayName}: waiting`);

    // The denier holds release.review, but the decision is not theirs to record, on the page or through the API.
    expect(await actions(supervisor).getByRole('button', { name: 'Record the review decision' }).count()).toBe(0);
    expect(await actions(supervisor).getByRole('button', { name: 'Send denial for review' }).count()).toBe(0);
    const denierDecides = await callApi<{ detail: string }>(supervisor, 'POST', `/api/release/requests/${id}/denial/review`, { decision: 'upheld', licence: 'RHIA 55102' });
    expect(denierDecides.status).toBe(403);
    expect(denierDecides.body.detail).toBe('The person who denied the request cannot review the denial.');
    await expectNoAxeViolations(supervisor);

    // The reviewer records the decision with their licence.
    await openRequest(reviewer, server, id);
    await expect.poll(() => fact(reviewer, 'Denial', 'Review').textContent()).toBe(`${REVIEWER.displayName}: waiting`);
    await actions(reviewer).getByRole('button', { name: 'Record the review decision' }).click();
    const review = reviewer.getByRole('dialog', { name: 'Review of the denial' });
    await review.getByRole('combobox', { name: 'Decision' }).selectOption({ label: 'Overturn the denial' });
    await field(review, 'Your licence').fill('MD ME-55012');
    await field(review, 'Note').fill('Access with a clinician present is safe.');
    await expectNoAxeViolations(reviewer);
    await review.getByRole('button', { name: 'Record the decision' }).click();
    await review.waitFor({ state: 'detached' });

    // The page shows the outcome: overturned, the request back to validated, the decision letter listed.
    await expect.poll(() => fact(reviewer, 'Denial', 'Review').textContent()).toBe(`${REVIEWER.displayName}: overturned`);
    expect(await status(reviewer).textContent()).toBe('Validated');
    expect(await actions(reviewer).getByRole('button', { name: 'Record the review decision' }).count()).toBe(0);
    await reviewer.getByTestId('request-history').getByText('Denied → Validated: Denial overturned on review').waitFor();
    const decision = await openLetter(reviewer, /^Denial review decision \(/);
    expect(decision).toContain('has reviewed it and overturned it. We will now act on your request.');
    await expectNoAxeViolations(reviewer);

    // The denier sees the same outcome.
    await supervisor.reload();
    await heading(supervisor, 'Request for records');
    await expect.poll(() => fact(supervisor, 'Denial', 'Review').textContent()).toBe(`${REVIEWER.displayName}: overturned`);
    expect(await status(supervisor).textContent()).toBe('Validated');
  }, E2E_TIMEOUT);
});
