import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/support/chartroom.js';
import { auditEventsWhere, expectProblem, fieldsOf, send, signedInUser, useTestApp } from '../../test/support/http.js';
import { patientInput } from '../../test/support/patients.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: changing a patient's demographics`, () => {
    const { app, ctx } = useTestApp(dialect);

    it('refuses the second of two clerks editing the same version, and loses nothing', async () => {
      const first = await signedInUser(app(), ctx(), 'upd.first', 'records_clerk');
      const second = await signedInUser(app(), ctx(), 'upd.second', 'registrar');
      const { patient } = (await send(app(), first.session, 'POST', '/api/patients', patientInput())).json();

      const a = await send(app(), first.session, 'PUT', `/api/patients/${patient.id}`, { version: 1, patient: patientInput({ email: 'first@example.org' }), reason: 'Patient gave a new e-mail' });
      expect(a.statusCode, a.body).toBe(200);
      expect(a.json().patient.version).toBe(2);
      expect(a.headers.etag).toBe('W/"2"');
      const b = expectProblem(await send(app(), second.session, 'PUT', `/api/patients/${patient.id}`, { version: 1, patient: patientInput({ email: 'second@example.org' }) }), 409, 'patient.version-conflict');
      expect((b as unknown as { currentVersion: number }).currentVersion).toBe(2);

      const row = await ctx().db.selectFrom('patients').select(['email', 'version', 'ssnLast4']).where('id', '=', patient.id).executeTakeFirstOrThrow();
      expect(row).toEqual({ email: 'first@example.org', version: 2, ssnLast4: '9999' });
      const updates = await auditEventsWhere(ctx(), { action: 'update', patientId: patient.id });
      expect(updates.map((e) => [e.actorName, e.reason])).toEqual([['upd.first', 'Patient gave a new e-mail']]);
    });

    it('keeps the SSN on file when the edit leaves it out, and checks the new values like registration does', async () => {
      const clerk = await signedInUser(app(), ctx(), 'upd.third', 'records_clerk');
      const { patient } = (await send(app(), clerk.session, 'POST', '/api/patients', patientInput({ family: 'Adeyemi', given: 'Tola', ssn: '078-05-1120', phones: [], email: undefined }))).json();
      const kept = await send(app(), clerk.session, 'PUT', `/api/patients/${patient.id}`, { version: 1, patient: patientInput({ family: 'Adeyemi', given: 'Tola', ssn: undefined, phones: [], email: undefined }) });
      expect(kept.json().patient.ssnLast4).toBe('1120');
      const bad = expectProblem(await send(app(), clerk.session, 'PUT', `/api/patients/${patient.id}`, { version: 2, patient: patientInput({ family: 'Adeyemi', given: 'Tola', birthDate: '2999-01-01', phones: [], email: undefined }) }), 400, 'request.invalid');
      expect(fieldsOf(bad)).toEqual(['birthDate']);
      expectProblem(await send(app(), clerk.session, 'PUT', `/api/patients/${patient.id}`, { version: 2 }), 400, 'request.invalid');
    });
  });
}
