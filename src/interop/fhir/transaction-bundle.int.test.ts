import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/chartroom.js';
import { apiClientToken, expectOutcome, FHIR, type OutcomeIssue } from '../../../test/support/fhir.js';
import { auditEventsWhere, countRows, useTestApp } from '../../../test/support/http.js';

const DUPLICATE_REASON = 'https://chartroom.dev/fhir/StructureDefinition/duplicate-reason';

/** Someone the MPI will not take for anyone else: a name and birth date of their own. */
const person = (family: string, given: string, birthDate: string, extra: object = {}) =>
  ({ resourceType: 'Patient', name: [{ family, given: [given] }], gender: 'female', birthDate, ...extra });
const create = (resource: object, request: object = {}) => ({ resource, request: { method: 'POST', url: 'Patient', ...request } });
const update = (resource: { id: string; [element: string]: unknown }, request: object = {}) => ({ resource, request: { method: 'PUT', url: `Patient/${resource.id}`, ...request } });
const bundle = (type: string, entry: object[]) => ({ resourceType: 'Bundle', type, entry });

type ResponseEntry = { resource?: { id: string; name: { family: string }[] }; response: { status: string; location?: string; etag?: string; outcome?: { issue: OutcomeIssue[] } } };

for (const dialect of DIALECTS) {
  describe(`${dialect}: FHIR transaction and batch Bundles`, () => {
    const { app, ctx } = useTestApp(dialect);
    let token: string;
    const post = (payload: unknown, headers: Record<string, string> = {}, bearer = () => token) =>
      app().inject({ method: 'POST', url: '/fhir/R4', headers: { ...FHIR, authorization: `Bearer ${bearer()}`, ...headers }, payload: JSON.stringify(payload) });
    const patientsNamed = (...families: string[]) =>
      ctx().db.selectFrom('patients').select(['id', 'family', 'version', 'birthDate']).where('family', 'in', families).orderBy('family').execute();
    const createAudits = async () => (await auditEventsWhere(ctx(), { action: 'create' })).filter((e) => e.recordType === 'patient');

    it('creates and updates in one transaction and answers a transaction-response with status, location and ETag', async () => {
      token = await apiClientToken(app(), ctx(), 'records_clerk');
      const existing = await app().inject({ method: 'POST', url: '/fhir/R4/Patient', headers: { ...FHIR, authorization: `Bearer ${token}` }, payload: JSON.stringify(person('Abernathy', 'Alma', '1950-01-02')) });
      expect(existing.statusCode, existing.body).toBe(201);
      const alma = existing.json();

      const res = await post(bundle('transaction', [
        create(person('Birchwood', 'Bess', '1961-02-03', { identifier: [{ system: 'urn:oid:5.5', value: 'B-1' }] })),
        update({ ...alma, birthDate: '1950-01-03' }, { ifMatch: 'W/"1"' }),
        create(person('Castellano', 'Cleo', '1962-03-04')),
      ]));
      expect(res.statusCode, res.body).toBe(200);
      const answer = res.json() as { resourceType: string; type: string; entry: ResponseEntry[] };
      expect(answer).toMatchObject({ resourceType: 'Bundle', type: 'transaction-response' });
      expect(answer.entry.map((e) => e.response.status)).toEqual(['201 Created', '200 OK', '201 Created']);
      expect(answer.entry.map((e) => e.response.etag)).toEqual(['W/"1"', 'W/"2"', 'W/"1"']);
      expect(answer.entry[1].response.location).toBe(`Patient/${alma.id}/_history/2`);
      expect(answer.entry.map((e) => e.resource?.name[0].family)).toEqual(['Birchwood', 'Abernathy', 'Castellano']);

      const rows = await patientsNamed('Abernathy', 'Birchwood', 'Castellano');
      expect(rows.map((r) => [r.family, r.version, r.birthDate])).toEqual([['Abernathy', 2, '1950-01-03'], ['Birchwood', 1, '1961-02-03'], ['Castellano', 1, '1962-03-04']]);
      expect(answer.entry[0].response.location).toBe(`Patient/${rows[1].id}/_history/1`);
      // Each create and the update audited, with the rows they wrote.
      for (const row of rows.slice(1)) expect(await auditEventsWhere(ctx(), { action: 'create', patientId: row.id })).toHaveLength(1);
      expect(await auditEventsWhere(ctx(), { action: 'update', patientId: alma.id })).toHaveLength(1);
      // The identifier came through and is searchable.
      const found = (await app().inject({ method: 'GET', url: '/fhir/R4/Patient?identifier=urn:oid:5.5|B-1', headers: { authorization: `Bearer ${token}` } })).json();
      expect(found.total).toBe(1);
    });

    it('writes nothing when an entry is invalid, and names the entry and the element', async () => {
      const patientsBefore = await ctx().db.selectFrom('patients').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const auditBefore = await countRows(ctx(), 'auditEvents');
      const { birthDate: _none, ...noBirthDate } = person('Dunmore', 'Dora', '1963-04-05');
      const issues = expectOutcome(await post(bundle('transaction', [
        create(person('Eastwick', 'Edna', '1964-05-06')),
        create(person('Fairbanks', 'Fay', '1965-06-07')),
        create(noBirthDate),
      ])), 400, 'invalid');
      expect(issues[0].expression).toEqual(['Bundle.entry[2].resource.birthDate']);
      expect(issues[0].diagnostics).toMatch(/^Bundle entry 2: /);
      expect(await patientsNamed('Dunmore', 'Eastwick', 'Fairbanks')).toEqual([]);
      const patientsAfter = await ctx().db.selectFrom('patients').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(patientsAfter.n)).toBe(Number(patientsBefore.n));
      expect(await countRows(ctx(), 'auditEvents')).toBe(auditBefore);
    });

    it('refuses the whole transaction with 412 when an update entry names a stale version, rolling back the creates before it', async () => {
      const [alma] = await patientsNamed('Abernathy');
      const current = (await app().inject({ method: 'GET', url: `/fhir/R4/Patient/${alma.id}`, headers: { authorization: `Bearer ${token}` } })).json();
      const createsBefore = (await createAudits()).length;
      const issues = expectOutcome(await post(bundle('transaction', [
        create(person('Galloway', 'Gwen', '1966-07-08', { identifier: [{ system: 'urn:oid:5.5', value: 'G-1' }] })),
        update({ ...current, birthDate: '1950-01-04' }, { ifMatch: 'W/"1"' }),
      ])), 412, 'conflict');
      expect(issues[0].expression).toEqual(['Bundle.entry[1]']);
      expect(issues[0].diagnostics).toMatch(/^Bundle entry 1: .*version 2/);
      // Galloway was inserted before the update failed: the database transaction took her back out.
      expect(await patientsNamed('Galloway')).toEqual([]);
      expect(await ctx().db.selectFrom('patientIdentifiers').select('id').where('value', '=', 'G-1').execute()).toEqual([]);
      expect((await createAudits()).length).toBe(createsBefore);
      expect((await patientsNamed('Abernathy'))[0]).toMatchObject({ version: 2, birthDate: '1950-01-03' });
    });

    it('refuses an identifier another patient holds, and one given twice in the Bundle, naming the entry', async () => {
      const taken = expectOutcome(await post(bundle('transaction', [
        create(person('Hartley', 'Hana', '1967-08-09')),
        create(person('Ingram', 'Iris', '1968-09-10', { identifier: [{ system: 'urn:oid:5.5', value: 'B-1' }] })),
      ])), 409, 'duplicate');
      expect(taken[0].expression).toEqual(['Bundle.entry[1].resource.identifier']);
      const twice = expectOutcome(await post(bundle('transaction', [
        create(person('Hartley', 'Hana', '1967-08-09', { identifier: [{ system: 'urn:oid:5.5', value: 'H-1' }] })),
        create(person('Ingram', 'Iris', '1968-09-10', { identifier: [{ system: 'urn:oid:5.5', value: 'H-1' }] })),
      ])), 409, 'duplicate');
      expect(twice[0].diagnostics).toMatch(/^Bundle entry 1: /);
      expect(await patientsNamed('Hartley', 'Ingram')).toEqual([]);
    });

    it('catches two entries that are the same person, and creates both when the entry gives a reason', async () => {
      const jo = person('Jablonski', 'Joanna', '1969-10-11', { telecom: [{ system: 'phone', value: '(207) 555-0177' }] });
      const joAgain = person('Jablonsky', 'Jo', '1969-10-11', { telecom: [{ system: 'phone', value: '207-555-0177' }] });
      const issues = expectOutcome(await post(bundle('transaction', [create(person('Kowalczyk', 'Kim', '1970-11-12')), create(jo), create(joAgain)])), 409, 'duplicate');
      expect(issues[0].expression).toEqual(['Bundle.entry[2]']);
      expect(issues[0].diagnostics).toMatch(/^Bundle entry 2: .*Likely matches: entry 1 of this Bundle \((certain|probable|possible), score/);
      expect(await patientsNamed('Jablonski', 'Jablonsky', 'Kowalczyk')).toEqual([]);

      const reason = 'Mother and daughter share the phone; checked at the desk';
      const res = await post(bundle('transaction', [create(jo), create(joAgain, { extension: [{ url: DUPLICATE_REASON, valueString: reason }] })]));
      expect(res.statusCode, res.body).toBe(200);
      const [a, b] = await patientsNamed('Jablonski', 'Jablonsky');
      const [event] = await auditEventsWhere(ctx(), { action: 'create', patientId: b.id });
      expect(event.reason).toBe(reason);
      const queued = await ctx().db.selectFrom('duplicateCandidates').select(['patientA', 'patientB', 'status']).where('patientA', 'in', [a.id, b.id]).execute();
      expect(queued).toEqual([{ patientA: [a.id, b.id].sort()[0], patientB: [a.id, b.id].sort()[1], status: 'open' }]);
    });

    it('refuses a create that matches a patient in the index unless the header gives a reason', async () => {
      const again = person('Castellano', 'Cleo', '1962-03-04');
      const issues = expectOutcome(await post(bundle('transaction', [create(person('Lindqvist', 'Lena', '1971-12-13')), create(again)])), 409, 'duplicate');
      expect(issues[0].diagnostics).toMatch(/^Bundle entry 1: .*Likely matches: M\d+ \((certain|probable), score/);
      expect(await patientsNamed('Lindqvist')).toEqual([]);
      const res = await post(bundle('transaction', [create(again)]), { 'x-chartroom-duplicate-reason': encodeURIComponent('Two women named Cleo Castellano, born the same day: passport seen') });
      expect(res.statusCode, res.body).toBe(200);
      expect((await patientsNamed('Castellano')).length).toBe(2);
    });

    it('answers an entry whose ifNoneExist finds one patient with that patient (200), creating nothing', async () => {
      const res = await post(bundle('transaction', [create(person('Birchwood', 'Bess', '1961-02-03'), { ifNoneExist: 'identifier=urn:oid:5.5|B-1' })]));
      expect(res.statusCode, res.body).toBe(200);
      const [entry] = (res.json() as { entry: ResponseEntry[] }).entry;
      const [bess] = await patientsNamed('Birchwood');
      expect(entry.response).toMatchObject({ status: '200 OK', location: `Patient/${bess.id}/_history/1` });
      expect(await patientsNamed('Birchwood')).toHaveLength(1);
      expect((await auditEventsWhere(ctx(), { action: 'read', patientId: bess.id })).length).toBeGreaterThan(0);
    });

    it('runs each entry of a batch on its own: the good ones are created, the bad one answers its own outcome', async () => {
      const { birthDate: _none, ...noBirthDate } = person('Moreau', 'Mia', '1972-01-14');
      const res = await post(bundle('batch', [
        create(person('Nakamura', 'Nora', '1973-02-15')),
        create(noBirthDate),
        create(person('Nakamura', 'Nora', '1973-02-15')),
        create(person('Okonkwo', 'Olu', '1974-03-16')),
      ]));
      expect(res.statusCode, res.body).toBe(200);
      const answer = res.json() as { type: string; entry: ResponseEntry[] };
      expect(answer.type).toBe('batch-response');
      expect(answer.entry.map((e) => e.response.status)).toEqual(['201 Created', '400', '409', '201 Created']);
      expect(answer.entry[1].response.outcome!.issue[0].expression).toEqual(['Bundle.entry[1].resource.birthDate']);
      // The batch's third entry is the first one again, caught against the index now that the first is in it.
      expect(answer.entry[2].response.outcome!.issue[0].code).toBe('duplicate');
      expect((await patientsNamed('Moreau', 'Nakamura', 'Okonkwo')).map((r) => r.family)).toEqual(['Nakamura', 'Okonkwo']);
    });

    it('refuses a Bundle that is not a transaction or batch, and a body that is not a Bundle, with 400', async () => {
      const issues = expectOutcome(await post(bundle('searchset', [create(person('Petrov', 'Pia', '1975-04-17'))])), 400, 'not-supported');
      expect(issues[0].expression).toEqual(['Bundle.type']);
      expectOutcome(await post(person('Petrov', 'Pia', '1975-04-17')), 400, 'invalid');
      const issuesOfEntry = expectOutcome(await post(bundle('transaction', [{ resource: person('Petrov', 'Pia', '1975-04-17'), request: { method: 'DELETE', url: 'Patient/x' } }])), 400, 'not-supported');
      expect(issuesOfEntry[0].expression).toEqual(['Bundle.entry[0].request']);
      expect(await patientsNamed('Petrov')).toEqual([]);
    });

    it('refuses a nurse client (no patients.write) with 403 and a request without credentials with 401', async () => {
      const nurse = await apiClientToken(app(), ctx(), 'nurse');
      expectOutcome(await post(bundle('transaction', [create(person('Quill', 'Quinn', '1976-05-18'))]), {}, () => nurse), 403, 'forbidden');
      expectOutcome(await app().inject({ method: 'POST', url: '/fhir/R4', headers: FHIR, payload: JSON.stringify(bundle('batch', [])) }), 401, 'login');
      expect(await patientsNamed('Quill')).toEqual([]);
    });

    it('refuses to update a restricted record the client may not open, naming the entry, and writes nothing', async () => {
      const restricted = person('Ravensworth', 'Rhea', '1977-06-19', { meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }] } });
      const created = await post(bundle('transaction', [create(restricted)]));
      expect(created.statusCode, created.body).toBe(200);
      const [rhea] = await patientsNamed('Ravensworth');
      const issues = expectOutcome(await post(bundle('transaction', [
        create(person('Sandoval', 'Sia', '1978-07-20')),
        update({ ...restricted, id: rhea.id, birthDate: '1977-06-20' }),
      ])), 403, 'forbidden');
      expect(issues[0].expression).toEqual(['Bundle.entry[1]']);
      expect(await patientsNamed('Sandoval')).toEqual([]);
      expect((await patientsNamed('Ravensworth'))[0]).toMatchObject({ version: 1, birthDate: '1977-06-19' });
    });

    it('says in the CapabilityStatement that it takes transaction and batch Bundles', async () => {
      const cs = (await app().inject({ method: 'GET', url: '/fhir/R4/metadata' })).json();
      expect(cs.rest[0].interaction.map((i: { code: string }) => i.code)).toEqual(['transaction', 'batch']);
      expect(cs.rest[0].interaction[0].documentation).toMatch(/duplicate-reason/);
    });
  });
}
