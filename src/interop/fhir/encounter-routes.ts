import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { actorOf, type Principal } from '../../access/principal.js';
import { principalOf } from '../../access/request-auth.js';
import { recordAuditEvents } from '../../audit/trail.js';
import { DomainError } from '../../platform/errors.js';
import { assertPatientReadable, getPatientRow } from '../../patients/index.js';
import { applyEncounterEvent, assertVisitNumberFree, encounterDetailsOf, findEncounterRow, readEncounter, type EncounterDetailView, type EncounterEvent, type EncounterEventOutcome, type EncounterRow } from '../../encounters/index.js';
import { ignoredParameterNotes, pagedSearchset, type SearchEntry, type SearchNote } from './bundle.js';
import { fhirError, informationOutcome } from './operation-outcome.js';
import { encounterFromFhir, encounterToFhir, eventsToReach, type MappedEncounter } from './encounter-mapping.js';
import { encounterSearchQueryString, findEncounterRows, parseEncounterSearch } from './encounter-search.js';

export interface FhirRouteKit {
  base: (req: FastifyRequest) => string;
  header: (req: FastifyRequest, name: string) => string | undefined;
  expectedVersion: (ifMatch: string | undefined) => number | undefined;
  basePath: string;
}

const read = { access: { permission: 'encounters.read' as const } };
const write = { access: { permission: 'encounters.write' as const } };
const hidden = { hide: true };

function refusedUnlessApplied(outcome: EncounterEventOutcome): asserts outcome is Extract<EncounterEventOutcome, { outcome: 'applied' }> {
  if (outcome.outcome !== 'applied') throw new DomainError('conflict', 'encounter.not-allowed', outcome.reason);
}

/**
 * Encounter read, search, create and update (https://hl7.org/fhir/R4/encounter.html) over the visit
 * service: a create is an admission (or pre-admission, or a whole past visit), an update becomes the
 * events that bring the visit to the state the resource describes, all in one transaction.
 */
export function registerEncounterRoutes(fhir: FastifyInstance, ctx: AppContext, kit: FhirRouteKit): void {
  const toFhir = (v: EncounterDetailView) => encounterToFhir(v, { patientReference: `Patient/${v.patientId}` });
  const versionHeaders = (reply: FastifyReply, v: EncounterDetailView) =>
    reply.header('etag', `W/"${v.version}"`).header('last-modified', new Date(v.updatedAt).toUTCString());

  fhir.get<{ Params: { id: string } }>('/Encounter/:id', { config: read, schema: hidden }, async (req, reply) => {
    const view = await readEncounter(ctx, principalOf(req), req.params.id);
    return versionHeaders(reply, view).send(toFhir(view));
  });

  fhir.post('/Encounter', { config: write, schema: hidden }, async (req, reply) => {
    const principal = principalOf(req);
    const mapped = mappedOrRefused(req.body);
    if (mapped.status === 'cancelled') throw fhirError.notSupported('A visit is not created cancelled.', 'Encounter.status');
    await assertPatientReadable(ctx, principal, await getPatientRow(ctx.db, mapped.patientId).catch(() => { throw unknownPatient(); }));
    const id = await ctx.db.transaction().execute(async (trx) => {
      await assertVisitNumberFree(trx, mapped.visitNumber, 'Encounter.identifier');
      const actor = actorOf(principal);
      const type = mapped.status === 'planned' ? 'pre_admit' : mapped.class === 'inpatient' ? 'admit' : 'register';
      const opened = await applyEncounterEvent(trx, ctx, actor, { patientId: mapped.patientId, visitNumber: mapped.visitNumber, source: 'fhir', event: { type, at: mapped.start ?? ctx.clock.now().toISOString(), details: mapped.details } });
      refusedUnlessApplied(opened);
      // A visit created on leave or already over is opened, then brought to where the resource says it is.
      const follow: EncounterEvent[] = mapped.status === 'on_leave'
        ? [{ type: 'leave', at: ctx.clock.now().toISOString() }]
        : mapped.status === 'finished' ? [{ type: 'discharge', at: mapped.end!, disposition: mapped.disposition, dischargedTo: mapped.dischargedTo }] : [];
      for (const event of follow) refusedUnlessApplied(await applyEncounterEvent(trx, ctx, actor, { patientId: mapped.patientId, visitNumber: opened.visitNumber, source: 'fhir', event }));
      return opened.encounterId;
    });
    const view = await readEncounter(ctx, principal, id);
    reply.code(201).header('location', `${kit.basePath}/Encounter/${id}`);
    return versionHeaders(reply, view).send(toFhir(view));
  });

  fhir.put<{ Params: { id: string } }>('/Encounter/:id', { config: write, schema: hidden }, async (req, reply) => {
    const principal = principalOf(req);
    const body = req.body as { id?: unknown } | null;
    if (!body || typeof body !== 'object' || body.id !== req.params.id) {
      throw fhirError.invalidResource([{ expression: 'Encounter.id', diagnostics: 'The resource id must be given and equal the id in the URL.' }], 'Encounter');
    }
    const mapped = mappedOrRefused(body);
    const row = await findEncounterRow(ctx.db, req.params.id);
    if (!row) throw new DomainError('invalid', 'fhir.method-not-allowed', 'Chartroom assigns visit ids: create a visit with POST /fhir/R4/Encounter.');
    if (mapped.patientId !== row.patientId) throw fhirError.notSupported('A visit stays with its patient; merge the patients instead.', 'Encounter.subject');
    await assertPatientReadable(ctx, principal, await getPatientRow(ctx.db, row.patientId));
    const expected = kit.expectedVersion(kit.header(req, 'if-match')) ?? row.version;
    await ctx.db.transaction().execute(async (trx) => {
      const [current] = await encounterDetailsOf(trx, [row]);
      const plan = eventsToReach(current, mapped, ctx.clock.now().toISOString());
      if ('refused' in plan) throw new DomainError('conflict', 'encounter.not-allowed', plan.refused);
      const actor = actorOf(principal);
      for (const [i, event] of plan.entries()) {
        const outcome = await applyEncounterEvent(trx, ctx, actor, { patientId: row.patientId, event, source: 'fhir' }, { encounterId: row.id, expectedVersion: i === 0 ? expected : undefined });
        refusedUnlessApplied(outcome);
      }
    });
    const view = await readEncounter(ctx, principal, row.id);
    return versionHeaders(reply, view).send(toFhir(view));
  });

  const search = async (req: FastifyRequest, query: Record<string, string | string[] | undefined>) => {
    const handling = /handling\s*=\s*lenient/i.test(kit.header(req, 'prefer') ?? '') ? 'lenient' : 'strict';
    const parsed = parseEncounterSearch(query, handling);
    const { rows, total } = await findEncounterRows(ctx, parsed);
    const { views, withheld } = await openFoundEncounters(ctx, principalOf(req), rows);
    const url = (offset: number) => `${kit.base(req)}/Encounter?${encounterSearchQueryString(parsed, offset)}`;
    const entries: SearchEntry[] = views.map((v) => ({ fullUrl: `${kit.base(req)}/Encounter/${v.id}`, resource: toFhir(v), search: { mode: 'match' } }));
    const notes: SearchNote[] = [
      ...(withheld ? [{ severity: 'information' as const, diagnostics: `${withheld} visit${withheld === 1 ? '' : 's'} of restricted records withheld; opening one needs an emergency-access grant.` }] : []),
      ...ignoredParameterNotes(parsed.ignored),
    ];
    return pagedSearchset({ total, entries, offset: parsed.offset, count: parsed.count, url, notes });
  };
  fhir.get('/Encounter', { config: read, schema: hidden }, async (req) => search(req, req.query as Record<string, string | string[]>));
  fhir.post('/Encounter/_search', { config: read, schema: hidden }, async (req) => search(req, { ...(req.query as object), ...((req.body ?? {}) as object) }));
}

function mappedOrRefused(body: unknown): MappedEncounter {
  const mapped = encounterFromFhir(body);
  if (!mapped.ok) throw fhirError.invalidResource(mapped.issues, 'Encounter');
  return mapped.encounter;
}

const unknownPatient = () => fhirError.invalidResource([{ expression: 'Encounter.subject', diagnostics: 'No such patient.' }], 'Encounter');

/** The visits a search found, as far as the caller may open their patients' records; each one handed out is an audited read. */
async function openFoundEncounters(ctx: AppContext, principal: Principal, rows: EncounterRow[]): Promise<{ views: EncounterDetailView[]; withheld: number }> {
  const readable = new Map<string, boolean>();
  for (const patientId of new Set(rows.map((r) => r.patientId))) {
    try {
      readable.set(patientId, await assertPatientReadable(ctx, principal, await getPatientRow(ctx.db, patientId)));
    } catch (err) {
      if (!(err instanceof DomainError && err.kind === 'forbidden')) throw err;
    }
  }
  const shown = rows.filter((r) => readable.has(r.patientId));
  if (!shown.length) return { views: [], withheld: rows.length };
  const views = await encounterDetailsOf(ctx.db, shown);
  await ctx.db.transaction().execute((trx) =>
    recordAuditEvents(trx, shown.map((r) => ({ actor: actorOf(principal), action: 'read' as const, patientId: r.patientId, recordType: 'encounter_search_result', recordId: r.id, emergency: readable.get(r.patientId) })), ctx.clock),
  );
  return { views, withheld: rows.length - shown.length };
}

