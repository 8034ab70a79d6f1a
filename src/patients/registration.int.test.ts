import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/support/chartroom.js';
import { auditEventsWhere, expectProblem, fieldsOf, send, signedInUser, useTestApp, type SignedInUser } from '../../test/support/http.js';
import { patientInput } from '../../test/support/patients.js';
import { isValidMrn } from './mrn.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: registering patients`, () => {
    const { app, ctx } = useTestApp(dialect);
    let clerk: SignedInUser;
    const register = (body: object) => send(app(), clerk.session, 'POST', '/api/patients', body);

    it('assigns a valid MRN, keeps only the SSN last four in view, seals the SSN, and audits the creation', async () => {
      clerk = await signedInUser(app(), ctx(), 'reg.clerk', 'records_clerk');
      const res = await register(patientInput());
      expect(res.statusCode, res.body).toBe(201);
      const { patient } = res.json();
      expect(isValidMrn('M', patient.mrn)).toBe(true);
      expect(patient).toMatchObject({ given: 'William', family: 'Okafor', version: 1, ssnLast4: '9999', status: 'active' });
      expect(res.body).not.toContain('219-09-9999');
      expect(res.body).not.toContain('219099999');
      const row = await ctx().db.selectFrom('patients').selectAll().where('id', '=', patient.id).executeTakeFirstOrThrow();
      expect(row.ssnSealed).toMatch(/^v1:/);
      expect(JSON.stringify(row)).not.toContain('219099999');
      const [created] = await auditEventsWhere(ctx(), { action: 'create', patientId: patient.id });
      expect(created).toMatchObject({ actorName: 'reg.clerk', recordType: 'patient', outcome: 'success' });
    });

    it('names each bad field: future birth date, death before birth, SSN, phone, e-mail, ZIP', async () => {
      const cases: [object, string][] = [
        [{ birthDate: '2099-01-01' }, 'birthDate'],
        [{ birthDate: '1990-02-30' }, 'birthDate'],
        [{ deathDate: '1950-01-01' }, 'deathDate'],
        [{ ssn: '000-12-3456' }, 'ssn'],
        [{ phones: [{ use: 'home', number: '555-01' }] }, 'phones.0.number'],
        [{ email: 'not-an-email' }, 'email'],
        [{ addresses: [{ use: 'home', line1: '1 Main St', city: 'Boston', postalCode: '0211' }] }, 'addresses.0.postalCode'],
      ];
      for (const [override, field] of cases) {
        const problem = expectProblem(await register(patientInput({ family: 'Distinct', given: 'Nobody', ssn: undefined, phones: [], email: undefined, ...override })), 400, 'request.invalid');
        expect(fieldsOf(problem)).toContain(field);
      }
      const { n } = await ctx().db.selectFrom('patients').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(n)).toBe(1);
    });

    it('shows likely matches before creating a second record, and creates it only with a reason', async () => {
      const again = patientInput({ given: 'Bill', ssn: undefined, email: undefined });
      const refused = expectProblem(await register(again), 409, 'patient.duplicate-suspected') as unknown as { candidates: { patientId: string; mrn: string; grade: string; score: number; fields: { field: string; outcome: string }[] }[] };
      expect(refused.candidates).toHaveLength(1);
      const shown = (await auditEventsWhere(ctx(), { action: 'read', patientId: refused.candidates[0].patientId })).filter((e) => e.recordType === 'match_candidate');
      expect(shown).toHaveLength(1);
      expect(['certain', 'probable']).toContain(refused.candidates[0].grade);
      expect(refused.candidates[0].fields.find((f) => f.field === 'given')?.outcome).toBe('partial');

      const forced = await register({ ...again, duplicateReason: 'Patient insists he is a different William; will verify ID at discharge' });
      expect(forced.statusCode, forced.body).toBe(201);
      const created = (await auditEventsWhere(ctx(), { action: 'create', patientId: forced.json().patient.id }))[0];
      expect(created.reason).toMatch(/different William/);
      const queued = await ctx().db.selectFrom('duplicateCandidates').selectAll().where('status', '=', 'open').execute();
      expect(queued).toHaveLength(1);
      expect(queued[0].foundBy).toBe('registration');
    });

    it('offers live candidates for a form being typed', async () => {
      const shownBefore = (await auditEventsWhere(ctx(), { action: 'read', actorName: 'reg.clerk' })).length;
      const res = await send(app(), clerk.session, 'POST', '/api/patients/match-candidates', patientInput({ given: 'Wiliam', ssn: undefined }));
      expect(res.statusCode, res.body).toBe(200);
      const candidates = res.json().candidates as { patientId: string; middle: string | null }[];
      expect(candidates.length).toBeGreaterThanOrEqual(1);
      expect(candidates[0].middle).toBe('James');
      // Showing a candidate shows another patient's name and birth date: an audited read.
      const shown = (await auditEventsWhere(ctx(), { action: 'read', actorName: 'reg.clerk' })).slice(shownBefore);
      expect(shown.every((e) => e.recordType === 'match_candidate')).toBe(true);
      expect(shown.map((e) => e.patientId).sort()).toEqual(candidates.map((c) => c.patientId).sort());
    });

    it('refuses a nurse the registration desk', async () => {
      const nurse = await signedInUser(app(), ctx(), 'reg.nurse', 'nurse');
      expectProblem(await send(app(), nurse.session, 'POST', '/api/patients', patientInput({ family: 'Other' })), 403, 'access.forbidden');
    });
  });
}
