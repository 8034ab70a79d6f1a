import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../access/request-auth.js';
import { isoDate, LegalCase, NewReleaseRequest } from './request-input.js';
import { checkLegalCase, BASIS_LABELS } from './legal-basis.js';
import { logReleaseRequest } from './request-intake.js';
import { documentsForRequest, readReleaseRequest } from './request-reading.js';
import { addRequestNote, amendLegalCase, assignRequest, extendRequest, moveRequest } from './request-actions.js';
import { denyRequest, reviewDenial, sendDenialForReview } from './denial-actions.js';
import { listWorkQueue } from './work-queue.js';
import { releaseDashboard } from './dashboard.js';
import { listReleaseStaff } from './staff.js';
import { readLetter } from './letters.js';
import { PLAIN_MOVES, REQUEST_STATUSES, STATUS_LABELS } from './workflow.js';
import { DENIAL_GROUNDS, DENIAL_GROUND_CODES, REVIEW_DECISIONS } from './denials.js';
import { REQUESTER_LABELS } from './requesters.js';

const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const tags = ['release of information'];
const read = { access: { permission: 'release.read' as const } };
const write = { access: { permission: 'release.write' as const } };
const review = { access: { permission: 'release.review' as const } };

/** Release-of-information requests: intake, the legal checklist, the work queue, the workflow, denials, extensions, letters, the dashboard. */
export async function releaseRequestRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const detail = (req: FastifyRequest, id: string) => readReleaseRequest(ctx, principalOf(req), id);

  r.get('/release/reference', {
    config: read, schema: { tags, summary: 'Labels: statuses, requester kinds, legal bases, denial grounds (with reviewability)' },
  }, async () => ({ statuses: STATUS_LABELS, requesterKinds: REQUESTER_LABELS, bases: BASIS_LABELS, denialGrounds: DENIAL_GROUNDS }));

  r.post('/release/legal-basis/check', {
    config: read, schema: { tags, summary: 'The legal checklist of a request before it is logged (no patient needed; nothing stored)', body: LegalCase },
  }, async (req) => ({ checklist: checkLegalCase(req.body, ctx.clock.now().toISOString().slice(0, 10)) }));

  r.post('/release/requests', {
    config: write, schema: { tags, summary: 'Log a request for records', body: NewReleaseRequest },
  }, async (req, reply) => {
    const id = await logReleaseRequest(ctx, principalOf(req), req.body);
    return reply.code(201).send(await detail(req, id));
  });

  r.get('/release/requests', {
    config: read,
    schema: {
      tags, summary: 'The work queue, by due date',
      querystring: z.strictObject({
        status: z.enum(['open', 'all', ...REQUEST_STATUSES]).optional(),
        assignee: z.string().max(64).optional().describe('A user id, `me` or `unassigned`'),
        overdue: z.stringbool().optional(),
      }),
    },
  }, async (req) => ({ requests: await listWorkQueue(ctx, principalOf(req), { status: req.query.status, assignee: req.query.assignee, overdueOnly: req.query.overdue }) }));

  r.get('/release/requests/:id', {
    config: read, schema: { tags, summary: 'A request with its legal checklist, history and letters', params: IdParams },
  }, async (req) => detail(req, req.params.id));

  r.get('/release/requests/:id/documents', {
    config: read, schema: { tags, summary: "The patient's documents as this request would take them: included or left out, with reasons", params: IdParams },
  }, async (req) => documentsForRequest(ctx, principalOf(req), req.params.id));

  r.post('/release/requests/:id/status', {
    config: write,
    schema: { tags, summary: 'Move the request: validate, start, quality check, return, pend, re-log, cancel', params: IdParams,
      body: z.strictObject({ to: z.enum(PLAIN_MOVES), note: z.string().trim().max(2000).nullable().optional() }) },
  }, async (req) => {
    await moveRequest(ctx, principalOf(req), req.params.id, req.body.to, req.body.note ?? null);
    return detail(req, req.params.id);
  });

  r.put('/release/requests/:id/legal-case', {
    config: write, schema: { tags, summary: 'Amend the requester, basis and papers of a logged request (a corrected authorization)', params: IdParams, body: LegalCase },
  }, async (req) => {
    await amendLegalCase(ctx, principalOf(req), req.params.id, req.body);
    return detail(req, req.params.id);
  });

  r.post('/release/requests/:id/assignment', {
    config: write, schema: { tags, summary: 'Assign the request to a clerk (null: unassign)', params: IdParams,
      body: z.strictObject({ userId: z.string().min(1).max(64).nullable() }) },
  }, async (req) => {
    await assignRequest(ctx, principalOf(req), req.params.id, req.body.userId);
    return detail(req, req.params.id);
  });

  r.post('/release/requests/:id/notes', {
    config: write, schema: { tags, summary: 'Add a note', params: IdParams, body: z.strictObject({ text: z.string().trim().min(1).max(4000) }) },
  }, async (req, reply) => {
    await addRequestNote(ctx, principalOf(req), req.params.id, req.body.text);
    return reply.code(201).send(await detail(req, req.params.id));
  });

  r.post('/release/requests/:id/extension', {
    config: write, schema: { tags, summary: 'Extend a right-of-access request once (up to 30 days) and make the notice', params: IdParams,
      body: z.strictObject({ reason: z.string().trim().min(1).max(2000), newDueDate: isoDate.nullable().optional() }) },
  }, async (req) => {
    await extendRequest(ctx, principalOf(req), req.params.id, req.body);
    return detail(req, req.params.id);
  });

  r.post('/release/requests/:id/denial', {
    config: write, schema: { tags, summary: 'Deny the request on a regulatory ground and make the denial letter', params: IdParams,
      body: z.strictObject({ ground: z.enum(DENIAL_GROUND_CODES as [string, ...string[]]), explanation: z.string().trim().max(2000).default('') }) },
  }, async (req) => {
    await denyRequest(ctx, principalOf(req), req.params.id, { ground: req.body.ground as keyof typeof DENIAL_GROUNDS, explanation: req.body.explanation });
    return detail(req, req.params.id);
  });

  r.post('/release/requests/:id/denial/review-request', {
    config: write, schema: { tags, summary: 'Send a reviewable denial to a reviewer who took no part in it', params: IdParams,
      body: z.strictObject({ reviewerId: z.string().min(1).max(64) }) },
  }, async (req) => {
    await sendDenialForReview(ctx, principalOf(req), req.params.id, req.body.reviewerId);
    return detail(req, req.params.id);
  });

  r.post('/release/requests/:id/denial/review', {
    config: review, schema: { tags, summary: "The reviewer's decision on a denial", params: IdParams,
      body: z.strictObject({ decision: z.enum(REVIEW_DECISIONS), licence: z.string().trim().min(1).max(200), note: z.string().trim().max(2000).nullable().optional() }) },
  }, async (req) => {
    await reviewDenial(ctx, principalOf(req), req.params.id, req.body);
    return detail(req, req.params.id);
  });

  r.get('/release/requests/:id/letters/:letterId', {
    config: read, schema: { tags, summary: 'A letter (PDF)', params: z.strictObject({ id: z.string().min(1).max(64), letterId: z.string().min(1).max(64) }) },
  }, async (req, reply) => reply.type('application/pdf').header('content-disposition', 'inline; filename="letter.pdf"')
    .send(Buffer.from(await readLetter(ctx, principalOf(req), req.params.id, req.params.letterId))));

  r.get('/release/dashboard', {
    config: read, schema: { tags, summary: 'Open, due this week, overdue, and turnaround by week' },
  }, async () => releaseDashboard(ctx));

  r.get('/release/staff', {
    config: read, schema: { tags, summary: 'Clerks who may be assigned, and reviewers' },
  }, async (req) => listReleaseStaff(ctx, principalOf(req)));
}
