import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../access/request-auth.js';
import { DOCUMENT_CATEGORIES } from '../document-types.js';
import { DOCUMENT_STATUSES } from '../document-status.js';
import { SENSITIVITY_CATEGORIES } from '../sensitivity.js';
import { contentDisposition } from '../download-name.js';
import { readDocumentPdf } from './document-pdf.js';
import { printChart } from './chart-pdf.js';

const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const isoDate = z.iso.date().describe('YYYY-MM-DD');

/** Which documents go into a printed or exported chart (the body of chart-pdf and chart-bundle). */
export const ChartSelectionInput = z.strictObject({
  documentIds: z.array(z.string().min(1).max(64)).min(1).max(5000).optional()
    .describe("The documents, by id (each must be this patient's); entered-in-error ones are included only when named"),
  filters: z.strictObject({
    typeCodes: z.array(z.string().max(20)).max(50).optional().describe('LOINC codes'),
    category: z.enum(DOCUMENT_CATEGORIES).optional(),
    status: z.array(z.enum(DOCUMENT_STATUSES)).max(DOCUMENT_STATUSES.length).optional(),
    encounterId: z.string().min(1).max(64).optional(),
    from: isoDate.optional().describe('Date of service on or after'),
    to: isoDate.optional().describe('Date of service on or before'),
    sensitivity: z.enum(SENSITIVITY_CATEGORIES).optional(),
  }).optional().describe('Without documentIds: the documents these admit (all when absent), except those entered in error unless status names it'),
}).default({});

const PDF_HEADERS = { 'content-type': 'application/pdf', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' };

/** A document as PDF; a chart as one PDF. */
export async function conversionRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/documents/:id/pdf', {
    config: { access: { permission: 'documents.read' } },
    schema: {
      tags: ['documents'], summary: 'The document as a PDF to view or print (a PDF as stored; an image converted, one page per image page)', params: IdParams,
      querystring: z.strictObject({
        version: z.coerce.number().int().positive().optional(),
        purpose: z.enum(['view', 'print']).default('view').describe('print: the read is audited as a print'),
      }),
    },
  }, async (req, reply) => {
    const pdf = await readDocumentPdf(ctx, principalOf(req), req.params.id, { version: req.query.version, purpose: req.query.purpose === 'print' ? 'print' : 'read' });
    return reply.headers(PDF_HEADERS).header('content-disposition', contentDisposition('inline', pdf.fileName)).send(Buffer.from(pdf.bytes));
  });

  r.post('/patients/:id/chart-pdf', {
    config: { access: { permission: 'documents.read' } },
    schema: {
      tags: ['documents'], params: IdParams, body: ChartSelectionInput,
      summary: "The patient's chart, or the documents chosen, as one PDF: cover page, table of contents, and 'Page n of N' with the patient and MRN on every page. Audited as a print.",
    },
  }, async (req, reply) => {
    const chart = await printChart(ctx, principalOf(req), req.params.id, req.body);
    return reply.headers(PDF_HEADERS).header('content-disposition', contentDisposition('attachment', 'medical-record.pdf'))
      .header('x-chart-pages', String(chart.pages)).send(Buffer.from(chart.bytes));
  });
}
