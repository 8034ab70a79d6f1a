import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Message, type Connection } from 'node-hl7-client';
import { afterAll, beforeAll } from 'vitest';
import type { DialectName } from '../../src/platform/db/connection.js';
import { startHl7Listener } from '../../src/interop/hl7/listener.js';
import type { MllpListener } from '../../src/interop/hl7/mllp.js';
import { HL7V2 } from './testdata.js';
import { useTestChartroom, type TestChartroom } from './chartroom.js';

/**
 * A public sample message as a sender puts it on the wire (segments end in CR), with the control id
 * (MSH-10) and any other text replaced where a test needs a message of its own.
 */
export function sampleMessage(file: string, changes: { controlId?: string; replace?: [string, string][] } = {}): string {
  let text = readFileSync(join(HL7V2, file), 'utf8').replace(/\r\n|\n/g, '\r').replace(/\r+$/, '');
  for (const [from, to] of changes.replace ?? []) {
    if (!text.includes(from)) throw new Error(`${file} has no "${from}" to replace.`);
    text = text.split(from).join(to);
  }
  if (changes.controlId) {
    const fields = text.slice(0, text.indexOf('\r')).split('|');
    fields[9] = changes.controlId;
    text = fields.join('|') + text.slice(text.indexOf('\r'));
  }
  return text;
}

/** One field of an ER7 text: `fieldOf(ack, 'MSA', 1)` is MSA-1. */
export function fieldOf(text: string, segment: string, field: number): string | undefined {
  const line = text.split(/\r|\n/).find((l) => l.startsWith(`${segment}|`));
  if (!line) return undefined;
  const parts = line.split('|');
  return segment === 'MSH' ? parts[field - 1] : parts[field];
}

export interface Hl7Sender {
  /** Sends one message and answers the ACK's text. */
  send(text: string): Promise<string>;
  close(): Promise<void>;
}

/** A real HL7 sender (node-hl7-client) on an MLLP connection, waiting for each ACK before the next message. */
export async function openSender(port: number): Promise<Hl7Sender> {
  const client = new Client({ host: '127.0.0.1' });
  const waiting: ((ack: string) => void)[] = [];
  const connection: Connection = client.createConnection({ port, waitAck: true, maxConnectionAttempts: 5 }, (res) => {
    waiting.shift()?.(res.getMessage().toString());
  });
  await new Promise<void>((resolve, reject) => {
    connection.once('connect', () => resolve());
    connection.once('client.error', reject);
  });
  return {
    send: (text) => new Promise<string>((resolve, reject) => {
      waiting.push(resolve);
      connection.sendMessage(new Message({ text })).catch(reject);
    }),
    close: async () => {
      await connection.close();
      client.closeAll();
    },
  };
}

/** A Chartroom with the HL7 listener on a free port and one sender connected, for one describe block. */
export function useHl7Interface(dialect: DialectName): { ctx: () => TestChartroom; port: () => number; sender: () => Hl7Sender } {
  const ctx = useTestChartroom(dialect);
  let listener: MllpListener | undefined;
  let sender: Hl7Sender | undefined;
  beforeAll(async () => {
    listener = await startHl7Listener(ctx(), { host: '127.0.0.1', port: 0 });
    sender = await openSender(listener.port);
  });
  afterAll(async () => {
    await sender?.close();
    await listener?.close();
  });
  const need = <T>(v: T | undefined): T => {
    if (!v) throw new Error('The HL7 interface is not started yet.');
    return v;
  };
  return { ctx, port: () => need(listener).port, sender: () => need(sender) };
}
