import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/support/server.js';
import { createApiClient } from '../../access/api-clients.js';
import { SYSTEM_ACTOR } from '../../audit/actions.js';
import { FHIR_EXAMPLES } from '../../../test/support/testdata.js';

/**
 * An outside FHIR client's view: the real server listening on a port, reached with plain fetch and an
 * OAuth client-credentials token. (fhir-kit-client would be the natural client here, but it is not a
 * dependency of the project; fetch speaks the same HTTP.) The server runs on SQLite, as startTestServer does.
 */
describe('FHIR R4 over HTTP, as an API client sees it', () => {
  let server: TestServer;
  let token: string;
  const fhir = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}/fhir/R4${path}`, {
      ...init,
      headers: { accept: 'application/fhir+json', 'content-type': 'application/fhir+json', authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
    });

  beforeAll(async () => {
    server = await startTestServer();
    const client = await createApiClient(server.running.chartroom, SYSTEM_ACTOR, 'registration interface', 'records_clerk');
    const res = await fetch(`${server.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', ...client }),
    });
    expect(res.status).toBe(200);
    token = ((await res.json()) as { access_token: string }).access_token;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('reads the CapabilityStatement, creates the US Core example, reads, searches and matches it', async () => {
    const metadata = await fetch(`${server.url}/fhir/R4/metadata`);
    expect(metadata.status).toBe(200);
    expect(metadata.headers.get('content-type')).toBe('application/fhir+json; charset=utf-8');
    expect(((await metadata.json()) as { fhirVersion: string }).fhirVersion).toBe('4.0.1');

    const resource = readFileSync(join(FHIR_EXAMPLES, 'uscore-Patient-example.json'), 'utf8');
    const created = await fhir('/Patient', { method: 'POST', body: resource });
    expect(created.status).toBe(201);
    const location = created.headers.get('location')!;
    expect(location).toMatch(/^\/fhir\/R4\/Patient\/[^/]+\/_history\/1$/);
    const id = location.split('/')[4];

    const read = await fhir(`/Patient/${id}`);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('W/"1"');
    expect(read.headers.get('cache-control')).toBe('no-store');
    const patient = (await read.json()) as { name: { family: string }[]; extension: { url: string }[] };
    expect(patient.name[0].family).toBe('Shaw');
    expect(patient.extension.map((e) => e.url)).toEqual(expect.arrayContaining(['http://hl7.org/fhir/us/core/StructureDefinition/us-core-race']));

    const search = await fhir('/Patient?family=shaw&birthdate=2007-02-20');
    const bundle = (await search.json()) as { total: number; entry: { fullUrl: string }[] };
    expect(bundle.total).toBe(1);
    expect(bundle.entry[0].fullUrl).toBe(`${server.url}/fhir/R4/Patient/${id}`);

    const match = await fhir('/Patient/$match', { method: 'POST', body: JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: 'resource', resource: JSON.parse(resource) }, { name: 'onlyCertainMatches', valueBoolean: true }] }) });
    const matched = (await match.json()) as { entry: { resource: { id: string }; search: { score: number } }[] };
    expect(matched.entry.map((e) => e.resource.id)).toEqual([id]);

    const unauthenticated = await fetch(`${server.url}/fhir/R4/Patient/${id}`);
    expect(unauthenticated.status).toBe(401);
    expect(((await unauthenticated.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
  });
});
