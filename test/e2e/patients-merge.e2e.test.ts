import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserOn } from '../support/accounts.js';
import { patientInput } from '../support/patients.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNoAxeViolations, launchBrowser } from './browser.js';
import {
  changePatientThroughApi, E2E_TIMEOUT, field, heading, openFromNavigation, openSignedInEnrolling, registerPatientThroughApi, type RegisteredPatient,
} from './steps.js';

const SUPERVISOR = { username: 'hsuper', displayName: 'Hana Supervisor', password: 'Lantern quay 2026 m' };

const twin = (given: string) =>
  patientInput({
    given, middle: undefined, family: 'Reyes', birthDate: '2001-06-15', sex: 'female', ssn: undefined, email: undefined,
    phones: [{ use: 'home', number: '(617) 555-0111' }],
    addresses: [{ use: 'home', line1: '40 Elm Street', city: 'Cambridge', state: 'MA', postalCode: '02139' }],
    contacts: [], coverages: [], race: [], ethnicity: undefined, maritalStatus: undefined,
  });

describe('resolving duplicate records', () => {
  let server: TestServer;
  let browser: Browser;
  let supervisor: Page;
  let william: RegisteredPatient;
  let bill: RegisteredPatient;
  let jordan: RegisteredPatient;
  let jamie: RegisteredPatient;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    await createUserOn(server, { ...SUPERVISOR, role: 'him_supervisor' });
    // The HIM supervisor's role needs two-step verification: set it up at the first sign-in.
    supervisor = await openSignedInEnrolling(browser, server, SUPERVISOR);

    william = await registerPatientThroughApi(supervisor, patientInput({ ssn: undefined }));
    // Registered under a garbled name, then corrected: only a scan of the index will notice the pair.
    bill = await registerPatientThroughApi(supervisor, patientInput({
      given: 'Wilbur', middle: undefined, family: 'Zeller', birthDate: '1971-01-01', ssn: undefined, email: undefined,
      phones: [{ use: 'mobile', number: '(207) 555-0190' }],
      addresses: [{ use: 'home', line1: '9 Quarry Road', city: 'Augusta', state: 'ME', postalCode: '04330' }],
      contacts: [], coverages: [{ payer: 'Anthem', memberId: 'ANT-555-1', subscriberRelationship: 'self', order: 1 }],
    }));
    await changePatientThroughApi(supervisor, bill.id, {
      given: 'Bill', family: 'Okafor', birthDate: '1958-04-12',
      phones: [{ use: 'mobile', number: '(207) 555-0142' }],
      addresses: [{ use: 'home', line1: '12 Harbor Lane', city: 'Portland', state: 'ME', postalCode: '04101', country: 'US' }],
    }, 'Name and birth date corrected from ID card');
    jordan = await registerPatientThroughApi(supervisor, twin('Jordan'));
    jamie = await registerPatientThroughApi(supervisor, twin('Jamie'), 'Twin sister of the patient on file');
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('scans the whole index and queues the pair it finds', async () => {
    await openFromNavigation(supervisor, 'Duplicates', 'Suspected duplicates');
    const open = supervisor.getByRole('table', { name: 'Suspected duplicates to review' });
    // The twins were queued at registration; the corrected record is not yet.
    await open.getByTestId(`pair-${jordan.mrn}-${jamie.mrn}`).waitFor();
    expect(await open.locator('tbody tr').count()).toBe(1);

    await supervisor.getByRole('button', { name: 'Scan the index' }).click();
    await supervisor.getByTestId('scan-status').getByText('Scan finished: 4 records checked, 1 new pair queued.').waitFor();
    const pair = open.getByTestId(`pair-${william.mrn}-${bill.mrn}`);
    await pair.waitFor();
    await pair.getByText('Index scan').waitFor();
    // Each pair shows its grade, probability and weight; the two pairs are told apart by them.
    const scores = await open.getByTestId('match-score').allTextContents();
    expect(scores).toHaveLength(2);
    for (const score of scores) expect(score).toMatch(/^(Certain|Probable|Possible)\d{1,3}\.\d% · weight -?\d+\.\d$/);
    expect(scores[0]).not.toBe(scores[1]);
    await expectNoAxeViolations(supervisor);
  }, E2E_TIMEOUT);

  it('merges the pair with a reason, and the surviving record answers to the retired MRN too', async () => {
    const queued = await supervisor.getByTestId(`pair-${william.mrn}-${bill.mrn}`).getByTestId('match-score').textContent();
    await supervisor.getByRole('link', { name: `Compare and merge ${william.mrn} and ${bill.mrn}` }).click();
    await heading(supervisor, 'Compare and merge');
    // The merge screen shows the pair's match as the queue did, with the fields that agree and disagree.
    const match = supervisor.getByTestId('pair-match');
    await expect.poll(() => match.getByTestId('match-score').textContent()).toBe(queued);
    await match.locator('[data-outcome="agree"]').getByText('Street address').waitFor();
    // The older MRN survives unless the supervisor chooses otherwise.
    expect(await supervisor.getByRole('radio', { name: new RegExp(`Record A: MRN ${william.mrn}`) }).isChecked()).toBe(true);
    const comparison = supervisor.getByRole('table', { name: 'Field by field comparison' });
    // Lists are joined: William's Medicare and the corrected record's Anthem coverage both stay.
    const coverages = comparison.locator('tr[data-field="coverages"][data-source="both"]');
    await coverages.locator('td').nth(2).getByText(/Medicare Part A/).waitFor();
    await coverages.locator('td').nth(2).getByText(/Anthem/).waitFor();
    await comparison.locator('tr[data-field="given"][data-source="survivor"]').getByText('William').first().waitFor();
    await expectNoAxeViolations(supervisor);

    const merge = supervisor.getByRole('button', { name: `Merge MRN ${bill.mrn} into MRN ${william.mrn}` });
    await merge.click();
    await supervisor.getByText('Say why these records are the same patient.').waitFor();
    await field(supervisor, 'Reason for the merge').fill('Same patient: same address and phone; name and birth date were mistyped at registration');
    await merge.click();

    await heading(supervisor, 'OKAFOR, William James');
    await supervisor.getByTestId('alias-mrns').getByText(`Also MRN ${bill.mrn}`).waitFor();
    const merges = supervisor.getByRole('table', { name: 'Merges of this record' });
    await merges.getByRole('link', { name: `MRN ${bill.mrn}` }).waitFor();
    await supervisor.getByText('Anthem').first().waitFor();
    await expectNoAxeViolations(supervisor);

    // The retired record says where it went.
    await merges.getByRole('link', { name: `MRN ${bill.mrn}` }).click();
    await supervisor.getByText(`Merged into MRN ${william.mrn}`).waitFor();
    await expectNoAxeViolations(supervisor);
    await supervisor.getByRole('link', { name: 'open the surviving record' }).click();
    await heading(supervisor, 'OKAFOR, William James');
  }, E2E_TIMEOUT);

  it('undoes the merge with a reason, giving the retired record its own MRN back', async () => {
    await supervisor.getByRole('button', { name: 'Undo merge' }).click();
    const dialog = supervisor.getByRole('dialog', { name: 'Undo merge' });
    await field(dialog, 'Reason for undoing the merge').fill('Merged in error: the birth certificate shows a different person');
    await expectNoAxeViolations(supervisor);
    await dialog.getByRole('button', { name: 'Undo merge' }).click();
    await dialog.waitFor({ state: 'detached' });
    await supervisor.getByTestId('alias-mrns').waitFor({ state: 'detached' });
    await supervisor.getByRole('table', { name: 'Merges of this record' }).getByText(/Undone/).waitFor();

    await supervisor.goto(new URL(`/patients/${bill.id}`, server.url).href);
    await heading(supervisor, 'OKAFOR, Bill');
    expect(await supervisor.getByText(/Merged into MRN/).count()).toBe(0);
  }, E2E_TIMEOUT);

  it('marks the twins as two different patients, and their pair leaves the open queue', async () => {
    await openFromNavigation(supervisor, 'Duplicates', 'Suspected duplicates');
    const open = supervisor.getByRole('table', { name: 'Suspected duplicates to review' });
    await supervisor.getByRole('button', { name: `Not a duplicate: ${jordan.mrn} and ${jamie.mrn}` }).click();
    const dialog = supervisor.getByRole('dialog', { name: 'Not a duplicate' });
    await field(dialog, 'Note').fill('Twins: confirmed with their mother at the front desk');
    await expectNoAxeViolations(supervisor);
    await dialog.getByRole('button', { name: 'Mark as not a duplicate' }).click();
    await dialog.waitFor({ state: 'detached' });
    await supervisor.getByText('No suspected duplicates are waiting. Scan the index to look for more.').waitFor();
    expect(await open.count()).toBe(0);

    await supervisor.getByRole('tab', { name: 'Not duplicates' }).click();
    const decided = supervisor.getByRole('table', { name: 'Pairs found to be different patients' });
    await decided.getByTestId(`pair-${jordan.mrn}-${jamie.mrn}`).getByText('Twins: confirmed with their mother at the front desk').waitFor();
    await expectNoAxeViolations(supervisor);
  }, E2E_TIMEOUT);
});
