import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/chartroom.js';
import { auditEventsWhere, send, signedInUser, useTestApp, type SignedInUser } from '../../../test/support/http.js';

interface Bundle {
  resourceType: string;
  type: string;
  total: number;
  link: { relation: string; url: string }[];
  entry: { fullUrl?: string; resource: { resourceType: string; id: string; name?: { family: string; given: string[] }[]; issue?: { severity: string; diagnostics: string }[] }; search: { mode: string; score?: number; extension?: { url: string; valueCode: string }[] } }[];
}

const MATCH_GRADE = 'http://hl7.org/fhir/StructureDefinition/match-grade';

const patient = (family: string, given: string[], birthDate: string, gender: string, extra: object = {}) => ({
  resourceType: 'Patient', name: [{ use: 'official', family, given }], birthDate, gender, ...extra,
});

const william: Record<string, unknown> = patient('Okafor', ['William', 'James'], '1958-04-12', 'male', {
  telecom: [{ system: 'phone', value: '(207) 555-0142', use: 'mobile' }, { system: 'email', value: 'w.okafor@example.org' }],
  address: [{ use: 'home', line: ['12 Harbor Lane'], city: 'Portland', state: 'ME', postalCode: '04101', country: 'US' }],
  identifier: [{ system: 'urn:oid:2.2', value: 'A-1' }],
});
const PEOPLE = [
  william,
  patient('Okafor', ['Ada'], '1960-02-01', 'female', { address: [{ line: ['12 Harbor Lane'], city: 'Portland', postalCode: '04101', country: 'US' }] }),
  patient('Okonkwo', ['Chidi'], '1975-06-30', 'male', { address: [{ line: ['3 Elm St'], city: 'Portland', postalCode: '04102', country: 'US' }] }),
  patient('Smith', ['Jonathan'], '1980-03-07', 'male', { telecom: [{ system: 'phone', value: '617-555-0100' }] }),
  { ...patient('Doe', ['Jane'], '1990-10-10', 'female'), name: [{ use: 'official', family: 'Doe', given: ['Jane'] }, { use: 'maiden', family: 'Müller', given: ['Jane'] }] },
  { ...patient('Hidden', ['Harriet'], '1970-01-01', 'female'), meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }] } },
];
const PAGER_GIVEN = ['Alma', 'Bruno', 'Cora', 'Dante', 'Edith', 'Felix', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kira', 'Lars', 'Mona', 'Nils', 'Olga', 'Paul', 'Quinn', 'Rosa', 'Sven', 'Tara', 'Uwe', 'Vera', 'Walt', 'Xena', 'Yuri'];

for (const dialect of DIALECTS) {
  describe(`${dialect}: FHIR Patient search and $match`, () => {
    const { app, ctx } = useTestApp(dialect);
    let clerk: SignedInUser;
    const ids = new Map<string, string>();
    const get = (query: string, headers: Record<string, string> = {}) => send(app(), clerk.session, 'GET', `/fhir/R4/Patient?${query}`, undefined, headers);
    const bundle = (res: LightMyRequestResponse): Bundle => {
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
      return res.json() as Bundle;
    };
    const families = (b: Bundle) => b.entry.filter((e) => e.search.mode === 'match').map((e) => `${e.resource.name![0].given[0]} ${e.resource.name![0].family}`);

    beforeAll(async () => {
      clerk = await signedInUser(app(), ctx(), 'search.clerk', 'records_clerk');
      const create = async (resource: object) => {
        const res = await send(app(), clerk.session, 'POST', '/fhir/R4/Patient', resource, { 'content-type': 'application/fhir+json', 'x-chartroom-duplicate-reason': 'Test population' });
        expect(res.statusCode, res.body).toBe(201);
        return res.json() as { id: string; name: { given: string[] }[]; identifier: { value: string }[] };
      };
      for (const p of PEOPLE) {
        const created = await create(p);
        ids.set(created.name[0].given[0], created.id);
      }
      for (const [i, given] of PAGER_GIVEN.entries()) await create(patient('Pager', [given], `19${50 + i}-05-0${1 + (i % 9)}`, i % 2 ? 'male' : 'female'));
    });

    it('finds by family name as a prefix, ignoring case and accents, previous names included', async () => {
      expect(families(bundle(await get('family=oka')))).toEqual(['Ada Okafor', 'William Okafor']);
      expect(families(bundle(await get('family=OKAFOR')))).toEqual(['Ada Okafor', 'William Okafor']);
      expect(families(bundle(await get('family=muller')))).toEqual(['Jane Doe']);
      expect(families(bundle(await get('family=okonkwo,smith')))).toEqual(['Chidi Okonkwo', 'Jonathan Smith']);
    });

    it('finds by given name: a nickname alone, a prefix beside the family name, and by any name', async () => {
      expect(families(bundle(await get('given=Bill')))).toEqual(['William Okafor']);
      expect(families(bundle(await get('family=okafor&given=wil')))).toEqual(['William Okafor']);
      expect(families(bundle(await get('name=okon')))).toEqual(['Chidi Okonkwo']);
      expect(families(bundle(await get('name=ada')))).toEqual(['Ada Okafor']);
    });

    it('finds by birth date: a day, a year, and a range with ge and le', async () => {
      expect(families(bundle(await get('birthdate=1958-04-12')))).toEqual(['William Okafor']);
      expect(families(bundle(await get('birthdate=1958')))).toEqual(['William Okafor', 'Ines Pager']);
      expect(families(bundle(await get('birthdate=1958-04')))).toEqual(['William Okafor']);
      expect(families(bundle(await get('birthdate=ge1975-01-01&birthdate=le1980-12-31')))).toEqual(['Chidi Okonkwo', 'Jonathan Smith']);
      expect(families(bundle(await get('birthdate=gt1980-03-07&birthdate=lt1991')))).toEqual(['Jane Doe']);
    });

    it('finds by gender, phone, e-mail, postal code, identifier and id', async () => {
      expect(families(bundle(await get('family=okafor&gender=female')))).toEqual(['Ada Okafor']);
      expect(families(bundle(await get('phone=2075550142')))).toEqual(['William Okafor']);
      expect(families(bundle(await get('phone=(617)%20555-0100')))).toEqual(['Jonathan Smith']);
      expect(families(bundle(await get('email=W.Okafor@Example.org')))).toEqual(['William Okafor']);
      expect(families(bundle(await get('address-postalcode=0410')))).toEqual(['Ada Okafor', 'William Okafor', 'Chidi Okonkwo']);
      expect(families(bundle(await get('identifier=urn:oid:2.2|A-1')))).toEqual(['William Okafor']);
      expect(families(bundle(await get('identifier=A-1')))).toEqual(['William Okafor']);
      const read = bundle(await get(`_id=${ids.get('William')},${ids.get('Chidi')}`));
      expect(families(read)).toEqual(['William Okafor', 'Chidi Okonkwo']);
      const mrn = (await send(app(), clerk.session, 'GET', `/fhir/R4/Patient/${ids.get('Ada')}`)).json().identifier[0].value;
      expect(families(bundle(await get(`identifier=${encodeURIComponent(`${ctx().config.mrnSystem}|${mrn}`)}`)))).toEqual(['Ada Okafor']);
      expect(bundle(await get('identifier=urn:oid:2.2|nobody')).total).toBe(0);
    });

    it('pages with _count and _offset: total, self, next and previous links, full URLs, each returned patient audited once', async () => {
      const before = (await auditEventsWhere(ctx(), { action: 'read' })).filter((e) => e.recordType === 'patient_search_result').length;
      const first = bundle(await get('family=pager&_count=10'));
      expect(first).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 25 });
      expect(first.entry).toHaveLength(10);
      expect(first.entry[0].fullUrl).toMatch(new RegExp(`/fhir/R4/Patient/${first.entry[0].resource.id}$`));
      expect(first.entry.every((e) => e.search.mode === 'match')).toBe(true);
      const next = first.link.find((l) => l.relation === 'next')!.url;
      expect(next).toMatch(/_offset=10/);
      expect(first.link.find((l) => l.relation === 'self')!.url).toMatch(/family=pager&_count=10&_offset=0/);
      const second = bundle(await send(app(), clerk.session, 'GET', new URL(next).pathname + new URL(next).search));
      expect(second.entry).toHaveLength(10);
      expect(second.entry.map((e) => e.resource.id)).not.toContain(first.entry[0].resource.id);
      const last = bundle(await get('family=pager&_count=10&_offset=20'));
      expect(last.entry).toHaveLength(5);
      expect(last.link.map((l) => l.relation)).toEqual(['self', 'first', 'previous']);
      const after = (await auditEventsWhere(ctx(), { action: 'read' })).filter((e) => e.recordType === 'patient_search_result').length;
      expect(after - before).toBe(25);
      expect(bundle(await get('family=pager&_count=500')).entry).toHaveLength(25);
    });

    it('withholds a restricted record from a clerk, saying so in an outcome entry', async () => {
      const b = bundle(await get('family=hidden'));
      expect(b.total).toBe(1);
      expect(families(b)).toEqual([]);
      const outcome = b.entry.find((e) => e.search.mode === 'outcome')!.resource;
      expect(outcome.issue![0].diagnostics).toMatch(/1 matching restricted record is withheld/);
      expect(JSON.stringify(b)).not.toMatch(/Harriet/);
    });

    it('refuses an unknown parameter or modifier with 400 naming it, unless Prefer: handling=lenient', async () => {
      const res = await get('family=okafor&shoe-size=9');
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-supported', diagnostics: expect.stringMatching(/shoe-size/) }] });
      expect((await get('family:exact=Okafor')).json().issue[0].diagnostics).toMatch(/modifier :exact/);
      expect((await get('birthdate=12/04/1958')).statusCode).toBe(400);
      expect((await get('gender=m')).statusCode).toBe(400);
      const lenient = bundle(await get('family=okafor&shoe-size=9', { prefer: 'handling=lenient' }));
      expect(families(lenient)).toEqual(['Ada Okafor', 'William Okafor']);
      expect(lenient.entry.at(-1)!.resource.issue![0]).toMatchObject({ severity: 'warning', diagnostics: expect.stringMatching(/shoe-size/) });
      expect(lenient.link[0].url).not.toMatch(/shoe-size/);
    });

    it('searches with POST /Patient/_search and form parameters too', async () => {
      const res = await send(app(), clerk.session, 'POST', '/fhir/R4/Patient/_search', 'family=okonkwo', { 'content-type': 'application/x-www-form-urlencoded' });
      expect(families(bundle(res))).toEqual(['Chidi Okonkwo']);
    });

    const match = (resource: object, more: object[] = []) =>
      send(app(), clerk.session, 'POST', '/fhir/R4/Patient/$match', { resourceType: 'Parameters', parameter: [{ name: 'resource', resource }, ...more] }, { 'content-type': 'application/fhir+json' });

    it('$match answers graded candidates with scores, best first, each an audited read', async () => {
      const { identifier: _i, ...sameWilliam } = william;
      const b = bundle(await match(sameWilliam));
      expect(b.type).toBe('searchset');
      expect(b.entry[0].resource.id).toBe(ids.get('William'));
      expect(b.entry[0].search.mode).toBe('match');
      expect(b.entry[0].search.score).toBeGreaterThan(0.9);
      expect(b.entry[0].search.score).toBeLessThanOrEqual(1);
      expect(b.entry[0].search.extension).toEqual([{ url: MATCH_GRADE, valueCode: 'certain' }]);
      const scores = b.entry.map((e) => e.search.score!);
      expect([...scores].sort((x, y) => y - x)).toEqual(scores);
      const audited = (await auditEventsWhere(ctx(), { patientId: ids.get('William') })).filter((e) => e.recordType === 'patient_match_result');
      expect(audited.length).toBeGreaterThanOrEqual(1);
    });

    it('$match with onlyCertainMatches leaves out probable and possible ones, and count limits the answer', async () => {
      const bill = patient('Okafor', ['Bill'], '1958-04-12', 'male', { address: [{ line: ['12 Harbor Lane'], city: 'Portland', postalCode: '04101', country: 'US' }] });
      const all = bundle(await match(bill));
      expect(all.entry.length).toBeGreaterThanOrEqual(1);
      const grades = all.entry.map((e) => e.search.extension![0].valueCode);
      for (const g of grades) expect(['certain', 'probable', 'possible']).toContain(g);
      const certain = bundle(await match(bill, [{ name: 'onlyCertainMatches', valueBoolean: true }]));
      expect(certain.entry.map((e) => e.resource.id)).toEqual(all.entry.filter((e) => e.search.extension![0].valueCode === 'certain').map((e) => e.resource.id));
      const { identifier: _i, ...sameWilliam } = william;
      const one = bundle(await match(sameWilliam, [{ name: 'count', valueInteger: 1 }]));
      expect(one.entry).toHaveLength(1);
      expect(bundle(await match(patient('Nobody', ['Known'], '2001-01-01', 'female'))).entry).toEqual([]);
    });

    it('$match refuses input that is not Parameters with a Patient, naming the element', async () => {
      const notParameters = await send(app(), clerk.session, 'POST', '/fhir/R4/Patient/$match', william, { 'content-type': 'application/fhir+json' });
      expect(notParameters.statusCode).toBe(400);
      expect(notParameters.json().issue[0].expression).toEqual(['Parameters.resourceType']);
      const noBirth = await match({ resourceType: 'Patient', name: [{ family: 'Okafor', given: ['William'] }] });
      expect(noBirth.statusCode).toBe(400);
      expect(noBirth.json().issue[0].expression).toEqual(['Patient.birthDate']);
      const badCount = await match(william, [{ name: 'count', valueInteger: 0 }]);
      expect(badCount.json().issue[0].expression).toEqual(['Parameters.parameter[1].valueInteger']);
    });
  });
}
