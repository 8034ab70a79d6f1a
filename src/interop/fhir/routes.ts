import type * as fhir4 from 'fhir/r4.js';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { actorOf } from '../../access/principal.js';
import { principalOf, registerRequestAuth } from '../../access/request-auth.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { assertPatientReadable, getPatientRow, patientRowsByIds, readPatient, readPatientVersion, registerPatient, toPatientView, updatePatient, type PatientView } from '../../patients/index.js';
import { ignoredParameterNotes, pagedSearchset, searchsetBundle, type SearchEntry, type SearchNote } from './bundle.js';
import { capabilityStatement, DUPLICATE_REASON_HEADER } from './capability-statement.js';
import { FHIR_JSON, fhirError, informationOutcome, sendOutcome } from './operation-outcome.js';
import { demographicsFromFhir, keepWhatFhirDoesNotCarry, patientToFhir, type MappingIssue } from './patient-mapping.js';
import { findMatches, parseMatchRequest } from './patient-match.js';
import { findPatientRows, parsePatientSearch, searchQueryString } from './patient-search.js';
import { openFoundPatients } from './search-results.js';
import { EXTENSION } from './terminology.js';
import { registerEncounterRoutes } from './encounter-routes.js';
import { expectedVersion, processBundle } from './transaction-bundle.js';
import { registerDocumentRoutes } from './document-routes.js';

import { FHIR_BASE_PATH } from './base-path.js';

export { FHIR_BASE_PATH };

/**
 * The FHIR R4 facade (https://hl7.org/fhir/R4/http.html) as its own Fastify scope: it parses
 * application/fhir+json, checks access with the same hook as /api, answers every error as an
 * OperationOutcome, and translates to and from the MPI's services, which do the work and the audit.
 */
export function fhirRoutes(ctx: AppContext, options: { softwareVersion: string }): FastifyPluginAsync {
  return async (fhir: FastifyInstance) => {
    fhir.addContentTypeParser('application/fhir+json', { parseAs: 'string' }, fhir.getDefaultJsonParser('error', 'error'));
    fhir.setErrorHandler((err, req, reply) => sendOutcome(reply, req, err));
    fhir.setNotFoundHandler((req, reply) => {
      const path = req.url.split('?')[0];
      const known = /^\/fhir\/R4\/(metadata|Patient(\/[^/]+(\/_history\/[^/]+)?|\/\$match|\/_search)?|Encounter(\/[^/]+|\/_search)?)\/?$/.test(path);
      const err = known
        ? new DomainError('invalid', 'fhir.method-not-allowed', `${req.method} is not supported here.`)
        : notFound('This FHIR endpoint');
      return sendOutcome(reply, req, err);
    });
    registerRequestAuth(fhir, ctx);
    fhir.addHook('preHandler', async (req) => {
      const format = (req.query as Record<string, unknown> | undefined)?._format;
      if (typeof format === 'string' && !['json', 'application/json', 'application/fhir+json'].includes(format)) {
        throw new DomainError('invalid', 'fhir.not-acceptable', 'Chartroom answers FHIR in JSON only (_format=json).');
      }
    });
    fhir.addHook('onSend', async (req, reply, payload) => {
      reply.header('content-type', FHIR_JSON);
      reply.header('cache-control', 'no-store');
      return payload;
    });

    const hidden = { hide: true };
    const read = { access: { permission: 'patients.read' as const } };
    const write = { access: { permission: 'patients.write' as const } };
    const base = (req: FastifyRequest) => `${req.protocol}://${req.host}${FHIR_BASE_PATH}`;
    const toFhir = (view: PatientView) => patientToFhir(view, { mrnSystem: ctx.config.mrnSystem });
    const versionHeaders = (reply: FastifyReply, view: PatientView) =>
      reply.header('etag', `W/"${view.version}"`).header('last-modified', new Date(view.updatedAt).toUTCString());

    fhir.get('/metadata', { config: { access: 'public' }, schema: hidden }, async (req) =>
      capabilityStatement({ baseUrl: base(req), softwareVersion: options.softwareVersion, date: ctx.clock.now().toISOString() }),
    );

    fhir.post('/', { config: write, schema: hidden }, async (req) =>
      processBundle(ctx, principalOf(req), req.body, {
        duplicateReason: decodeHeader(header(req, DUPLICATE_REASON_HEADER)),
        withResources: !/return\s*=\s*minimal/i.test(header(req, 'prefer') ?? ''),
        toFhir,
      }),
    );

    fhir.get<{ Params: { id: string } }>('/Patient/:id', { config: read, schema: hidden }, async (req, reply) => {
      const view = await readPatient(ctx, principalOf(req), req.params.id);
      return versionHeaders(reply, view).send(toFhir(view));
    });

    fhir.get<{ Params: { id: string; vid: string } }>('/Patient/:id/_history/:vid', { config: read, schema: hidden }, async (req, reply) => {
      if (!/^\d{1,9}$/.test(req.params.vid)) throw notFound('That version of the patient');
      const view = await readPatientVersion(ctx, principalOf(req), req.params.id, Number(req.params.vid));
      return versionHeaders(reply, view).send(toFhir(view));
    });

    fhir.post('/Patient', { config: write, schema: hidden }, async (req, reply) => {
      const principal = principalOf(req);
      const mapped = demographicsFromFhir(req.body, { mrnSystem: ctx.config.mrnSystem });
      if (!mapped.ok) throw fhirError.invalidResource(mapped.issues, 'Patient');
      const ifNoneExist = header(req, 'if-none-exist');
      if (ifNoneExist) {
        const search = parsePatientSearch(Object.fromEntries(new URLSearchParams(ifNoneExist.replace(/^.*\?/, ''))), 'strict');
        const { rows, total } = await findPatientRows(ctx, { ...search, count: 2, offset: 0 });
        if (total > 1) throw fhirError.preconditionFailed(`If-None-Exist matches ${total} patients; make the criteria select one.`);
        if (total === 1) {
          const view = await readPatient(ctx, principal, rows[0].id);
          return versionHeaders(reply, view).code(200).send(toFhir(view));
        }
      }
      const duplicateReason = decodeHeader(header(req, DUPLICATE_REASON_HEADER));
      const { patient } = await registerPatient(ctx, actorOf(principal), mapped.demographics, { duplicateReason });
      reply.code(201).header('location', `${FHIR_BASE_PATH}/Patient/${patient.id}/_history/${patient.version}`);
      return answerWrite(req, versionHeaders(reply, patient), toFhir(patient), mapped.warnings);
    });

    fhir.put<{ Params: { id: string } }>('/Patient/:id', { config: write, schema: hidden }, async (req, reply) => {
      const principal = principalOf(req);
      const body = req.body as { id?: unknown } | null;
      if (!body || typeof body !== 'object' || body.id !== req.params.id) {
        throw fhirError.invalidResource([{ expression: 'Patient.id', diagnostics: 'The resource id must be given and equal the id in the URL.' }], 'Patient');
      }
      const mapped = demographicsFromFhir(body, { mrnSystem: ctx.config.mrnSystem });
      if (!mapped.ok) throw fhirError.invalidResource(mapped.issues, 'Patient');
      const row = await getPatientRow(ctx.db, req.params.id).catch((err) => {
        if (err instanceof DomainError && err.kind === 'not-found') {
          throw new DomainError('invalid', 'fhir.method-not-allowed', 'Chartroom assigns patient ids: create a patient with POST /fhir/R4/Patient.');
        }
        throw err;
      });
      await assertPatientReadable(ctx, principal, row);
      const expected = expectedVersion(header(req, 'if-match')) ?? row.version;
      const current = toPatientView(row);
      const view = await updatePatient(ctx, actorOf(principal), row.id, expected, keepWhatFhirDoesNotCarry(mapped.demographics, current));
      return answerWrite(req, versionHeaders(reply, view).code(200), toFhir(view), mapped.warnings);
    });

    const search = async (req: FastifyRequest, query: Record<string, string | string[] | undefined>) => {
      const handling = /handling\s*=\s*lenient/i.test(header(req, 'prefer') ?? '') ? 'lenient' : 'strict';
      const parsed = parsePatientSearch(query, handling);
      const { rows, total } = await findPatientRows(ctx, parsed);
      const { views, withheld } = await openFoundPatients(ctx, principalOf(req), rows, 'patient_search_result');
      const url = (offset: number) => `${base(req)}/Patient?${searchQueryString(parsed, offset)}`;
      const entries: SearchEntry[] = views.map((v) => ({ fullUrl: `${base(req)}/Patient/${v.id}`, resource: toFhir(v), search: { mode: 'match' } }));
      const notes: SearchNote[] = [
        ...(withheld ? [{ severity: 'information' as const, diagnostics: `${withheld} matching restricted record${withheld === 1 ? ' is' : 's are'} withheld; opening one needs an emergency-access grant.` }] : []),
        ...ignoredParameterNotes(parsed.ignored),
      ];
      return pagedSearchset({ total, entries, offset: parsed.offset, count: parsed.count, url, notes });
    };
    fhir.get('/Patient', { config: read, schema: hidden }, async (req) => search(req, req.query as Record<string, string | string[]>));
    fhir.post('/Patient/_search', { config: read, schema: hidden }, async (req) => search(req, { ...(req.query as object), ...((req.body ?? {}) as object) }));

    registerEncounterRoutes(fhir, ctx, { base, header, expectedVersion, basePath: FHIR_BASE_PATH });
    registerDocumentRoutes(fhir, ctx, { base, header, expectedVersion, basePath: FHIR_BASE_PATH });

    fhir.post('/Patient/$match', { config: read, schema: hidden }, async (req) => {
      const request = parseMatchRequest(req.body, ctx.config.mrnSystem);
      const candidates = await findMatches(ctx, request);
      const byId = new Map(candidates.map((c) => [c.patientId, c]));
      const rows = await patientRowsByIds(ctx, [...byId.keys()]);
      rows.sort((a, b) => byId.get(b.id)!.score - byId.get(a.id)!.score);
      const { views } = await openFoundPatients(ctx, principalOf(req), rows, 'patient_match_result');
      const self = `${base(req)}/Patient/$match`;
      return searchsetBundle({
        total: views.length,
        self,
        entries: views.map((v) => {
          const c = byId.get(v.id)!;
          return {
            fullUrl: `${base(req)}/Patient/${v.id}`,
            resource: toFhir(v),
            search: { mode: 'match' as const, score: Math.round(c.score * 10_000) / 10_000, extension: [{ url: EXTENSION.matchGrade, valueCode: c.grade }] },
          };
        }),
      });
    });
  };
}

function header(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A header value a client percent-encoded (HTTP headers carry Latin-1 only). */
function decodeHeader(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Answers a create or update as the client prefers (https://hl7.org/fhir/R4/http.html#ops): the resource, nothing, or an OperationOutcome with the warnings. */
function answerWrite(req: FastifyRequest, reply: FastifyReply, resource: fhir4.Patient, warnings: MappingIssue[]) {
  const prefer = header(req, 'prefer') ?? '';
  if (/return\s*=\s*minimal/i.test(prefer)) return reply.send('');
  if (/return\s*=\s*OperationOutcome/i.test(prefer)) {
    return reply.send(informationOutcome([
      { severity: 'information', diagnostics: `Saved as version ${resource.meta?.versionId}.` },
      ...warnings.map((w) => ({ severity: 'warning' as const, diagnostics: w.diagnostics, expression: w.expression })),
    ]));
  }
  return reply.send(resource);
}
