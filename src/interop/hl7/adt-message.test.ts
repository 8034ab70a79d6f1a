import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HL7V2 } from '../../../test/support/testdata.js';
import { parseAdtMessage, readMessage } from './adt-message.js';
import { buildAck } from './ack.js';
import { Er7Reader, Hl7MessageError, parseEr7, unescapeValue } from './er7.js';
import { hl7Instant } from './data-types.js';

const CONVERTER = join(HL7V2, 'microsoft-fhir-converter');
const sample = (name: string) => readFileSync(join(CONVERTER, name), 'utf8');
const OWN = 'urn:chartroom:mrn';

describe('ADT messages from public samples', () => {
  const adtFiles = readdirSync(CONVERTER).filter((f) => /^ADT-A\d\d-0\d\.hl7$/.test(f));

  it.each(adtFiles)('reads %s into a patient, and a visit event where the trigger has one', (file) => {
    const m = parseAdtMessage(sample(file), OWN);
    const trigger = file.slice(4, 7);
    expect(m.trigger).toBe(trigger);
    expect(m.patient.demographics.family.length).toBeGreaterThan(0);
    expect(m.patient.demographics.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    if (['A28', 'A31', 'A40'].includes(trigger)) expect(m.event).toBeUndefined();
    else expect(m.event?.type).toBeDefined();
  });

  it('maps PID, NK1, IN1, PV1, PV2, DG1 and AL1 of an admission', () => {
    const m = parseAdtMessage(sample('ADT-A01-01.hl7'), OWN);
    const d = m.patient.demographics;
    expect([d.family, d.given, d.middle, d.birthDate, d.sex]).toEqual(['EVERYMAN', 'ADAM', 'A', '1988-08-18', 'male']);
    expect(d.race).toEqual(['2106-3', '2028-9']);
    expect(d.ethnicity).toBe('2186-5');
    expect(d.maritalStatus).toBe('M');
    expect(d.identifiers).toContainEqual({ system: 'urn:chartroom:hl7v2:aa:test1', value: 'PATID1234', type: 'MR' });
    expect(d.coverages[0]).toMatchObject({ payer: 'Blue Cross Blue Shield of Texas', memberId: 'PN-145', subscriberRelationship: 'spouse' });
    expect(d.contacts[0]).toMatchObject({ relationship: 'other' });
    // The SSN in PID-19 is not one ever issued: left out with a warning naming the field.
    expect(d.ssn).toBeUndefined();
    expect(m.warnings.map((w) => w.location)).toContain('PID-19');
    expect(m.event).toMatchObject({ type: 'admit', at: '2015-02-08T10:24:19.000Z' });
    expect(m.visit?.details.location).toEqual({ unit: 'HUH AE OMU', room: 'OMU B', bed: 'Bed 03' });
    expect(m.visit?.details.service).toBe('SUR');
    expect(m.visit?.details.reason).toBe('Chronic pharyngitis');
    expect(m.visit?.details.diagnoses?.[0]).toEqual({ code: '422504002', text: 'Ischemic stroke(disorder)', system: 'SCT' });
    expect(m.allergies[0]).toMatchObject({ type: 'EA', code: 'P', text: 'PENICILLIN', severity: 'MI', identifiedOn: '2021-08-24' });
  });

  it('reads the retired record of a merge from MRG-1', () => {
    const m = parseAdtMessage(sample('ADT-A40-01.hl7'), OWN);
    expect(m.merge).toEqual({ mrns: [], identifiers: [{ system: 'urn:chartroom:hl7v2:aa:BCBS', value: '56789', type: 'MR' }] });
  });

  it('takes our own MRNs by their assigning authority', () => {
    const text = sample('ADT-A40-01.hl7').replace('12345^^^BCBS^MR', `M00000017^^^${OWN}^MR`);
    expect(parseAdtMessage(text, OWN).patient.mrns).toEqual(['M00000017']);
  });

  it('refuses a message without PID-7, naming the field', () => {
    const text = sample('ADT-A40-01.hl7').replace('||20180205|F|', '|||F|');
    const err = catchError(() => parseAdtMessage(text, OWN));
    expect(err).toMatchObject({ condition: '101', location: { segment: 'PID', sequence: 1, field: 7 }, reject: false });
  });

  it.each([
    ['an unsupported version', (t: string) => t.replace('|P|2.8|', '|P|2.1|'), '203'],
    ['another message type', (t: string) => t.replace('ADT^A40^ADT_A40', 'ORU^R01^ORU_R01'), '200'],
    ['an unsupported trigger', (t: string) => t.replace('ADT^A40^ADT_A40', 'ADT^A17^ADT_A17'), '201'],
    ['no control id', (t: string) => t.replace('|8919-40|', '||'), '101'],
  ])('rejects %s (AR)', (_what, change, condition) => {
    const err = catchError(() => readMessage(change(sample('ADT-A40-01.hl7'))));
    expect(err).toMatchObject({ condition, reject: true });
  });
});

describe('ER7', () => {
  it('undoes escape sequences', () => {
    const d = parseEr7('MSH|^~\\&|A').delimiters;
    expect(unescapeValue('A\\T\\E \\F\\ \\S\\ \\R\\ \\E\\ \\X41\\', d)).toBe('A&E | ^ ~ \\ A');
  });

  it('splits any text into segments without throwing anything but an HL7 error', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      try {
        parseEr7(`MSH|^~\\&|${s}`);
      } catch (err) {
        expect(err).toBeInstanceOf(Hl7MessageError);
      }
    }));
  });

  it('reads times with and without an offset', () => {
    expect(hl7Instant('20150208113419+0110')).toBe('2015-02-08T10:24:19.000Z');
    expect(hl7Instant('202611250900')).toBe('2026-11-25T09:00:00.000Z');
    expect(hl7Instant('not a time')).toBeUndefined();
  });
});

describe('ACK', () => {
  it('answers AE with an ERR naming the field (2.5 and later: ERR-2, ERR-3)', () => {
    const reader = new Er7Reader(parseEr7(sample('ADT-A40-01.hl7')));
    const ack = buildAck('AE', { reader, controlId: 'X1', now: new Date('2026-11-25T10:00:00Z') }, { condition: '101', text: 'PID-7 (date of birth) is required.', location: { segment: 'PID', sequence: 1, field: 7 } });
    const [msh, msa, err] = ack.split('\r');
    expect(msh).toBe('MSH|^~\\&|Healthmatics EHR|Healthmatics Clinic|Ntierprise|Ntierprise Clinic|20261125100000||ACK^A40^ACK|X1|P|2.8');
    expect(msa).toBe('MSA|AE|8919-40');
    expect(err).toBe('ERR||PID^1^7|101^PID-7 (date of birth) is required.^HL70357|E');
  });

  it('fills ERR-1 for versions before 2.5', () => {
    const reader = new Er7Reader(parseEr7(sample('ADT-A40-01.hl7').replace('|P|2.8|', '|P|2.3|')));
    const ack = buildAck('AR', { reader, controlId: 'X1', now: new Date() }, { condition: '203', text: 'x', location: { segment: 'MSH', sequence: 1, field: 12 } });
    expect(ack.split('\r')[2]).toBe('ERR|MSH^1^12^203&x&HL70357|MSH^1^12|203^x^HL70357|E');
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}
