import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/support/chartroom.js';
import { auditEventsWhere, expectProblem, fieldsOf, send, signedInUser, useTestApp } from '../../test/support/http.js';
import { registerOverHttp } from '../../test/support/patients.js';
import { pdfText } from '../../test/support/pdf-text.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: admissions, transfers and discharges over HTTP`, () => {
    const { app, ctx } = useTestApp(dialect);

    it('admits a patient into a named bed with known providers, transfers, discharges, and lists the visit', async () => {
      const supervisor = await signedInUser(app(), ctx(), 'enc.supervisor', 'him_supervisor');
      const registrar = await signedInUser(app(), ctx(), 'enc.registrar', 'registrar');
      const unit = (await send(app(), supervisor.session, 'POST', '/api/reference/locations', { kind: 'unit', code: '4W', name: '4 West Medical' })).json().location;
      const room = (await send(app(), supervisor.session, 'POST', '/api/reference/locations', { kind: 'room', code: '401', name: 'Room 401', parentId: unit.id })).json().location;
      expect(room.path).toBe('4W/401');
      const doctor = await send(app(), supervisor.session, 'POST', '/api/reference/providers', { npi: '1234567893', family: 'Osei', given: 'Kwame', credentials: 'MD' });
      expect(doctor.statusCode, doctor.body).toBe(201);

      const patientId = await registerOverHttp(app(), registrar, 'Achterberg');
      const admitted = await send(app(), registrar.session, 'POST', '/api/encounters', {
        patientId, type: 'admit', at: '2026-11-24T08:15:00-05:00',
        details: { class: 'inpatient', service: 'MED', location: { unit: '4W', room: '401', bed: 'A' }, attendingProvider: { npi: '1234567893' }, admitType: 'E', admitSource: '7', reason: 'Chest pain' },
      });
      expect(admitted.statusCode, admitted.body).toBe(201);
      const visit = admitted.json().encounter;
      expect(visit).toMatchObject({
        status: 'in_progress', admittedAt: '2026-11-24T13:15:00.000Z', unitName: '4 West Medical', version: 1,
        attendingProvider: { display: 'Kwame Osei, MD', providerId: doctor.json().provider.id },
        stays: [{ unit: '4W', room: '401', bed: 'A', toAt: null }],
      });

      const moved = await send(app(), registrar.session, 'POST', `/api/encounters/${visit.id}/events`, { version: 1, event: { type: 'transfer', at: '2026-11-25T09:00:00Z', to: { unit: 'ICU', room: '3' } } });
      expect(moved.statusCode, moved.body).toBe(200);
      const stale = expectProblem(await send(app(), registrar.session, 'POST', `/api/encounters/${visit.id}/events`, { version: 1, event: { type: 'discharge', at: '2026-11-26T09:00:00Z' } }), 409, 'encounter.version-conflict');
      expect(stale.detail).toMatch(/version 2/);
      const early = expectProblem(await send(app(), registrar.session, 'POST', `/api/encounters/${visit.id}/events`, { version: 2, event: { type: 'discharge', at: '2026-11-20T09:00:00Z' } }), 400, 'request.invalid');
      expect(fieldsOf(early)).toEqual(['at']);
      const discharged = await send(app(), registrar.session, 'POST', `/api/encounters/${visit.id}/events`, { version: 2, event: { type: 'discharge', at: '2026-11-26T09:00:00Z', disposition: '01', dischargedTo: 'Home with family' } });
      expect(discharged.json().encounter).toMatchObject({ status: 'finished', version: 3, stays: [{ unit: '4W' }, { unit: 'ICU', toAt: '2026-11-26T09:00:00.000Z' }] });
      expectProblem(await send(app(), registrar.session, 'POST', `/api/encounters/${visit.id}/events`, { version: 3, event: { type: 'leave', at: '2026-11-26T10:00:00Z' } }), 409, 'encounter.not-allowed');

      const list = await send(app(), registrar.session, 'GET', `/api/patients/${patientId}/encounters`);
      expect(list.json().encounters.map((e: { visitNumber: string; status: string }) => e.status)).toEqual(['finished']);
      const reads = await auditEventsWhere(ctx(), { action: 'read', patientId });
      expect(reads.map((e) => e.recordType)).toContain('encounter_list');
    });

    it('counts the census by unit at any instant and lists a unit, auditing each patient shown', async () => {
      const registrar = await signedInUser(app(), ctx(), 'census.registrar', 'registrar');
      const first = await registerOverHttp(app(), registrar, 'Castellanos');
      const second = await registerOverHttp(app(), registrar, 'Drummond');
      const a = (await send(app(), registrar.session, 'POST', '/api/encounters', { patientId: first, type: 'admit', at: '2026-11-01T10:00:00Z', details: { location: { unit: '7S', room: '701' } } })).json().encounter;
      await send(app(), registrar.session, 'POST', '/api/encounters', { patientId: second, type: 'admit', at: '2026-11-02T10:00:00Z', details: { location: { unit: '7S', room: '702' } } });
      await send(app(), registrar.session, 'POST', `/api/encounters/${a.id}/events`, { version: 1, event: { type: 'discharge', at: '2026-11-03T10:00:00Z' } });

      const at = (iso: string) => send(app(), registrar.session, 'GET', `/api/census?at=${encodeURIComponent(iso)}&unit=7S`).then((r) => r.json());
      expect((await at('2026-11-01T12:00:00Z')).units.find((u: { unit: string }) => u.unit === '7S')).toMatchObject({ occupied: 1 });
      const both = await at('2026-11-02T12:00:00Z');
      expect(both.occupants.map((o: { name: string; room: string }) => [o.name, o.room])).toEqual([['Castellanos, William', '701'], ['Drummond, William', '702']]);
      expect((await at('2026-11-04T00:00:00Z')).occupants.map((o: { name: string }) => o.name)).toEqual(['Drummond, William']);
      expect((await auditEventsWhere(ctx(), { patientId: first })).filter((e) => e.recordType === 'census')).toHaveLength(2);
    });

    it('prints a face sheet and a discharge record with the patient, the visit and the insurance', async () => {
      const registrar = await signedInUser(app(), ctx(), 'print.registrar', 'registrar');
      const patientId = await registerOverHttp(app(), registrar, 'Ellsworth');
      const visit = (await send(app(), registrar.session, 'POST', '/api/encounters', { patientId, type: 'admit', at: '2026-11-10T10:00:00Z', visitNumber: 'ACC-555', details: { location: { unit: '2N', room: '210', bed: 'B' }, reason: 'Pneumonia', diagnoses: [{ code: 'J18.9', text: 'Pneumonia, unspecified organism' }] } })).json().encounter;
      expectProblem(await send(app(), registrar.session, 'GET', `/api/encounters/${visit.id}/discharge-record.pdf`), 409, 'encounter.not-discharged');

      const face = await send(app(), registrar.session, 'GET', `/api/encounters/${visit.id}/face-sheet.pdf`);
      expect(face.headers['content-type']).toBe('application/pdf');
      const faceText = (await pdfText(face.rawPayload)).lines.join('\n');
      for (const expected of ['Admission face sheet', 'ELLSWORTH, William James', 'ACC-555', 'Medicare Part A', 'Ada Okafor - spouse (emergency contact) - 207-555-0143', 'Pneumonia']) expect(faceText).toContain(expected);

      await send(app(), registrar.session, 'POST', `/api/encounters/${visit.id}/events`, { version: 1, event: { type: 'discharge', at: '2026-11-14T16:00:00Z', disposition: '01', dischargedTo: 'Home' } });
      const record = await pdfText((await send(app(), registrar.session, 'GET', `/api/encounters/${visit.id}/discharge-record.pdf`)).rawPayload);
      expect(record.pages).toBeGreaterThanOrEqual(1);
      expect(record.lines).toContain('J18.9 - Pneumonia, unspecified organism');
      expect(record.lines).toContain('2026-11-10 10:00 UTC to 2026-11-14 16:00 UTC: 2N, room 210, bed B');
      expect((await auditEventsWhere(ctx(), { action: 'print', patientId })).map((e) => e.recordType)).toEqual(['face_sheet', 'discharge_record']);
    });

    it('keeps reference data to those who manage it, and checks NPIs and the location tree', async () => {
      const clerk = await signedInUser(app(), ctx(), 'ref.clerk', 'records_clerk');
      const admin = await signedInUser(app(), ctx(), 'ref.admin', 'admin');
      expectProblem(await send(app(), clerk.session, 'POST', '/api/reference/providers', { npi: '1245319599', family: 'Ng' }), 403, 'access.forbidden');
      const bad = expectProblem(await send(app(), admin.session, 'POST', '/api/reference/providers', { npi: '1234567890', family: 'Ng' }), 400, 'request.invalid');
      expect(fieldsOf(bad)).toEqual(['npi']);
      expect((await send(app(), admin.session, 'POST', '/api/reference/providers', { npi: '1245319599', family: 'Ng' })).statusCode).toBe(201);
      expectProblem(await send(app(), admin.session, 'POST', '/api/reference/providers', { npi: '1245319599', family: 'Other' }), 409, 'provider.taken');
      const orphanBed = expectProblem(await send(app(), admin.session, 'POST', '/api/reference/locations', { kind: 'bed', code: 'A', name: 'Bed A' }), 400, 'request.invalid');
      expect(fieldsOf(orphanBed)).toEqual(['parentId']);
      expect((await send(app(), clerk.session, 'GET', '/api/reference/providers')).json().providers.map((p: { display: string }) => p.display)).toContain('Ng');
      // Reading visits is not the administrator's business.
      expectProblem(await send(app(), admin.session, 'GET', '/api/census'), 403, 'access.forbidden');
    });
  });
}
