import type * as fhir4 from 'fhir/r4.js';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { DomainError, type ErrorKind, type FieldError } from '../../platform/errors.js';
import { describeForLog, PROBLEM_TYPE_BASE, toDomainError } from '../../platform/http/problem.js';
import type { MappingIssue } from './patient-mapping.js';
import { fhirPathOf } from './patient-shape.js';

/**
 * Every FHIR error is an OperationOutcome (https://hl7.org/fhir/R4/operationoutcome.html): our
 * DomainError kinds and codes map once, here, to an HTTP status and an issue-type code. The stable
 * Chartroom code rides along in `details.coding`, the sentence for people in `diagnostics`, and the
 * element at fault (FHIRPath) in `expression`. Nothing the patient said goes in.
 */

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

const BY_KIND: Record<ErrorKind, { status: number; code: fhir4.OperationOutcomeIssue['code'] }> = {
  invalid: { status: 400, code: 'invalid' },
  unauthenticated: { status: 401, code: 'login' },
  forbidden: { status: 403, code: 'forbidden' },
  'not-found': { status: 404, code: 'not-found' },
  conflict: { status: 409, code: 'conflict' },
  locked: { status: 423, code: 'lock-error' },
  gone: { status: 410, code: 'not-found' },
  'too-large': { status: 413, code: 'too-costly' },
  'rate-limited': { status: 429, code: 'throttled' },
  internal: { status: 500, code: 'exception' },
};

/** Codes whose FHIR answer differs from their kind's: the preconditions of conditional requests, duplicates. */
const BY_CODE: Record<string, { status?: number; code?: fhir4.OperationOutcomeIssue['code'] }> = {
  'patient.duplicate-suspected': { code: 'duplicate' },
  'patient.identifier-taken': { code: 'duplicate' },
  'patient.version-conflict': { status: 412, code: 'conflict' },
  'fhir.precondition-failed': { status: 412, code: 'conflict' },
  'fhir.not-supported': { code: 'not-supported' },
  'fhir.unsupported-media-type': { status: 415, code: 'not-supported' },
  'fhir.method-not-allowed': { status: 405, code: 'not-supported' },
  'fhir.not-acceptable': { status: 406, code: 'not-supported' },
  'patient.merged': { code: 'business-rule' },
  'encounter.version-conflict': { status: 412, code: 'conflict' },
  'encounter.not-allowed': { code: 'business-rule' },
  'encounter.visit-number-taken': { code: 'duplicate' },
  'fhir.search-invalid': { code: 'invalid' },
};

export const CODE_SYSTEM = PROBLEM_TYPE_BASE.replace(/\/$/, '');

/** Errors of the FHIR facade itself, in the shared vocabulary. */
export const fhirError = {
  invalidResource: (issues: MappingIssue[], what = 'resource') =>
    new DomainError('invalid', 'fhir.resource-invalid', `The ${what} is not valid: ${issues.length} problem${issues.length === 1 ? '' : 's'}.`, issues.map((i) => ({ field: i.expression, message: i.diagnostics }))),
  preconditionFailed: (detail: string) => new DomainError('conflict', 'fhir.precondition-failed', detail),
  notSupported: (detail: string, field?: string) => new DomainError('invalid', 'fhir.not-supported', detail, field ? [{ field, message: detail }] : []),
};

// Demographics fields (as registration names them) -> the Patient element they come from.
const DEMOGRAPHIC_PATHS: [RegExp, string][] = [
  [/^birthDate$/, 'Patient.birthDate'],
  [/^deathDate$/, 'Patient.deceasedDateTime'],
  [/^(given|middle)$/, 'Patient.name.given'],
  [/^family$/, 'Patient.name.family'],
  [/^sex$/, 'Patient.gender'],
  [/^identifiers(\.\d+)?(\.\w+)?$/, 'Patient.identifier'],
  [/^phones(\.\d+)?(\.\w+)?$/, 'Patient.telecom'],
  [/^email$/, 'Patient.telecom'],
  [/^addresses(\.\d+)?(\.\w+)?$/, 'Patient.address'],
];

/** The FHIRPath of a field an error names: FHIR paths as they are, demographics fields mapped. */
export function expressionOfField(field: string): string | undefined {
  if (/^(Patient|Encounter|DocumentReference|Parameters|Bundle|resourceType)\b/.test(field)) return field;
  return DEMOGRAPHIC_PATHS.find(([pattern]) => pattern.test(field))?.[1];
}

function issuesOf(err: DomainError, code: fhir4.OperationOutcomeIssue['code']): fhir4.OperationOutcomeIssue[] {
  const details = { coding: [{ system: CODE_SYSTEM, code: err.code }], text: err.detail };
  const severity = err.kind === 'internal' ? 'fatal' : 'error';
  const diagnostics = err.code === 'patient.duplicate-suspected' ? duplicateDiagnostics(err) : err.detail;
  if (!err.fieldErrors.length) return [{ severity, code, details, diagnostics }];
  return err.fieldErrors.map((f: FieldError) => {
    const expression = expressionOfField(f.field);
    return { severity, code, details, diagnostics: f.message, ...(expression ? { expression: [expression] } : {}) };
  });
}

/** The likely matches, by MRN (or entry of the same Bundle), grade and score: what the sender needs to pick the existing record. */
function duplicateDiagnostics(err: DomainError): string {
  const candidates = (err.extensions.candidates ?? []) as { mrn?: string; entry?: number; grade: string; score: number }[];
  const listed = candidates.map((c) => `${c.mrn ?? `entry ${c.entry} of this Bundle`} (${c.grade}, score ${c.score.toFixed(2)})`).join('; ');
  return `${err.detail} Likely matches: ${listed}. To create a new record anyway, repeat the request with the header X-Chartroom-Duplicate-Reason saying why.`;
}

/** An error of one entry of a transaction or batch Bundle: its outcome names the entry. */
export class BundleEntryError extends Error {
  constructor(readonly index: number, readonly error: unknown) {
    super(`Bundle entry ${index} failed.`);
    this.name = 'BundleEntryError';
  }
}

/** Turns any error into its HTTP status and OperationOutcome. */
export function outcomeOf(err: unknown): { status: number; outcome: fhir4.OperationOutcome; domain: DomainError } {
  if (err instanceof BundleEntryError) return entryOutcomeOf(err);
  const domain = toFhirDomainError(err);
  const byKind = BY_KIND[domain.kind];
  const override = BY_CODE[domain.code] ?? {};
  const status = override.status ?? byKind.status;
  return { status, domain, outcome: { resourceType: 'OperationOutcome', issue: issuesOf(domain, override.code ?? byKind.code) } };
}

/**
 * The outcome of a Bundle entry's error, with the entry in each issue: its number in `diagnostics`,
 * and in `expression` the element at fault below `Bundle.entry[n].resource` (or the entry itself).
 */
function entryOutcomeOf(err: BundleEntryError): ReturnType<typeof outcomeOf> {
  const inner = outcomeOf(err.error);
  const at = `Bundle.entry[${err.index}]`;
  const issue = inner.outcome.issue.map((i) => {
    const expression = (i.expression ?? []).map((e) =>
      e.startsWith('Bundle.entry.') ? `${at}${e.slice('Bundle.entry'.length)}` : e.replace(/^(Patient|resourceType)\b/, `${at}.resource`),
    );
    return { ...i, diagnostics: `Bundle entry ${err.index}: ${i.diagnostics ?? i.details?.text ?? ''}`, expression: expression.length ? expression : [at] };
  });
  return { ...inner, outcome: { resourceType: 'OperationOutcome', issue } };
}

/** Zod errors (a FHIR structure checked by hand) and Fastify's content errors, named as FHIR sees them. */
function toFhirDomainError(err: unknown): DomainError {
  if (err instanceof ZodError) {
    return new DomainError('invalid', 'fhir.resource-invalid', 'The request is not valid.', err.issues.map((i) => ({ field: fhirPathOf(i.path, 'Parameters'), message: i.message })));
  }
  const fe = err as FastifyError;
  if (fe?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new DomainError('invalid', 'fhir.unsupported-media-type', 'Send application/fhir+json (or application/json).');
  }
  if (fe?.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return new DomainError('invalid', 'fhir.resource-invalid', 'The request body is empty; send a FHIR resource.');
  return toDomainError(err);
}

/** An OperationOutcome that only informs (a search's withheld records, a create's warnings). */
export function informationOutcome(issues: { severity: 'information' | 'warning'; diagnostics: string; expression?: string }[]): fhir4.OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((i) => ({ severity: i.severity, code: 'informational', diagnostics: i.diagnostics, ...(i.expression ? { expression: [i.expression] } : {}) })),
  };
}

/** Answers an error as OperationOutcome with application/fhir+json; logs an internal one without its message. */
export function sendOutcome(reply: FastifyReply, req: FastifyRequest, err: unknown) {
  const { status, outcome, domain } = outcomeOf(err);
  if (domain.kind === 'internal') req.log.error({ err: describeForLog(err) }, 'FHIR request failed');
  if (domain.code === 'rate-limited') reply.header('retry-after', '60');
  if (status === 401) reply.header('www-authenticate', 'Bearer realm="chartroom"');
  return reply.code(status).type(FHIR_JSON).send(outcome);
}
