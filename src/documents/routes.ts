import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { principalOf } from '../access/request-auth.js';
import { DomainError, invalid } from '../platform/errors.js';
import { DOCUMENT_CATEGORIES, DOCUMENT_TYPES, findDocumentType } from './document-types.js';
import { DOCUMENT_STATUSES, FILING_STATUSES } from './document-status.js';
import { SENSITIVITY_CATEGORIES } from './sensitivity.js';
import { addDocumentVersion, fileDocument, markEnteredInError, type DocumentFile } from './filing.js';
import { documentsOf, readDocument, readDocumentContent } from './reading.js';
import { contentDisposition } from './download-name.js';
import { conversionRoutes } from './conversion/routes.js';
import { scanningRoutes } from './scanning/routes.js';

const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const isoDate = z.iso.date().describe('YYYY-MM-DD');
const text = (max: number) => z.string().trim().min(1).max(max).nullable().optional();
const Authentication = z.strictObject({
  signedBy: z.string().trim().min(1).max(200).describe('Who authenticated (signed) the document'),
  signedAt: z.iso.datetime({ offset: true }).transform((v) => new Date(v).toISOString()),
});
const typeCode = z.string().refine((c) => findDocumentType(c) !== undefined, 'Not a document type Chartroom knows (see /api/reference/document-types).')
  .describe('LOINC document code');

/** The `metadata` part of an upload. */
export const DocumentIndexingInput = z.strictObject({
  patientId: z.string().min(1).max(64),
  encounterId: z.string().min(1).max(64).nullable().optional(),
  typeCode,
  title: text(200),
  author: text(200),
  serviceDate: isoDate,
  status: z.enum(FILING_STATUSES).default('final'),
  authentication: Authentication.nullable().optional(),
  sensitivity: z.array(z.enum(SENSITIVITY_CATEGORIES)).max(SENSITIVITY_CATEGORIES.length).default([]),
});

/** The `metadata` part of a new version. */
export const NewVersionInput = z.strictObject({
  reason: z.string().trim().min(3).max(1000).describe('Why the document changes (an amendment keeps the original)'),
  status: z.enum(FILING_STATUSES).optional().describe('For a preliminary document only: the new version is preliminary or final'),
  authentication: Authentication.nullable().optional(),
  expectedVersion: z.number().int().positive().optional().describe('The version you saw; a document changed since is refused'),
});

const csv = <T extends z.ZodType<string, string>>(item: T) =>
  z.string().max(2000).transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)).pipe(z.array(item).max(50));

const ListQuery = z.strictObject({
  type: csv(z.string().max(20)).optional().describe('LOINC codes, comma-separated'),
  category: z.enum(DOCUMENT_CATEGORIES).optional(),
  status: csv(z.enum(DOCUMENT_STATUSES)).optional().describe('Statuses, comma-separated'),
  encounter: z.string().min(1).max(64).optional(),
  from: isoDate.optional().describe('Date of service on or after'),
  to: isoDate.optional().describe('Date of service on or before'),
  sensitivity: z.enum(SENSITIVITY_CATEGORIES).optional().describe('Documents carrying this sensitivity category'),
});

const UPLOAD_HELP = 'Send multipart/form-data: a "metadata" field (JSON) and a "file" part (PDF, TIFF, JPEG or PNG).';

/**
 * Reads an upload: the JSON `metadata` field, checked against its schema, and the one `file` part.
 * With `metadataOptional`, a form without metadata is read as `{}` (a scanned batch needs none).
 */
export async function readUpload<T extends z.ZodType>(req: FastifyRequest, schema: T, options: { metadataOptional?: boolean } = {}): Promise<{ metadata: z.output<T>; file: DocumentFile }> {
  if (!req.isMultipart()) throw invalid('document.upload-form', UPLOAD_HELP);
  let raw: string | undefined;
  let file: DocumentFile | undefined;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'field' && part.fieldname === 'metadata' && raw === undefined) {
        raw = String(part.value);
      } else if (part.type === 'file' && part.fieldname === 'file' && !file) {
        file = { bytes: await part.toBuffer(), fileName: part.filename, contentType: part.mimetype };
      } else {
        if (part.type === 'file') part.file.resume();
        throw invalid('document.upload-form', `Unexpected part "${part.fieldname}". ${UPLOAD_HELP}`, [{ field: part.fieldname, message: 'Not expected.' }]);
      }
    }
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new DomainError('too-large', 'document.too-large', 'The file is larger than a document may be.', [{ field: 'file', message: 'Too large.' }]);
    }
    throw err;
  }
  if (raw === undefined && options.metadataOptional) raw = '{}';
  if (raw === undefined || !file) {
    throw invalid('document.upload-form', UPLOAD_HELP, [...(raw === undefined ? [{ field: 'metadata', message: 'Required.' }] : []), ...(!file ? [{ field: 'file', message: 'Required.' }] : [])]);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw invalid('document.upload-form', 'The metadata field is not valid JSON.', [{ field: 'metadata', message: 'Not valid JSON.' }]);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({ field: ['metadata', ...i.path.map(String)].join('.'), message: i.message }));
    throw invalid('request.invalid', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  }
  return { metadata: parsed.data, file };
}

/** Filing, listing, reading and downloading documents; new versions; entered in error. */
export async function documentRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  await api.register(async (scope) => {
    // Only this scope reads multipart bodies, up to the document size limit; the rest of /api keeps its JSON limit.
    await scope.register(multipart, {
      preservePath: true,
      throwFileSizeLimit: true,
      limits: { fileSize: ctx.config.maxDocumentBytes, files: 1, fields: 2, fieldSize: 64 * 1024, parts: 3, headerPairs: 50 },
    });
    const r = scope.withTypeProvider<ZodTypeProvider>();

    r.get('/reference/document-types', {
      schema: { tags: ['reference data'], summary: 'Document types (LOINC document codes) with their categories' },
    }, async () => ({ documentTypes: DOCUMENT_TYPES }));

    r.get('/patients/:id/documents', {
      config: { access: { permission: 'documents.read' } },
      schema: { tags: ['documents'], summary: "The patient's documents, newest date of service first", params: IdParams, querystring: ListQuery },
    }, async (req) => {
      const { type, category, status, encounter, from, to, sensitivity } = req.query;
      return { documents: await documentsOf(ctx, principalOf(req), req.params.id, { typeCodes: type, category, status, encounterId: encounter, from, to, sensitivity }) };
    });

    r.post('/documents', {
      config: { access: { permission: 'documents.write' } },
      bodyLimit: ctx.config.maxDocumentBytes + 1024 * 1024,
      schema: { tags: ['documents'], summary: `File a document to a patient's chart. ${UPLOAD_HELP} Metadata: patientId, typeCode, serviceDate, status, and optionally encounterId, title, author, authentication, sensitivity.`, consumes: ['multipart/form-data'] },
    }, async (req, reply) => {
      const { metadata, file } = await readUpload(req, DocumentIndexingInput);
      return reply.code(201).send({ document: await fileDocument(ctx, principalOf(req), metadata, file) });
    });

    r.get('/documents/:id', {
      config: { access: { permission: 'documents.read' } },
      schema: { tags: ['documents'], summary: "A document's index and its versions", params: IdParams },
    }, async (req) => ({ document: await readDocument(ctx, principalOf(req), req.params.id) }));

    r.get('/documents/:id/content', {
      config: { access: { permission: 'documents.read' } },
      schema: {
        tags: ['documents'], summary: "The document's content (the current version unless asked)", params: IdParams,
        querystring: z.strictObject({ version: z.coerce.number().int().positive().optional(), download: z.stringbool().optional() }),
      },
    }, async (req, reply) => {
      const content = await readDocumentContent(ctx, principalOf(req), req.params.id, req.query.version);
      return reply.type(content.contentType)
        .header('content-disposition', contentDisposition(req.query.download ? 'attachment' : 'inline', content.fileName))
        .header('x-content-type-options', 'nosniff')
        .send(content.bytes);
    });

    r.post('/documents/:id/versions', {
      config: { access: { permission: 'documents.write' } },
      bodyLimit: ctx.config.maxDocumentBytes + 1024 * 1024,
      schema: { tags: ['documents'], summary: `Add a version (an amendment keeps the original). ${UPLOAD_HELP} Metadata: reason, and optionally status, authentication, expectedVersion.`, params: IdParams, consumes: ['multipart/form-data'] },
    }, async (req, reply) => {
      const { metadata, file } = await readUpload(req, NewVersionInput);
      return reply.code(201).send({ document: await addDocumentVersion(ctx, principalOf(req), req.params.id, metadata, file) });
    });

    r.post('/documents/:id/entered-in-error', {
      config: { access: { permission: 'documents.write' } },
      schema: { tags: ['documents'], summary: 'Mark a document entered in error (it stays, marked, with the reason)', params: IdParams, body: z.strictObject({ reason: z.string().trim().min(3).max(1000) }) },
    }, async (req) => ({ document: await markEnteredInError(ctx, principalOf(req), req.params.id, req.body.reason) }));

    // Cover sheets, scanned batches and the indexing queue share this scope's multipart reading.
    await scanningRoutes(scope, ctx);
  });
  await conversionRoutes(api, ctx);
}
