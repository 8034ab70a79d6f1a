import { connect, type Socket } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/chartroom.js';
import { fieldOf, openSender, sampleMessage, useHl7Interface, type Hl7Sender } from '../../../test/support/hl7.js';
import { frame } from './mllp.js';

const A28 = 'microsoft-fhir-converter/ADT-A28-01.hl7';
const A31 = 'microsoft-fhir-converter/ADT-A31-01.hl7';
const A40 = 'microsoft-fhir-converter/ADT-A40-01.hl7';
const TEST1 = 'urn:chartroom:hl7v2:aa:test1';

/** The A28 sample as another patient: its own PID-3 value and family name. */
const anotherPatient = (file: string, controlId: string, id: string, family: string) =>
  sampleMessage(file, { controlId, replace: [['PATID1234^5', `${id}^5`], ['EVERYMAN&&&&Aniston', `${family}&&&&Aniston`]] });

for (const dialect of DIALECTS) {
  describe(`${dialect}: the ADT interface over MLLP`, () => {
    const hl7 = useHl7Interface(dialect);
    const ctx = hl7.ctx;
    let sender: Hl7Sender;
    beforeAll(() => {
      sender = hl7.sender();
    });

    const patientWith = (system: string, value: string) =>
      ctx().db.selectFrom('patientIdentifiers').innerJoin('patients', 'patients.id', 'patientIdentifiers.patientId')
        .select(['patients.id', 'patients.family', 'patients.given', 'patients.version', 'patients.status'])
        .where('system', '=', system).where('value', '=', value).executeTakeFirst();
    const messageRow = (controlId: string) =>
      ctx().db.selectFrom('interfaceMessages').selectAll().where('controlId', '=', controlId).orderBy('receivedAt').execute();
    const count = async (table: 'patients' | 'patientVersions' | 'interfaceMessages') =>
      Number((await ctx().db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    it('registers an A28 patient and acknowledges AA only when the patient is on file', async () => {
      const ack = await sender.send(anotherPatient(A28, 'CR-A28-1', 'P-A28', 'EVERYMAN'));
      // Read at once on the ACK's arrival: the transaction had committed.
      const patient = await patientWith(TEST1, 'P-A28');
      expect(fieldOf(ack, 'MSA', 1)).toBe('AA');
      expect(fieldOf(ack, 'MSA', 2)).toBe('CR-A28-1');
      expect(fieldOf(ack, 'MSH', 9)).toBe('ACK^A28^ACK');
      expect(patient).toMatchObject({ family: 'EVERYMAN', given: 'ADAM', version: 1 });
      const [row] = await messageRow('CR-A28-1');
      expect(row).toMatchObject({ status: 'processed', triggerEvent: 'A28', messageType: 'ADT', version: '2.8', sendingApplication: 'ADTApp', sendingFacility: 'GHHSFacility', patientId: patient!.id });
      // The raw text is sealed: the name is not in the row.
      expect(row.rawSealed).not.toContain('EVERYMAN');
      expect(ctx().keyring.openText(row.rawSealed)).toContain('EVERYMAN');
      const audit = await ctx().db.selectFrom('auditEvents').select(['actorType', 'actorName', 'action', 'recordType']).where('patientId', '=', patient!.id).orderBy('seq').execute();
      expect(audit).toEqual([
        { actorType: 'system', actorName: 'hl7:ADTApp', action: 'create', recordType: 'patient' },
        { actorType: 'system', actorName: 'hl7:ADTApp', action: 'create', recordType: 'hl7_message' },
      ]);
    });

    it('updates the known patient\'s demographics on A31', async () => {
      await sender.send(anotherPatient(A28, 'CR-A31-0', 'P-A31', 'BRANDT'));
      const ack = await sender.send(sampleMessage(A31, { controlId: 'CR-A31-1', replace: [['PATID1234^5', 'P-A31^5'], ['EVERYMAN&&&&Aniston', 'BRANDT-OKORO&&&&Aniston']] }));
      expect(fieldOf(ack, 'MSA', 1)).toBe('AA');
      expect(await patientWith(TEST1, 'P-A31')).toMatchObject({ family: 'BRANDT-OKORO', version: 2 });
    });

    it('answers AE with an ERR naming PID-7 for a message without a birth date, and applies nothing of it', async () => {
      const before = await count('patients');
      const text = anotherPatient(A28, 'CR-BAD-1', 'P-BAD', 'NOBIRTH').replace(/(\rPID(\|[^|]*){6}\|)\d+\+0215/, '$1');
      const ack = await sender.send(text);
      expect(fieldOf(ack, 'MSA', 1)).toBe('AE');
      expect(fieldOf(ack, 'ERR', 2)).toBe('PID^1^7');
      expect(fieldOf(ack, 'ERR', 3)).toBe('101^PID-7 (date of birth) is required.^HL70357');
      expect(await count('patients')).toBe(before);
      const [row] = await messageRow('CR-BAD-1');
      expect(row).toMatchObject({ status: 'error', ackCode: 'AE', errorCode: '101', errorLocation: 'PID^1^7', patientId: null });
      expect(row.errorText).not.toContain('NOBIRTH');
    });

    it('answers AR for a message type the interface does not take', async () => {
      const ack = await sender.send(sampleMessage('python-hl7/sample_hl7.hl7', { controlId: 'CR-ORU-1' }));
      expect([fieldOf(ack, 'MSA', 1), fieldOf(ack, 'ERR', 3)?.split('^')[0]]).toEqual(['AR', '200']);
      expect((await messageRow('CR-ORU-1'))[0]).toMatchObject({ status: 'rejected', messageType: 'ORU' });
    });

    it('acknowledges a repeated control id AA without applying it twice', async () => {
      const text = anotherPatient(A31, 'CR-DUP-1', 'P-DUP', 'TWICE');
      await sender.send(text);
      const versions = await count('patientVersions');
      const ack = await sender.send(text);
      expect(fieldOf(ack, 'MSA', 1)).toBe('AA');
      expect(await count('patientVersions')).toBe(versions);
      expect((await messageRow('CR-DUP-1')).map((r) => r.status)).toEqual(['processed', 'duplicate']);
    });

    it.each(['A40', 'A34'])('merges the record MRG-1 names into the PID\'s on %s', async (trigger) => {
      const [survivorId, retiredId] = trigger === 'A40' ? ['12345', '56789'] : ['22345', '66789'];
      const asA28 = (controlId: string, id: string, given: string) => sampleMessage(A40, {
        controlId, replace: [['ADT^A40^ADT_A40', 'ADT^A28^ADT_A28'], ['EVN|A40', 'EVN|A28'], ['12345^^^BCBS^MR', `${id}^^^BCBS^MR`], ['Test^Test^A', `Test${trigger}^${given}^A`]],
      });
      await sender.send(asA28(`CR-${trigger}-0`, survivorId, 'Test'));
      await sender.send(asA28(`CR-${trigger}-1`, retiredId, 'Tess'));
      const ack = await sender.send(sampleMessage(A40, {
        controlId: `CR-${trigger}-2`,
        replace: [['ADT^A40^ADT_A40', `ADT^${trigger}^ADT_${trigger}`], ['12345^^^BCBS^MR', `${survivorId}^^^BCBS^MR`], ['Test^Test^A', `Test${trigger}^Test^A`], ['MRG|56789', `MRG|${retiredId}`]],
      }));
      expect(fieldOf(ack, 'MSA', 1)).toBe('AA');
      const survivor = await patientWith('urn:chartroom:hl7v2:aa:BCBS', survivorId);
      const retired = await ctx().db.selectFrom('patients').select(['status', 'mergedInto']).where('given', '=', 'Tess').where('family', '=', `Test${trigger}`).executeTakeFirstOrThrow();
      expect(retired).toEqual({ status: 'merged', mergedInto: survivor!.id });
      // The retired record's identifier now finds the survivor.
      expect((await patientWith('urn:chartroom:hl7v2:aa:BCBS', retiredId))?.id).toBe(survivor!.id);
    });

    it('keeps serving other senders while one stalls mid-frame and another sends garbage and hangs up', async () => {
      const stalled = await rawConnection(hl7.port());
      stalled.write(Buffer.concat([Buffer.from([0x0b]), Buffer.from(anotherPatient(A28, 'CR-STALL', 'P-STALL', 'STALL').slice(0, 120))]));
      const broken = await rawConnection(hl7.port());
      broken.write(Buffer.from('garbage\x00\xff', 'latin1'));
      broken.write(Buffer.concat([Buffer.from([0x0b]), Buffer.from('MSH|^~\\&|half a mess')]));
      broken.destroy();
      const second = await openSender(hl7.port());
      try {
        const acks = await Promise.all([
          (async () => [await sender.send(anotherPatient(A28, 'CR-C-1', 'P-C1', 'CONCURRA')), await sender.send(anotherPatient(A28, 'CR-C-2', 'P-C2', 'CONCURRB'))])(),
          (async () => [await second.send(anotherPatient(A28, 'CR-C-3', 'P-C3', 'CONCURRC')), await second.send(anotherPatient(A28, 'CR-C-4', 'P-C4', 'CONCURRD'))])(),
        ]);
        expect(acks.flat().map((a) => fieldOf(a, 'MSA', 1))).toEqual(['AA', 'AA', 'AA', 'AA']);
      } finally {
        await second.close();
        stalled.destroy();
      }
      expect(await messageRow('CR-STALL')).toEqual([]);
    });

    it('handles one connection\'s messages in the order sent, each acknowledged in turn', async () => {
      const socket = await rawConnection(hl7.port());
      const ids = ['CR-ORD-1', 'CR-ORD-2', 'CR-ORD-3', 'CR-ORD-4'];
      const acks = collectFrames(socket, ids.length);
      // All four in one write: the listener must not interleave or reorder them.
      socket.write(Buffer.concat(ids.map((id, i) => frame(anotherPatient(A28, id, `P-ORD-${i}`, `ORDERLY${'ABCD'[i]}`)))));
      expect((await acks).map((a) => fieldOf(a, 'MSA', 2))).toEqual(ids);
      socket.destroy();
    });
  });
}

function rawConnection(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** The next `n` MLLP frames a raw connection receives, as text. */
function collectFrames(socket: Socket, n: number): Promise<string[]> {
  return new Promise((resolve) => {
    let buffer = '';
    const frames: string[] = [];
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let end;
      while ((end = buffer.indexOf('\x1c\r')) >= 0) {
        frames.push(buffer.slice(buffer.indexOf('\x0b') + 1, end));
        buffer = buffer.slice(end + 2);
      }
      if (frames.length >= n) resolve(frames);
    });
  });
}
