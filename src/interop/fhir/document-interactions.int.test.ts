import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/chartroom.js';
import { auditEventsWhere, signedInUser, useTestApp, type SignedInUser } from '../../../test/support/http.js';
import { registerOverHttp } from '../../../test/support/patients.js';
import { sampleImage, samplePdf } from '../../../test/support/documents.js';
import { FHIR_EXAMPLES } from '../../../test/support/testdata.js';
import { AUTHENTICATED_AT_EXTENSION, DOCUMENT_SYSTEM } from './document-mapping.js';

const FHIR = { 'content-type': 'application/fhir+json', accept: 'application/fhir+json' };

function fhir(app: FastifyInstance, user: SignedInUser, method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}) {
  return app.inject({ method, url, headers: { ...FHIR, cookie: user.session.cookie, 'x-csrf-token': user.session.csrfToken, ...headers }, ...(body ? { payload: JSON.stringify(body) } : {}) });
}

function expectOutcome(res: LightMyRequestResponse, status: number) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json().resourceType).toBe('OperationOutcome');
  return res.json().issue as { code: string; diagnostics?: string; expression?: string[]; details?: { coding: { code: string }[] } }[];
}

const consultNote = (patientId: string, data: Buffer, contentType = 'application/pdf') => ({
  resourceType: 'DocumentReference',
  status: 'current',
  docStatus: 'final',
  type: { coding: [{ system: 'http://loinc.org', code: '11488-4' }] },
  subject: { reference: `Patient/${patientId}` },
  description: 'Addiction medicine consult',
  author: [{ display: 'Dr. Amara Nwosu' }],
  authenticator: { display: 'Dr. Amara Nwosu', extension: [{ url: AUTHENTICATED_AT_EXTENSION, valueDateTime: '2026-11-23T10:00:00-05:00' }] },
  securityLabel: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'ETH' }] }],
  context: { period: { start: '2026-11-23' } },
  content: [{ attachment: { contentType, data: data.toString('base64'), title: 'consult.pdf' } }],
});

for (const dialect of DIALECTS) {
  describe(`${dialect}: FHIR DocumentReference and Binary`, () => {
    const { app, ctx } = useTestApp(dialect);

    it('files a document from inline data, reads it back, serves each version as a Binary, and finds it by patient', async () => {
      const clerk = await signedInUser(app(), ctx(), 'fdoc.clerk', 'records_clerk');
      const patientId = await registerOverHttp(app(), clerk, 'Nakamura');
      const pdf = await samplePdf(2, 'Consult note');
      const created = await fhir(app(), clerk, 'POST', '/fhir/R4/DocumentReference', consultNote(patientId, pdf));
      expect(created.statusCode, created.body).toBe(201);
      const body = created.json();
      expect(created.headers.location).toBe(`/fhir/R4/DocumentReference/${body.id}`);
      expect(body).toMatchObject({
        resourceType: 'DocumentReference', status: 'current', docStatus: 'final', meta: { versionId: '1' },
        type: { coding: [{ system: 'http://loinc.org', code: '11488-4', display: 'Consult note' }] },
        category: [{ coding: [{ system: DOCUMENT_SYSTEM.usCoreCategory, code: 'clinical-note' }, { system: DOCUMENT_SYSTEM.category, code: 'clinical-note' }] }],
        subject: { reference: `Patient/${patientId}` }, author: [{ display: 'Dr. Amara Nwosu' }],
        authenticator: { display: 'Dr. Amara Nwosu', extension: [{ url: AUTHENTICATED_AT_EXTENSION, valueDateTime: '2026-11-23T15:00:00.000Z' }] },
        securityLabel: [{ coding: [{ system: DOCUMENT_SYSTEM.sensitivity, code: 'substance-use-disorder' }, { code: 'ETH' }] }],
        content: [{ attachment: { contentType: 'application/pdf', url: `Binary/${body.id}.1`, size: pdf.length, title: 'consult.pdf' } }],
        context: { period: { start: '2026-11-23' } },
      });
      expect((await fhir(app(), clerk, 'GET', `/fhir/R4/DocumentReference/${body.id}`)).json()).toEqual(body);

      const raw = await app().inject({ method: 'GET', url: `/fhir/R4/${body.content[0].attachment.url}`, headers: { cookie: clerk.session.cookie, accept: '*/*' } });
      expect(raw.statusCode).toBe(200);
      expect(raw.headers['content-type']).toBe('application/pdf');
      expect(raw.rawPayload.equals(pdf)).toBe(true);
      const asResource = await fhir(app(), clerk, 'GET', `/fhir/R4/Binary/${body.id}.1`);
      expect(asResource.json()).toMatchObject({ resourceType: 'Binary', contentType: 'application/pdf', data: pdf.toString('base64') });
      expectOutcome(await fhir(app(), clerk, 'GET', `/fhir/R4/Binary/${body.id}.2`), 404);
      const contentReads = await auditEventsWhere(ctx(), { recordId: body.id });
      expect(contentReads.map((e) => [e.action, e.recordType])).toEqual([['create', 'document'], ['read', 'document'], ['read', 'document_content'], ['read', 'document_content']]);

      const found = async (query: string) => {
        const res = await fhir(app(), clerk, 'GET', `/fhir/R4/DocumentReference?${query}`);
        expect(res.statusCode, res.body).toBe(200);
        return (res.json().entry ?? []).filter((e: { search: { mode: string } }) => e.search.mode === 'match').length;
      };
      expect(await found(`patient=${patientId}`)).toBe(1);
      expect(await found(`subject=Patient/${patientId}&type=http://loinc.org|11488-4&category=clinical-note&status=current`)).toBe(1);
      expect(await found(`patient=${patientId}&type=18842-5`)).toBe(0);
      expect(await found(`patient=${patientId}&date=ge2026-11-25&date=le2026-11-25`)).toBe(1);
      expect(await found(`patient=${patientId}&date=lt2026-11-25`)).toBe(0);
      expect(await found(`patient=${patientId}&period=2026-11-23`)).toBe(1);
      expect(await found(`patient=${patientId}&period=gt2026-11-23`)).toBe(0);
      expect(await found(`patient=${patientId}&status=entered-in-error`)).toBe(0);
      expectOutcome(await fhir(app(), clerk, 'GET', '/fhir/R4/DocumentReference?type=11488-4'), 400);
    });

    it('refuses what it cannot file: the official example (content by URL, authors by reference), and bytes that are not what they claim', async () => {
      const clerk = await signedInUser(app(), ctx(), 'fdoc.refused', 'records_clerk');
      const patientId = await registerOverHttp(app(), clerk, 'Oyelaran');
      const official = { ...JSON.parse(readFileSync(join(FHIR_EXAMPLES, 'documentreference-example.json'), 'utf8')), id: undefined, subject: { reference: `Patient/${patientId}` } };
      const issues = expectOutcome(await fhir(app(), clerk, 'POST', '/fhir/R4/DocumentReference', official), 400);
      const expressions = issues.flatMap((i) => i.expression ?? []);
      expect(expressions.sort()).toEqual(['DocumentReference.authenticator.display', 'DocumentReference.author', 'DocumentReference.content.attachment.data']);

      const mismatch = expectOutcome(await fhir(app(), clerk, 'POST', '/fhir/R4/DocumentReference', consultNote(patientId, await sampleImage('png'))), 400);
      expect(mismatch[0].details?.coding[0].code).toBe('document.type-mismatch');
      const noPatient = expectOutcome(await fhir(app(), clerk, 'POST', '/fhir/R4/DocumentReference', consultNote('no-such-patient', await samplePdf())), 400);
      expect(noPatient[0].expression).toEqual(['DocumentReference.subject']);
      expect(await ctx().db.selectFrom('documents').select('id').where('patientId', '=', patientId).execute()).toEqual([]);
    });

    it('lists DocumentReference and Binary in the CapabilityStatement', async () => {
      const res = await app().inject({ method: 'GET', url: '/fhir/R4/metadata' });
      const resources = res.json().rest[0].resource as { type: string; searchParam?: { name: string }[] }[];
      expect(resources.map((r) => r.type)).toEqual(expect.arrayContaining(['DocumentReference', 'Binary']));
      expect(resources.find((r) => r.type === 'DocumentReference')!.searchParam!.map((p) => p.name)).toEqual(['patient', 'subject', 'type', 'category', 'date', 'period', 'status']);
    });
  });
}
