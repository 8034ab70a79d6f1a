import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { sql } from 'kysely';
import type { AppContext } from './context.js';
import { createHttpServer } from './platform/http/server.js';
import { sendProblem } from './platform/http/problem.js';
import { notFound } from './platform/errors.js';
import { registerRequestAuth } from './access/request-auth.js';
import { accessRoutes } from './access/routes.js';
import { oauthRoutes } from './access/oauth-routes.js';
import { auditRoutes } from './audit/routes.js';
import { patientRoutes } from './patients/index.js';
import { encounterRoutes } from './encounters/index.js';
import { releaseRequestRoutes } from './release/requests/index.js';
import { disclosureRoutes } from './release/disclosures/index.js';
import { amendmentRoutes } from './release/amendments/index.js';
import { feeRoutes } from './release/fees/index.js';
import { documentRoutes, retentionRoutes } from './documents/index.js';
import { fhirRoutes, FHIR_BASE_PATH } from './interop/fhir/routes.js';
import { chartBundleRoutes } from './interop/fhir/chart-bundle.js';
import { hl7MonitorRoutes } from './interop/hl7/index.js';
import { releaseDeliveryRoutes } from './release/delivery/index.js';
import { releasePacketRoutes } from './release/packet/index.js';
import { closeOutgoingMail } from './correspondence/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The package root, whether running from src/ (tsx) or dist/src/ (built). */
export const packageRoot = existsSync(join(root, 'package.json')) ? root : join(root, '..');
export const packageVersion: string = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')).version;

/** The whole HTTP application: platform, each capability's routes under /api, and the web app at /. */
export async function buildApp(ctx: AppContext, options: { webDir?: string } = {}): Promise<FastifyInstance> {
  const app = await createHttpServer({
    logger: ctx.logger,
    bodyLimitBytes: ctx.config.bodyLimitBytes,
    trustProxy: ctx.config.trustProxy,
    version: packageVersion,
  });

  app.addHook('onClose', async () => closeOutgoingMail(ctx));

  app.get('/healthz', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => {
    try {
      await sql`select 1`.execute(ctx.db);
      return { status: 'ok' };
    } catch {
      return reply.code(503).send({ status: 'unavailable' });
    }
  });

  await app.register(async (api) => {
    registerRequestAuth(api, ctx);
    await accessRoutes(api, ctx);
    await auditRoutes(api, ctx);
    await patientRoutes(api, ctx);
    await encounterRoutes(api, ctx);
    await hl7MonitorRoutes(api, ctx);
    await documentRoutes(api, ctx);
    await releaseRequestRoutes(api, ctx);
    await disclosureRoutes(api, ctx);
    await amendmentRoutes(api, ctx);
    await feeRoutes(api, ctx);
    await retentionRoutes(api, ctx);
    await chartBundleRoutes(api, ctx);
    await releaseDeliveryRoutes(api, ctx);
    await releasePacketRoutes(api, ctx);
    api.setNotFoundHandler((req, reply) => sendProblem(reply, req, notFound('This API endpoint')));
  }, { prefix: '/api' });
  await app.register(fhirRoutes(ctx, { softwareVersion: packageVersion }), { prefix: FHIR_BASE_PATH });

  await oauthRoutes(app, ctx);

  const webDir = options.webDir ?? join(packageRoot, 'dist', 'web');
  const indexFile = join(webDir, 'index.html');
  if (existsSync(indexFile)) {
    await app.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: false, index: false });
  }
  // The web app routes in the browser: any other GET for a page answers index.html.
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    if (req.method !== 'GET' || path.startsWith('/api/') || path.startsWith('/fhir/') || path.startsWith('/oauth2/') || /\.[a-z0-9]+$/i.test(path)) {
      return sendProblem(reply, req, notFound('This address'));
    }
    if (!existsSync(indexFile)) {
      return reply.code(503).type('text/plain').send('The Chartroom web app is not built. Run `npm run build` (npm start does it).');
    }
    return reply.type('text/html').send(readFileSync(indexFile));
  });
  return app;
}
