import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { actorOf } from '../access/principal.js';
import { principalOf } from '../access/request-auth.js';
import { Demographics } from './demographics.js';
import { registerPatient, findLikelyDuplicates } from './registration.js';
import { readPatient } from './reading.js';
import { setLegalHold, updatePatient } from './updates.js';
import { searchPatients } from './search.js';
import { patientHistory } from './history.js';
import { listDuplicatePairs, markNotDuplicate, scanForDuplicates, DUPLICATE_STATUSES } from './duplicates.js';
import { mergePatients, mergesOf, previewMerge, unmergePatients } from './merge.js';
import { assertPatientReadable } from './confidentiality.js';
import { getPatientRow } from './patient-record.js';

const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const reason = z.string().trim().max(2000);

/** Registration, search, history, the duplicates queue, and merge/unmerge: the master patient index. */
export async function patientRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/patients', {
    config: { access: { permission: 'patients.read' } },
    schema: {
      tags: ['patients'], summary: 'Search patients by MRN, name, birth date, phone, SSN last four, postal code or identifier',
      querystring: z.strictObject({
        text: z.string().max(200).optional().describe('What a clerk types: "smith, john 03/07/1980", an MRN, a phone number'),
        mrn: z.string().max(32).optional(), identifier: z.string().max(64).optional(),
        family: z.string().max(100).optional(), given: z.string().max(100).optional(),
        birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD.').optional(),
        phone: z.string().max(32).optional(), ssnLast4: z.string().regex(/^\d{4}$/, 'Four digits.').optional(),
        postalCode: z.string().max(12).optional(), limit: z.coerce.number().int().min(1).max(100).optional(),
      }),
    },
  }, async (req) => ({ results: await searchPatients(ctx, principalOf(req), req.query) }));

  r.post('/patients/match-candidates', {
    config: { access: { permission: 'patients.write' } },
    schema: { tags: ['patients'], summary: 'Likely existing records for a registration being typed', body: Demographics },
  }, async (req) => ({ candidates: await findLikelyDuplicates(ctx, req.body, [], actorOf(principalOf(req))) }));

  r.post('/patients', {
    config: { access: { permission: 'patients.write' } },
    schema: {
      tags: ['patients'], summary: 'Register a patient (assigns the MRN)',
      body: Demographics.extend({ duplicateReason: reason.optional().describe('Required when likely duplicates exist') }),
    },
  }, async (req, reply) => {
    const { duplicateReason, ...demographics } = req.body;
    const { patient } = await registerPatient(ctx, actorOf(principalOf(req)), demographics, { duplicateReason });
    return reply.code(201).header('etag', `W/"${patient.version}"`).send({ patient });
  });

  r.get('/patients/:id', {
    config: { access: { permission: 'patients.read' } },
    schema: { tags: ['patients'], summary: "A patient's record", params: IdParams },
  }, async (req, reply) => {
    const patient = await readPatient(ctx, principalOf(req), req.params.id);
    return reply.header('etag', `W/"${patient.version}"`).send({ patient });
  });

  r.put('/patients/:id', {
    config: { access: { permission: 'patients.write' } },
    schema: {
      tags: ['patients'], summary: "Change a patient's demographics (send the version you edited)", params: IdParams,
      body: z.strictObject({ version: z.number().int().positive(), patient: Demographics, reason: reason.optional() }),
    },
  }, async (req, reply) => {
    const principal = principalOf(req);
    await assertPatientReadable(ctx, principal, await getPatientRow(ctx.db, req.params.id));
    const patient = await updatePatient(ctx, actorOf(principal), req.params.id, req.body.version, req.body.patient, req.body.reason);
    return reply.header('etag', `W/"${patient.version}"`).send({ patient });
  });

  r.get('/patients/:id/history', {
    config: { access: { permission: 'patients.read' } },
    schema: { tags: ['patients'], summary: 'Every version of the record, with what changed', params: IdParams },
  }, async (req) => ({ versions: await patientHistory(ctx, principalOf(req), req.params.id) }));

  r.put('/patients/:id/legal-hold', {
    config: { access: { permission: 'patients.merge' } },
    schema: { tags: ['patients'], summary: 'Place a legal hold on the record', params: IdParams, body: z.strictObject({ reason }) },
  }, async (req) => {
    await assertPatientReadable(ctx, principalOf(req), await getPatientRow(ctx.db, req.params.id));
    return { patient: await setLegalHold(ctx, actorOf(principalOf(req)), req.params.id, req.body.reason) };
  });

  r.delete('/patients/:id/legal-hold', {
    config: { access: { permission: 'patients.merge' } },
    schema: { tags: ['patients'], summary: 'Release the legal hold', params: IdParams },
  }, async (req) => {
    await assertPatientReadable(ctx, principalOf(req), await getPatientRow(ctx.db, req.params.id));
    return { patient: await setLegalHold(ctx, actorOf(principalOf(req)), req.params.id, null) };
  });

  r.get('/patients/:id/merges', {
    config: { access: { permission: 'patients.read' } },
    schema: { tags: ['patients'], summary: 'Merges this record took part in', params: IdParams },
  }, async (req) => ({ merges: await mergesOf(ctx, principalOf(req), req.params.id) }));

  r.get('/duplicates', {
    config: { access: { permission: 'patients.merge' } },
    schema: { tags: ['duplicates'], summary: 'The suspected duplicates work queue', querystring: z.strictObject({ status: z.enum(DUPLICATE_STATUSES).default('open'), limit: z.coerce.number().int().min(1).max(200).optional() }) },
  }, async (req) => ({ pairs: await listDuplicatePairs(ctx, actorOf(principalOf(req)), req.query.status, req.query.limit) }));

  r.post('/duplicates/:id/not-duplicate', {
    config: { access: { permission: 'patients.merge' } },
    schema: { tags: ['duplicates'], summary: 'Two different people: do not offer this pair again', params: IdParams, body: z.strictObject({ note: reason.default('') }) },
  }, async (req, reply) => {
    await markNotDuplicate(ctx, actorOf(principalOf(req)), req.params.id, req.body.note);
    return reply.code(204).send();
  });

  r.post('/duplicates/scan', {
    config: { access: { permission: 'patients.merge' } },
    schema: { tags: ['duplicates'], summary: 'Scan one batch of the index for duplicates (repeat with nextAfterId)', body: z.strictObject({ afterId: z.string().max(64).nullable().optional(), batchSize: z.number().int().min(1).max(5000).optional() }) },
  }, async (req) => scanForDuplicates(ctx, actorOf(principalOf(req)), req.body));

  r.get('/merges/preview', {
    config: { access: { permission: 'patients.merge' } },
    schema: { tags: ['duplicates'], summary: 'What a merge would keep, field by field', querystring: z.strictObject({ survivorId: z.string().max(64), retiredId: z.string().max(64) }) },
  }, async (req) => previewMerge(ctx, actorOf(principalOf(req)), req.query.survivorId, req.query.retiredId));

  r.post('/merges', {
    config: { access: { permission: 'patients.merge' } },
    schema: { tags: ['duplicates'], summary: 'Merge the retired record into the survivor', body: z.strictObject({ survivorId: z.string().max(64), retiredId: z.string().max(64), reason }) },
  }, async (req, reply) => reply.code(201).send(await mergePatients(ctx, actorOf(principalOf(req)), req.body.survivorId, req.body.retiredId, req.body.reason)));

  r.post('/merges/:id/undo', {
    config: { access: { permission: 'patients.merge' } },
    schema: { tags: ['duplicates'], summary: 'Undo a merge from its recorded history', params: IdParams, body: z.strictObject({ reason }) },
  }, async (req) => unmergePatients(ctx, actorOf(principalOf(req)), req.params.id, req.body.reason));
}
