import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { actorOf } from '../access/principal.js';
import { principalOf } from '../access/request-auth.js';
import { assertPatientReadable, getPatientRow } from '../patients/index.js';
import { DomainError, notFound } from '../platform/errors.js';
import { ENCOUNTER_CLASSES, type EncounterEventOutcome } from './events.js';
import { applyEncounterEvent, assertVisitNumberFree } from './visits.js';
import { census, readEncounter, visitsOf } from './reading.js';
import { findEncounterRow } from './visit-record.js';
import { listLocations, listProviders, LocationInput, ProviderInput, saveLocation, saveProvider } from './reference-data.js';
import { printDischargeRecord, printFaceSheet } from './paperwork.js';

const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const instant = z.iso.datetime({ offset: true }).describe('ISO 8601 date and time with offset');
const text = (max: number) => z.string().trim().max(max).nullable().optional();
const Location = z.strictObject({ unit: z.string().trim().min(1).max(20), room: text(20), bed: text(20) });
const Provider = z.strictObject({ npi: text(10), code: text(20), family: text(100), given: text(100) });
const Details = z.strictObject({
  class: z.enum(ENCOUNTER_CLASSES).optional(),
  service: text(20), location: Location.nullable().optional(),
  admittingProvider: Provider.nullable().optional(), attendingProvider: Provider.nullable().optional(),
  admitSource: text(20), admitType: text(20), reason: text(500),
  diagnoses: z.array(z.strictObject({ code: text(20), system: text(200), text: text(200) })).max(50).optional(),
});

const OpeningEvent = z.strictObject({
  patientId: z.string().min(1).max(64),
  type: z.enum(['pre_admit', 'admit', 'register']).describe('Pre-admit (planned), admit (inpatient stay begins) or register (outpatient or emergency arrival)'),
  at: instant, visitNumber: z.string().trim().min(1).max(40).optional(), details: Details,
});

const FollowingEvent = z.discriminatedUnion('type', [
  // Admits a pre-admitted visit (A01 after A05): the visit already holds its details.
  z.strictObject({ type: z.literal('admit'), at: instant, details: Details.default({}) }),
  z.strictObject({ type: z.literal('transfer'), at: instant, to: Location }),
  z.strictObject({ type: z.literal('change_class'), at: instant, class: z.enum(ENCOUNTER_CLASSES) }),
  z.strictObject({ type: z.literal('update'), details: Details }),
  z.strictObject({ type: z.literal('leave'), at: instant }),
  z.strictObject({ type: z.literal('return'), at: instant }),
  z.strictObject({ type: z.literal('discharge'), at: instant, disposition: text(40), dischargedTo: text(200) }),
  z.strictObject({ type: z.literal('cancel_admit'), at: instant }),
  z.strictObject({ type: z.literal('cancel_transfer'), at: instant }),
  z.strictObject({ type: z.literal('cancel_discharge'), at: instant }),
]);

function appliedOrRefused(outcome: EncounterEventOutcome) {
  if (outcome.outcome === 'out_of_order') throw new DomainError('conflict', 'encounter.not-allowed', outcome.reason);
  return outcome;
}

/** Admissions, transfers, discharges, the census, the paperwork, and the providers and locations they name. */
export async function encounterRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/patients/:id/encounters', {
    config: { access: { permission: 'encounters.read' } },
    schema: { tags: ['encounters'], summary: "The patient's visits, newest first", params: IdParams },
  }, async (req) => ({ encounters: await visitsOf(ctx, principalOf(req), req.params.id) }));

  r.post('/encounters', {
    config: { access: { permission: 'encounters.write' } },
    schema: { tags: ['encounters'], summary: 'Pre-admit, admit or register a visit', body: OpeningEvent },
  }, async (req, reply) => {
    const principal = principalOf(req);
    const { patientId, visitNumber, ...event } = req.body;
    await assertPatientReadable(ctx, principal, await getPatientRow(ctx.db, patientId));
    const outcome = await ctx.db.transaction().execute(async (trx) => {
      await assertVisitNumberFree(trx, visitNumber);
      return applyEncounterEvent(trx, ctx, actorOf(principal), { patientId, visitNumber, event, source: 'web' });
    });
    const { encounterId } = appliedOrRefused(outcome) as Extract<EncounterEventOutcome, { outcome: 'applied' }>;
    return reply.code(201).send({ encounter: await readEncounter(ctx, principal, encounterId) });
  });

  r.get('/encounters/:id', {
    config: { access: { permission: 'encounters.read' } },
    schema: { tags: ['encounters'], summary: 'A visit with its bed history and events', params: IdParams },
  }, async (req, reply) => {
    const encounter = await readEncounter(ctx, principalOf(req), req.params.id);
    return reply.header('etag', `W/"${encounter.version}"`).send({ encounter });
  });

  r.post('/encounters/:id/events', {
    config: { access: { permission: 'encounters.write' } },
    schema: {
      tags: ['encounters'], summary: 'Transfer, leave, return, discharge, update or cancel (send the version you saw)', params: IdParams,
      body: z.strictObject({ version: z.number().int().positive(), event: FollowingEvent }),
    },
  }, async (req) => {
    const principal = principalOf(req);
    const row = await findEncounterRow(ctx.db, req.params.id);
    if (!row) throw notFound('The visit');
    await assertPatientReadable(ctx, principal, await getPatientRow(ctx.db, row.patientId));
    const outcome = await ctx.db.transaction().execute((trx) =>
      applyEncounterEvent(trx, ctx, actorOf(principal), { patientId: row.patientId, event: req.body.event, source: 'web' }, { encounterId: row.id, expectedVersion: req.body.version }),
    );
    appliedOrRefused(outcome);
    return { encounter: await readEncounter(ctx, principal, row.id) };
  });

  r.get('/encounters/:id/face-sheet.pdf', {
    config: { access: { permission: 'encounters.read' } },
    schema: { tags: ['encounters'], summary: 'The admission face sheet (PDF)', params: IdParams },
  }, async (req, reply) => reply.type('application/pdf').header('content-disposition', 'inline; filename="face-sheet.pdf"')
    .send(Buffer.from(await printFaceSheet(ctx, principalOf(req), req.params.id))));

  r.get('/encounters/:id/discharge-record.pdf', {
    config: { access: { permission: 'encounters.read' } },
    schema: { tags: ['encounters'], summary: 'The discharge record (PDF)', params: IdParams },
  }, async (req, reply) => reply.type('application/pdf').header('content-disposition', 'inline; filename="discharge-record.pdf"')
    .send(Buffer.from(await printDischargeRecord(ctx, principalOf(req), req.params.id))));

  r.get('/census', {
    config: { access: { permission: 'encounters.read' } },
    schema: {
      tags: ['encounters'], summary: 'Patients in house by unit at an instant (default now); name a unit to list its patients',
      querystring: z.strictObject({ at: instant.optional(), unit: z.string().max(20).optional() }),
    },
  }, async (req) => census(ctx, principalOf(req), { at: req.query.at ? new Date(req.query.at).toISOString() : undefined, unit: req.query.unit }));

  r.get('/reference/providers', {
    schema: { tags: ['reference data'], summary: 'Providers (active ones unless asked)', querystring: z.strictObject({ includeInactive: z.stringbool().optional() }) },
  }, async (req) => ({ providers: await listProviders(ctx.db, req.query) }));
  r.post('/reference/providers', {
    config: { access: { permission: 'reference_data.manage' } },
    schema: { tags: ['reference data'], summary: 'Add a provider', body: ProviderInput },
  }, async (req, reply) => reply.code(201).send({ provider: await saveProvider(ctx, req.body) }));
  r.put('/reference/providers/:id', {
    config: { access: { permission: 'reference_data.manage' } },
    schema: { tags: ['reference data'], summary: 'Change a provider', params: IdParams, body: ProviderInput },
  }, async (req) => ({ provider: await saveProvider(ctx, req.body, req.params.id) }));

  r.get('/reference/locations', {
    schema: { tags: ['reference data'], summary: 'Departments, units, rooms and beds', querystring: z.strictObject({ includeInactive: z.stringbool().optional() }) },
  }, async (req) => ({ locations: await listLocations(ctx.db, req.query) }));
  r.post('/reference/locations', {
    config: { access: { permission: 'reference_data.manage' } },
    schema: { tags: ['reference data'], summary: 'Add a location', body: LocationInput },
  }, async (req, reply) => reply.code(201).send({ location: await saveLocation(ctx, req.body) }));
  r.put('/reference/locations/:id', {
    config: { access: { permission: 'reference_data.manage' } },
    schema: { tags: ['reference data'], summary: 'Change a location', params: IdParams, body: LocationInput },
  }, async (req) => ({ location: await saveLocation(ctx, req.body, req.params.id) }));
}
