import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../access/request-auth.js';
import { contentDisposition } from '../download-name.js';
import { DocumentIndexingInput, readUpload } from '../routes.js';
import { MAX_COVER_SHEET_COPIES, printCoverSheets } from './cover-sheets.js';
import { receiveScanBatch } from './batch-intake.js';
import { listScanBatches, scanBatchReport } from './batch-report.js';
import { assignIndexingItem, batchPageImage, listIndexingQueue } from './indexing-queue.js';

const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const id = z.string().min(1).max(64);

/**
 * Cover sheets, scanned batches (upload, report, list, page images) and the indexing queue. Registered
 * inside the documents scope, which reads multipart bodies.
 */
export async function scanningRoutes(scope: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = scope.withTypeProvider<ZodTypeProvider>();
  // Built here, not at module level: the documents routes module imports this one.
  const Assignment = DocumentIndexingInput.pick({ patientId: true, encounterId: true, typeCode: true, title: true, serviceDate: true });
  const BatchMetadata = z.strictObject({});

  r.post('/documents/cover-sheets', {
    config: { access: { permission: 'documents.write' } },
    schema: {
      tags: ['scanning'], summary: 'Print cover sheets (PDF) for a patient\'s document: a QR code with the MRN, visit number and document type, to place in front of the paper before scanning',
      body: z.strictObject({ patientId: id, encounterId: id.nullable().optional(), typeCode: DocumentIndexingInput.shape.typeCode, copies: z.number().int().min(1).max(MAX_COVER_SHEET_COPIES).default(1) }),
    },
  }, async (req, reply) => {
    const pdf = await printCoverSheets(ctx, principalOf(req), req.body);
    return reply.type('application/pdf').header('content-disposition', contentDisposition('attachment', 'cover-sheet.pdf')).header('cache-control', 'no-store').send(Buffer.from(pdf));
  });

  r.post('/documents/scan-batches', {
    config: { access: { permission: 'documents.write' } },
    bodyLimit: ctx.config.maxDocumentBytes + 1024 * 1024,
    schema: { tags: ['scanning'], summary: 'Upload a scanned batch (multipart/form-data, one "file" part: a PDF or multi-page TIFF). It is split at its cover sheets, each document filed, the rest left in the indexing queue; answers the batch report.', consumes: ['multipart/form-data'] },
  }, async (req, reply) => {
    const { file } = await readUpload(req, BatchMetadata, { metadataOptional: true });
    return reply.code(201).send({ batch: await receiveScanBatch(ctx, principalOf(req), file) });
  });

  r.get('/documents/scan-batches', {
    config: { access: { permission: 'documents.read' } },
    schema: { tags: ['scanning'], summary: 'The most recent scanned batches, newest first' },
  }, async (req) => ({ batches: await listScanBatches(ctx, principalOf(req)) }));

  r.get('/documents/scan-batches/:id', {
    config: { access: { permission: 'documents.read' } },
    schema: { tags: ['scanning'], summary: 'A batch report: pages, documents made (patient, type, pages), pages left for indexing', params: IdParams },
  }, async (req) => ({ batch: await scanBatchReport(ctx, principalOf(req), req.params.id) }));

  r.get('/documents/scan-batches/:id/pages/:page/image', {
    config: { access: { permission: 'documents.read' } },
    schema: { tags: ['scanning'], summary: 'One page of a batch as a PNG', params: z.strictObject({ id, page: z.coerce.number().int().min(1).max(100_000) }) },
  }, async (req, reply) => {
    const png = await batchPageImage(ctx, principalOf(req), req.params.id, req.params.page);
    return reply.type('image/png').header('cache-control', 'no-store').header('x-content-type-options', 'nosniff').send(png);
  });

  r.get('/documents/indexing-queue', {
    config: { access: { permission: 'documents.read' } },
    schema: { tags: ['scanning'], summary: 'Scanned pages waiting for a clerk to index them, with the reason' },
  }, async (req) => ({ items: await listIndexingQueue(ctx, principalOf(req)) }));

  r.post('/documents/indexing-queue/:id/assign', {
    config: { access: { permission: 'documents.write' } },
    schema: { tags: ['scanning'], summary: 'File the waiting pages as one document, indexed by the clerk', params: IdParams, body: Assignment },
  }, async (req, reply) => {
    const { document, batchId } = await assignIndexingItem(ctx, principalOf(req), req.params.id, req.body);
    return reply.code(201).send({ document, batchId });
  });
}
