import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../access/request-auth.js';
import { PASSCODE_CHANNELS } from '../delivery/index.js';
import { buildPacket } from './packet-build.js';
import { checkPacket } from './quality-check.js';
import { releasePacket } from './release-step.js';
import { makeElectronicCopy, PACKET_FILE_FORMATS } from './electronic-copy.js';
import { packetPageImage, readPacket, readPacketPdf } from './packet-reading.js';
import { documentPageImage, readDocumentPages } from './document-preview.js';

const tags = ['release of information'];
const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const DocumentParams = z.strictObject({ id: z.string().min(1).max(64), documentId: z.string().min(1).max(64) });
const DocumentPagesAnswer = z.object({
  documentId: z.string(),
  pageCount: z.number().int(),
  pages: z.array(z.object({ page: z.number().int(), width: z.number().describe('Points, as the page is seen'), height: z.number().describe('Points, as the page is seen') })),
});
const points = z.number().finite().describe('Points (1/72 inch) from the page\'s top-left corner');

const BuildInput = z.strictObject({
  redactions: z.array(z.strictObject({
    documentId: z.string().min(1).max(64), page: z.number().int().min(1), x: points, y: points, width: points, height: points,
  })).max(500).default([]),
});

const CheckInput = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('confirm'), confirmedPages: z.array(z.number().int()).max(10_000).describe('Must be exactly 1..N') }),
  z.strictObject({ decision: z.literal('reject'), reason: z.string().trim().min(1).max(1000) }),
]);

const ReleaseInput = z.strictObject({
  delivery: z.discriminatedUnion('method', [
    z.strictObject({
      method: z.literal('secure-link'), recipientEmail: z.email().max(254), passcodeBy: z.enum(PASSCODE_CHANNELS).default('email'),
      expiresInDays: z.number().int().min(1).max(90).optional(), maxDownloads: z.number().int().min(1).max(10).optional(),
      file: z.enum(PACKET_FILE_FORMATS).default('pdf').describe('pdf: the packet as one PDF; zip: one PDF per part with a contents list; fhir-bundle: a FHIR R4 Bundle with each part inline'),
    }),
    z.strictObject({ method: z.literal('mail'), address: z.string().trim().min(1).max(500), trackingNumber: z.string().trim().max(100).nullable().optional() }),
    z.strictObject({ method: z.literal('pick-up') }),
  ]),
});

/** The release packet of a request: build (with redactions), read, preview, quality check, release. */
export async function releasePacketRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  r.post('/release/requests/:id/packet', {
    config: { access: { permission: 'release.write' } },
    schema: { tags, summary: 'Build the release packet (cover letter, notices, documents with redactions burned in; every page stamped); the request moves to quality check', params: IdParams, body: BuildInput },
  }, async (req, reply) => reply.code(201).send({ packet: await buildPacket(ctx, principalOf(req), req.params.id, req.body.redactions) }));

  r.get('/release/requests/:id/packet', {
    config: { access: { permission: 'release.read' } },
    schema: { tags, summary: "The request's latest packet: status, page count, page map", params: IdParams },
  }, async (req) => ({ packet: await readPacket(ctx, principalOf(req), req.params.id) }));

  r.get('/release/requests/:id/packet/pdf', {
    config: { access: { permission: 'release.read' } },
    schema: { tags, summary: "The packet's PDF (audited)", params: IdParams },
  }, async (req, reply) => reply.type('application/pdf').header('content-disposition', 'inline; filename="release-packet.pdf"')
    .send(Buffer.from(await readPacketPdf(ctx, principalOf(req), req.params.id))));

  r.get('/release/requests/:id/packet/file', {
    config: { access: { permission: 'release.read' } },
    schema: {
      tags, summary: "The packet as a file to send: PDF, ZIP (one PDF per part and a contents list) or FHIR R4 Bundle (audited)", params: IdParams,
      querystring: z.strictObject({ format: z.enum(PACKET_FILE_FORMATS) }),
    },
  }, async (req, reply) => {
    const copy = await makeElectronicCopy(ctx, principalOf(req), req.params.id, req.query.format);
    return reply.type(copy.contentType).header('content-disposition', `attachment; filename="release-packet.${copy.extension}"`)
      .header('cache-control', 'no-store').send(Buffer.from(copy.bytes));
  });

  r.get('/release/requests/:id/packet/pages/:n/image', {
    config: { access: { permission: 'release.read' } },
    schema: { tags, summary: 'One page of the packet as PNG, for the preview (audited)', params: z.strictObject({ id: z.string().min(1).max(64), n: z.coerce.number().int().min(1) }) },
  }, async (req, reply) => reply.type('image/png').send(Buffer.from(await packetPageImage(ctx, principalOf(req), req.params.id, req.params.n))));

  r.get('/release/requests/:id/documents/:documentId/pages', {
    config: { access: { permission: 'release.read' } },
    schema: {
      tags, summary: "An included document's page count and each page's size in points as it is seen, to draw redaction boxes on its pages (audited)",
      params: DocumentParams, response: { 200: DocumentPagesAnswer },
    },
  }, async (req) => readDocumentPages(ctx, principalOf(req), req.params.id, req.params.documentId));

  r.get('/release/requests/:id/documents/:documentId/pages/:n/image', {
    config: { access: { permission: 'release.read' } },
    schema: {
      tags, summary: 'One page of an included document as PNG, before the packet is built, to draw redaction boxes on (audited)',
      params: DocumentParams.extend({ n: z.coerce.number().int().min(1) }),
    },
  }, async (req, reply) => reply.type('image/png').send(Buffer.from(await documentPageImage(ctx, principalOf(req), req.params.id, req.params.documentId, req.params.n))));

  r.post('/release/requests/:id/packet/quality-check', {
    config: { access: { permission: 'release.review' } },
    schema: { tags, summary: 'A second person confirms every page belongs to the patient, or rejects the packet with a reason (back to in process)', params: IdParams, body: CheckInput },
  }, async (req) => ({ packet: await checkPacket(ctx, principalOf(req), req.params.id, req.body) }));

  r.post('/release/requests/:id/release', {
    config: { access: { permission: 'release.write' } },
    schema: { tags, summary: 'Release the checked packet: disclosure entries, the delivery (secure link with two e-mails, mail, pick-up)', params: IdParams, body: ReleaseInput },
  }, async (req) => releasePacket(ctx, principalOf(req), req.params.id, req.body.delivery));
}
