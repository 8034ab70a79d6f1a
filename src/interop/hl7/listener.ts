import type { AppContext } from '../../context.js';
import { listenMllp, type MllpListener } from './mllp.js';
import { receiveMessage } from './processing.js';

/** The HL7 v2 ADT interface: MLLP on HL7_PORT, each message applied and then acknowledged. */
export function startHl7Listener(ctx: AppContext, options: { host: string; port: number }): Promise<MllpListener> {
  return listenMllp({
    host: options.host,
    port: options.port,
    handle: async (text, remote) => (await receiveMessage(ctx, text, remote)).ack,
    // The error's name and code only: a socket or database message may quote what it was sent.
    onConnectionError: (err) => ctx.logger.warn({ error: err.name, code: (err as { code?: unknown }).code }, 'HL7 connection error'),
  });
}
