import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/support/chartroom.js';
import { expectProblem, send, signedInUser, useTestApp } from '../../test/support/http.js';
import { patientInput } from '../../test/support/patients.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: the visit screens' events`, () => {
    const { app, ctx } = useTestApp(dialect);

    it('admits a pre-admitted visit from the visit page, into the bed the admission names, with the version the page showed', async () => {
      const registrar = await signedInUser(app(), ctx(), 'adm.registrar', 'registrar');
      const { patient } = (await send(app(), registrar.session, 'POST', '/api/patients', patientInput({ ssn: undefined }))).json();
      const planned = await send(app(), registrar.session, 'POST', '/api/encounters', {
        patientId: patient.id, type: 'pre_admit', at: '2026-11-20T09:00:00.000Z', details: { service: 'SUR', reason: 'Elective hip replacement' },
      });
      expect(planned.statusCode, planned.body).toBe(201);
      const { id, version, status } = planned.json().encounter;
      expect(status).toBe('planned');

      expectProblem(await send(app(), registrar.session, 'POST', `/api/encounters/${id}/events`, { version: version + 1, event: { type: 'admit', at: '2026-11-21T08:00:00.000Z' } }), 409, 'encounter.version-conflict');
      const admitted = await send(app(), registrar.session, 'POST', `/api/encounters/${id}/events`, {
        version, event: { type: 'admit', at: '2026-11-21T08:00:00.000Z', details: { location: { unit: '4W', room: '401', bed: 'A' } } },
      });
      expect(admitted.statusCode, admitted.body).toBe(200);
      expect(admitted.json().encounter).toMatchObject({
        status: 'in_progress', admittedAt: '2026-11-21T08:00:00.000Z', reason: 'Elective hip replacement', location: { unit: '4W', room: '401', bed: 'A' }, version: version + 1,
        stays: [{ unit: '4W', room: '401', bed: 'A', fromAt: '2026-11-21T08:00:00.000Z', toAt: null, cancelled: false }],
      });
      // A cancelled visit is admitted no more.
      const cancelled = await send(app(), registrar.session, 'POST', `/api/encounters/${id}/events`, { version: version + 1, event: { type: 'cancel_admit', at: '2026-11-21T09:00:00.000Z' } });
      expect(cancelled.statusCode, cancelled.body).toBe(200);
      expectProblem(await send(app(), registrar.session, 'POST', `/api/encounters/${id}/events`, { version: version + 2, event: { type: 'admit', at: '2026-11-21T10:00:00.000Z' } }), 409, 'encounter.not-allowed');
    });
  });
}
