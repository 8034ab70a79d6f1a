import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../server.js';
import { testConfig } from '../../../test/support/chartroom.js';
import { fieldOf, openSender, sampleMessage } from '../../../test/support/hl7.js';

describe('the HL7 listener in the running server', () => {
  it('listens beside HTTP on HL7_PORT (0: a free port), and stops with the server', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'chartroom-hl7-'));
    const server = await startServer(testConfig(dataDir, { port: 0, hl7Port: 0 }));
    try {
      expect(server.hl7Port).toBeGreaterThan(0);
      const sender = await openSender(server.hl7Port);
      const ack = await sender.send(sampleMessage('microsoft-fhir-converter/ADT-A28-01.hl7', { controlId: 'SRV-1' }));
      expect(fieldOf(ack, 'MSA', 1)).toBe('AA');
      await sender.close();
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
    const refused = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: server.hl7Port }, () => { socket.destroy(); resolve('connected'); });
      socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });
});
