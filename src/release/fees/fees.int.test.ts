import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/chartroom.js';
import { auditEventsWhere, expectProblem, fieldsOf, send, signedInUser, useTestApp, type SignedInUser } from '../../../test/support/http.js';
import { registerOverHttp } from '../../../test/support/patients.js';
import { pdfText } from '../../../test/support/pdf-text.js';
import { makePrincipal } from '../../access/principal.js';
import { changeRequest, releaseRequestWithPacket } from '../requests/index.js';
import { DEFAULT_FEE_SCHEDULE } from './fee-schedule.js';

const TODAY = new Date('2026-11-25T09:00:00.000Z');

const request = (patientId: string, requester: object, basis: object, over: Record<string, unknown> = {}) => ({
  patientId, receivedOn: '2026-11-25', channel: 'mail', requester, basis,
  identityVerification: { method: 'photo-id' }, scope: { wholeRecordSet: true },
  format: 'paper', delivery: { method: 'mail', address: '1 Main St, Portland ME' }, ...over,
});
const patientOwn = (patientId: string) => request(patientId, { kind: 'patient', name: 'Ada Quinlan' }, { kind: 'right-of-access' });
const patientDirected = (patientId: string) => request(patientId, { kind: 'attorney', name: 'Hale & Partners LLP', address: '1 Court St, Portland ME' },
  { kind: 'patient-directed', recipient: 'Hale & Partners LLP', signedWrittenRequest: true });
const treatment = (patientId: string) => request(patientId, { kind: 'provider', name: 'Harbor Orthopedics' }, { kind: 'treatment' });

const electronic = { medium: 'electronic', recordsKeptElectronically: true, postageCents: 0 };
const paper = (pages: number, postageCents = 0) => ({ pages, medium: 'paper', recordsKeptElectronically: true, postageCents });

for (const dialect of DIALECTS) {
  describe(`${dialect}: fees for copies of records`, () => {
    const { app, ctx } = useTestApp(dialect);
    let clerk: SignedInUser;
    let supervisor: SignedInUser;
    const setUp = async () => {
      ctx().clock.set(TODAY);
      if (clerk) return;
      clerk = await signedInUser(app(), ctx(), 'fee.clerk', 'records_clerk');
      supervisor = await signedInUser(app(), ctx(), 'fee.supervisor', 'him_supervisor');
    };
    const log = async (body: object): Promise<string> => {
      const res = await send(app(), clerk.session, 'POST', '/api/release/requests', body);
      expect(res.statusCode, res.body).toBe(201);
      return res.json().request.id;
    };
    const quote = async (id: string, body: object) => {
      const res = await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/fee-quote`, body);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().quote;
    };

    it('keeps the schedule with its history; a fee below zero is refused naming the field; only a reviewer saves', async () => {
      await setUp();
      const first = (await send(app(), clerk.session, 'GET', '/api/release/fee-schedule')).json();
      expect(first).toMatchObject({ version: 0, schedule: DEFAULT_FEE_SCHEDULE, history: [] });

      const negative = { ...DEFAULT_FEE_SCHEDULE, thirdParty: { ...DEFAULT_FEE_SCHEDULE.thirdParty, baseCents: -100 } };
      const refused = expectProblem(await send(app(), supervisor.session, 'PUT', '/api/release/fee-schedule', negative), 400, 'request.invalid');
      expect(fieldsOf(refused)).toEqual(['thirdParty.baseCents']);
      expect(refused.errors![0]!.message).toBe('A fee cannot be below zero.');
      expectProblem(await send(app(), clerk.session, 'PUT', '/api/release/fee-schedule', DEFAULT_FEE_SCHEDULE), 403, 'access.forbidden');

      const changed = { ...DEFAULT_FEE_SCHEDULE, thirdParty: { ...DEFAULT_FEE_SCHEDULE.thirdParty, baseCents: 2_000 } };
      const saved = await send(app(), supervisor.session, 'PUT', '/api/release/fee-schedule', changed);
      expect(saved.statusCode, saved.body).toBe(200);
      const now = (await send(app(), clerk.session, 'GET', '/api/release/fee-schedule')).json();
      expect(now).toMatchObject({ version: 1, savedBy: 'fee.supervisor', schedule: { thirdParty: { baseCents: 2_000 } }, history: [{ version: 1, savedBy: 'fee.supervisor' }] });
      expect((await auditEventsWhere(ctx(), { actorName: 'fee.supervisor', action: 'update' })).map((e) => e.recordType)).toContain('fee_schedule');
      // Back to the default for the other tests.
      expect((await send(app(), supervisor.session, 'PUT', '/api/release/fee-schedule', DEFAULT_FEE_SCHEDULE)).json().version).toBe(2);
    });

    it("quotes a patient's own electronic copy at $6.50 flat whatever the pages, from the request, not the client's word", async () => {
      await setUp();
      const patientId = await registerOverHttp(app(), clerk, 'Quinlan');
      const id = await log(patientOwn(patientId));
      for (const pages of [3, 800]) {
        const q = await quote(id, { ...electronic, pages });
        expect(q).toMatchObject({ patientOwnCopy: true, totalCents: 650, lines: [{ code: 'flat-electronic', amountCents: 650 }] });
        expect(q.basis).toContain('45 CFR 164.524(c)(4)');
      }
      const onPaper = await quote(id, paper(40, 180));
      expect(onPaper.lines.map((l: { code: string }) => l.code)).toEqual(['labour', 'supplies', 'postage']);
      expect(onPaper.totalCents).toBe(40 * 10 + 40 * 5 + 180);
      expect(fieldsOf(expectProblem(await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/fee-quote`, { ...paper(4), postageCents: -1 }), 400, 'request.invalid'))).toEqual(['postageCents']);
      expect(fieldsOf(expectProblem(await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/fee-quote`, { ...paper(4), patientOwnCopy: false }), 400, 'request.invalid'))).toEqual(['patientOwnCopy']);
    });

    it('charges a patient-directed copy to a third party by the state tiers, base and certification; a treatment request may be waived', async () => {
      await setUp();
      const patientId = await registerOverHttp(app(), clerk, 'Marchetti');
      const directed = await log(patientDirected(patientId));
      const q = await quote(directed, { ...paper(120, 200), certified: true });
      expect(q.patientOwnCopy).toBe(false);
      expect(q.lines.map((l: { label: string; amountCents: number }) => [l.label, l.amountCents])).toEqual([
        ['Base fee (search and retrieval)', 2_500], ['Pages 1 to 25', 2_500], ['Pages 26 to 100', 3_750], ['Pages 101 and over', 500],
        ['Certification of the copy', 1_000], ['Postage', 200],
      ]);
      expect(q.totalCents).toBe(10_450);
      expect(q.waiversOffered).toEqual(['government-benefits']);
      expect(fieldsOf(expectProblem(await send(app(), clerk.session, 'POST', `/api/release/requests/${directed}/fee-quote`, { ...paper(5), waiver: 'continuity-of-care' }), 400, 'fee.invalid'))).toEqual(['waiver']);

      const care = await log(treatment(patientId));
      const waived = await quote(care, { ...paper(60), waiver: 'continuity-of-care' });
      expect(waived).toMatchObject({ totalCents: 0, lines: [], waived: { waiver: 'continuity-of-care' } });
      expect(waived.waiversOffered).toContain('continuity-of-care');
    });

    it('issues a numbered invoice with its PDF, takes payments, refuses overpayment, and holds the release until paid', async () => {
      await setUp();
      const patientId = await registerOverHttp(app(), clerk, 'Okonkwo');
      const id = await log(patientOwn(patientId));
      const principal = makePrincipal('user', clerk.id, clerk.username, 'records_clerk', {});
      const release = () => changeRequest(ctx(), principal, id, 'release', (c) => releaseRequestWithPacket(c, ctx(), principal, 'Packet sent'));

      const issued = await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/invoices`, paper(20, 150));
      expect(issued.statusCode, issued.body).toBe(201);
      const invoice = issued.json().invoice;
      expect(invoice).toMatchObject({ number: expect.stringMatching(/^INV-2026-\d{6}$/), totalCents: 450, paidCents: 0, outstandingCents: 450, status: 'unpaid', issuedBy: 'fee.clerk' });

      const pdf = await send(app(), clerk.session, 'GET', `/api/release/invoices/${invoice.id}/pdf`);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      const text = (await pdfText(pdf.rawPayload)).lines.join(' ');
      for (const s of [invoice.number, 'Ada Quinlan', 'Labour of copying (20 x $0.10)', '$2.00', 'Postage', 'Total due', '$4.50', '45 CFR 164.524(c)(4)']) expect(text).toContain(s);

      for (const to of ['validated', 'in_process', 'quality_check']) expect((await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/status`, { to })).statusCode).toBe(200);
      await expect(release()).rejects.toMatchObject({ code: 'release.unpaid', detail: expect.stringContaining('$4.50 is outstanding') });

      const part = await send(app(), clerk.session, 'POST', `/api/release/invoices/${invoice.id}/payments`, { amountCents: 200, method: 'check', reference: '1042', receivedOn: '2026-11-25' });
      expect(part.json().invoice).toMatchObject({ status: 'part-paid', paidCents: 200, outstandingCents: 250 });
      const over = expectProblem(await send(app(), clerk.session, 'POST', `/api/release/invoices/${invoice.id}/payments`, { amountCents: 300, method: 'cash', receivedOn: '2026-11-25' }), 400, 'fee.overpayment');
      expect(fieldsOf(over)).toEqual(['amountCents']);
      expect(fieldsOf(expectProblem(await send(app(), clerk.session, 'POST', `/api/release/invoices/${invoice.id}/payments`, { amountCents: 0, method: 'cash', receivedOn: '2026-11-25' }), 400, 'request.invalid'))).toEqual(['amountCents']);
      await expect(release()).rejects.toMatchObject({ code: 'release.unpaid', detail: expect.stringContaining('$2.50') });
      expectProblem(await send(app(), clerk.session, 'POST', `/api/release/invoices/${invoice.id}/void`, { reason: 'Issued in error' }), 409, 'fee.paid');

      const paid = await send(app(), clerk.session, 'POST', `/api/release/invoices/${invoice.id}/payments`, { amountCents: 250, method: 'card', receivedOn: '2026-11-25' });
      expect(paid.json().invoice).toMatchObject({ status: 'paid', outstandingCents: 0, payments: [{ method: 'check', reference: '1042' }, { method: 'card' }] });
      await release();
      expect((await send(app(), clerk.session, 'GET', `/api/release/requests/${id}`)).json().request.status).toBe('released');
      const listed = (await send(app(), clerk.session, 'GET', `/api/release/requests/${id}/invoices`)).json().invoices;
      expect(listed.map((i: { number: string; status: string }) => [i.number, i.status])).toEqual([[invoice.number, 'paid']]);
      expect((await auditEventsWhere(ctx(), { recordId: invoice.id })).map((e) => e.action)).toEqual(expect.arrayContaining(['create', 'update', 'print']));
    });

    it('voids an unpaid invoice with its reason, which lifts the hold; a treatment request is never held', async () => {
      await setUp();
      const patientId = await registerOverHttp(app(), clerk, 'Abernathy');
      const principal = makePrincipal('user', clerk.id, clerk.username, 'records_clerk', {});
      for (const [body, forTreatment] of [[patientOwn(patientId), false], [treatment(patientId), true]] as const) {
        const id = await log(body);
        const invoice = (await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/invoices`, paper(10))).json().invoice;
        for (const to of ['validated', 'in_process', 'quality_check']) expect((await send(app(), clerk.session, 'POST', `/api/release/requests/${id}/status`, { to })).statusCode).toBe(200);
        const release = () => changeRequest(ctx(), principal, id, 'release', (c) => releaseRequestWithPacket(c, ctx(), principal, 'Packet sent'));
        if (!forTreatment) {
          await expect(release()).rejects.toMatchObject({ code: 'release.unpaid' });
          const voided = await send(app(), clerk.session, 'POST', `/api/release/invoices/${invoice.id}/void`, { reason: 'Issued in error' });
          expect(voided.json().invoice).toMatchObject({ status: 'void', voidReason: 'Issued in error', outstandingCents: 0 });
          expectProblem(await send(app(), clerk.session, 'POST', `/api/release/invoices/${invoice.id}/payments`, { amountCents: 100, method: 'cash', receivedOn: '2026-11-25' }), 409, 'fee.void');
        }
        await release();
      }
    });
  });
}
