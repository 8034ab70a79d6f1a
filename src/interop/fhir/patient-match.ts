import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { Demographics } from '../../patients/index.js';
import { findMatchCandidates, sealIdentifiers, storedDemographics, toMatchRecord, type MatchCandidate } from '../../patients/index.js';
import { fhirError } from './operation-outcome.js';
import { demographicsFromFhir } from './patient-mapping.js';
import { fhirPathOf } from './patient-shape.js';

/**
 * Patient/$match (https://hl7.org/fhir/R4/patient-operation-match.html): the MPI's graded candidates
 * for a Patient that is not stored. The input Parameters are checked here; the answer is built by the
 * route (a searchset whose entries carry score and match-grade).
 */

export const MATCH_DEFAULT_COUNT = 10;
export const MATCH_MAX_COUNT = 50;

const Parameter = z.looseObject({
  name: z.string(),
  resource: z.unknown().optional(),
  valueInteger: z.number().int().optional(),
  valueBoolean: z.boolean().optional(),
});
const MatchParameters = z.looseObject({
  resourceType: z.literal('Parameters', 'Send a Parameters resource.'),
  parameter: z.array(Parameter).min(1, 'Give at least the resource parameter.'),
});

export interface MatchRequest {
  demographics: Demographics;
  count: number;
  onlyCertainMatches: boolean;
}

/** Reads the $match input: `resource` (a Patient, required), `count`, `onlyCertainMatches`. */
export function parseMatchRequest(body: unknown, mrnSystem: string): MatchRequest {
  const parsed = MatchParameters.safeParse(body);
  if (!parsed.success) {
    throw fhirError.invalidResource(parsed.error.issues.map((i) => ({ expression: fhirPathOf(i.path, 'Parameters'), diagnostics: i.message })), 'Parameters resource');
  }
  const params = parsed.data.parameter;
  const at = (name: string) => params.findIndex((p) => p.name === name);
  const resourceAt = at('resource');
  if (resourceAt < 0 || params[resourceAt].resource === undefined) {
    throw fhirError.invalidResource([{ expression: 'Parameters.parameter', diagnostics: 'Give the Patient to match as the parameter named resource.' }], 'Parameters resource');
  }
  const mapped = demographicsFromFhir(params[resourceAt].resource, { mrnSystem });
  if (!mapped.ok) throw fhirError.invalidResource(mapped.issues, 'Patient to match');
  const countAt = at('count');
  const count = countAt >= 0 ? params[countAt].valueInteger : undefined;
  if (countAt >= 0 && (count === undefined || count < 1)) {
    throw fhirError.invalidResource([{ expression: `Parameters.parameter[${countAt}].valueInteger`, diagnostics: 'count is a whole number of at least 1.' }], 'Parameters resource');
  }
  const certainAt = at('onlyCertainMatches');
  if (certainAt >= 0 && params[certainAt].valueBoolean === undefined) {
    throw fhirError.invalidResource([{ expression: `Parameters.parameter[${certainAt}].valueBoolean`, diagnostics: 'onlyCertainMatches is true or false.' }], 'Parameters resource');
  }
  return {
    demographics: mapped.demographics,
    count: Math.min(count ?? MATCH_DEFAULT_COUNT, MATCH_MAX_COUNT),
    onlyCertainMatches: certainAt >= 0 && params[certainAt].valueBoolean === true,
  };
}

/** The MPI's candidates for the request, best first; only certain ones when asked. */
export async function findMatches(ctx: AppContext, request: MatchRequest): Promise<MatchCandidate[]> {
  const d = request.demographics;
  const sealed = sealIdentifiers(ctx.keyring, d);
  const record = toMatchRecord(storedDemographics(d), { hash: sealed.ssnHash, last4: sealed.ssnLast4 });
  return findMatchCandidates(ctx.db, record, { limit: request.count, minGrade: request.onlyCertainMatches ? 'certain' : 'possible' });
}
