import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/chartroom.js';
import { apiClientToken, expectOutcome, FHIR } from '../../../test/support/fhir.js';
import { auditEventsWhere, send, signedInUser, useTestApp, type SignedInUser } from '../../../test/support/http.js';
import { SYSTEM_ACTOR } from '../../audit/actions.js';
import { FHIR_EXAMPLES } from '../../../test/support/testdata.js';

const EXAMPLES = FHIR_EXAMPLES;
const example = (name: string) => JSON.parse(readFileSync(join(EXAMPLES, name), 'utf8'));

const amy = {
  resourceType: 'Patient',
  name: [{ use: 'official', family: 'Quintero', given: ['Amelia', 'Rose'] }],
  gender: 'female',
  birthDate: '1984-07-09',
  telecom: [{ system: 'phone', value: '(207) 555-0190', use: 'mobile' }, { system: 'email', value: 'amelia.q@example.org' }],
  address: [{ use: 'home', line: ['44 Pine St'], city: 'Portland', state: 'ME', postalCode: '04102', country: 'US' }],
  identifier: [{ system: 'http://hl7.org/fhir/sid/us-ssn', value: '219-09-9998' }],
};

/** Someone the MPI will not take for anyone else: a name and birth date of their own, no contact details. */
const person = (family: string, given: string, birthDate: string, extra: object = {}) => ({ resourceType: 'Patient', name: [{ family, given: [given] }], gender: 'female', birthDate, ...extra });

for (const dialect of DIALECTS) {
  describe(`${dialect}: FHIR Patient interactions`, () => {
    const { app, ctx } = useTestApp(dialect);
    let token: string;
    const fhir = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
      app().inject({ method, url, headers: { ...FHIR, authorization: `Bearer ${token}`, ...headers }, ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}) });

    it('answers the CapabilityStatement without signing in', async () => {
      token = await apiClientToken(app(), ctx(), 'records_clerk');
      const res = await app().inject({ method: 'GET', url: '/fhir/R4/metadata' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
      const cs = res.json();
      expect(cs).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', format: expect.arrayContaining(['json']) });
      const patient = cs.rest[0].resource.find((r: { type: string }) => r.type === 'Patient');
      expect(patient.interaction.map((i: { code: string }) => i.code).sort()).toEqual(['create', 'read', 'search-type', 'update', 'vread']);
      expect(patient.searchParam.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['_id', 'identifier', 'name', 'family', 'given', 'birthdate', 'gender', 'phone', 'email', 'address-postalcode']));
      expect(patient.operation).toEqual([expect.objectContaining({ name: 'match' })]);
      expect(cs.rest[0].security.description).toMatch(/client credentials/);
      expect(JSON.stringify(cs)).toMatch(/X-Chartroom-Duplicate-Reason/);
    });

    it('refuses a request without credentials with a 401 OperationOutcome', async () => {
      const res = await app().inject({ method: 'GET', url: '/fhir/R4/Patient?family=x' });
      expectOutcome(res, 401, 'login');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expectOutcome(await app().inject({ method: 'GET', url: '/fhir/R4/Patient/abc', headers: { authorization: 'Bearer not-a-token' } }), 401, 'login');
    });

    it('creates, reads, reads a version, updates with If-Match, and refuses a stale If-Match with 412', async () => {
      const created = await fhir('POST', '/fhir/R4/Patient', amy);
      expect(created.statusCode, created.body).toBe(201);
      const patient = created.json();
      expect(created.headers.location).toBe(`/fhir/R4/Patient/${patient.id}/_history/1`);
      expect(created.headers.etag).toBe('W/"1"');
      expect(patient).toMatchObject({ resourceType: 'Patient', meta: { versionId: '1' }, active: true, name: [{ family: 'Quintero', given: ['Amelia', 'Rose'] }] });
      expect(patient.identifier[0]).toMatchObject({ system: ctx().config.mrnSystem, type: { coding: [{ code: 'MR' }] } });
      expect(created.body).not.toMatch(/219-?09-?9998|us-ssn/);

      const read = await fhir('GET', `/fhir/R4/Patient/${patient.id}`);
      expect(read.statusCode, read.body).toBe(200);
      expect(read.headers.etag).toBe('W/"1"');
      expect(read.headers['last-modified']).toBe(new Date(patient.meta.lastUpdated).toUTCString());
      expect(read.json().identifier[0].value).toBe(patient.identifier[0].value);

      const changed = { ...read.json(), telecom: [{ system: 'phone', value: '(207) 555-0191', use: 'home' }] };
      const updated = await fhir('PUT', `/fhir/R4/Patient/${patient.id}`, changed, { 'if-match': 'W/"1"' });
      expect(updated.statusCode, updated.body).toBe(200);
      expect(updated.headers.etag).toBe('W/"2"');
      expect(updated.json()).toMatchObject({ meta: { versionId: '2' }, telecom: [{ value: '(207) 555-0191' }] });

      const stale = await fhir('PUT', `/fhir/R4/Patient/${patient.id}`, { ...changed, gender: 'other' }, { 'if-match': 'W/"1"' });
      expect(expectOutcome(stale, 412, 'conflict')[0].diagnostics).toMatch(/version 2/);

      const v1 = await fhir('GET', `/fhir/R4/Patient/${patient.id}/_history/1`);
      expect(v1.statusCode, v1.body).toBe(200);
      expect(v1.headers.etag).toBe('W/"1"');
      expect(v1.json()).toMatchObject({ meta: { versionId: '1' } });
      expect(v1.json().telecom[0].value).toBe('(207) 555-0190');
      expectOutcome(await fhir('GET', `/fhir/R4/Patient/${patient.id}/_history/9`), 404, 'not-found');

      const reads = await auditEventsWhere(ctx(), { action: 'read', patientId: patient.id });
      expect(reads.map((e) => e.recordType)).toEqual(['patient', 'patient_version']);
      expect((await auditEventsWhere(ctx(), { action: 'update', patientId: patient.id }))).toHaveLength(1);
      // The SSN was kept (sealed) through the FHIR update, which does not carry it.
      const row = await ctx().db.selectFrom('patients').select(['ssnLast4', 'version']).where('id', '=', patient.id).executeTakeFirstOrThrow();
      expect(row).toEqual({ ssnLast4: '9998', version: 2 });
    });

    it('updates the current version when no If-Match is sent, and refuses a body whose id differs from the URL', async () => {
      const [{ id }] = await ctx().db.selectFrom('patients').select('id').where('family', '=', 'Quintero').execute();
      const current = (await fhir('GET', `/fhir/R4/Patient/${id}`)).json();
      const updated = await fhir('PUT', `/fhir/R4/Patient/${id}`, { ...current, birthDate: '1984-07-10' });
      expect(updated.statusCode, updated.body).toBe(200);
      expect(updated.json().meta.versionId).toBe('3');
      const issues = expectOutcome(await fhir('PUT', `/fhir/R4/Patient/${id}`, { ...current, id: 'someone-else' }), 400, 'invalid');
      expect(issues[0].expression).toEqual(['Patient.id']);
      expectOutcome(await fhir('PUT', '/fhir/R4/Patient/no-such-id', { ...current, id: 'no-such-id' }), 405, 'not-supported');
    });

    it('answers 404 OperationOutcome for a patient that does not exist and for an unknown endpoint', async () => {
      expectOutcome(await fhir('GET', '/fhir/R4/Patient/0190c0de-0000-7000-8000-000000000000'), 404, 'not-found');
      expectOutcome(await fhir('GET', '/fhir/R4/Observation'), 404, 'not-found');
      expectOutcome(await fhir('GET', '/fhir/R4/Patient/x/_history'), 404, 'not-found');
    });

    it('refuses bad resources with 400 and the FHIRPath of each problem', async () => {
      const bad = await fhir('POST', '/fhir/R4/Patient', { ...amy, gender: 'f', birthDate: '09/07/1984', name: [{ family: 'Quintero', given: 'Amelia' }] });
      const issues = expectOutcome(bad, 400, 'invalid');
      expect(issues.flatMap((i) => i.expression ?? []).sort()).toEqual(['Patient.birthDate', 'Patient.gender', 'Patient.name[0].given']);
      expect(bad.body).not.toMatch(/Quintero|Amelia/);
      const future = expectOutcome(await fhir('POST', '/fhir/R4/Patient', { ...amy, name: [{ family: 'Later', given: ['Anna'] }], birthDate: '2099-01-01' }), 400, 'invalid');
      expect(future[0].expression).toEqual(['Patient.birthDate']);
      expectOutcome(await fhir('POST', '/fhir/R4/Patient', { resourceType: 'Observation' }), 400, 'invalid');
      expectOutcome(await fhir('POST', '/fhir/R4/Patient', '{not json', { 'content-type': 'application/fhir+json' }), 400);
      expectOutcome(await app().inject({ method: 'POST', url: '/fhir/R4/Patient', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' }, payload: '<Patient/>' }), 415, 'not-supported');
      const animal = expectOutcome(await fhir('POST', '/fhir/R4/Patient', example('patient-example-animal.json')), 400, 'invalid');
      expect(animal[0]).toMatchObject({ expression: ['Patient.extension[0]'], diagnostics: expect.stringMatching(/animal/) });
    });

    it('answers as the client prefers: nothing, or an OperationOutcome listing what was not kept; JSON only', async () => {
      const minimal = await fhir('POST', '/fhir/R4/Patient', person('Minimal', 'Mina', '1951-02-03'), { prefer: 'return=minimal' });
      expect(minimal.statusCode).toBe(201);
      expect(minimal.body).toBe('');
      expect(minimal.headers.location).toMatch(/_history\/1$/);
      const withBirthSex = person('Outcome', 'Otto', '1952-03-04', { extension: [{ url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex', valueCode: 'M' }] });
      const issues = expectOutcome(await fhir('POST', '/fhir/R4/Patient', withBirthSex, { prefer: 'return=OperationOutcome' }), 201);
      expect(issues).toEqual(expect.arrayContaining([expect.objectContaining({ severity: 'warning', expression: ['Patient.extension[0]'], diagnostics: expect.stringMatching(/Birth sex/) })]));
      expectOutcome(await fhir('GET', '/fhir/R4/Patient?family=outcome&_format=xml'), 406, 'not-supported');
      expect((await fhir('GET', '/fhir/R4/Patient?family=outcome&_format=json')).statusCode).toBe(200);
    });

    it('accepts application/json bodies too, and always answers application/fhir+json', async () => {
      const res = await fhir('POST', '/fhir/R4/Patient', { ...amy, name: [{ family: 'Jsonbody', given: ['Jay'] }], identifier: [], telecom: [] }, { 'content-type': 'application/json' });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
      const withCharset = await fhir('POST', '/fhir/R4/Patient', person('Charset', 'Carl', '1953-04-05'), { 'content-type': 'application/fhir+json; charset=utf-8' });
      expect(withCharset.statusCode, withCharset.body).toBe(201);
    });

    it('creates each registrable official example; twins are told apart, a second registration needs a reason', async () => {
      const files = ['patient-example.json', 'patient-example-c.json', 'patient-example-d.json', 'patient-example-f001-pieter.json',
        'patient-example-f201-roel.json', 'patient-example-mom.json', 'patient-example-xds.json', 'patient-glossy-example.json', 'uscore-Patient-example.json',
        'patient-example-infant-twin-1.json', 'patient-example-infant-twin-2.json'];
      for (const file of files) {
        const res = await fhir('POST', '/fhir/R4/Patient', example(file));
        expect(res.statusCode, `${file}: ${res.body}`).toBe(201);
      }
      // The same man again, without the identifier that would give him away: the MPI suspects a duplicate.
      const again = { ...example('patient-example.json'), identifier: [] };
      const issues = expectOutcome(await fhir('POST', '/fhir/R4/Patient', again), 409, 'duplicate');
      expect(issues[0].diagnostics).toMatch(/Likely matches: M\d+ \(certain/);
      expect(issues[0].diagnostics).toMatch(/X-Chartroom-Duplicate-Reason/);
      const forced = await fhir('POST', '/fhir/R4/Patient', again, { 'x-chartroom-duplicate-reason': 'Different man, same name and birthday: checked his passport' });
      expect(forced.statusCode, forced.body).toBe(201);
      const [event] = await auditEventsWhere(ctx(), { action: 'create', patientId: forced.json().id });
      expect(event.reason).toMatch(/checked his passport/);
    });

    // KNOWN BUG outside the facade: src/patients/candidates.ts looks up `givenCanon in ()` when a given name has no
    // Latin letters (its key list is empty); PostgreSQL refuses that SQL, so registering 张无忌 fails with 500 there.
    it('creates the Chinese example, whose name has no Latin letters', async () => {
      const res = await fhir('POST', '/fhir/R4/Patient', example('patient-example-chinese.json'));
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().name[0]).toMatchObject({ family: '张', given: ['无忌'] });
    });

    it('creates conditionally: the existing patient when one matches, 412 when several do', async () => {
      const ifNoneExist = { 'if-none-exist': 'identifier=urn:oid:1.2.36.146.595.217.0.1|12345' };
      const existing = await fhir('POST', '/fhir/R4/Patient', example('patient-example.json'), ifNoneExist);
      expect(existing.statusCode, existing.body).toBe(200);
      expect(existing.json().name[0].family).toBe('Chalmers');
      for (const [family, value, birthDate] of [['Firstof', 'T-1', '1941-01-02'], ['Secondof', 'T-2', '1942-03-04']]) {
        const res = await fhir('POST', '/fhir/R4/Patient', person(family, 'Tess', birthDate, { identifier: [{ system: 'urn:oid:7.7', value }] }));
        expect(res.statusCode, res.body).toBe(201);
      }
      expectOutcome(await fhir('POST', '/fhir/R4/Patient', amy, { 'if-none-exist': 'identifier=urn:oid:7.7|' }), 412, 'conflict');
      const fresh = await fhir('POST', '/fhir/R4/Patient', person('Brandnew', 'Bea', '1943-05-06', { identifier: [{ system: 'urn:oid:9.9', value: 'B-1' }] }), { 'if-none-exist': 'identifier=urn:oid:9.9|B-1' });
      expect(fresh.statusCode, fresh.body).toBe(201);
    });

    it('works for a records clerk signed in with a browser session (CSRF token on writes)', async () => {
      const clerk: SignedInUser = await signedInUser(app(), ctx(), 'fhir.clerk', 'records_clerk');
      const created = await send(app(), clerk.session, 'POST', '/fhir/R4/Patient', { ...amy, name: [{ family: 'Sessionmade', given: ['Sam'] }], identifier: [], telecom: [] }, { 'content-type': 'application/fhir+json' });
      expect(created.statusCode, created.body).toBe(201);
      const read = await send(app(), clerk.session, 'GET', `/fhir/R4/Patient/${created.json().id}`);
      expect(read.statusCode).toBe(200);
      const noCsrf = await app().inject({ method: 'POST', url: '/fhir/R4/Patient', headers: { cookie: clerk.session.cookie, ...FHIR }, payload: JSON.stringify(amy) });
      expectOutcome(noCsrf, 403, 'forbidden');
    });

    it('refuses the create to a nurse client, which lacks patients.write, with 403 forbidden', async () => {
      const coderToken = await apiClientToken(app(), ctx(), 'nurse');
      const res = await app().inject({ method: 'POST', url: '/fhir/R4/Patient', headers: { ...FHIR, authorization: `Bearer ${coderToken}` }, payload: JSON.stringify(amy) });
      expectOutcome(res, 403, 'forbidden');
    });

    it('shows a merged record as inactive, replaced by the survivor', async () => {
      const [a, b] = await ctx().db.selectFrom('patients').select('id').where('family', 'in', ['Jsonbody', 'Sessionmade']).orderBy('family').execute();
      const { mergePatients } = await import('../../patients/merge.js');
      await mergePatients(ctx(), SYSTEM_ACTOR, a.id, b.id, 'Same person registered twice');
      const res = await fhir('GET', `/fhir/R4/Patient/${b.id}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ active: false, link: [{ other: { reference: `Patient/${a.id}` }, type: 'replaced-by' }] });
      const merged = (await fhir('GET', `/fhir/R4/Patient?_id=${a.id},${b.id}&active=false`)).json();
      expect(merged.entry.map((e: { resource: { id: string } }) => e.resource.id)).toEqual([b.id]);
      const survivor = (await fhir('GET', `/fhir/R4/Patient/${a.id}`)).json();
      expect(survivor.identifier.filter((i: { use?: string }) => i.use === 'old')).toHaveLength(1);
    });
  });
}
