import { createHash } from 'node:crypto';
import type * as fhir4 from 'fhir/r4.js';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../access/request-auth.js';
import { newId } from '../../platform/ids.js';
import { ChartSelectionInput, exportChart, type ExportedChart } from '../../documents/conversion/index.js';
import { documentToFhir } from './document-mapping.js';
import { patientToFhir } from './patient-mapping.js';
import { FHIR_JSON } from './operation-outcome.js';
import { FHIR_BASE_PATH } from './routes.js';

/**
 * A chart as a FHIR R4 `collection` Bundle (https://hl7.org/fhir/R4/bundle.html): the Patient, then
 * one DocumentReference per document carrying its content inline (attachment.data, base64) with the
 * SHA-1 hash FHIR defines for attachment.hash (base64). Entries are addressed on this server's FHIR
 * base, so the references inside (Patient/<id>) resolve within the Bundle.
 */
export function chartBundle(chart: ExportedChart, options: { base: string; mrnSystem: string; now: Date }): fhir4.Bundle {
  const patient = patientToFhir(chart.patient, { mrnSystem: options.mrnSystem });
  const documents = chart.documents.map(({ document, bytes }): fhir4.BundleEntry => {
    const reference = documentToFhir(document);
    const [content] = reference.content;
    return {
      fullUrl: `${options.base}/DocumentReference/${document.id}`,
      resource: {
        ...reference,
        content: [{
          ...content,
          attachment: { ...content.attachment, data: bytes.toString('base64'), hash: createHash('sha1').update(bytes).digest('base64'), size: bytes.length },
        }],
      },
    };
  });
  return {
    resourceType: 'Bundle',
    identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${newId()}` },
    type: 'collection',
    timestamp: options.now.toISOString(),
    entry: [{ fullUrl: `${options.base}/Patient/${patient.id}`, resource: patient }, ...documents],
  };
}

/** `POST /api/patients/:id/chart-bundle`: the chart, or the documents chosen, as a FHIR Bundle. */
export async function chartBundleRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  api.withTypeProvider<ZodTypeProvider>().post('/patients/:id/chart-bundle', {
    config: { access: { permission: 'documents.read' } },
    bodyLimit: 64 * 1024,
    schema: {
      tags: ['documents'], params: z.strictObject({ id: z.string().min(1).max(64) }), body: ChartSelectionInput,
      summary: "The patient's chart, or the documents chosen, as a FHIR R4 collection Bundle (application/fhir+json): the Patient and a DocumentReference per document with its content inline. Audited as an export.",
    },
  }, async (req, reply) => {
    const chart = await exportChart(ctx, principalOf(req), req.params.id, req.body);
    const bundle = chartBundle(chart, { base: `${req.protocol}://${req.host}${FHIR_BASE_PATH}`, mrnSystem: ctx.config.mrnSystem, now: ctx.clock.now() });
    return reply.type(FHIR_JSON).header('cache-control', 'no-store').header('content-disposition', 'attachment; filename="medical-record.fhir.json"').send(JSON.stringify(bundle));
  });
}
