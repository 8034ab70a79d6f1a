import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/chartroom.js';
import { auditEventsWhere, expectProblem, fieldsOf, send, signedInUser, useTestApp } from '../../../test/support/http.js';
import { registerOverHttp } from '../../../test/support/patients.js';
import { pdfText } from '../../../test/support/pdf-text.js';
import { SYSTEM_ACTOR } from '../../audit/actions.js';
import { recordDisclosures, type DisclosureEntry } from './disclosure-log.js';
import { computeAccountingFor } from './accounting.js';
import { letterAddressesInUse } from './letters.js';

const TODAY = new Date('2026-11-25T09:00:00.000Z');

for (const dialect of DIALECTS) {
  describe(`${dialect}: the disclosure log and the accounting of disclosures`, () => {
    const { app, ctx } = useTestApp(dialect);

    const record = (entries: DisclosureEntry[]) => ctx().db.transaction().execute((trx) => recordDisclosures(trx, ctx(), SYSTEM_ACTOR, entries));

    it('keeps every entry as written: the database refuses UPDATE and DELETE, and a mistake is corrected by a new entry', async () => {
      ctx().clock.set(TODAY);
      const clerk = await signedInUser(app(), ctx(), 'log.clerk', 'records_clerk');
      const patientId = await registerOverHttp(app(), clerk, 'Lindqvist');
      const made = await send(app(), clerk.session, 'POST', '/api/release/disclosures', {
        patientId, disclosedAt: '2026-11-20T14:00:00Z', recipient: { name: 'Maine CDC', address: '286 Water St, Augusta ME' },
        description: 'Positive pertussis culture', purpose: 'Reportable disease', kind: 'public_health',
      });
      expect(made.statusCode, made.body).toBe(201);
      const entry = made.json().disclosure;
      expect(entry).toMatchObject({ kind: 'public_health', exempt: false, source: 'manual', recordedBy: 'log.clerk' });

      await expect(ctx().db.updateTable('disclosures').set({ purpose: 'changed' }).where('id', '=', entry.id).execute()).rejects.toThrow(/append-only/);
      await expect(ctx().db.deleteFrom('disclosures').where('id', '=', entry.id).execute()).rejects.toThrow(/append-only/);
      expect((await send(app(), clerk.session, 'DELETE', `/api/release/disclosures/${entry.id}`)).statusCode).toBe(404);
      expect((await send(app(), clerk.session, 'PUT', `/api/release/disclosures/${entry.id}`, { purpose: 'x' })).statusCode).toBe(404);

      const fix = await send(app(), clerk.session, 'POST', '/api/release/disclosures', {
        patientId, disclosedAt: '2026-11-20T14:00:00Z', recipient: { name: 'Maine CDC' }, description: 'Positive pertussis PCR', purpose: 'Reportable disease', kind: 'public_health', correctsId: entry.id,
      });
      expect(fix.statusCode, fix.body).toBe(201);
      const log = (await send(app(), clerk.session, 'GET', `/api/release/patients/${patientId}/disclosures`)).json();
      expect(log.total).toBe(2);
      expect(log.disclosures.find((d: { id: string }) => d.id === entry.id)).toMatchObject({ purpose: 'Reportable disease', correctedById: fix.json().disclosure.id });
      expect((await auditEventsWhere(ctx(), { patientId })).filter((e) => e.recordType === 'disclosure').map((e) => e.action)).toEqual(['create', 'create']);
      expect((await auditEventsWhere(ctx(), { action: 'read', patientId })).map((e) => e.recordType)).toContain('disclosure_list');
    });

    it('accounts for six years: exempt kinds left out, repeats summarised, a suspension withheld without a word, the first free and the next charged', async () => {
      ctx().clock.set(TODAY);
      const clerk = await signedInUser(app(), ctx(), 'acc.clerk', 'records_clerk');
      const privacy = await signedInUser(app(), ctx(), 'acc.privacy', 'privacy_officer');
      const patientId = await registerOverHttp(app(), clerk, 'Marchetti');
      const base = { patientId, description: 'Records of the 2019 admission', purpose: 'Reportable disease' };

      // Years pass: each disclosure is logged at the time it is made.
      const at = async (iso: string, entry: Omit<DisclosureEntry, 'patientId' | 'disclosedAt' | 'description' | 'purpose'> & Partial<DisclosureEntry>) => {
        ctx().clock.set(new Date(iso));
        await record([{ ...base, ...entry, disclosedAt: iso }]);
      };
      await at('2019-06-01T10:00:00.000Z', { recipient: { name: 'Maine CDC' }, kind: 'public_health' });
      await at('2021-02-01T10:00:00.000Z', { recipient: { name: 'Dr. Amaral' }, kind: 'treatment', purpose: 'Referral' });
      await at('2022-05-01T10:00:00.000Z', { recipient: { name: 'Acme Life Insurance' }, kind: 'authorization', purpose: 'Underwriting' });
      await at('2023-03-15T10:00:00.000Z', { recipient: { name: 'Cumberland County Court', address: '205 Newbury St, Portland ME' }, kind: 'judicial', description: 'Emergency department record', purpose: 'Court order 23-CV-118' });
      for (let month = 1; month <= 6; month++) {
        await at(`2025-0${month}-10T09:00:00.000Z`, { recipient: { name: 'Maine Cancer Registry', address: '11 State House Station, Augusta ME' }, kind: 'public_health', description: month === 1 ? 'Pathology report and abstract' : 'Follow-up', purpose: 'Cancer registry' });
      }
      await at('2026-09-01T10:00:00.000Z', { recipient: { name: 'State Police' }, kind: 'law_enforcement', description: 'Injury report', purpose: 'Investigation' });
      ctx().clock.set(TODAY);

      const suspended = await send(app(), privacy.session, 'POST', '/api/release/suspensions', { agencyName: 'STATE POLICE', form: 'written', fromDate: '2026-10-01', untilDate: '2027-03-31', reason: 'Investigation would be impeded' });
      expect(suspended.statusCode, suspended.body).toBe(201);

      const asked = await send(app(), clerk.session, 'POST', '/api/release/accountings', { patientId, receivedOn: '2026-11-25' });
      expect(asked.statusCode, asked.body).toBe(201);
      const request = asked.json().request;
      expect(request).toMatchObject({ periodFrom: '2020-11-25', periodTo: '2026-11-25', dueOn: '2027-01-24', feeCents: 0, free: true, status: 'open' });

      const { accounting } = (await send(app(), clerk.session, 'GET', `/api/release/accountings/${request.id}`)).json();
      expect(accounting).toMatchObject({ listed: 7, leftOut: 2, withheld: 1 });
      expect(accounting.rows.map((r: { recipientName: string; count: number }) => [r.recipientName, r.count])).toEqual([['Cumberland County Court', 1], ['Maine Cancer Registry', 6]]);
      expect(accounting.rows[1]).toMatchObject({ description: 'Pathology report and abstract', frequency: 'about monthly', lastDisclosedAt: '2025-06-10T09:00:00.000Z' });

      const extended = await send(app(), clerk.session, 'POST', `/api/release/accountings/${request.id}/extension`, { reason: 'Records held off site' });
      expect(extended.json().request).toMatchObject({ extendedDueOn: '2027-02-23', currentDueOn: '2027-02-23' });
      expectProblem(await send(app(), clerk.session, 'POST', `/api/release/accountings/${request.id}/extension`, { reason: 'Again' }), 409, 'accounting.extension-already-extended');

      expectProblem(await send(app(), clerk.session, 'GET', `/api/release/accountings/${request.id}/letter.pdf`), 409, 'accounting.no-letter');
      const fulfilled = await send(app(), clerk.session, 'POST', `/api/release/accountings/${request.id}/fulfil`);
      expect(fulfilled.json().request).toMatchObject({ status: 'fulfilled', entryCount: 7, hasLetter: true });
      expectProblem(await send(app(), clerk.session, 'POST', `/api/release/accountings/${request.id}/fulfil`), 409, 'accounting.fulfilled');
      const letter = await send(app(), clerk.session, 'GET', `/api/release/accountings/${request.id}/letter.pdf`);
      expect(letter.headers['content-type']).toBe('application/pdf');
      const text = (await pdfText(letter.rawPayload)).lines.join('\n');
      for (const expected of [
        'Accounting of disclosures', '2023-03-15 - Cumberland County Court, 205 Newbury St, Portland ME', '   Purpose: Court order 23-CV-118',
        '2025-01-10 - Maine Cancer Registry, 11 State House Station, Augusta ME', '   What was disclosed: Pathology report and abstract',
        '   Repeated: 6 disclosures to this recipient for this purpose, about monthly; the last on 2025-06-10.',
      ]) expect(text).toContain(expected);
      for (const absent of ['State Police', 'uspen', 'Dr. Amaral', 'Acme', '2019-06-01']) expect(text).not.toContain(absent);

      const second = await send(app(), clerk.session, 'POST', '/api/release/accountings', { patientId, receivedOn: '2026-11-25', periodFrom: '2025-01-01' });
      expect(second.json().request).toMatchObject({ feeCents: 1500, free: false, periodFrom: '2025-01-01' });
      const quoted = await send(app(), clerk.session, 'POST', '/api/release/accountings', { patientId, receivedOn: '2026-11-25', feeCents: 900 });
      expect(quoted.json().request.feeCents).toBe(900);

      // After the suspension ends the disclosure to the police appears.
      const after = await computeAccountingFor(ctx().db, patientId, { from: '2020-11-25', to: '2026-11-25' }, '2027-04-01');
      expect(after).toMatchObject({ listed: 8, withheld: 0 });
      expect((await auditEventsWhere(ctx(), { patientId })).filter((e) => e.recordType === 'accounting_letter').map((e) => e.action)).toEqual(['print', 'read']);
      const stored = await ctx().db.selectFrom('accountingRequests').select('letterSha256').where('id', '=', request.id).executeTakeFirstOrThrow();
      expect(await letterAddressesInUse(ctx().db)).toContain(stored.letterSha256);
    });

    it('refuses bad input naming the field, and a refused request changes nothing', async () => {
      ctx().clock.set(TODAY);
      const clerk = await signedInUser(app(), ctx(), 'bad.clerk', 'records_clerk');
      const privacy = await signedInUser(app(), ctx(), 'bad.privacy', 'privacy_officer');
      const patientId = await registerOverHttp(app(), clerk, 'Okonkwo');
      const count = async () => Number((await ctx().db.selectFrom('accountingRequests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const before = await count();

      expect(fieldsOf(expectProblem(await send(app(), clerk.session, 'POST', '/api/release/accountings', { patientId: 'no-such-patient', receivedOn: '2026-11-25' }), 404, 'patient.not-found'))).toEqual(['patientId']);
      expect(fieldsOf(expectProblem(await send(app(), clerk.session, 'POST', '/api/release/accountings', { patientId, receivedOn: '2026-11-26' }), 400, 'accounting.invalid'))).toEqual(['receivedOn']);
      expect(fieldsOf(expectProblem(await send(app(), clerk.session, 'POST', '/api/release/accountings', { patientId, receivedOn: '2026-08-01' }), 400, 'accounting.invalid'))).toEqual(['receivedOn']);
      expect(fieldsOf(expectProblem(await send(app(), clerk.session, 'POST', '/api/release/accountings', { patientId, receivedOn: '2026-11-25', feeCents: -1 }), 400, 'accounting.invalid'))).toEqual(['feeCents']);
      expect(fieldsOf(expectProblem(await send(app(), clerk.session, 'POST', '/api/release/accountings', { patientId, receivedOn: '2026-11-25', periodFrom: '2019-01-01' }), 400, 'accounting.invalid'))).toEqual(['periodFrom']);
      expect(await count()).toBe(before);

      const future = expectProblem(await send(app(), clerk.session, 'POST', '/api/release/disclosures', {
        patientId, disclosedAt: '2026-11-26T10:00:00Z', recipient: { name: 'X' }, description: 'd', purpose: 'p', kind: 'public_health',
      }), 400, 'disclosure.invalid');
      expect(fieldsOf(future)).toEqual(['disclosedAt']);
      expect(fieldsOf(expectProblem(await send(app(), clerk.session, 'POST', '/api/release/disclosures', {
        patientId, disclosedAt: '2026-11-20T10:00:00Z', recipient: { name: 'X' }, description: 'd', purpose: 'p', kind: 'gossip',
      }), 400, 'request.invalid'))).toEqual(['kind']);
      expect(fieldsOf(expectProblem(await send(app(), clerk.session, 'POST', '/api/release/disclosures', {
        patientId, disclosedAt: '2026-11-20T10:00:00Z', recipient: { name: 'X' }, description: 'd', purpose: 'p', kind: 'public_health', documentIds: ['nope'],
      }), 400, 'disclosure.invalid'))).toEqual(['documentIds.0']);
      expect((await ctx().db.selectFrom('disclosures').select('id').where('patientId', '=', patientId).execute())).toEqual([]);

      expect(fieldsOf(expectProblem(await send(app(), privacy.session, 'POST', '/api/release/suspensions', { agencyName: 'FBI', form: 'oral', fromDate: '2026-11-25', untilDate: '2026-12-31', reason: 'Asked by phone' }), 400, 'suspension.invalid'))).toEqual(['untilDate']);
      expect(fieldsOf(expectProblem(await send(app(), privacy.session, 'POST', '/api/release/suspensions', { agencyName: 'FBI', form: 'written', fromDate: '2026-01-01', untilDate: '2026-02-01', reason: 'Old' }), 400, 'suspension.invalid'))).toEqual(['untilDate']);
      expectProblem(await send(app(), clerk.session, 'POST', '/api/release/suspensions', { agencyName: 'FBI', form: 'written', fromDate: '2026-11-25', untilDate: '2027-02-01', reason: 'Asked' }), 403, 'access.forbidden');
      expect((await send(app(), privacy.session, 'GET', '/api/release/suspensions')).json().suspensions.map((s: { agencyName: string }) => s.agencyName)).not.toContain('FBI');

      const openapi = (await app().inject({ method: 'GET', url: '/api/openapi.json' })).json();
      for (const path of ['/api/release/disclosures', '/api/release/accountings', '/api/release/accountings/{id}/letter.pdf', '/api/release/amendments/{id}/deny', '/api/release/suspensions']) {
        expect(Object.keys(openapi.paths)).toContain(path);
      }
    });
  });
}
