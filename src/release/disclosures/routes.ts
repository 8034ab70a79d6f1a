import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../access/request-auth.js';
import { DISCLOSURE_KIND_CODES, DISCLOSURE_KINDS } from './kinds.js';
import { SUSPENSION_FORMS } from './accounting-rules.js';
import { disclosuresOf, recordManualDisclosure } from './disclosure-log.js';
import { listSuspensions, recordSuspension } from './suspensions.js';
import { accountingLetter, accountingsOf, extendAccounting, fulfilAccounting, readAccounting, requestAccounting } from './accounting.js';

const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const isoDate = z.iso.date().describe('YYYY-MM-DD');
const text = (max: number) => z.string().trim().min(1).max(max);

const ManualDisclosure = z.strictObject({
  patientId: z.string().min(1).max(64),
  disclosedAt: z.iso.datetime({ offset: true }).describe('When it was disclosed (ISO 8601 with offset)'),
  recipient: z.strictObject({ name: text(200), address: z.string().trim().max(500).nullable().optional() }),
  description: text(1000).describe('A brief description of what was disclosed'),
  purpose: text(1000).describe('Why: the purpose, or what the request said'),
  kind: z.enum(DISCLOSURE_KIND_CODES).describe('The legal basis; treatment, payment, operations, to the patient, under an authorization and the other 164.528(a)(1) kinds are left out of an accounting'),
  documentIds: z.array(z.string().min(1).max(64)).max(200).optional(),
  correctsId: z.string().min(1).max(64).nullable().optional().describe('The entry this one corrects (entries are never changed)'),
});

/** The disclosure log, agency suspensions and accountings of disclosures (45 CFR 164.528), under /api/release. */
export async function disclosureRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/release/disclosure-kinds', {
    schema: { tags: ['release'], summary: 'The kinds of disclosure, and which an accounting leaves out' },
  }, async () => ({ kinds: DISCLOSURE_KIND_CODES.map((code) => ({ code, ...DISCLOSURE_KINDS[code] })) }));

  r.get('/release/patients/:id/disclosures', {
    config: { access: { permission: 'release.read' } },
    schema: { tags: ['release'], summary: "The patient's disclosure log, newest first", params: IdParams },
  }, async (req) => disclosuresOf(ctx, principalOf(req), req.params.id));

  r.post('/release/disclosures', {
    config: { access: { permission: 'release.write' } },
    schema: { tags: ['release'], summary: 'Enter a disclosure made outside Chartroom, or a correcting entry (entries are never changed or deleted)', body: ManualDisclosure },
  }, async (req, reply) => reply.code(201).send({ disclosure: await recordManualDisclosure(ctx, principalOf(req), req.body) }));

  r.get('/release/suspensions', {
    config: { access: { permission: 'release.review' } },
    schema: { tags: ['release'], summary: "Agencies' suspensions of the right to an accounting", querystring: z.strictObject({ inForce: z.stringbool().optional() }) },
  }, async (req) => ({ suspensions: await listSuspensions(ctx, principalOf(req), req.query) }));

  r.post('/release/suspensions', {
    config: { access: { permission: 'release.review' } },
    schema: {
      tags: ['release'], summary: 'Record an agency\'s suspension (written: the time it states; oral: at most 30 days)',
      body: z.strictObject({
        agencyName: text(200), patientId: z.string().min(1).max(64).nullable().optional().describe('Omit for every patient'),
        form: z.enum(SUSPENSION_FORMS), fromDate: isoDate, untilDate: isoDate, reason: text(1000),
      }),
    },
  }, async (req, reply) => reply.code(201).send({ suspension: await recordSuspension(ctx, principalOf(req), req.body) }));

  r.post('/release/accountings', {
    config: { access: { permission: 'release.write' } },
    schema: {
      tags: ['release'], summary: 'Log a request for an accounting of disclosures (due in 60 days; the first in 12 months is free)',
      body: z.strictObject({
        patientId: z.string().min(1).max(64), receivedOn: isoDate,
        periodFrom: isoDate.optional().describe('Default and earliest: six years before receipt'),
        feeCents: z.number().int().max(1_000_000).optional().describe('The fee quoted, in cents, if not the configured one (never below zero)'),
      }),
    },
  }, async (req, reply) => reply.code(201).send({ request: await requestAccounting(ctx, principalOf(req), req.body) }));

  r.get('/release/patients/:id/accountings', {
    config: { access: { permission: 'release.read' } },
    schema: { tags: ['release'], summary: "The patient's accounting requests", params: IdParams },
  }, async (req) => ({ requests: await accountingsOf(ctx, principalOf(req), req.params.id) }));

  r.get('/release/accountings/:id', {
    config: { access: { permission: 'release.read' } },
    schema: { tags: ['release'], summary: 'An accounting request with its accounting as of today', params: IdParams },
  }, async (req) => readAccounting(ctx, principalOf(req), req.params.id));

  r.post('/release/accountings/:id/extension', {
    config: { access: { permission: 'release.write' } },
    schema: { tags: ['release'], summary: 'Extend the due date once by 30 days, with the reason', params: IdParams, body: z.strictObject({ reason: text(1000) }) },
  }, async (req) => ({ request: await extendAccounting(ctx, principalOf(req), req.params.id, req.body.reason) }));

  r.post('/release/accountings/:id/fulfil', {
    config: { access: { permission: 'release.write' } },
    schema: { tags: ['release'], summary: 'Produce the accounting letter (PDF) and mark the request fulfilled', params: IdParams },
  }, async (req) => ({ request: await fulfilAccounting(ctx, principalOf(req), req.params.id) }));

  r.get('/release/accountings/:id/letter.pdf', {
    config: { access: { permission: 'release.read' } },
    schema: { tags: ['release'], summary: 'The accounting letter (PDF)', params: IdParams },
  }, async (req, reply) => reply.type('application/pdf').header('content-disposition', 'inline; filename="accounting-of-disclosures.pdf"')
    .send(await accountingLetter(ctx, principalOf(req), req.params.id)));
}
