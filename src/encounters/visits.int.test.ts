import { describe, expect, it } from 'vitest';
import { DIALECTS, useTestChartroom, type TestChartroom } from '../../test/support/chartroom.js';
import { patientInput } from '../../test/support/patients.js';
import { SYSTEM_ACTOR } from '../audit/actions.js';
import { Demographics, registerPatient } from '../patients/index.js';
import { mergePatients, unmergePatients } from '../patients/merge.js';
import { DomainError } from '../platform/errors.js';
import { applyEncounterEvent, type EncounterEvent, type EncounterEventInput } from './index.js';

const actor = { type: 'user' as const, id: 'u1', name: 'adt.clerk', role: 'registrar' };

async function newPatient(ctx: TestChartroom, family: string, given = 'Ana'): Promise<string> {
  const { patient } = await registerPatient(ctx, actor, Demographics.parse(patientInput({ family, given, ssn: undefined, phones: [], email: undefined, birthDate: '1971-02-03' })), { duplicateReason: 'test' });
  return patient.id;
}

const apply = (ctx: TestChartroom, input: EncounterEventInput) => ctx.db.transaction().execute((trx) => applyEncounterEvent(trx, ctx, actor, input));
const hl7 = (patientId: string, visitNumber: string | null, event: EncounterEvent): EncounterEventInput => ({ patientId, visitNumber, event, source: 'hl7' });
const visit = (ctx: TestChartroom, visitNumber: string) => ctx.db.selectFrom('encounters').selectAll().where('visitNumber', '=', visitNumber).executeTakeFirstOrThrow();
const stays = (ctx: TestChartroom, encounterId: string) =>
  ctx.db.selectFrom('encounterLocations').select(['unit', 'room', 'bed', 'fromAt', 'toAt', 'cancelled']).where('encounterId', '=', encounterId).orderBy('fromAt').orderBy('id').execute();

for (const dialect of DIALECTS) {
  describe(`${dialect}: a visit from pre-admission to discharge`, () => {
    const ctx = useTestChartroom(dialect);

    it('pre-admits, admits to a bed, transfers, sends on leave and back, and discharges, keeping every bed and event', async () => {
      const patientId = await newPatient(ctx(), 'Lindqvist');
      expect(await apply(ctx(), hl7(patientId, 'A100', { type: 'pre_admit', at: '2026-11-20T09:00:00.000Z', details: { class: 'inpatient', service: 'SUR', reason: 'Elective hip replacement' } })))
        .toMatchObject({ outcome: 'applied', visitNumber: 'A100' });
      expect(await visit(ctx(), 'A100')).toMatchObject({ status: 'planned', plannedAt: '2026-11-20T09:00:00.000Z', admittedAt: null, unit: null });

      await apply(ctx(), hl7(patientId, 'A100', { type: 'admit', at: '2026-11-21T08:00:00.000Z', details: { location: { unit: '4W', room: '401', bed: 'A' }, attendingProvider: { npi: '1234567893', family: 'Osei', given: 'Kwame' } } }));
      await apply(ctx(), hl7(patientId, 'A100', { type: 'transfer', at: '2026-11-22T10:30:00.000Z', to: { unit: 'ICU', room: '2', bed: null } }));
      await apply(ctx(), hl7(patientId, null, { type: 'leave', at: '2026-11-23T12:00:00.000Z' }));
      expect((await visit(ctx(), 'A100')).status).toBe('on_leave');
      await apply(ctx(), hl7(patientId, null, { type: 'return', at: '2026-11-23T18:00:00.000Z' }));
      await apply(ctx(), hl7(patientId, 'A100', { type: 'discharge', at: '2026-11-24T15:00:00.000Z', disposition: '01', dischargedTo: 'Home' }));

      const row = await visit(ctx(), 'A100');
      expect(row).toMatchObject({ status: 'finished', class: 'inpatient', service: 'SUR', unit: 'ICU', room: '2', bed: null, admittedAt: '2026-11-21T08:00:00.000Z', dischargedAt: '2026-11-24T15:00:00.000Z', disposition: '01', version: 6 });
      expect(JSON.parse(row.details)).toMatchObject({ reason: 'Elective hip replacement', dischargedTo: 'Home', attendingProvider: { npi: '1234567893', providerId: null, display: 'Kwame Osei' } });
      expect(await stays(ctx(), row.id)).toEqual([
        { unit: '4W', room: '401', bed: 'A', fromAt: '2026-11-21T08:00:00.000Z', toAt: '2026-11-22T10:30:00.000Z', cancelled: 0 },
        { unit: 'ICU', room: '2', bed: null, fromAt: '2026-11-22T10:30:00.000Z', toAt: '2026-11-24T15:00:00.000Z', cancelled: 0 },
      ]);
      const events = await ctx().db.selectFrom('encounterEvents').select(['version', 'type', 'source']).where('encounterId', '=', row.id).orderBy('version').execute();
      expect(events.map((e) => e.type)).toEqual(['pre_admit', 'admit', 'transfer', 'leave', 'return', 'discharge']);
      const audit = await ctx().db.selectFrom('auditEvents').select(['action', 'recordType']).where('recordId', '=', row.id).orderBy('id').execute();
      expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'update', 'update', 'update', 'update']);
    });

    it('holds events the visit is not ready for, and writes nothing for them', async () => {
      const patientId = await newPatient(ctx(), 'Brannigan');
      expect(await apply(ctx(), hl7(patientId, 'B200', { type: 'discharge', at: '2026-11-24T15:00:00.000Z' }))).toEqual({ outcome: 'out_of_order', reason: expect.stringMatching(/not been registered or admitted/) });
      expect(await ctx().db.selectFrom('encounters').select('id').where('patientId', '=', patientId).execute()).toEqual([]);

      await apply(ctx(), hl7(patientId, 'B200', { type: 'pre_admit', at: '2026-11-20T09:00:00.000Z', details: {} }));
      expect(await apply(ctx(), hl7(patientId, 'B200', { type: 'transfer', at: '2026-11-21T09:00:00.000Z', to: { unit: 'ICU' } }))).toMatchObject({ outcome: 'out_of_order' });
      expect(await apply(ctx(), hl7(patientId, 'B200', { type: 'cancel_discharge', at: '2026-11-21T09:00:00.000Z' }))).toMatchObject({ outcome: 'out_of_order' });
      expect((await visit(ctx(), 'B200')).version).toBe(1);
    });

    it('refuses a discharge before the admission with a field error, and a visit number of another patient', async () => {
      const patientId = await newPatient(ctx(), 'Moreau');
      await apply(ctx(), hl7(patientId, 'C300', { type: 'admit', at: '2026-11-21T08:00:00.000Z', details: { location: { unit: '5E' } } }));
      const early = await apply(ctx(), hl7(patientId, 'C300', { type: 'discharge', at: '2026-11-20T08:00:00.000Z' })).catch((e: unknown) => e);
      expect(early).toBeInstanceOf(DomainError);
      expect((early as DomainError).fieldErrors.map((f) => f.field)).toEqual(['at']);

      const other = await newPatient(ctx(), 'Whitfield');
      const stolen = await apply(ctx(), hl7(other, 'C300', { type: 'transfer', at: '2026-11-22T08:00:00.000Z', to: { unit: 'ICU' } })).catch((e: unknown) => e);
      expect((stolen as DomainError).code).toBe('encounter.other-patient');
      expect((await visit(ctx(), 'C300')).unit).toBe('5E');
    });

    it('cancels a transfer back to the bed before, a discharge back to in house, and an admission', async () => {
      const patientId = await newPatient(ctx(), 'Nakashima');
      await apply(ctx(), hl7(patientId, 'D400', { type: 'admit', at: '2026-11-21T08:00:00.000Z', details: { location: { unit: '4W', room: '410', bed: 'B' } } }));
      await apply(ctx(), hl7(patientId, 'D400', { type: 'transfer', at: '2026-11-21T12:00:00.000Z', to: { unit: '3N', room: '301' } }));
      await apply(ctx(), hl7(patientId, 'D400', { type: 'cancel_transfer', at: '2026-11-21T12:05:00.000Z' }));
      const row = await visit(ctx(), 'D400');
      expect(row).toMatchObject({ unit: '4W', room: '410', bed: 'B' });
      expect((await stays(ctx(), row.id)).map((s) => [s.unit, s.toAt, s.cancelled])).toEqual([['4W', null, 0], ['3N', null, 1]]);

      await apply(ctx(), hl7(patientId, 'D400', { type: 'discharge', at: '2026-11-22T10:00:00.000Z', disposition: '01' }));
      await apply(ctx(), hl7(patientId, 'D400', { type: 'cancel_discharge', at: '2026-11-22T10:10:00.000Z' }));
      expect(await visit(ctx(), 'D400')).toMatchObject({ status: 'in_progress', dischargedAt: null, disposition: null });
      expect((await stays(ctx(), row.id))[0].toAt).toBeNull();

      await apply(ctx(), hl7(patientId, 'D400', { type: 'cancel_admit', at: '2026-11-22T11:00:00.000Z' }));
      expect((await visit(ctx(), 'D400')).status).toBe('cancelled');
      expect(await apply(ctx(), hl7(patientId, 'D400', { type: 'update', details: { service: 'MED' } }))).toMatchObject({ outcome: 'out_of_order' });
    });

    it('numbers visits it opens without a number, and asks which visit when the patient has two open', async () => {
      const patientId = await newPatient(ctx(), 'Oyelaran');
      const first = await apply(ctx(), hl7(patientId, null, { type: 'register', at: '2026-11-21T08:00:00.000Z', details: { class: 'emergency' } }));
      const second = await apply(ctx(), hl7(patientId, null, { type: 'register', at: '2026-11-21T09:00:00.000Z', details: {} }));
      expect(first).toMatchObject({ outcome: 'applied', visitNumber: expect.stringMatching(/^V\d{8}$/) });
      expect(second.outcome === 'applied' && first.outcome === 'applied' && second.visitNumber !== first.visitNumber).toBe(true);
      expect((await visit(ctx(), (second as { visitNumber: string }).visitNumber)).class).toBe('outpatient');
      const ambiguous = await apply(ctx(), hl7(patientId, null, { type: 'discharge', at: '2026-11-21T10:00:00.000Z' })).catch((e: unknown) => e);
      expect((ambiguous as DomainError).code).toBe('encounter.ambiguous');
    });

    it('moves visits with a merge and back with its undo', async () => {
      const survivor = await newPatient(ctx(), 'Fairweather', 'Jo');
      const retired = await newPatient(ctx(), 'Fairweather', 'Joanna');
      await apply(ctx(), hl7(retired, 'E500', { type: 'admit', at: '2026-11-21T08:00:00.000Z', details: {} }));
      const { merge } = await mergePatients(ctx(), actor, survivor, retired, 'Same person');
      expect((await visit(ctx(), 'E500')).patientId).toBe(survivor);
      const refused = await apply(ctx(), hl7(retired, 'E501', { type: 'admit', at: '2026-11-22T08:00:00.000Z', details: {} })).catch((e: unknown) => e);
      expect((refused as DomainError).code).toBe('patient.merged');
      await unmergePatients(ctx(), actor, merge.id, 'Not the same person after all');
      expect((await visit(ctx(), 'E500')).patientId).toBe(retired);
    });
  });
}
