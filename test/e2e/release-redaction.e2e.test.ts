import type { Browser, Locator, Page } from 'playwright-core';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserOn } from '../support/accounts.js';
import { patientInput } from '../support/patients.js';
import { pdfPageTexts } from '../support/pdf-text.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNoAxeViolations, launchBrowser } from './browser.js';
import { fileFinalDocument, ownRequestInProcess } from './release-steps.js';
import { E2E_TIMEOUT, field, heading, openSignedIn, registerPatientThroughApi } from './steps.js';

const CLERK = { username: 'mokafor', displayName: 'Miriam Okafor', password: 'Estuary kestrel 27 q' };

// Each line of the scanned note, at its baseline in points from the page's top (Helvetica 14 on a letter page).
const LINES = {
  diagnosis: { page: 1, text: 'Diagnosis: HIV positive', baseline: 92 },
  followUp: { page: 1, text: 'Follow-up in two weeks', baseline: 192 },
  partner: { page: 1, text: 'Partner: Jonah Reyes', baseline: 292 },
  referral: { page: 2, text: 'Counselling referral sent', baseline: 92 },
  allergies: { page: 2, text: 'Allergies: penicillin', baseline: 192 },
} as const;
const PAGE = { width: 612, height: 792 };

/** A two-page note with the lines above, drawn where LINES says. */
async function noteWithKnownText(): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const pages = [pdf.addPage([PAGE.width, PAGE.height]), pdf.addPage([PAGE.width, PAGE.height])];
  for (const line of Object.values(LINES)) pages[line.page - 1].drawText(line.text, { x: 72, y: PAGE.height - line.baseline, size: 14, font });
  return Buffer.from(await pdf.save());
}

/** A box in points around a line: from a little left of its start, from above its capitals to below its descenders. */
const around = (line: { baseline: number }) => ({ x: 60, y: line.baseline - 20, width: 280, height: 28 });

/** Waits until the page image on the canvas has loaded and may be drawn on. */
async function canvasReady(page: Page, n: number, of: number): Promise<Locator> {
  await expect.poll(() => page.getByTestId('redaction-page').textContent()).toBe(`Page ${n} of ${of}`);
  const surface = page.locator('[data-testid="redaction-surface"][aria-busy="false"]');
  await surface.waitFor();
  const image = surface.getByRole('img', { name: `Page ${n} of Progress note (2026-11-20), to draw redaction boxes on` });
  await image.waitFor();
  return image;
}

/** Drags the mouse across the page image over a box given in points, from one corner to the opposite one. */
async function drawBox(page: Page, image: Locator, box: { x: number; y: number; width: number; height: number }, from: 'top-left' | 'bottom-right' = 'top-left') {
  await image.scrollIntoViewIfNeeded();
  const shown = (await image.boundingBox())!;
  const at = (x: number, y: number) => [shown.x + (x * shown.width) / PAGE.width, shown.y + (y * shown.height) / PAGE.height] as const;
  const topLeft = at(box.x, box.y);
  const bottomRight = at(box.x + box.width, box.y + box.height);
  const [start, end] = from === 'top-left' ? [topLeft, bottomRight] : [bottomRight, topLeft];
  await page.mouse.move(...start);
  await page.mouse.down();
  await page.mouse.move(...end, { steps: 8 });
  await page.mouse.up();
}

describe('redaction boxes drawn on the page previews', () => {
  let server: TestServer;
  let browser: Browser;
  let clerk: Page;
  let requestId: string;
  let original: Buffer;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ config: { facilityName: 'Harbor General' } }), launchBrowser()]);
    const clerkId = await createUserOn(server, { ...CLERK, role: 'records_clerk' });
    clerk = await openSignedIn(browser, server, CLERK);
    // Tall enough that a whole page preview fits below the header, so the mouse reaches every point of it.
    await clerk.setViewportSize({ width: 1280, height: 1400 });
    const patient = await registerPatientThroughApi(clerk, patientInput({ family: 'Achebe' }));
    original = await noteWithKnownText();
    await fileFinalDocument(server, { id: clerkId, username: CLERK.username, role: 'records_clerk' }, patient.id, { typeCode: '11506-3', title: 'Progress note', bytes: original });
    requestId = await ownRequestInProcess(clerk, patient.id, { name: 'Chidi Achebe', email: 'chidi@example.org' });
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a clerk draws boxes with the mouse (and types one in), and the packet no longer holds what lay under them', async () => {
    // The note holds every line before anything is redacted, so each "gone" below can fail.
    const before = pdfPageTexts(original);
    for (const line of Object.values(LINES)) expect(before[line.page - 1]).toContain(line.text);

    await clerk.goto(new URL(`/release/${requestId}`, server.url).href);
    await heading(clerk, 'Request for records');
    const shaded = clerk.getByTestId('redaction-box');

    let image = await canvasReady(clerk, 1, 2);
    await drawBox(clerk, image, around(LINES.diagnosis));
    await expect.poll(() => shaded.count()).toBe(1);
    // A second box, over a line that must stay: removed again below.
    await drawBox(clerk, image, around(LINES.followUp));
    await expect.poll(() => shaded.count()).toBe(2);

    await clerk.getByRole('button', { name: 'Next page' }).click();
    image = await canvasReady(clerk, 2, 2);
    expect(await shaded.count()).toBe(0);
    await drawBox(clerk, image, around(LINES.referral), 'bottom-right');
    await expect.poll(() => shaded.count()).toBe(1);

    // Every page's boxes are kept while the clerk moves between pages.
    await clerk.getByRole('button', { name: 'Previous page' }).click();
    await canvasReady(clerk, 1, 2);
    await expect.poll(() => shaded.count()).toBe(2);
    const list = clerk.getByTestId('redaction-list');
    await expect.poll(() => list.getByRole('row').count()).toBe(4);
    await list.getByRole('button', { name: 'Remove redaction 2' }).click();
    await expect.poll(() => list.getByRole('row').count()).toBe(3);
    await expect.poll(() => shaded.count()).toBe(1);

    // The keyboard way: a box entered by its position.
    await clerk.getByRole('button', { name: 'Enter a box by its position' }).focus();
    await clerk.keyboard.press('Enter');
    const typed = clerk.getByRole('group', { name: 'Enter a box by its position' });
    await typed.waitFor();
    const partnerBox = around(LINES.partner);
    await field(typed, 'Page').fill('1');
    await field(typed, 'From the left (points)').fill(String(partnerBox.x));
    await field(typed, 'From the top (points)').fill(String(partnerBox.y));
    await field(typed, 'Width (points)').fill(String(partnerBox.width));
    await field(typed, 'Height (points)').fill(String(partnerBox.height));
    await typed.getByRole('button', { name: 'Add this box' }).focus();
    await clerk.keyboard.press('Enter');
    await expect.poll(() => list.getByRole('row').count()).toBe(4);
    await expect.poll(() => shaded.count()).toBe(2);
    await expectNoAxeViolations(clerk);

    const [sent] = await Promise.all([
      clerk.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === `/api/release/requests/${requestId}/packet`),
      clerk.getByRole('button', { name: 'Build packet' }).click(),
    ]);
    // The boxes drawn in pixels reach the server in points, where they were drawn.
    const redactions = (sent.postDataJSON() as { redactions: { documentId: string; page: number; x: number; y: number; width: number; height: number }[] }).redactions;
    expect(redactions.map((r) => r.page)).toEqual([1, 2, 1]);
    for (const [i, line] of [LINES.diagnosis, LINES.referral].entries()) {
      const want = around(line);
      for (const key of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(redactions[i][key] - want[key]), `redactions[${i}].${key}`).toBeLessThan(1.5);
    }
    expect(redactions[2]).toMatchObject(partnerBox);
    await expect.poll(() => clerk.getByTestId('packet-status').textContent()).toMatch(/3 pages: Waiting for quality check/);

    const pdf = await clerk.request.get(new URL(`/api/release/requests/${requestId}/packet/pdf`, server.url).href);
    expect(pdf.status()).toBe(200);
    const [, page1, page2] = pdfPageTexts(await pdf.body());
    expect(page1).not.toContain(LINES.diagnosis.text);
    expect(page1).not.toContain(LINES.partner.text);
    expect(page1).toContain(LINES.followUp.text);
    expect(page2).not.toContain(LINES.referral.text);
    expect(page2).toContain(LINES.allergies.text);
  }, E2E_TIMEOUT);
});
