import type { FastifyInstance } from 'fastify';
import { assertPermission } from '../../access/guard.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { actorOf } from '../../access/principal.js';
import { principalOf } from '../../access/request-auth.js';
import { MESSAGE_STATUSES } from './processing.js';
import { listMessages, readMessageDetail, reprocessMessage } from './monitor.js';

const instant = z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/, 'Use a date (YYYY-MM-DD) or an ISO-8601 UTC time.');
const IdParams = z.strictObject({ id: z.string().min(1).max(64) });

const MessageSummarySchema = z.object({
  id: z.string(), status: z.enum(MESSAGE_STATUSES), receivedAt: z.string(), processedAt: z.string().nullable(),
  controlId: z.string().nullable(), sendingApplication: z.string().nullable(), sendingFacility: z.string().nullable(),
  messageType: z.string().nullable(), triggerEvent: z.string().nullable(), version: z.string().nullable(), ackCode: z.string().nullable(),
  errorCode: z.string().nullable().describe('HL7 table 0357'), errorLocation: z.string().nullable().describe('ERR-2: segment^sequence^field'),
  errorText: z.string().nullable(), patientId: z.string().nullable(), visitNumber: z.string().nullable(), attempts: z.number(),
  replaces: z.string().nullable(), replacedBy: z.string().nullable(), correctedBy: z.string().nullable(),
});

/** The HL7 v2 interface monitor: messages received, their errors, and correcting and reprocessing them. */
export async function hl7MonitorRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const access = { permission: 'interfaces.manage' as const };

  r.get('/interfaces/hl7/messages', {
    config: { access },
    schema: {
      tags: ['interfaces'], summary: 'HL7 v2 messages received, newest first',
      querystring: z.strictObject({
        status: z.enum(MESSAGE_STATUSES).optional(),
        type: z.string().regex(/^([A-Z0-9]{3}\^)?[A-Z0-9]{3}$/, 'A trigger (A01) or type^trigger (ADT^A01).').optional(),
        controlId: z.string().max(100).optional(),
        from: instant.optional(), to: instant.optional(),
        limit: z.coerce.number().int().min(1).max(200).optional(), offset: z.coerce.number().int().min(0).optional(),
      }),
      response: { 200: z.object({ messages: z.array(MessageSummarySchema), total: z.number() }) },
    },
  }, async (req) => listMessages(ctx, req.query));

  r.get('/interfaces/hl7/messages/:id', {
    config: { access },
    schema: {
      tags: ['interfaces'], summary: 'One message with its raw text and segments (an audited read of PHI; needs patients.read too)', params: IdParams,
      response: { 200: MessageSummarySchema.extend({ raw: z.string(), segments: z.array(z.object({ name: z.string(), fields: z.array(z.string()) })), parsed: z.unknown() }) },
    },
  }, async (req) => {
    // The raw message is patient data: the administrator manages the interface but reads no patient (least privilege).
    await assertPermission(ctx, principalOf(req), 'patients.read', { recordType: 'interface_message', recordId: req.params.id });
    return readMessageDetail(ctx, actorOf(principalOf(req)), req.params.id);
  });

  r.post('/interfaces/hl7/messages/:id/reprocess', {
    config: { access },
    schema: {
      tags: ['interfaces'], summary: 'Apply a failed or held message again, as it was or corrected; the original is kept (needs patients.write too)',
      params: IdParams,
      body: z.strictObject({ raw: z.string().min(8).max(1_000_000).optional().describe('The corrected ER7 text; omit to retry the message as it was') }),
      response: { 200: z.object({ message: MessageSummarySchema }) },
    },
  }, async (req) => {
    await assertPermission(ctx, principalOf(req), 'patients.write', { recordType: 'interface_message', recordId: req.params.id });
    return { message: await reprocessMessage(ctx, actorOf(principalOf(req)), req.params.id, req.body.raw) };
  });
}
