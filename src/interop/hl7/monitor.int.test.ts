import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/chartroom.js';
import { auditEventsWhere, expectProblem, send, signedInUser, useTestApp, type SignedInUser } from '../../../test/support/http.js';
import { fieldOf, openSender, sampleMessage, type Hl7Sender } from '../../../test/support/hl7.js';
import { startHl7Listener } from './listener.js';
import type { MllpListener } from './mllp.js';

const A28 = 'microsoft-fhir-converter/ADT-A28-01.hl7';
const patientA28 = (controlId: string, id: string, family: string) =>
  sampleMessage(A28, { controlId, replace: [['PATID1234^5', `${id}^5`], ['EVERYMAN&&&&Aniston', `${family}&&&&Aniston`]] });
/** The same message without its PID-7 (date of birth). */
const withoutBirthDate = (text: string) => text.replace(/(\rPID(\|[^|]*){6}\|)\d+\+0215/, '$1');

for (const dialect of DIALECTS) {
  describe(`${dialect}: the interface monitor`, () => {
    const { app, ctx } = useTestApp(dialect);
    let listener: MllpListener;
    let sender: Hl7Sender;
    let supervisor: SignedInUser;
    beforeAll(async () => {
      listener = await startHl7Listener(ctx(), { host: '127.0.0.1', port: 0 });
      sender = await openSender(listener.port);
      await sender.send(patientA28('MON-1', 'P-MON-1', 'MONROE'));
      // The next day (a session would not last: sign in after).
      ctx().clock.advance(24 * 3600_000);
      await sender.send(withoutBirthDate(patientA28('MON-2', 'P-MON-2', 'NOBIRTHDAY')));
      await sender.send(sampleMessage('python-hl7/sample_hl7.hl7', { controlId: 'MON-3' }));
      supervisor = await signedInUser(app(), ctx(), 'mon.supervisor', 'him_supervisor');
    });
    afterAll(async () => {
      await sender?.close();
      await listener?.close();
    });
    const list = (query: string) => send(app(), supervisor.session, 'GET', `/api/interfaces/hl7/messages${query}`);
    const idOf = async (controlId: string) => (await list(`?controlId=${controlId}`)).json().messages[0].id as string;

    it('is for those who manage interfaces: a records clerk is refused', async () => {
      const clerk = await signedInUser(app(), ctx(), 'mon.clerk', 'records_clerk');
      expectProblem(await send(app(), clerk.session, 'GET', '/api/interfaces/hl7/messages'), 403, 'access.forbidden');
      expectProblem(await send(app(), clerk.session, 'POST', `/api/interfaces/hl7/messages/${await idOf('MON-2')}/reprocess`, {}), 403, 'access.forbidden');
    });

    it('lets the administrator list messages but not read their patient data or reprocess them', async () => {
      const admin = await signedInUser(app(), ctx(), 'mon.admin', 'admin');
      expect((await send(app(), admin.session, 'GET', '/api/interfaces/hl7/messages')).json().total).toBe(3);
      const id = await idOf('MON-2');
      expectProblem(await send(app(), admin.session, 'GET', `/api/interfaces/hl7/messages/${id}`), 403, 'access.forbidden');
      expectProblem(await send(app(), admin.session, 'POST', `/api/interfaces/hl7/messages/${id}/reprocess`, {}), 403, 'access.forbidden');
      const denials = (await auditEventsWhere(ctx(), { action: 'permission-denied', actorName: 'mon.admin' })).map((e) => [e.recordType, e.recordId]);
      expect(denials).toEqual([['interface_message', id], ['interface_message', id]]);
    });

    it('lists messages newest first, by status, type, control id and date, with paging', async () => {
      const all = (await list('')).json();
      expect(all.messages.map((m: { controlId: string }) => m.controlId)).toEqual(['MON-3', 'MON-2', 'MON-1']);
      expect(all.total).toBe(3);
      expect((await list('?status=error')).json().messages.map((m: { controlId: string; errorLocation: string }) => [m.controlId, m.errorLocation])).toEqual([['MON-2', 'PID^1^7']]);
      expect((await list('?type=ADT^A28')).json().total).toBe(2);
      expect((await list('?type=R01')).json().messages[0]).toMatchObject({ controlId: 'MON-3', status: 'rejected', errorCode: '200' });
      expect((await list('?to=2026-11-25')).json().messages.map((m: { controlId: string }) => m.controlId)).toEqual(['MON-1']);
      expect((await list('?from=2026-11-26')).json().total).toBe(2);
      const page = (await list('?limit=1&offset=1')).json();
      expect([page.total, page.messages.map((m: { controlId: string }) => m.controlId)]).toEqual([3, ['MON-2']]);
      expectProblem(await list('?status=lost'), 400, 'request.invalid');
      // The list carries no PHI: no raw text, no names.
      expect(JSON.stringify(all)).not.toMatch(/MONROE|NOBIRTHDAY|rawSealed/);
    });

    it('shows one message with its segments, and audits the read of its raw text', async () => {
      const id = await idOf('MON-1');
      const res = await send(app(), supervisor.session, 'GET', `/api/interfaces/hl7/messages/${id}`);
      expect(res.statusCode, res.body).toBe(200);
      const detail = res.json();
      expect(detail.raw).toContain('MONROE');
      expect(detail.segments.map((s: { name: string }) => s.name).slice(0, 3)).toEqual(['MSH', 'SFT', 'EVN']);
      expect(detail.segments[0].fields[10]).toBe('MON-1');
      expect(detail.parsed.patient.demographics.family).toBe('MONROE');
      const reads = await auditEventsWhere(ctx(), { action: 'read', recordId: id });
      expect(reads.map((e) => [e.actorName, e.recordType, e.patientId])).toEqual([['mon.supervisor', 'hl7_message', detail.patientId]]);
    });

    it('refuses a correction that still fails, naming the field, and applies a good one as a new message that replaces the original', async () => {
      const id = await idOf('MON-2');
      const original = (await send(app(), supervisor.session, 'GET', `/api/interfaces/hl7/messages/${id}`)).json();
      const still = expectProblem(await send(app(), supervisor.session, 'POST', `/api/interfaces/hl7/messages/${id}/reprocess`, { raw: original.raw.replace('|M|elbert', '|Q|elbert') }), 400, 'hl7.message-refused');
      expect(still.errors).toEqual([{ field: 'PID^1^7', message: 'PID-7 (date of birth) is required.' }]);
      const failedAttempt = (still as unknown as { messageId: string }).messageId;

      const corrected = original.raw.replace(/(\rPID(\|[^|]*){6}\|)/, '$11988081811');
      const res = await send(app(), supervisor.session, 'POST', `/api/interfaces/hl7/messages/${failedAttempt}/reprocess`, { raw: corrected });
      expect(res.statusCode, res.body).toBe(200);
      const message = res.json().message;
      expect(message).toMatchObject({ status: 'processed', replaces: failedAttempt, controlId: 'MON-2' });
      const patient = await ctx().db.selectFrom('patients').select(['id', 'birthDate']).where('family', '=', 'NOBIRTHDAY').executeTakeFirstOrThrow();
      expect(patient.birthDate).toBe('1988-08-18');
      // The original is kept as it arrived, pointing at what replaced it.
      const kept = await ctx().db.selectFrom('interfaceMessages').select(['status', 'replacedBy', 'correctedBy']).where('id', '=', id).executeTakeFirstOrThrow();
      expect(kept).toEqual({ status: 'error', replacedBy: failedAttempt, correctedBy: 'mon.supervisor' });
      expect(ctx().keyring.openText((await ctx().db.selectFrom('interfaceMessages').select('rawSealed').where('id', '=', id).executeTakeFirstOrThrow()).rawSealed)).not.toContain('1988081811');
      const created = await auditEventsWhere(ctx(), { action: 'create', patientId: patient.id });
      expect(created.map((e) => e.actorName)).toEqual(['mon.supervisor', 'mon.supervisor']);
      // Once replaced, a message is not reprocessed again; nor is one that was applied.
      expectProblem(await send(app(), supervisor.session, 'POST', `/api/interfaces/hl7/messages/${id}/reprocess`, {}), 409, 'hl7.not-reprocessable');
      expectProblem(await send(app(), supervisor.session, 'POST', `/api/interfaces/hl7/messages/${message.id}/reprocess`, {}), 409, 'hl7.not-reprocessable');
      // The sender's own resend of MON-2 is now a duplicate: applied once only.
      const ack = await sender.send(corrected);
      expect(fieldOf(ack, 'MSA', 1)).toBe('AA');
      expect((await list('?controlId=MON-2&status=duplicate')).json().total).toBe(1);
    });
  });
}
