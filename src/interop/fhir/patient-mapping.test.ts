import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Demographics } from '../../patients/index.js';
import type { PatientView } from '../../patients/index.js';
import { patientInput } from '../../../test/support/patients.js';
import { demographicsFromFhir, keepWhatFhirDoesNotCarry, patientToFhir } from './patient-mapping.js';
import { EXTENSION, SYSTEM } from './terminology.js';
import { FHIR_EXAMPLES, SYNTHEA_R4 } from '../../../test/support/testdata.js';

const EXAMPLES = FHIR_EXAMPLES;
const SYNTHEA = SYNTHEA_R4;
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const example = (name: string) => read(join(EXAMPLES, name));

/** Official examples that lack what a registration needs: a current name and a full birth date. */
const NOT_REGISTRABLE: Record<string, string> = {
  'patient-example-a.json': 'Patient.birthDate', // Donald Duck: no birth date
  'patient-example-b.json': 'Patient.birthDate',
  'patient-example-dicom.json': 'Patient.birthDate', // a DICOM test patient: family name only, no birth date
  'patient-example-newborn.json': 'Patient.name', // a newborn not yet named
  'patient-example-animal.json': 'Patient.extension[0]',
};
const patientExamples = readdirSync(EXAMPLES).filter((f) => /^(patient-.*|uscore-Patient-example)\.json$/.test(f) && read(join(EXAMPLES, f)).resourceType === 'Patient');
const registrable = patientExamples.filter((f) => !(f in NOT_REGISTRABLE));

export function viewOf(d: Demographics, extra: Partial<PatientView> = {}): PatientView {
  const { ssn: _s, driversLicence: _d, ...stored } = d;
  return {
    ...stored, id: '0193a1b2-0000-7000-8000-000000000001', mrn: 'M000012', version: 3, status: 'active', mergedInto: null,
    ssnLast4: d.ssn ? d.ssn.slice(-4) : null, hasDriversLicence: !!d.driversLicence, legalHoldReason: null, aliasMrns: [],
    deceased: !!d.deathDate, createdAt: '2026-01-02T03:04:05.000Z', updatedAt: '2026-02-03T04:05:06.000Z', ...extra,
  };
}

describe('FHIR Patient to demographics', () => {
  it.each(registrable)('maps the official example %s without errors', (file) => {
    const result = demographicsFromFhir(example(file));
    expect(result.ok ? [] : result.issues).toEqual([]);
  });

  it.each(Object.entries(NOT_REGISTRABLE))('refuses %s, naming %s', (file, expression) => {
    const result = demographicsFromFhir(example(file));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.expression)).toContain(expression);
  });

  it('refuses an animal with an issue that says so', () => {
    const result = demographicsFromFhir(example('patient-example-animal.json'));
    expect(result).toMatchObject({ ok: false, issues: [{ expression: 'Patient.extension[0]', diagnostics: expect.stringMatching(/animal/) }] });
  });

  it('reads the US Core example: OMB race and ethnicity, middle name, e-mail, birth sex left out with a warning', () => {
    const result = demographicsFromFhir(example('uscore-Patient-example.json'));
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.demographics).toMatchObject({
      given: 'Amy', middle: 'V.', family: 'Shaw', birthDate: '2007-02-20', sex: 'female', race: ['2106-3', '1002-5', '2028-9'], ethnicity: '2135-2',
      email: 'amy.shaw@example.com', phones: [{ use: 'home', number: '555-555-5555' }],
      addresses: [{ line1: '49 Meadow St', city: 'Mounds', state: 'OK', postalCode: '74047', country: 'US' }],
      identifiers: [{ system: 'http://hospital.smarthealthit.org', value: '1032702', type: 'MR' }],
    });
    expect(result.warnings.map((w) => w.diagnostics).join(' ')).toMatch(/Birth sex/);
  });

  it('reads the general example: the maiden name as a previous name, the nickname as preferred, old phones dropped', () => {
    const result = demographicsFromFhir(example('patient-example.json'));
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.demographics).toMatchObject({
      given: 'Peter', middle: 'James', family: 'Chalmers', preferredName: 'Jim', previousNames: [{ family: 'Windsor', given: 'Peter James' }],
      phones: [{ use: 'work' }, { use: 'mobile' }], addresses: [{ city: 'PleasantVille', country: 'ZZ' }],
      contacts: [{ name: 'Bénédicte du Marché', relationship: 'other', phone: '+33 (237) 998327' }],
    });
    expect(result.warnings.map((w) => w.expression)).toEqual(expect.arrayContaining(['Patient.telecom[0]', 'Patient.telecom[3]', 'Patient.address[0].country']));
  });

  it('reads a Dutch patient: country code, marital status, language, emergency contact', () => {
    const result = demographicsFromFhir(example('patient-example-f001-pieter.json'));
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.demographics).toMatchObject({
      maritalStatus: 'M', language: 'nl', suffix: 'MSc', addresses: [{ country: 'NL', postalCode: '1024 RJ' }],
      contacts: [{ name: 'Sarah Abels', relationship: 'other', emergencyContact: true }],
    });
  });

  it('splits a Chinese name written as text, family name first, and says so', () => {
    const result = demographicsFromFhir(example('patient-example-chinese.json'));
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.demographics).toMatchObject({ family: '张', given: '无忌' });
    expect(result.warnings.map((w) => w.expression)).toContain('Patient.name[0].text');
  });

  it('seals what Synthea sends: a never-issued SSN is left out with a warning, the licence keeps its state', () => {
    const bundle = read(join(SYNTHEA, readdirSync(SYNTHEA).find((f) => f.startsWith('Buster'))!));
    const patient = bundle.entry.find((e: { resource: { resourceType: string } }) => e.resource.resourceType === 'Patient').resource;
    const result = demographicsFromFhir(patient);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.demographics.ssn).toBeUndefined();
    expect(result.demographics.driversLicence).toEqual({ number: 'S99935998', state: 'MA' });
    expect(result.demographics.identifiers.map((i) => i.type)).toEqual(['PI', 'MR', 'PPN']);
    expect(result.warnings.find((w) => /SSN/.test(w.diagnostics))?.expression).toBe('Patient.identifier[2]');
  });

  it('keeps a valid SSN (sealed later), and skips our own MRNs when told our system', () => {
    const result = demographicsFromFhir(
      { resourceType: 'Patient', name: [{ family: 'Everywoman', given: ['Eve'] }], birthDate: '1973-05-31', gender: 'female',
        identifier: [{ system: SYSTEM.ssn, value: '444-22-2222' }, { system: 'urn:chartroom:mrn', value: 'M000017' }] },
      { mrnSystem: 'urn:chartroom:mrn' },
    );
    expect(result).toMatchObject({ ok: true, demographics: { ssn: '444222222', identifiers: [] } });
  });

  it('names every structural problem by its FHIRPath', () => {
    const result = demographicsFromFhir({ resourceType: 'Patient', name: [{ family: 'Doe', given: 'John' }], gender: 'man', birthDate: '12/03/1980', telecom: [{ system: 'phone', value: 5 }] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.expression).sort()).toEqual(['Patient.birthDate', 'Patient.gender', 'Patient.name[0].given', 'Patient.telecom[0].value']);
  });

  it('names the FHIR element when a value breaks our rules: a short phone, a bad ZIP, a partial birth date', () => {
    const base = { resourceType: 'Patient', name: [{ family: 'Doe', given: ['Jane'] }], birthDate: '1980-03-12', gender: 'female' };
    const phone = demographicsFromFhir({ ...base, telecom: [{ system: 'email', value: 'x@example.org' }, { system: 'phone', value: '555-01' }] });
    expect(phone).toMatchObject({ ok: false, issues: [{ expression: 'Patient.telecom[1].value' }] });
    const zip = demographicsFromFhir({ ...base, address: [{ line: ['1 Main St'], city: 'Boston', postalCode: '0211', country: 'US' }] });
    expect(zip).toMatchObject({ ok: false, issues: [{ expression: 'Patient.address[0].postalCode' }] });
    expect(demographicsFromFhir({ ...base, birthDate: '1980' })).toMatchObject({ ok: false, issues: [{ expression: 'Patient.birthDate' }] });
    expect(demographicsFromFhir({ resourceType: 'Observation' })).toMatchObject({ ok: false, issues: [{ expression: 'resourceType' }] });
    expect(demographicsFromFhir('Patient')).toMatchObject({ ok: false });
  });

  it('never puts the patient data it refuses into an issue', () => {
    const result = demographicsFromFhir({ resourceType: 'Patient', name: [{ family: 'Secretname', given: ['Jane'] }], birthDate: '1980-03-12', telecom: [{ system: 'phone', value: '555-0199-secret' }] });
    expect(JSON.stringify(result)).not.toMatch(/Secretname|555-0199/);
  });
});

describe('demographics to FHIR Patient', () => {
  const d = Demographics.parse(patientInput({ previousNames: [{ family: 'Adeyemi', until: '2001-06-30' }], preferredName: 'Bill', identifiers: [{ system: 'urn:oid:1.2.3', value: 'A-77', type: 'MR' }] }));

  it('answers a US Core Patient: MRN with type MR in the configured system, no SSN, OMB race and ethnicity, version in meta', () => {
    const fhir = patientToFhir(viewOf(d, { aliasMrns: ['M000020'] }), { mrnSystem: 'urn:test:mrn' });
    expect(fhir.meta).toMatchObject({ versionId: '3', lastUpdated: '2026-02-03T04:05:06.000Z' });
    expect(fhir.identifier).toEqual([
      expect.objectContaining({ use: 'usual', system: 'urn:test:mrn', value: 'M000012', type: { coding: [expect.objectContaining({ code: 'MR' })] } }),
      expect.objectContaining({ use: 'old', system: 'urn:test:mrn', value: 'M000020' }),
      expect.objectContaining({ system: 'urn:oid:1.2.3', value: 'A-77' }),
    ]);
    expect(JSON.stringify(fhir)).not.toMatch(/219-?09-?9999|us-ssn/);
    expect(fhir.name).toEqual([
      { use: 'official', family: 'Okafor', given: ['William', 'James'] },
      { use: 'usual', family: 'Okafor', given: ['Bill'] },
      { use: 'old', family: 'Adeyemi', period: { end: '2001-06-30' } },
    ]);
    const race = fhir.extension?.find((e) => e.url === EXTENSION.race);
    expect(race?.extension).toEqual([
      { url: 'ombCategory', valueCoding: { system: SYSTEM.raceAndEthnicity, code: '2054-5', display: 'Black or African American' } },
      { url: 'text', valueString: 'Black or African American' },
    ]);
    expect(fhir.extension?.some((e) => e.url === EXTENSION.birthSex)).toBe(false);
    expect(fhir.contact?.[0].relationship).toEqual([
      { coding: [{ system: SYSTEM.roleCode, code: 'SPS', display: 'spouse' }] },
      { coding: [{ system: SYSTEM.contactRole, code: 'C', display: 'Emergency Contact' }] },
    ]);
    expect(fhir.communication).toEqual([{ language: { coding: [{ system: SYSTEM.language, code: 'en' }], text: 'en' }, preferred: true }]);
  });

  it('shows a merged record as inactive, replaced by the survivor', () => {
    const fhir = patientToFhir(viewOf(d, { status: 'merged', mergedInto: 'survivor-id' }), { mrnSystem: 'urn:test:mrn' });
    expect(fhir.active).toBe(false);
    expect(fhir.link).toEqual([{ other: { reference: 'Patient/survivor-id' }, type: 'replaced-by' }]);
  });

  it('reads back what it writes (apart from the sealed SSN and what FHIR does not carry)', () => {
    const fhir = patientToFhir(viewOf(d), { mrnSystem: 'urn:test:mrn' });
    const back = demographicsFromFhir(fhir, { mrnSystem: 'urn:test:mrn' });
    if (!back.ok) throw new Error(JSON.stringify(back.issues));
    expect(back.warnings).toEqual([]);
    const { ssn: _ssn, coverages: _c, ...expected } = d;
    const { ssn: _none, coverages: _none2, ...actual } = back.demographics;
    expect(actual).toEqual(expected);
    expect(keepWhatFhirDoesNotCarry(back.demographics, viewOf(d)).coverages).toEqual(d.coverages);
  });

  it('round-trips every registrable official example through Chartroom and back', () => {
    for (const file of registrable) {
      const first = demographicsFromFhir(example(file));
      if (!first.ok) throw new Error(file);
      const again = demographicsFromFhir(patientToFhir(viewOf(first.demographics), { mrnSystem: 'urn:test:mrn' }), { mrnSystem: 'urn:test:mrn' });
      if (!again.ok) throw new Error(`${file}: ${JSON.stringify(again.issues)}`);
      const { ssn: _a, driversLicence: _b, ...one } = first.demographics;
      const { ssn: _c, driversLicence: _d, ...two } = again.demographics;
      expect(two, file).toEqual(one);
    }
  });
});
