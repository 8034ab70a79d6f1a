import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { fieldOf, openSender, sampleMessage } from '../support/hl7.js';
import { expectNoAxeViolations, launchBrowser } from './browser.js';
import { createUserOn } from '../support/accounts.js';
import { E2E_TIMEOUT, field, openFromNavigation, openSignedInEnrolling } from './steps.js';

const SUPERVISOR = { username: 'imogen.supervisor', displayName: 'Imogen Hale', password: 'Interface duty rota 7' };

const A28 = 'microsoft-fhir-converter/ADT-A28-01.hl7';

describe('interface monitor', () => {
  let server: TestServer;
  let browser: Browser;
  let supervisor: Page;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    // A sender's good message, and one without PID-7 (date of birth), over MLLP.
    const sender = await openSender(server.running.hl7Port);
    const good = await sender.send(sampleMessage(A28, { controlId: 'WEB-OK-1', replace: [['PATID1234^5', 'P-WEB-1^5']] }));
    const bad = await sender.send(sampleMessage(A28, {
      controlId: 'WEB-BAD-1', replace: [['PATID1234^5', 'P-WEB-2^5'], ['EVERYMAN&&&&Aniston', 'LACKSDATE&&&&Aniston'], ['|198808181126+0215|M|', '||M|']],
    }));
    expect([fieldOf(good, 'MSA', 1), fieldOf(bad, 'MSA', 1)]).toEqual(['AA', 'AE']);
    await sender.close();
    // The HIM supervisor both manages interfaces and reads patients: what correcting a message takes.
    await createUserOn(server, { ...SUPERVISOR, role: 'him_supervisor' });
    supervisor = await openSignedInEnrolling(browser, server, SUPERVISOR);
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lists failed messages with their error, and lets a supervisor correct one and reprocess it', async () => {
    await openFromNavigation(supervisor, 'Interfaces');
    const table = supervisor.getByTestId('hl7-messages');
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(2);
    await expectNoAxeViolations(supervisor);

    const form = supervisor.getByRole('form', { name: 'Filter messages' });
    await form.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Error' });
    await Promise.all([
      supervisor.waitForResponse((r) => new URL(r.url()).pathname === '/api/interfaces/hl7/messages' && new URL(r.url()).searchParams.get('status') === 'error'),
      form.getByRole('button', { name: 'Apply filters' }).click(),
    ]);
    const rows = table.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('101 at PID^1^7: PID-7 (date of birth) is required.');

    await supervisor.getByRole('button', { name: 'Open message WEB-BAD-1' }).click();
    const panel = supervisor.getByRole('region', { name: /Message WEB-BAD-1/ });
    await panel.getByText('HL7 error 101 at PID^1^7').waitFor();
    const text = field(panel, 'Message text (HL7)');
    const raw = await text.inputValue();
    expect(raw).toContain('LACKSDATE');
    await text.fill(raw.replace('||M|', '|19880818|M|'));
    await expectNoAxeViolations(supervisor);
    await panel.getByRole('button', { name: 'Reprocess corrected message' }).click();
    await supervisor.getByRole('status').filter({ hasText: 'Reprocessed: Processed.' }).waitFor();
    await supervisor.getByRole('region', { name: /Message WEB-BAD-1 \(Processed\)/ }).waitFor();

    // The original stays, marked corrected; the correction is a processed message of its own.
    await form.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => rows.count()).toBe(3);
    const statuses = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status')));
    expect(statuses.sort()).toEqual(['error', 'processed', 'processed']);
    await expectNoAxeViolations(supervisor);
  }, E2E_TIMEOUT);
});
