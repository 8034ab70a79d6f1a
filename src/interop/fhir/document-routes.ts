import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../access/request-auth.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { documentsOf, fileDocument, readDocument, readDocumentContent } from '../../documents/index.js';
import { ignoredParameterNotes, searchsetBundle, type SearchEntry } from './bundle.js';
import { fhirError, informationOutcome } from './operation-outcome.js';
import { documentFromFhir, documentToFhir, parseBinaryId } from './document-mapping.js';
import { parseDocumentSearch } from './document-search.js';
import type { FhirRouteKit } from './encounter-routes.js';

const read = { access: { permission: 'documents.read' as const } };
const write = { access: { permission: 'documents.write' as const } };
const hidden = { hide: true };

/**
 * DocumentReference create (inline attachment data), read and search by patient, and Binary read of
 * any version's content (https://hl7.org/fhir/R4/documentreference.html, binary.html), over the same
 * document services as /api, which check the content, store it and audit every read.
 */
export function registerDocumentRoutes(fhir: FastifyInstance, ctx: AppContext, kit: FhirRouteKit): void {
  const attachmentBodyLimit = Math.ceil(ctx.config.maxDocumentBytes * 4 / 3) + 1024 * 1024;

  fhir.post('/DocumentReference', { config: write, schema: hidden, bodyLimit: attachmentBodyLimit }, async (req, reply) => {
    const mapped = documentFromFhir(req.body);
    if (!mapped.ok) throw fhirError.invalidResource(mapped.issues, 'DocumentReference');
    const filed = await fileDocument(ctx, principalOf(req), mapped.indexing, mapped.file).catch((err: unknown) => {
      if (err instanceof DomainError && err.code === 'not-found') {
        throw fhirError.invalidResource([{ expression: 'DocumentReference.subject', diagnostics: 'No such patient.' }], 'DocumentReference');
      }
      throw err;
    });
    return reply.code(201).header('location', `${kit.basePath}/DocumentReference/${filed.id}`).header('etag', `W/"${filed.version}"`).send(documentToFhir(filed));
  });

  fhir.get<{ Params: { id: string } }>('/DocumentReference/:id', { config: read, schema: hidden }, async (req, reply) => {
    const view = await readDocument(ctx, principalOf(req), req.params.id);
    return reply.header('etag', `W/"${view.version}"`).send(documentToFhir(view));
  });

  const search = async (req: FastifyRequest, query: Record<string, string | string[] | undefined>) => {
    const parsed = parseDocumentSearch(query);
    const views = await documentsOf(ctx, principalOf(req), parsed.patientId, parsed.filters);
    const entries: SearchEntry[] = views.map((v) => ({ fullUrl: `${kit.base(req)}/DocumentReference/${v.id}`, resource: documentToFhir(v), search: { mode: 'match' } }));
    if (parsed.ignored.length) {
      entries.push({ resource: informationOutcome(ignoredParameterNotes(parsed.ignored)), search: { mode: 'outcome' } });
    }
    return searchsetBundle({ total: views.length, entries, self: `${kit.base(req)}/DocumentReference?${new URLSearchParams(query as Record<string, string>).toString()}` });
  };
  fhir.get('/DocumentReference', { config: read, schema: hidden }, async (req) => search(req, req.query as Record<string, string | string[]>));
  fhir.post('/DocumentReference/_search', { config: read, schema: hidden }, async (req) => search(req, { ...(req.query as object), ...((req.body ?? {}) as object) }));

  // Binary answers the content itself in its own type; the FHIR scope's JSON content type is put back here.
  void fhir.register(async (binary) => {
    binary.addHook('onSend', async (req, reply, payload) => {
      const type = (req as FastifyRequest & { binaryType?: string }).binaryType;
      if (type && reply.statusCode === 200) reply.header('content-type', type);
      return payload;
    });
    binary.get<{ Params: { id: string } }>('/Binary/:id', { config: read, schema: hidden }, async (req, reply) => {
      const address = parseBinaryId(req.params.id);
      if (!address) throw notFound('The Binary');
      const content = await readDocumentContent(ctx, principalOf(req), address.documentId, address.version);
      if (/application\/(fhir\+)?json/.test(kit.header(req, 'accept') ?? '')) {
        return reply.send({ resourceType: 'Binary', id: req.params.id, contentType: content.contentType, data: content.bytes.toString('base64') });
      }
      (req as FastifyRequest & { binaryType?: string }).binaryType = content.contentType;
      return reply.header('x-content-type-options', 'nosniff').send(content.bytes);
    });
  });
}
