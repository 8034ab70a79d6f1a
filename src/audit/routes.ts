import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { actorOf } from '../access/principal.js';
import { principalOf } from '../access/request-auth.js';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES } from './actions.js';
import { exportAuditEventsCsv, searchAuditEvents } from './reports.js';

const instant = z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/, 'Use a date (YYYY-MM-DD) or an ISO-8601 UTC time.');
const AuditQuery = z.strictObject({
  username: z.string().max(64).optional(),
  patientId: z.string().max(64).optional(),
  action: z.enum(AUDIT_ACTIONS).optional(),
  outcome: z.enum(AUDIT_OUTCOMES).optional(),
  from: instant.optional(),
  to: instant.optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

const AuditEventSchema = z.object({
  id: z.string(), seq: z.number(), occurredAt: z.string(), actorType: z.string(), actorId: z.string().nullable(),
  actorName: z.string().nullable(), actorRole: z.string().nullable(), ip: z.string().nullable(), userAgent: z.string().nullable(),
  action: z.string(), patientId: z.string().nullable(), recordType: z.string().nullable(), recordId: z.string().nullable(),
  outcome: z.string(), reason: z.string().nullable(), emergency: z.boolean(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).nullable(),
});

/** The audit-log API for auditors and privacy officers. */
export async function auditRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/audit-events', {
    config: { access: { permission: 'audit.read' } },
    schema: { tags: ['audit'], summary: 'Search the audit trail', querystring: AuditQuery,
      response: { 200: z.object({ events: z.array(AuditEventSchema), nextBefore: z.number().nullable() }) } },
  }, async (req) => searchAuditEvents(ctx, actorOf(principalOf(req)), req.query));

  r.get('/audit-events/export.csv', {
    config: { access: { permission: 'audit.read' } },
    schema: { tags: ['audit'], summary: 'Export matching audit events as CSV', querystring: AuditQuery.omit({ before: true, limit: true }) },
  }, async (req, reply) => {
    const csv = await exportAuditEventsCsv(ctx, actorOf(principalOf(req)), req.query);
    const stamp = ctx.clock.now().toISOString().slice(0, 10);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="audit-events-${stamp}.csv"`)
      .send(csv);
  });

  r.get('/audit-events/actions', {
    config: { access: { permission: 'audit.read' } },
    schema: { tags: ['audit'], summary: 'The actions an audit event can record', response: { 200: z.object({ actions: z.array(z.string()) }) } },
  }, async () => ({ actions: [...AUDIT_ACTIONS] }));
}
