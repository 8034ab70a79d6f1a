import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserOn } from '../support/accounts.js';
import { patientInput } from '../support/patients.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNoAxeViolations, launchBrowser } from './browser.js';
import { E2E_TIMEOUT, field, heading, openFromNavigation, openSignedIn, registerPatientThroughApi, searchPatients, type RegisteredPatient } from './steps.js';

const CLERK = { username: 'kclerk', displayName: 'Kai Clerk', password: 'Birch canoe 2026 w' };
const NURSE = { username: 'nnurse', displayName: 'Noor Nurse', password: 'Tidal pool 4412 v' };

describe('a restricted patient’s record', () => {
  let server: TestServer;
  let browser: Browser;
  let patient: RegisteredPatient;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    await createUserOn(server, { ...CLERK, role: 'records_clerk' });
    await createUserOn(server, { ...NURSE, role: 'nurse' });
    const clerk = await openSignedIn(browser, server, CLERK);
    patient = await registerPatientThroughApi(clerk, patientInput({
      given: 'Celeste', middle: undefined, family: 'Marlowe', birthDate: '1979-11-02', sex: 'female', ssn: undefined,
      email: undefined, contacts: [], flags: { vip: true, employee: false, restricted: true, doNotRelease: false },
    }));
    await clerk.context().close();
  }, E2E_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('opens for a nurse only after she breaks the glass with a reason', async () => {
    const nurse = await openSignedIn(browser, server, NURSE);
    await openFromNavigation(nurse, 'Patients');
    await searchPatients(nurse, 'Marlowe, Celeste');
    const row = nurse.getByTestId(`patient-result-${patient.mrn}`);
    await row.getByText('Restricted').waitFor();
    await row.getByRole('link', { name: patient.mrn }).click();

    await heading(nurse, 'This record is restricted');
    await expectNoAxeViolations(nurse);
    // Nothing of the record shows before the glass is broken.
    expect(await nurse.getByText(/MARLOWE/).count()).toBe(0);
    const reason = field(nurse, 'Reason for emergency access');
    await reason.fill('urgent');
    await nurse.getByRole('button', { name: 'Open the record in an emergency' }).click();
    await nurse.getByText('Give a reason of at least 10 characters.').waitFor();

    await reason.fill('Patient in the emergency department; allergy history needed for treatment');
    await nurse.getByRole('button', { name: 'Open the record in an emergency' }).click();
    await heading(nurse, 'MARLOWE, Celeste');
    await nurse.getByTestId('patient-banner').getByText('Restricted').waitFor();
    await nurse.getByTestId('patient-banner').getByText('VIP').waitFor();
    await expectNoAxeViolations(nurse);
  }, E2E_TIMEOUT);
});
