import { createServer, type Server, type Socket } from 'node:net';

/** MLLP framing (HL7 v2 Minimal Lower Layer Protocol): <VT> message <FS><CR>. */
export const MLLP_START = 0x0b;
export const MLLP_END = Buffer.from([0x1c, 0x0d]);

export const frame = (text: string): Buffer => Buffer.concat([Buffer.from([MLLP_START]), Buffer.from(text, 'utf8'), MLLP_END]);

/**
 * Collects one connection's bytes into whole frames. Bytes outside a frame (line noise, a sender's
 * garbage) are dropped; a frame larger than `maxBytes` is dropped whole, so memory stays bounded.
 */
export class MllpDecoder {
  private buffer: Buffer = Buffer.alloc(0);
  private inFrame = false;

  constructor(private readonly maxBytes: number) {}

  /** Feeds bytes; answers each complete frame's content, and whether an oversized frame was dropped. */
  push(chunk: Buffer): { frames: Buffer[]; dropped: number } {
    const frames: Buffer[] = [];
    let dropped = 0;
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      if (!this.inFrame) {
        const start = this.buffer.indexOf(MLLP_START);
        if (start < 0) { this.buffer = Buffer.alloc(0); break; }
        this.buffer = this.buffer.subarray(start + 1);
        this.inFrame = true;
      }
      const end = this.buffer.indexOf(MLLP_END);
      // A new start byte before the end means the previous frame was cut off: drop it, start again.
      const restart = this.buffer.indexOf(MLLP_START);
      if (restart >= 0 && (end < 0 || restart < end)) { dropped++; this.buffer = this.buffer.subarray(restart); this.inFrame = false; continue; }
      if (end < 0) {
        if (this.buffer.length > this.maxBytes) { dropped++; this.buffer = Buffer.alloc(0); this.inFrame = false; }
        break;
      }
      frames.push(Buffer.from(this.buffer.subarray(0, end)));
      this.buffer = this.buffer.subarray(end + MLLP_END.length);
      this.inFrame = false;
    }
    return { frames, dropped };
  }

  /** Bytes of an unfinished frame still waiting for their end. */
  get pending(): number {
    return this.inFrame ? this.buffer.length : 0;
  }
}

export interface MllpListenerOptions {
  host: string;
  port: number;
  /** Answers one message (its ACK text); a rejection closes the connection without an ACK, so the sender resends. */
  handle: (text: string, remote: { ip: string | null }) => Promise<string>;
  /** A connection silent this long (mid-frame or idle) is closed. */
  idleTimeoutMs?: number;
  maxMessageBytes?: number;
  onConnectionError?: (err: Error) => void;
}

export interface MllpListener {
  port: number;
  /** Stops accepting, lets each connection finish the message in hand and send its ACK, then closes. */
  close(): Promise<void>;
}

/**
 * An MLLP listener on node:net. Each connection has its own decoder and its own queue, so messages
 * from one sender are handled and acknowledged in the order sent, while a slow, stalled or broken
 * sender holds up nobody else.
 */
export async function listenMllp(options: MllpListenerOptions): Promise<MllpListener> {
  const connections = new Map<Socket, { queue: Promise<void> }>();
  let closing = false;
  const server: Server = createServer((socket) => {
    const state = { queue: Promise.resolve() };
    connections.set(socket, state);
    const decoder = new MllpDecoder(options.maxMessageBytes ?? 4 * 1024 * 1024);
    socket.setNoDelay(true);
    socket.setTimeout(options.idleTimeoutMs ?? 5 * 60_000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      if (closing) return;
      const { frames } = decoder.push(chunk);
      for (const f of frames) {
        const text = f.toString('utf8');
        state.queue = state.queue.then(async () => {
          if (socket.destroyed) return;
          try {
            const ack = await options.handle(text, { ip: socket.remoteAddress ?? null });
            if (!socket.destroyed) socket.write(frame(ack));
          } catch (err) {
            options.onConnectionError?.(err as Error);
            socket.destroy();
          }
        });
      }
    });
    socket.on('error', (err) => options.onConnectionError?.(err));
    socket.on('close', () => connections.delete(socket));
    if (closing) socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  let closed: Promise<void> | undefined;
  return {
    port,
    close: () => (closed ??= (async () => {
      closing = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...connections].map(async ([socket, state]) => {
        await state.queue;
        // end() lets the last ACK leave before the socket closes; destroy() only if the peer lingers.
        await new Promise<void>((resolve) => {
          if (socket.destroyed) return resolve();
          socket.once('close', () => resolve());
          socket.end();
          setTimeout(() => socket.destroy(), 2000).unref();
        });
      }));
      await stopped;
    })()),
  };
}
