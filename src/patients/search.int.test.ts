import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/support/chartroom.js';
import { auditEventsWhere, send, signedInUser, useTestApp, type SignedInUser } from '../../test/support/http.js';
import { patientInput } from '../../test/support/patients.js';
import { Demographics } from './demographics.js';
import { insertPatients } from './registration.js';
import { SYSTEM_ACTOR } from '../audit/actions.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: finding patients`, () => {
    const { app, ctx } = useTestApp(dialect);
    let clerk: SignedInUser;
    const ids: Record<string, { id: string; mrn: string }> = {};
    const search = async (query: string) => {
      const res = await send(app(), clerk.session, 'GET', `/api/patients?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().results as { id: string; mrn: string; given: string; family: string; matchedOn: string[] }[];
    };

    it('registers a small index', async () => {
      clerk = await signedInUser(app(), ctx(), 'search.clerk', 'records_clerk');
      const people = {
        william: patientInput(),
        margaret: patientInput({ given: 'Margaret', middle: undefined, family: 'Schneider', birthDate: '1971-11-03', sex: 'female', ssn: '123-45-6789', email: 'peggy@example.org', phones: [{ use: 'home', number: '617-555-0199' }], previousNames: [{ family: 'Walsh' }], addresses: [{ use: 'home', line1: '5 Elm St', city: 'Boston', state: 'MA', postalCode: '02118' }] }),
        smithson: patientInput({ given: 'Anna', middle: undefined, family: 'Smithson', birthDate: '1990-06-21', sex: 'female', ssn: undefined, email: undefined, phones: [], addresses: [] }),
        smith: patientInput({ given: 'Anna', middle: undefined, family: 'Smith', birthDate: '1985-01-30', sex: 'female', ssn: undefined, email: undefined, phones: [], addresses: [] }),
      };
      for (const [key, body] of Object.entries(people)) {
        const res = await send(app(), clerk.session, 'POST', '/api/patients', body);
        expect(res.statusCode, res.body).toBe(201);
        ids[key] = { id: res.json().patient.id, mrn: res.json().patient.mrn };
      }
    });

    it('finds a patient by MRN, typed in any case', async () => {
      const results = await search(`text=${ids.margaret.mrn.toLowerCase()}`);
      expect(results.map((r) => r.id)).toEqual([ids.margaret.id]);
      expect(results[0].matchedOn).toContain('MRN');
    });

    it('finds by "family, given", by a prefix, and ranks the exact name first', async () => {
      expect((await search('text=' + encodeURIComponent('okafor, william'))).map((r) => r.id)).toEqual([ids.william.id]);
      const prefix = await search('text=smith');
      expect(prefix.map((r) => r.family)).toEqual(['Smith', 'Smithson']);
    });

    it('finds a nickname, a misspelling, and a previous surname', async () => {
      expect((await search('text=' + encodeURIComponent('Peggy Schneider'))).map((r) => r.id)).toContain(ids.margaret.id);
      expect((await search('text=' + encodeURIComponent('Margaret Shnyder'))).map((r) => r.id)).toContain(ids.margaret.id);
      const maiden = await search('text=' + encodeURIComponent('walsh, margaret'));
      expect(maiden.map((r) => r.id)).toContain(ids.margaret.id);
      expect(maiden[0].matchedOn.join()).toMatch(/previous name/);
    });

    it('finds by phone, by SSN last four with birth date, by birth date, and by postal code', async () => {
      expect((await search('text=' + encodeURIComponent('(617) 555-0199'))).map((r) => r.id)).toEqual([ids.margaret.id]);
      expect((await search('ssnLast4=6789&birthDate=1971-11-03')).map((r) => r.id)).toEqual([ids.margaret.id]);
      expect((await search('ssnLast4=6789&birthDate=1971-11-04')).map((r) => r.id)).toEqual([]);
      expect((await search('birthDate=1985-01-30')).map((r) => r.id)).toEqual([ids.smith.id]);
      expect((await search('postalCode=02118')).map((r) => r.id)).toEqual([ids.margaret.id]);
    });

    it('audits each patient a search shows, and nothing when none is found', async () => {
      const before = (await auditEventsWhere(ctx(), { actorName: 'search.clerk', action: 'read' })).length;
      await search('text=smith');
      const reads = (await auditEventsWhere(ctx(), { actorName: 'search.clerk', action: 'read' })).slice(before);
      expect(reads.map((e) => e.patientId).sort()).toEqual([ids.smith.id, ids.smithson.id].sort());
      expect(reads.every((e) => e.recordType === 'patient_search_result')).toBe(true);
      await search('text=nobodyhasthisname');
      expect((await auditEventsWhere(ctx(), { actorName: 'search.clerk', action: 'read' })).length).toBe(before + 2);
    });

    it('finds a nickname and misspelling among hundreds of patients with the same common surname', async () => {
      const many = Array.from({ length: 240 }, (_, i) =>
        Demographics.parse(patientInput({ given: `Given${String.fromCharCode(65 + (i % 26))}${i}`, middle: undefined, family: 'Smith', birthDate: `19${50 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`, ssn: undefined, email: undefined, phones: [], addresses: [] })),
      );
      many.splice(200, 0, Demographics.parse(patientInput({ given: 'Jonathan', middle: undefined, family: 'Smith', birthDate: '1970-05-05', ssn: undefined, email: undefined, phones: [], addresses: [] })));
      const jonathan = await ctx().db.transaction().execute(async (trx) => {
        const rows = await insertPatients(trx, ctx(), SYSTEM_ACTOR, many);
        return rows[200].id;
      });
      expect((await search('text=' + encodeURIComponent('Jon Smyth'))).map((r) => r.id)).toContain(jonathan);
      expect((await search('text=' + encodeURIComponent('smi'))).length).toBe(25);
    });

    it('refuses a sort or filter it does not know', async () => {
      const res = await send(app(), clerk.session, 'GET', '/api/patients?text=smith&orderBy=ssn_sealed');
      expect(res.statusCode).toBe(400);
    });
  });
}
