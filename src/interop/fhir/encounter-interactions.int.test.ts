import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/chartroom.js';
import { auditEventsWhere, send, signedInUser, useTestApp, type SignedInUser } from '../../../test/support/http.js';
import { patientInput } from '../../../test/support/patients.js';
import { FHIR_EXAMPLES } from '../../../test/support/testdata.js';

const example = (name: string) => JSON.parse(readFileSync(join(FHIR_EXAMPLES, name), 'utf8'));
const FHIR = { 'content-type': 'application/fhir+json', accept: 'application/fhir+json' };
const ACT = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';

function fhir(app: FastifyInstance, user: SignedInUser, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, headers: Record<string, string> = {}) {
  return app.inject({ method, url, headers: { ...FHIR, cookie: user.session.cookie, 'x-csrf-token': user.session.csrfToken, ...headers }, ...(body ? { payload: JSON.stringify(body) } : {}) });
}

function expectOutcome(res: LightMyRequestResponse, status: number) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json().resourceType).toBe('OperationOutcome');
  return res.json().issue as { code: string; diagnostics?: string; expression?: string[] }[];
}

let born = 0;
async function patient(app: FastifyInstance, user: SignedInUser, family: string): Promise<string> {
  born += 1;
  const res = await send(app, user.session, 'POST', '/api/patients', patientInput({ family, given: `G${born}`, birthDate: `19${50 + born}-03-0${1 + (born % 9)}`, ssn: undefined, phones: [], email: undefined, addresses: [] }));
  expect(res.statusCode, res.body).toBe(201);
  return res.json().patient.id;
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: FHIR Encounter`, () => {
    const { app, ctx } = useTestApp(dialect);

    it('creates the official example as an admission of our patient, reads it back, and refuses locations it cannot place', async () => {
      const registrar = await signedInUser(app(), ctx(), 'fenc.registrar', 'registrar');
      const patientId = await patient(app(), registrar, 'Halvorsen');
      const resource = { ...example('encounter-example.json'), id: undefined, subject: { reference: `Patient/${patientId}` } };
      const created = await fhir(app(), registrar, 'POST', '/fhir/R4/Encounter', resource);
      expect(created.statusCode, created.body).toBe(201);
      const body = created.json();
      expect(body).toMatchObject({ resourceType: 'Encounter', status: 'in-progress', class: { system: ACT, code: 'IMP' }, subject: { reference: `Patient/${patientId}` }, meta: { versionId: '1' } });
      expect(body.identifier[0].value).toMatch(/^V\d{8}$/);
      expect(created.headers.location).toBe(`/fhir/R4/Encounter/${body.id}`);
      const read = await fhir(app(), registrar, 'GET', `/fhir/R4/Encounter/${body.id}`);
      expect(read.headers.etag).toBe('W/"1"');
      expect(read.json().period.start).toBe(body.period.start);

      const emerg = { ...example('encounter-example-emerg.json'), id: undefined, subject: { reference: `Patient/${patientId}` } };
      const issues = expectOutcome(await fhir(app(), registrar, 'POST', '/fhir/R4/Encounter', emerg), 400);
      expect(issues[0].expression).toEqual(['Encounter.location.location.identifier']);
      expect(await ctx().db.selectFrom('encounters').select('id').where('patientId', '=', patientId).execute()).toHaveLength(1);
    });

    it('records a past visit whole, and updates a visit into a transfer then a discharge, with If-Match', async () => {
      const registrar = await signedInUser(app(), ctx(), 'fenc.updater', 'registrar');
      const patientId = await patient(app(), registrar, 'Mbeki');
      const past = await fhir(app(), registrar, 'POST', '/fhir/R4/Encounter', {
        resourceType: 'Encounter', status: 'finished', class: { system: ACT, code: 'AMB' }, subject: { reference: `Patient/${patientId}` },
        identifier: [{ system: 'urn:chartroom:visit-number', value: 'OP-77' }], period: { start: '2026-10-01T09:00:00Z', end: '2026-10-01T10:00:00Z' },
        reasonCode: [{ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'I10' }], text: 'Hypertension' }],
      });
      expect(past.statusCode, past.body).toBe(201);
      expect(past.json()).toMatchObject({ status: 'finished', period: { end: '2026-10-01T10:00:00.000Z' }, reasonCode: [{ coding: [{ code: 'I10' }], text: 'Hypertension' }] });

      const admitted = (await fhir(app(), registrar, 'POST', '/fhir/R4/Encounter', {
        resourceType: 'Encounter', status: 'in-progress', class: { system: ACT, code: 'IMP' }, subject: { reference: `Patient/${patientId}` },
        period: { start: '2026-11-20T08:00:00Z' }, location: [{ location: { identifier: { system: 'urn:chartroom:location', value: '6E/601/A' } }, status: 'active' }],
        participant: [{ type: [{ coding: [{ code: 'ATND' }] }], individual: { identifier: { system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' }, display: 'Dr Osei' } }],
      })).json();
      expect(admitted.location).toEqual([expect.objectContaining({ status: 'active', location: expect.objectContaining({ identifier: { system: 'urn:chartroom:location', value: '6E/601/A' } }) })]);

      const moved = { ...admitted, location: [{ location: { identifier: { system: 'urn:chartroom:location', value: 'ICU/2' } }, status: 'active' }] };
      const transferred = await fhir(app(), registrar, 'PUT', `/fhir/R4/Encounter/${admitted.id}`, moved, { 'if-match': 'W/"1"' });
      expect(transferred.statusCode, transferred.body).toBe(200);
      expect(transferred.json().location.map((l: { status: string; location: { identifier: { value: string } } }) => [l.location.identifier.value, l.status])).toEqual([['6E/601/A', 'completed'], ['ICU/2', 'active']]);
      const version = transferred.json().meta.versionId;

      expectOutcome(await fhir(app(), registrar, 'PUT', `/fhir/R4/Encounter/${admitted.id}`, { ...moved, status: 'finished', period: { start: '2026-11-20T08:00:00Z', end: '2026-11-25T08:00:00Z' } }, { 'if-match': 'W/"1"' }), 412);
      const discharged = await fhir(app(), registrar, 'PUT', `/fhir/R4/Encounter/${admitted.id}`, {
        ...moved, status: 'finished', period: { start: '2026-11-20T08:00:00Z', end: '2026-11-25T08:00:00Z' },
        hospitalization: { dischargeDisposition: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0112', code: '01' }], text: 'Home' } },
      }, { 'if-match': `W/"${version}"` });
      expect(discharged.statusCode, discharged.body).toBe(200);
      expect(discharged.json()).toMatchObject({ status: 'finished', period: { end: '2026-11-25T08:00:00.000Z' }, hospitalization: { dischargeDisposition: { text: 'Home' } } });
      const refused = expectOutcome(await fhir(app(), registrar, 'PUT', `/fhir/R4/Encounter/${admitted.id}`, { ...moved, status: 'planned', meta: undefined }), 409);
      expect(refused[0].code).toBe('business-rule');
    });

    it('searches by patient, status, class, date, location and identifier, with paging, auditing each result', async () => {
      const clerk = await signedInUser(app(), ctx(), 'fenc.searcher', 'records_clerk');
      const patientId = await patient(app(), clerk, 'Szabo');
      const admit = (visitNumber: string, at: string, unit: string, cls = 'inpatient') =>
        send(app(), clerk.session, 'POST', '/api/encounters', { patientId, type: cls === 'inpatient' ? 'admit' : 'register', at, visitNumber, details: { class: cls, location: { unit } } }).then((r) => r.json().encounter);
      const first = await admit('S-1', '2026-09-01T10:00:00Z', '3W');
      await send(app(), clerk.session, 'POST', `/api/encounters/${first.id}/events`, { version: 1, event: { type: 'discharge', at: '2026-09-05T10:00:00Z' } });
      await admit('S-2', '2026-11-01T10:00:00Z', 'ED', 'emergency');
      const ids = async (query: string) => {
        const res = await fhir(app(), clerk, 'GET', `/fhir/R4/Encounter?patient=Patient/${patientId}&${query}`);
        expect(res.statusCode, res.body).toBe(200);
        return (res.json().entry ?? []).filter((e: { search: { mode: string } }) => e.search.mode === 'match').map((e: { resource: { identifier: { value: string }[] } }) => e.resource.identifier[0].value);
      };
      expect(await ids('_count=10')).toEqual(['S-2', 'S-1']);
      expect(await ids('status=finished')).toEqual(['S-1']);
      expect(await ids(`class=${ACT}|EMER`)).toEqual(['S-2']);
      expect(await ids('date=2026-09-03')).toEqual(['S-1']);
      expect(await ids('date=ge2026-10-01')).toEqual(['S-2']);
      expect(await ids('date=lt2026-09-01')).toEqual([]);
      expect(await ids('location=3W')).toEqual(['S-1']);
      expect(await ids('identifier=urn:chartroom:visit-number|S-2')).toEqual(['S-2']);
      const paged = (await fhir(app(), clerk, 'GET', `/fhir/R4/Encounter?subject=${patientId}&_count=1`)).json();
      expect(paged.total).toBe(2);
      expect(paged.link.find((l: { relation: string }) => l.relation === 'next').url).toContain('_offset=1');
      expectOutcome(await fhir(app(), clerk, 'GET', '/fhir/R4/Encounter?ward=3W'), 400);
      expectOutcome(await fhir(app(), clerk, 'GET', '/fhir/R4/Encounter?date=yesterday'), 400);
      const audited = (await auditEventsWhere(ctx(), { action: 'read', patientId })).filter((e) => e.recordType === 'encounter_search_result');
      expect(audited).toHaveLength(9); // one per visit handed out, over the nine searches above
    });

    it('lists Encounter in the CapabilityStatement and keeps it from roles without encounters.read', async () => {
      const auditor = await signedInUser(app(), ctx(), 'fenc.auditor', 'auditor');
      const meta = (await app().inject({ method: 'GET', url: '/fhir/R4/metadata' })).json();
      const encounter = meta.rest[0].resource.find((r: { type: string }) => r.type === 'Encounter');
      expect(encounter.searchParam.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['patient', 'subject', 'status', 'date', 'class', 'location', 'identifier']));
      expectOutcome(await fhir(app(), auditor, 'GET', '/fhir/R4/Encounter?status=finished'), 403);
    });
  });
}
