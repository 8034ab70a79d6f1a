import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../access/request-auth.js';
import { findDocumentType } from '../document-types.js';
import { FEDERAL_FLOOR_YEARS, RULE_SCOPES } from './retention-rules.js';
import { loadRetentionRules, removeRetentionRule, saveRetentionRule } from './rule-store.js';
import { eligibleDocuments } from './eligibility.js';
import { approveDestruction, BATCH_STATUSES, DEFAULT_DESTRUCTION_METHOD, listDestructionBatches, proposeDestruction, readDestructionCertificate, rejectDestruction } from './destruction.js';
import { listLegalHolds, placeLegalHold, releaseLegalHold } from './legal-holds.js';

const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const id = z.string().min(1).max(64);
const reason = z.string().trim().min(3).max(1000);
const years = z.number().int();

/** Retention rules, the eligible list, destruction proposals and certificates, and legal holds. */
export async function retentionRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  const tags = ['retention'];

  r.get('/retention/rules', {
    config: { access: { permission: 'documents.write' } },
    schema: { tags, summary: 'Retention rules: the default, by category, by document type' },
  }, async () => ({ rules: await loadRetentionRules(ctx.db), floorYears: FEDERAL_FLOOR_YEARS }));

  r.put('/retention/rules', {
    config: { access: { permission: 'documents.destroy' } },
    schema: {
      tags, summary: `Set the rule for a type, a category or the default (at least ${FEDERAL_FLOOR_YEARS} years)`,
      body: z.strictObject({
        scope: z.enum(RULE_SCOPES), appliesTo: z.string().max(40).default('').describe("'' for the default; a category; a LOINC document code"),
        adultYears: years.describe('Years kept after the date of service'), majorityAge: years, minorYearsAfterMajority: years,
      }),
    },
  }, async (req) => ({ rule: await saveRetentionRule(ctx, principalOf(req), req.body) }));

  r.delete('/retention/rules/:id', {
    config: { access: { permission: 'documents.destroy' } },
    schema: { tags, summary: "Remove a type's or category's rule", params: IdParams },
  }, async (req, reply) => {
    await removeRetentionRule(ctx, principalOf(req), req.params.id);
    return reply.code(204).send();
  });

  r.get('/retention/eligible', {
    config: { access: { permission: 'documents.write' } },
    schema: {
      tags, summary: 'Documents past retention, not destroyed, under no legal hold (oldest first, paged)',
      querystring: z.strictObject({
        type: z.string().refine((c) => findDocumentType(c) !== undefined, 'Not a document type Chartroom knows.').optional(),
        page: z.coerce.number().int().min(1).default(1), pageSize: z.coerce.number().int().min(1).max(200).default(50),
      }),
    },
  }, async (req) => eligibleDocuments(ctx, principalOf(req), { typeCode: req.query.type, page: req.query.page, pageSize: req.query.pageSize }));

  r.post('/retention/destructions', {
    config: { access: { permission: 'documents.write' } },
    schema: {
      tags, summary: 'Propose destroying documents past retention (a supervisor other than the proposer approves)',
      body: z.strictObject({ documentIds: z.array(id).min(1).max(500), method: z.string().trim().min(3).max(300).default(DEFAULT_DESTRUCTION_METHOD), reason }),
    },
  }, async (req, reply) => reply.code(201).send({ destruction: await proposeDestruction(ctx, principalOf(req), req.body) }));

  r.get('/retention/destructions', {
    config: { access: { permission: 'documents.write' } },
    schema: { tags, summary: 'Destruction proposals and their outcome, newest first', querystring: z.strictObject({ status: z.enum(BATCH_STATUSES).optional() }) },
  }, async (req) => ({ destructions: await listDestructionBatches(ctx, principalOf(req), req.query.status) }));

  r.post('/retention/destructions/:id/approve', {
    config: { access: { permission: 'documents.destroy' } },
    schema: { tags, summary: 'Approve and carry out a destruction (not your own proposal); answers the certificate number', params: IdParams },
  }, async (req) => ({ destruction: await approveDestruction(ctx, principalOf(req), req.params.id) }));

  r.post('/retention/destructions/:id/reject', {
    config: { access: { permission: 'documents.destroy' } },
    schema: { tags, summary: 'Reject a destruction proposal, with the reason', params: IdParams, body: z.strictObject({ reason }) },
  }, async (req) => ({ destruction: await rejectDestruction(ctx, principalOf(req), req.params.id, req.body.reason) }));

  r.get('/retention/destructions/:id/certificate', {
    config: { access: { permission: 'documents.destroy' } },
    schema: { tags, summary: 'The certificate of destruction (PDF)', params: IdParams },
  }, async (req, reply) => {
    const { number, pdf } = await readDestructionCertificate(ctx, principalOf(req), req.params.id);
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="certificate-of-destruction-${number}.pdf"`).send(pdf);
  });

  r.get('/legal-holds', {
    config: { access: { permission: 'documents.hold' } },
    schema: { tags, summary: 'Legal holds, newest first', querystring: z.strictObject({ active: z.stringbool().optional(), patientId: id.optional() }) },
  }, async (req) => ({ holds: await listLegalHolds(ctx, principalOf(req), { active: req.query.active, patientId: req.query.patientId }) }));

  r.post('/legal-holds', {
    config: { access: { permission: 'documents.hold' } },
    schema: {
      tags, summary: "Place a legal hold on a patient's documents (all of them, or those named)",
      body: z.strictObject({ patientId: id, documentIds: z.array(id).max(500).default([]), matter: z.string().trim().min(2).max(200), reason }),
    },
  }, async (req, reply) => reply.code(201).send({ hold: await placeLegalHold(ctx, principalOf(req), req.body) }));

  r.post('/legal-holds/:id/release', {
    config: { access: { permission: 'documents.hold' } },
    schema: { tags, summary: 'Release a legal hold, with the reason (it stays on record)', params: IdParams, body: z.strictObject({ reason }) },
  }, async (req) => ({ hold: await releaseLegalHold(ctx, principalOf(req), req.params.id, req.body.reason) }));
}
