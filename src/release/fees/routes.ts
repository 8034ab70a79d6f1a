import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../access/request-auth.js';
import { FeeSchedule, WAIVER_LABELS } from './fee-schedule.js';
import { currentFeeSchedule, feeScheduleHistory, saveFeeSchedule } from './fee-schedules.js';
import { invoicePdfBytes, invoicesOf, issueInvoice, PaymentInput, QuoteInput, quoteRequest, recordPayment, voidInvoice } from './invoices.js';

const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const tags = ['release of information'];
const read = { access: { permission: 'release.read' as const } };
const write = { access: { permission: 'release.write' as const } };
const review = { access: { permission: 'release.review' as const } };

/** Fees: the schedule, quotes, invoices and payments on release requests. */
export async function feeRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/release/fee-schedule', {
    config: read, schema: { tags, summary: 'The fee schedule in force (the default until one is saved), its history and the waiver labels' },
  }, async () => ({ ...(await currentFeeSchedule(ctx.db)), history: await feeScheduleHistory(ctx.db), waiverLabels: WAIVER_LABELS }));

  r.put('/release/fee-schedule', {
    config: review, schema: { tags, summary: 'Save a new version of the fee schedule', body: FeeSchedule },
  }, async (req) => saveFeeSchedule(ctx, principalOf(req), req.body));

  r.post('/release/requests/:id/fee-quote', {
    config: read, schema: { tags, summary: "The fee for a request (patient's own copy or third party from the request itself); nothing stored", params: IdParams, body: QuoteInput },
  }, async (req) => ({ quote: await quoteRequest(ctx, principalOf(req), req.params.id, req.body) }));

  r.get('/release/requests/:id/invoices', {
    config: read, schema: { tags, summary: "The request's invoices with their payments", params: IdParams },
  }, async (req) => ({ invoices: await invoicesOf(ctx, principalOf(req), req.params.id) }));

  r.post('/release/requests/:id/invoices', {
    config: write, schema: { tags, summary: 'Issue an invoice from the quote, with its PDF', params: IdParams, body: QuoteInput },
  }, async (req, reply) => reply.code(201).send({ invoice: await issueInvoice(ctx, principalOf(req), req.params.id, req.body) }));

  r.get('/release/invoices/:id/pdf', {
    config: read, schema: { tags, summary: 'The invoice PDF', params: IdParams },
  }, async (req, reply) => reply.type('application/pdf').header('content-disposition', 'inline; filename="invoice.pdf"')
    .send(Buffer.from(await invoicePdfBytes(ctx, principalOf(req), req.params.id))));

  r.post('/release/invoices/:id/payments', {
    config: write, schema: { tags, summary: 'Record a payment (more than is owed is refused)', params: IdParams, body: PaymentInput },
  }, async (req, reply) => reply.code(201).send({ invoice: await recordPayment(ctx, principalOf(req), req.params.id, req.body) }));

  r.post('/release/invoices/:id/void', {
    config: write, schema: { tags, summary: 'Void an invoice, with the reason', params: IdParams, body: z.strictObject({ reason: z.string().trim().min(1).max(500) }) },
  }, async (req) => ({ invoice: await voidInvoice(ctx, principalOf(req), req.params.id, req.body.reason) }));
}
