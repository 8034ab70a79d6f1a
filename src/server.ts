import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { buildApp } from './app.js';
import { startHl7Listener } from './interop/hl7/index.js';
import { ensureFirstAdmin, openChartroom, type Chartroom, type OpenOptions } from './runtime.js';

export interface RunningServer {
  app: FastifyInstance;
  chartroom: Chartroom;
  url: string;
  /** The port the HL7 v2 MLLP listener took (HL7_PORT; 0 picks a free one). */
  hl7Port: number;
  /** The first admin's one-time password, when this start created the account. */
  adminPassword?: string;
  stop(): Promise<void>;
}

/** Starts Chartroom: database and migrations, the first admin, then HTTP on HOST:PORT and HL7 v2 (MLLP) on HOST:HL7_PORT. */
export async function startServer(config: Config, options: OpenOptions & { webDir?: string } = {}): Promise<RunningServer> {
  const chartroom = await openChartroom(config, options);
  try {
    const adminPassword = await ensureFirstAdmin(chartroom);
    const app = await buildApp(chartroom, { webDir: options.webDir });
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const hl7 = await startHl7Listener(chartroom, { host: config.host, port: config.hl7Port }).catch(async (err) => {
      await app.close();
      throw err;
    });
    let stopping: Promise<void> | undefined;
    return {
      app,
      chartroom,
      url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
      hl7Port: hl7.port,
      adminPassword,
      // Messages in hand are applied and acknowledged, in-flight requests finish (Fastify stops
      // accepting and waits), then the database closes.
      stop: () => (stopping ??= Promise.all([hl7.close(), app.close()]).then(() => chartroom.close())),
    };
  } catch (err) {
    await chartroom.close();
    throw err;
  }
}
