import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/chartroom.js';
import { fieldOf, sampleMessage, useHl7Interface } from '../../../test/support/hl7.js';

const SAMPLE: Record<string, string> = {
  A01: 'ADT-A01-01.hl7', A02: 'ADT-A02-01.hl7', A03: 'ADT-A03-01.hl7', A04: 'ADT-A04-01.hl7', A08: 'ADT-A08-01.hl7',
  A11: 'ADT-A11-01.hl7', A13: 'ADT-A13-01.hl7',
  // No public sample of these: the nearest one with its trigger changed (the segments are the same).
  A05: 'ADT-A01-01.hl7', A06: 'ADT-A01-01.hl7', A07: 'ADT-A01-01.hl7', A12: 'ADT-A02-01.hl7',
};

let sequence = 0;

/**
 * A public sample as the trigger, for a patient (PID-3 value and family name of its own) and a visit
 * (PV1-19), with a fresh control id and, where asked, other replacements (e.g. PV1-2, PV1-3, PV1-10).
 */
function adt(trigger: string, patient: string, visit: string, replace: [string, string][] = []): string {
  const file = SAMPLE[trigger];
  const sampleTrigger = file.slice(4, 7);
  return sampleMessage(`microsoft-fhir-converter/${file}`, {
    controlId: `EV-${++sequence}-${trigger}`,
    replace: [
      [`ADT^${sampleTrigger}^ADT_${sampleTrigger}`, `ADT^${trigger}^ADT_${trigger}`],
      ['PATID1234^5', `${patient}^5`], ['EVERYMAN&&&&Aniston', `${patient.toUpperCase()}&&&&Aniston`], ['40007716^^^', `${visit}^^^`],
      ...replace,
    ],
  });
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: ADT trigger events onto visits`, () => {
    const { ctx, sender } = useHl7Interface(dialect);
    const send = async (text: string) => {
      const ack = await sender().send(text);
      expect(fieldOf(ack, 'MSA', 1), ack).toBe('AA');
      return ack;
    };
    const visit = (visitNumber: string) =>
      ctx().db.selectFrom('encounters').select(['patientId', 'status', 'class', 'unit', 'room', 'bed', 'service']).where('visitNumber', '=', visitNumber).executeTakeFirst();
    const statusOf = async (controlIdPrefix: string) =>
      (await ctx().db.selectFrom('interfaceMessages').select('status').where('controlId', 'like', `${controlIdPrefix}%`).executeTakeFirstOrThrow()).status;

    it('takes a visit through pre-admission, admission, transfer and its cancellation, class changes, update, discharge and its cancellation', async () => {
      await send(adt('A05', 'Pat-life', 'V-LIFE'));
      expect(await visit('V-LIFE')).toMatchObject({ status: 'planned' });
      await send(adt('A01', 'Pat-life', 'V-LIFE'));
      expect(await visit('V-LIFE')).toMatchObject({ status: 'in_progress', class: 'inpatient', unit: 'HUH AE OMU', room: 'OMU B', bed: 'Bed 03' });
      await send(adt('A02', 'Pat-life', 'V-LIFE', [['HUH AE OMU&9.8&ISO^OMU B^Bed 03', 'WARD 7^701^A']]));
      expect(await visit('V-LIFE')).toMatchObject({ unit: 'WARD 7', room: '701', bed: 'A' });
      await send(adt('A12', 'Pat-life', 'V-LIFE'));
      expect(await visit('V-LIFE')).toMatchObject({ unit: 'HUH AE OMU', bed: 'Bed 03' });
      await send(adt('A07', 'Pat-life', 'V-LIFE', [['PV1|1|P|', 'PV1|1|O|']]));
      expect(await visit('V-LIFE')).toMatchObject({ class: 'outpatient' });
      await send(adt('A06', 'Pat-life', 'V-LIFE', [['PV1|1|P|', 'PV1|1|I|']]));
      expect(await visit('V-LIFE')).toMatchObject({ class: 'inpatient' });
      await send(adt('A08', 'Pat-life', 'V-LIFE', [['|SUR|', '|MED|']]));
      expect(await visit('V-LIFE')).toMatchObject({ service: 'MED', status: 'in_progress' });
      await send(adt('A03', 'Pat-life', 'V-LIFE'));
      expect(await visit('V-LIFE')).toMatchObject({ status: 'finished' });
      await send(adt('A13', 'Pat-life', 'V-LIFE'));
      expect(await visit('V-LIFE')).toMatchObject({ status: 'in_progress' });
      const patients = await ctx().db.selectFrom('patients').select('id').where('family', '=', 'PAT-LIFE').execute();
      expect(patients).toHaveLength(1);
      expect((await visit('V-LIFE'))?.patientId).toBe(patients[0].id);
    });

    it('registers an outpatient visit (A04) and cancels it (A11)', async () => {
      await send(adt('A04', 'Pat-reg', 'V-REG'));
      expect(await visit('V-REG')).toMatchObject({ status: 'in_progress', class: 'outpatient' });
      await send(adt('A11', 'Pat-reg', 'V-REG'));
      expect(await visit('V-REG')).toMatchObject({ status: 'cancelled' });
    });

    it('updates the patient and the visit together on A08', async () => {
      await send(adt('A01', 'Pat-upd', 'V-UPD'));
      await send(adt('A08', 'Pat-upd', 'V-UPD', [['^ADAM^A^III^', '^ADAMO^A^III^'], ['|SUR|', '|CAR|']]));
      const patient = await ctx().db.selectFrom('patients').select(['given', 'version']).where('family', '=', 'PAT-UPD').executeTakeFirstOrThrow();
      expect(patient).toEqual({ given: 'ADAMO', version: 2 });
      expect(await visit('V-UPD')).toMatchObject({ service: 'CAR' });
    });

    it('holds a discharge that arrives before its admission, and applies it once the admission is in', async () => {
      const early = adt('A03', 'Pat-held', 'V-HELD');
      await send(early);
      expect(await statusOf(fieldOf(early, 'MSH', 10)!)).toBe('held');
      expect(await visit('V-HELD')).toBeUndefined();
      const held = await ctx().db.selectFrom('interfaceMessages').select(['errorText', 'patientId']).where('controlId', '=', fieldOf(early, 'MSH', 10)!).executeTakeFirstOrThrow();
      expect(held.errorText).toMatch(/^Held: /);

      await send(adt('A01', 'Pat-held', 'V-HELD'));
      expect(await visit('V-HELD')).toMatchObject({ status: 'finished' });
      const row = await ctx().db.selectFrom('interfaceMessages').select(['status', 'attempts', 'patientId']).where('controlId', '=', fieldOf(early, 'MSH', 10)!).executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'processed', attempts: 2, patientId: held.patientId });
    });
  });
}
