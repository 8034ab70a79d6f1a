import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../access/request-auth.js';
import { DENIAL_GROUND_CODES, DENIAL_GROUNDS, STATEMENT_KINDS } from './amendment-rules.js';
import {
  acceptAmendment, amendmentLetter, amendmentQueue, amendmentsOf, denyAmendment, extendAmendment, readAmendment, recordStatement, requestAmendment, sendWithDisclosures,
} from './amendments.js';

const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const isoDate = z.iso.date().describe('YYYY-MM-DD');
const text = (max: number) => z.string().trim().min(1).max(max);
const pdf = (name: string) => ({ type: 'application/pdf', disposition: `inline; filename="${name}"` });

/** Requests to amend the record (45 CFR 164.526), under /api/release. */
export async function amendmentRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/release/amendment-denial-grounds', {
    schema: { tags: ['release'], summary: 'The four grounds on which an amendment may be denied' },
  }, async () => ({ grounds: DENIAL_GROUND_CODES.map((code) => ({ code, label: DENIAL_GROUNDS[code].label, cite: DENIAL_GROUNDS[code].cite })) }));

  r.post('/release/amendments', {
    config: { access: { permission: 'release.write' } },
    schema: {
      tags: ['release'], summary: 'Log a request to amend the record (due in 60 days)',
      body: z.strictObject({
        patientId: z.string().min(1).max(64), receivedOn: isoDate, requestedChange: text(4000).describe('What the patient asks to change, and why'),
        documentIds: z.array(z.string().min(1).max(64)).max(100).default([]).describe("The patient's documents the request concerns"),
      }),
    },
  }, async (req, reply) => reply.code(201).send({ amendment: await requestAmendment(ctx, principalOf(req), req.body) }));

  r.get('/release/amendments', {
    config: { access: { permission: 'release.read' } },
    schema: { tags: ['release'], summary: 'The work queue: open amendment requests, soonest due first' },
  }, async (req) => ({ amendments: await amendmentQueue(ctx, principalOf(req)) }));

  r.get('/release/patients/:id/amendments', {
    config: { access: { permission: 'release.read' } },
    schema: { tags: ['release'], summary: "The patient's amendment requests", params: IdParams },
  }, async (req) => ({ amendments: await amendmentsOf(ctx, principalOf(req), req.params.id) }));

  r.get('/release/amendments/:id', {
    config: { access: { permission: 'release.read' } },
    schema: { tags: ['release'], summary: 'An amendment request with its notifications and statements', params: IdParams },
  }, async (req) => ({ amendment: await readAmendment(ctx, principalOf(req), req.params.id) }));

  r.post('/release/amendments/:id/extension', {
    config: { access: { permission: 'release.write' } },
    schema: { tags: ['release'], summary: 'Extend the due date once by 30 days, with the written reason', params: IdParams, body: z.strictObject({ reason: text(1000) }) },
  }, async (req) => ({ amendment: await extendAmendment(ctx, principalOf(req), req.params.id, req.body.reason) }));

  r.post('/release/amendments/:id/accept', {
    config: { access: { permission: 'release.review' } },
    schema: {
      tags: ['release'], summary: 'Accept: link the amendment to its documents and notify the recipients (refused under legal hold)', params: IdParams,
      body: z.strictObject({
        amendmentText: text(4000),
        notify: z.array(z.strictObject({ name: text(200), address: z.string().trim().max(500).nullable().optional() })).max(50).default([]),
        notifyPriorRecipients: z.boolean().default(false).describe('The patient agrees that earlier recipients in the disclosure log be told'),
      }),
    },
  }, async (req) => ({ amendment: await acceptAmendment(ctx, principalOf(req), req.params.id, req.body) }));

  r.post('/release/amendments/:id/deny', {
    config: { access: { permission: 'release.review' } },
    schema: {
      tags: ['release'], summary: 'Deny on one of the four grounds, with the denial letter', params: IdParams,
      body: z.strictObject({ basis: z.enum(DENIAL_GROUND_CODES), explanation: text(2000) }),
    },
  }, async (req) => ({ amendment: await denyAmendment(ctx, principalOf(req), req.params.id, req.body) }));

  r.post('/release/amendments/:id/statements', {
    config: { access: { permission: 'release.write' } },
    schema: {
      tags: ['release'], summary: "Record the patient's statement of disagreement, or our rebuttal", params: IdParams,
      body: z.strictObject({ kind: z.enum(STATEMENT_KINDS), text: text(8000), receivedOn: isoDate }),
    },
  }, async (req, reply) => reply.code(201).send({ amendment: await recordStatement(ctx, principalOf(req), req.params.id, req.body) }));

  r.post('/release/amendments/:id/send-with-disclosures', {
    config: { access: { permission: 'release.write' } },
    schema: { tags: ['release'], summary: 'The patient asks that the request and denial go with later disclosures', params: IdParams },
  }, async (req) => ({ amendment: await sendWithDisclosures(ctx, principalOf(req), req.params.id) }));

  r.get('/release/amendments/:id/letter.pdf', {
    config: { access: { permission: 'release.read' } },
    schema: { tags: ['release'], summary: 'The decision letter (acceptance or denial), PDF', params: IdParams },
  }, async (req, reply) => {
    const { type, disposition } = pdf('amendment-letter.pdf');
    return reply.type(type).header('content-disposition', disposition).send(await amendmentLetter(ctx, principalOf(req), req.params.id));
  });

  r.get('/release/amendments/:id/notifications/:notificationId/letter.pdf', {
    config: { access: { permission: 'release.read' } },
    schema: { tags: ['release'], summary: 'A notification letter to a recipient of an accepted amendment, PDF', params: z.strictObject({ id: z.string().min(1).max(64), notificationId: z.string().min(1).max(64) }) },
  }, async (req, reply) => {
    const { type, disposition } = pdf('amendment-notice.pdf');
    return reply.type(type).header('content-disposition', disposition).send(await amendmentLetter(ctx, principalOf(req), req.params.id, req.params.notificationId));
  });
}

