import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { createApiClient } from '../../src/access/api-clients.js';
import { SYSTEM_ACTOR } from '../../src/audit/actions.js';

/** Steps shared by the FHIR facade's `*.int.test.ts` suites. */

export const FHIR = { 'content-type': 'application/fhir+json', accept: 'application/fhir+json' };

export type OutcomeIssue = { severity: string; code: string; diagnostics?: string; expression?: string[] };

/** Asserts an OperationOutcome answer with this status and returns its issues. */
export function expectOutcome(res: LightMyRequestResponse, status: number, code?: string): OutcomeIssue[] {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
  const outcome = res.json() as { resourceType: string; issue: OutcomeIssue[] };
  expect(outcome.resourceType).toBe('OperationOutcome');
  if (code) expect(outcome.issue.map((i) => i.code)).toContain(code);
  return outcome.issue;
}

/** An API client with this role, and the Bearer token it gets by client credentials. */
export async function apiClientToken(app: FastifyInstance, ctx: Parameters<typeof createApiClient>[0], role: string): Promise<string> {
  const client = await createApiClient(ctx, SYSTEM_ACTOR, `fhir-test-${role}`, role);
  const res = await app.inject({
    method: 'POST', url: '/oauth2/token', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ grant_type: 'client_credentials', ...client }).toString(),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().access_token;
}
