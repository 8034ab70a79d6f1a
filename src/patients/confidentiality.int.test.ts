import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/support/chartroom.js';
import { auditEventsWhere, expectProblem, send, signedInUser, signInWithMfa, useTestApp } from '../../test/support/http.js';
import { patientInput } from '../../test/support/patients.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: restricted records`, () => {
    const { app, ctx } = useTestApp(dialect);

    it('opens a restricted record only to a supervisor or under emergency access, flagged in the audit trail', async () => {
      const clerk = await signedInUser(app(), ctx(), 'conf.clerk', 'records_clerk');
      const nurse = await signedInUser(app(), ctx(), 'conf.nurse', 'nurse');
      const supervisor = await signedInUser(app(), ctx(), 'conf.supervisor', 'him_supervisor');
      const created = await send(app(), clerk.session, 'POST', '/api/patients', patientInput({ flags: { vip: true, employee: false, restricted: true, doNotRelease: false } }));
      const id = created.json().patient.id;

      expectProblem(await send(app(), nurse.session, 'GET', `/api/patients/${id}`), 403, 'access.emergency-available');
      expectProblem(await send(app(), clerk.session, 'GET', `/api/patients/${id}/history`), 403, 'access.emergency-available');
      expectProblem(await send(app(), clerk.session, 'GET', `/api/patients/${id}/merges`), 403, 'access.emergency-available');
      expect((await send(app(), supervisor.session, 'GET', `/api/patients/${id}`)).statusCode).toBe(200);
      const denied = (await auditEventsWhere(ctx(), { action: 'permission-denied', patientId: id })).map((e) => e.actorName);
      expect(denied).toEqual(['conf.nurse', 'conf.clerk', 'conf.clerk']);

      const glass = await send(app(), nurse.session, 'POST', '/api/emergency-access', { patientId: id, reason: 'Patient unresponsive in ED, need allergies' });
      expect(glass.statusCode, glass.body).toBe(201);
      const opened = await send(app(), nurse.session, 'GET', `/api/patients/${id}`);
      expect(opened.statusCode).toBe(200);
      const read = (await auditEventsWhere(ctx(), { action: 'read', patientId: id })).filter((e) => e.actorName === 'conf.nurse');
      expect(read).toHaveLength(1);
      expect(read[0].emergency).toBe(1);

      ctx().clock.advance(ctx().config.emergencyAccessSeconds * 1000 + 1000);
      // The grant has run out (the nurse signs in again: the old session idled out meanwhile).
      const again = await signInWithMfa(app(), ctx(), 'conf.nurse', nurse.password);
      expectProblem(await send(app(), again, 'GET', `/api/patients/${id}`), 403, 'access.emergency-available');
    });
  });
}
